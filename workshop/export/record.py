"""The tables of record: about the workshop and its rules, change levels, tables, actions.

Build them inside ``force_locale(workshop.language)``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from workshop.analytics.analysis import Analysis
from workshop.export.data import ExportData, in_oslo
from workshop.export.labels import Column
from workshop.export.table import Table, step_number

TABLE_COUNT = {"dots": "dots", "agree": "agree", "rate": "raters"}


def levels_table(data: ExportData) -> Table:
    """The ranked proposals grouped by change level: who can make each change."""
    titles = {p["id"]: p["title"] for p in data.visible}
    columns = [Column(m) for m in ("change_level", "group", "rank_in_group", "id", "title")]
    records = [
        [group["change_level"] or "", group["label"], rank, pid, titles.get(pid, "")]
        for group in data.levels
        for rank, pid in enumerate(group["proposals"], start=1)
    ]
    return Table(
        "change_levels",
        _("Endringsnivå"),
        _("Forslagene gruppert etter hvem som kan gjøre endringen."),
        pd.DataFrame(records, columns=columns),
    )


def seating_table(analysis: Analysis) -> Table:
    """Table mode: each table shown, with the proposals ranked by that table's count."""
    count = TABLE_COUNT.get(analysis.kind, "dots")
    records = []
    for table in analysis.tables_shown or []:
        ranked = sorted(
            analysis.rows, key=lambda r: (-(r.get("by_table") or {}).get(table, 0), r["id"])
        )
        for rank, row in enumerate(ranked, start=1):
            records.append(
                [
                    table,
                    (analysis.table_voters or {}).get(table, 0),
                    rank,
                    row["id"],
                    row["title"],
                    (row.get("by_table") or {}).get(table, 0),
                ]
            )
    columns = [
        Column(m) for m in ("table", "table_participants", "rank_in_table", "id", "title", count)
    ]
    return Table(
        "tables",
        _("Bord"),
        _("Forslagene rangert ved hvert bord i steget som teller nå."),
        pd.DataFrame(records, columns=columns),
    )


def actions_table(data: ExportData) -> Table:
    """The actions the workshop agreed on."""
    titles = {p["id"]: p["title"] for p in data.visible}
    columns = [
        Column(m) for m in ("what", "proposal", "owner", "due", "decided_by", "change_level")
    ]
    records = [
        [
            action["what"],
            titles.get(action["proposal_id"], "") if action["proposal_id"] else "",
            action["owner"] or "",
            action["due"] or "",
            action["decided_by"] or "",
            action["change_level"] or "",
        ]
        for action in data.actions
    ]
    return Table(
        "actions",
        _("Tiltak"),
        _("Tiltakene verkstedet ble enige om: hva, ansvarlig, frist og hvem som vedtar."),
        pd.DataFrame(records, columns=columns),
    )


def software_version() -> str:
    """Planverksted and its version, as installed."""
    try:
        return f"Planverksted {version('planverksted')}"
    except PackageNotFoundError:
        return "Planverksted"


def about_table(data: ExportData) -> Table:
    """The workshop, its dates, plan, the rules of each step and the small-group threshold."""
    workshop = data.workshop
    counting = data.counting
    threshold = counting.threshold if counting is not None else 3
    ranked_by = ""
    if counting is not None and counting.step is not None:
        ranked_by = _(
            "Steg %(number)d: %(title)s", number=step_number(counting), title=counting.step.title
        )
    first_dots = next((a for a in data.steps if a.kind == "dots"), None)
    rows: list[tuple[str, str, Any]] = [
        ("workshop", _("Verksted"), workshop.title),
        ("code", _("Kode"), workshop.code),
        ("session_plan", _("Øktplan"), workshop.plan_name),
        ("language", _("Språk"), workshop.language),
        ("held", _("Holdt"), in_oslo(workshop.created_at).date().isoformat()),
        ("exported_at", _("Eksportert"), data.exported_at.isoformat(timespec="seconds")),
        ("closed_at", _("Avsluttet"), data.closed_at or ""),
        ("participants", _("Deltakere"), len(data.participants)),
        ("min_group_size", _("Minste gruppe som vises"), threshold),
        ("ranked_by", _("Rekkefølgen i «Forslag» følger"), ranked_by),
        (
            "dots_column",
            _("Kolonnen «dots»"),
            _(
                "Prikkene i steg %(number)d, det første prikkesteget; navnet er likt på alle "
                "språk så programmer finner kolonnen.",
                number=step_number(first_dots),
            )
            if first_dots is not None
            else _("Verkstedet har ikke noe prikkesteg; kolonnen står med 0."),
        ),
        ("software", _("Programvare"), software_version()),
    ]
    for analysis in data.steps:
        step = analysis.step
        if step is None:
            continue
        number = step_number(analysis)
        rows.append(
            (
                f"step{number}",
                _("Steg %(number)d: %(title)s", number=number, title=step.title),
                _(
                    "%(rules)s Deltok: %(voters)d.",
                    rules=data.rules[step.id],
                    voters=analysis.voters,
                ),
            )
        )
    rows.append(("consensus", _("Konsensus og små grupper"), data.consensus_rules))
    frame = pd.DataFrame(
        [[code, value] for code, _label, value in rows], columns=[Column("field"), Column("value")]
    )
    return Table(
        "about",
        _("Om"),
        _("Om verkstedet og eksporten: datoer, øktplan og reglene for hvert steg."),
        frame,
        words={"field": {code: label for code, label, _value in rows}},
    )
