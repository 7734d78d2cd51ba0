"""The result tables: the ranked proposals with every step, each step by role, and by role.

Build them inside ``force_locale(workshop.language)``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask_babel import gettext as _

from workshop.analytics.analysis import Analysis, shared_ranks
from workshop.export.data import ExportData
from workshop.export.labels import API_DOTS, Column
from workshop.export.table import Table, step_number

CONSENSUS = ("consensus", "divisiveness", "flag")


def _flag(row: dict[str, Any]) -> str:
    return "; ".join(row["flags"])


def step_columns(analysis: Analysis, number: int | None, dots_name: str | None) -> list[Column]:
    """One step's columns: its rank, totals and consensus (``number``: prefixed by the step)."""
    columns = [Column("rank", number)]
    if analysis.kind == "agree":
        columns += [Column(m, number) for m in ("agree", "disagree", "pass", "support")]
    elif analysis.kind == "rate":
        for criterion in analysis.criteria:
            key, label = str(criterion.get("key")), str(criterion.get("label") or "")
            columns.append(Column("mean", number, key, label or None))
            columns.append(Column("answers", number, key, label or None))
        columns += [Column(m, number) for m in ("raters", "quadrant", "supporters", "support")]
    else:
        columns += [
            Column("dots", number, fixed=dots_name),
            *(Column(m, number) for m in ("paper_dots", "voters", "support")),
        ]
    return columns + [Column(m, number) for m in CONSENSUS]


def step_values(analysis: Analysis, row: dict[str, Any], rank: int) -> list[Any]:
    """The values of `step_columns` for one proposal."""
    values: list[Any] = [rank]
    if analysis.kind == "agree":
        values += [row["agree"], row["disagree"], row["pass"], row["support"]]
    elif analysis.kind == "rate":
        for criterion in analysis.criteria:
            key = str(criterion.get("key"))
            values += [row["means"].get(key), row["counts"].get(key)]
        values += [row["raters"], row["quadrant"], row["supporters"], row["support"]]
    else:
        values += [row["dots"], row["paper_dots"], row["voters"], row["support"]]
    return values + [row["consensus"], row["divisiveness"], _flag(row)]


BASE = ("id", "title", "body", "category", "change_level", "suggested_change_level")


def proposals_table(data: ExportData) -> Table:
    """The ranked proposals with a column group per prioritising step, in agenda order.

    Ordered as the step that counts now ranks them (as the results page shows); proposals that
    step did not ask about follow by id. ``rank`` is that step's place; ties share one.
    """
    first_dots = next((a for a in data.steps if a.kind == "dots"), None)
    columns = [Column("rank"), *(Column(m) for m in BASE)]
    columns += [Column(m) for m in ("status", "source", "merged")]
    groups = []
    for analysis in data.steps:
        dots_name = API_DOTS if analysis is first_dots else None
        number = step_number(analysis)
        places = shared_ranks(analysis)
        rows = {row["id"]: row for row in analysis.rows}
        groups.append((analysis, places, rows))
        columns += step_columns(analysis, number, dots_name)
    if first_dots is None:  # no dot step at all: the `dots` column is there, at zero
        columns.append(Column("dots", fixed=API_DOTS))
    counting = data.counting
    places = shared_ranks(counting) if counting is not None else {}
    order = [row["id"] for row in counting.rows] if counting is not None else []
    by_id = {p["id"]: p for p in data.visible}
    order += [pid for pid in by_id if pid not in set(order)]
    records = []
    for pid in order:
        proposal = by_id[pid]
        record: list[Any] = [places.get(pid), *(proposal[m] for m in BASE)]
        merged = data.merged.get(pid, [])
        record += [
            proposal["status"],
            proposal["source"],
            "; ".join(f"{title} ({mid})" for mid, title in merged),
        ]
        for analysis, step_places, rows in groups:
            row = rows.get(pid)
            width = len(step_columns(analysis, None, None))
            if row is None:  # a shortlist did not ask about it
                record += [None] * width
            else:
                record += step_values(analysis, row, step_places[pid])
        if first_dots is None:
            record.append(0)
        records.append(record)
    return Table(
        "proposals",
        _("Forslag"),
        _("Forslagene rangert, med resultatene fra hvert stemme- og vurderingssteg."),
        pd.DataFrame(records, columns=columns),
        frozen_columns=3,
    )


