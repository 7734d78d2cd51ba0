"""The export's tables as pandas frames with `Column` keys and coded values (see labels.py).

Call `export_tables` inside ``force_locale(workshop.language)``: sheet names and descriptions are
in the workshop's language.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import pandas as pd
from flask_babel import gettext as _

from workshop.analytics.analysis import Analysis, shared_ranks
from workshop.export.data import ExportData, in_oslo
from workshop.export.labels import API_DOTS, Column, pseudonym

TABLE_COUNT = {"dots": "dots", "agree": "agree", "rate": "raters"}
CONSENSUS = ("consensus", "divisiveness", "flag")
# Counts: whole numbers even where a step left a cell empty (pandas would make them 3.0).
WHOLE_NUMBERS = frozenset(
    {
        "rank",
        "id",
        "dots",
        "paper_dots",
        "voters",
        "supporters",
        "agree",
        "disagree",
        "pass",
        "raters",
        "answers",
        "step",
        "role_participants",
        "table_participants",
        "rank_in_table",
        "rank_in_group",
        "score",
    }
)


@dataclass
class Table:
    """One table of the export: a sheet of the workbook, a file of the zip."""

    key: str
    name: str  # the sheet name in the workshop's language (≤ 31 characters)
    description: str  # one sentence for the zip's README
    frame: pd.DataFrame
    words: dict[str, dict[str, str]] = field(default_factory=dict)  # extra coded values
    frozen_columns: int = 0

    def __post_init__(self) -> None:
        for column in self.frame.columns:
            if isinstance(column, Column) and column.measure in WHOLE_NUMBERS:
                self.frame[column] = self.frame[column].astype("Int64")


def export_tables(data: ExportData) -> list[Table]:
    """Every table, the ranked proposals first and «about» second."""
    tables = [proposals_table(data), about_table(data)]
    for analysis in data.steps:
        tables.append(step_table(analysis))
    if data.steps:
        tables.append(by_role_table(data))
    kinds = {a.kind for a in data.steps}
    if "dots" in kinds:
        tables.append(answers_table(data, "votes"))
    if "rate" in kinds:
        tables.append(answers_table(data, "ratings"))
    if "agree" in kinds:
        tables.append(answers_table(data, "stances"))
    tables.append(participants_table(data))
    tables.append(levels_table(data))
    if data.counting is not None and data.counting.tables_shown is not None:
        tables.append(seating_table(data.counting))
    tables.append(actions_table(data))
    tables.append(audit_table(data))
    return tables


def step_number(analysis: Analysis) -> int:
    """The step's number as the agenda shows it (1 for the first)."""
    return analysis.step.position + 1 if analysis.step is not None else 0


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


def pseudonyms(data: ExportData) -> dict[int, str]:
    """Each participant's pseudonymous id, numbered in the order they joined."""
    return {p["id"]: pseudonym(n) for n, p in enumerate(data.participants, start=1)}


def answers_table(data: ExportData, what: str) -> Table:
    """Each participant's dots, ratings (a column per criterion) or stances, by pseudonymous id;
    the proposal by its ID (its title is in the proposals table)."""
    names = pseudonyms(data)
    head = [Column("participant"), Column("step"), Column("id")]
    if what == "votes":
        columns = [*head, Column("dots")]
        records: list[list[Any]] = [[names.get(p), s, i, d] for s, p, i, d in data.votes]
        name, description = _("Prikker"), _("Prikkene hver deltaker ga, under et pseudonym.")
    elif what == "ratings":
        criteria: dict[str, str | None] = {}
        for analysis in data.steps:
            for c in analysis.criteria:
                criteria.setdefault(str(c.get("key")), str(c.get("label") or "") or None)
        columns = [
            *head,
            *(Column("score", criterion=k, criterion_label=v) for k, v in criteria.items()),
        ]
        where = {key: index for index, key in enumerate(criteria, start=3)}
        rows: dict[tuple[int, int, int], list[Any]] = {}
        for step, who, pid, key, score in data.ratings:
            blank = [names.get(who), step, pid, *([None] * len(criteria))]
            row = rows.setdefault((who, step, pid), blank)
            if key in where:
                row[where[key]] = score
        records = list(rows.values())
        name = _("Vurderinger")
        description = _("Vurderingene hver deltaker ga, under et pseudonym.")
    else:
        columns = [*head, Column("stance")]
        records = [[names.get(p), s, i, v] for s, p, i, v in data.stances]
        name = _("Standpunkt")
        description = _("Svarene enig, uenig og pass fra hver deltaker, under et pseudonym.")
    return Table(what, name, description, pd.DataFrame(records, columns=columns))


def safe_groups(data: ExportData, members: dict[str, set[int]]) -> set[str]:
    """Groups (roles or tables) never too small in a step they took part in, nor overall."""
    threshold = data.counting.threshold if data.counting is not None else 3
    took_part: dict[int, set[int]] = defaultdict(set)
    for answers in (data.votes, data.ratings, data.stances):
        for answer in answers:
            took_part[answer[0]].add(answer[1])
    safe = set()
    for group, people in members.items():
        counts = [len(people & answered) for answered in took_part.values()]
        if len(people) >= threshold and all(n == 0 or n >= threshold for n in counts):
            safe.add(group)
    return safe


def participants_table(data: ExportData) -> Table:
    """Who took part: pseudonymous id, roles and table (small groups left out), names if chosen."""
    workshop = data.workshop
    known_roles = set(workshop.roles)
    seats = {str(t) for t in workshop.settings.get("tables") or []}
    roles: dict[str, set[int]] = defaultdict(set)
    tables: dict[str, set[int]] = defaultdict(set)
    for person in data.participants:
        for role in person["roles"]:
            if role in known_roles:
                roles[role].add(person["id"])
        if person["table"] in seats:
            tables[person["table"]].add(person["id"])
    shown_roles, shown_tables = safe_groups(data, roles), safe_groups(data, tables)
    names = pseudonyms(data)
    columns = [Column("participant"), Column("roles"), Column("table")]
    if data.options.names:
        columns.append(Column("name"))
    records = []
    for person in data.participants:
        record = [
            names[person["id"]],
            "; ".join(r for r in dict.fromkeys(person["roles"]) if r in shown_roles),
            person["table"] if person["table"] in shown_tables else "",
        ]
        if data.options.names:
            record.append(person["name"] or "")
        records.append(record)
    return Table(
        "participants",
        _("Deltakere"),
        _(
            "Deltakerne under pseudonym med roller og bord; en rolle eller et bord som er for "
            "lite til å vises i et steg, står tomt."
        ),
        pd.DataFrame(records, columns=columns),
    )


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


def audit_table(data: ExportData) -> Table:
    """The audit trail; participants appear under their pseudonym."""
    names = pseudonyms(data)
    records = []
    for entry in data.audit:
        detail = dict(entry["detail"] or {})
        if "participant_id" in detail:
            detail["participant_id"] = names.get(detail["participant_id"], "")
        actor = str(entry["actor"])
        if actor.startswith("participant:"):  # the trail names a participant by row id
            actor = names.get(int(actor.split(":", 1)[1]), "")
        records.append(
            [entry["at"], actor, entry["action"], json.dumps(detail, ensure_ascii=False)]
        )
    columns = [Column(m) for m in ("at", "actor", "action", "detail")]
    return Table(
        "audit",
        _("Logg"),
        _("Alt fasilitatoren gjorde, med tidspunkt: moderering, sammenslåing, steg og visning."),
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