ROLE_MEASURES = {
    "dots": ("voters", "supporters", "dots", "support"),
    "agree": ("voters", "agree", "disagree", "pass", "support"),
}


def _role_columns(analysis: Analysis, role: str | None) -> list[Column]:
    if analysis.kind == "rate":
        return [
            Column("voters", role=role),
            Column("raters", role=role),
            *(
                Column("mean", None, str(c.get("key")), str(c.get("label") or "") or None, role)
                for c in analysis.criteria
            ),
            Column("quadrant", role=role),
            Column("supporters", role=role),
            Column("support", role=role),
        ]
    return [Column(m, role=role) for m in ROLE_MEASURES[analysis.kind]]


def _role_values(analysis: Analysis, part: dict[str, Any]) -> list[Any]:
    if analysis.kind == "rate":
        return [
            part["voters"],
            part["raters"],
            *(part["means"].get(str(c.get("key"))) for c in analysis.criteria),
            part["quadrant"],
            part["supporters"],
            part["support"],
        ]
    return [part[m] for m in ROLE_MEASURES[analysis.kind]]


def step_table(analysis: Analysis) -> Table:
    """One step ranked by its own results, with a column group per role shown."""
    columns = [Column("id"), Column("title"), *step_columns(analysis, None, None)]
    for role in analysis.roles_shown:
        columns += _role_columns(analysis, role)
    places = shared_ranks(analysis)
    records = []
    for row in analysis.rows:
        record = [row["id"], row["title"], *step_values(analysis, row, places[row["id"]])]
        for role in analysis.roles_shown:
            record += _role_values(analysis, row["roles"][role])
        records.append(record)
    number = step_number(analysis)
    title = analysis.step.title if analysis.step is not None else ""
    return Table(
        f"step{number}",
        _("Steg %(number)d", number=number),
        _(
            "Steg %(number)d («%(title)s») rangert etter sine egne resultater, per rolle.",
            number=number,
            title=title,
        ),
        pd.DataFrame(records, columns=columns),
        frozen_columns=2,
    )


def by_role_table(data: ExportData) -> Table:
    """Every step's results per role shown, one row per step, role and proposal."""
    criteria: dict[str, str | None] = {}
    for analysis in data.steps:
        for c in analysis.criteria:
            criteria.setdefault(str(c.get("key")), str(c.get("label") or "") or None)
    measures = ("dots", "supporters", "agree", "disagree", "pass", "raters")
    columns = [
        Column("step"),
        Column("kind"),
        Column("role"),
        Column("role_participants"),
        Column("id"),
        Column("title"),
        *(Column(m) for m in measures),
        *(Column("mean", None, key, label) for key, label in criteria.items()),
        Column("quadrant"),
        Column("support"),
    ]
    records = []
    for analysis in data.steps:
        number = step_number(analysis)
        for role in analysis.roles_shown:
            for row in analysis.rows:
                part = row["roles"][role]
                means = part.get("means") or {}
                records.append(
                    [
                        number,
                        analysis.kind,
                        role,
                        analysis.role_voters.get(role),
                        row["id"],
                        row["title"],
                        *(part.get(m) for m in measures),
                        *(means.get(key) for key in criteria),
                        part.get("quadrant"),
                        part["support"],
                    ]
                )
    return Table(
        "by_role",
        _("Etter rolle"),
        _(
            "Resultatene for hver rolle i hvert steg; roller med for få deltakere i steget er "
            "utelatt."
        ),
        pd.DataFrame(records, columns=columns),
        frozen_columns=0,
    )
