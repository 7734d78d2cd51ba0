"""Several workshops side by side: proposals joined into rows by the admin's accepted matches,
the themes and change levels that recur, and consensus by role (docs/guide.md, «Sammenligne»).

Each workshop is read at its first dot vote (else its first prioritising step), the step a
session plan uses to prioritise. pandas joins and pivots here; the page, the JSON answer and the
workbook read the frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.analytics.analysis import Analysis, analyse, analysis_kind, prioritising_steps
from workshop.analytics.reading import LEVEL_GROUPS
from workshop.models import Comparison, Proposal, Step, Workshop, joined_rows
from workshop.services.errors import NotFound
from workshop.services.unit import read_only
from workshop.session_plans import PlanError, load_plan
from workshop.similarity import Text, similar_pairs

OSLO = ZoneInfo("Europe/Oslo")
SUGGEST_THRESHOLD = 60.0  # lower than while reviewing: the admin decides every pair anyway
NO_LEVEL = "ikke_avklart"  # the change level of proposals not yet settled
ENTRY_COLUMNS = [
    "workshop",
    "proposal_id",
    "title",
    "category",
    "change_level",
    "rank",
    "dots",
    "voters",
    "share",
    "support",
    "consensus",
]


@dataclass(frozen=True)
class Suggestion:
    """Two proposals of different workshops whose texts look alike, not yet decided."""

    first_id: int
    second_id: int
    score: float


@dataclass(frozen=True)
class Compared:
    """A comparison read from the database, as frames."""

    id: int
    created_at: datetime
    language: str
    codes: list[str]  # the workshops still there, in the comparison's order
    missing: list[str]  # codes of workshops deleted since
    workshops: pd.DataFrame  # one row per workshop
    entries: pd.DataFrame  # one row per visible proposal per workshop, with its «row»
    roles: pd.DataFrame  # one row per entry and role shown: the role's support
    suggestions: list[Suggestion]
    accepted: list[Suggestion]  # the pairs the admin accepted, both proposals still there


def compared_step(workshop: Workshop) -> Step | None:
    """The step a workshop is compared at: its first dot vote, else its first prioritising one."""
    steps = prioritising_steps(workshop)
    dots = [s for s in steps if analysis_kind(s) == "dots"]
    chosen = dots or steps
    return chosen[0] if chosen else None


def load_comparison(comparison_id: int) -> Compared:
    """Read a stored comparison (NotFound for an unknown id)."""
    with read_only() as session:
        comparison = session.get(Comparison, comparison_id)
        if comparison is None:
            raise NotFound()
        return compare(session, comparison)


def compare(session: Session, comparison: Comparison) -> Compared:
    """Analyse each workshop and join their proposals into rows."""
    found = {
        w.code: w
        for w in session.scalars(
            select(Workshop).where(Workshop.code.in_(comparison.workshop_codes))
        )
    }
    codes = [code for code in comparison.workshop_codes if code in found]
    about, entries, roles = [], [], []
    for code in codes:
        workshop = found[code]
        step = compared_step(workshop)
        analysis = analyse(session, workshop, step)
        about.append(_about(workshop, step, analysis))
        themes = vocabulary(workshop, comparison.language, "categories")
        role_names = vocabulary(workshop, comparison.language, "roles")
        for record in _entries(workshop, analysis):
            record["category"] = themes.get(record["category"], record["category"])
            entries.append(record)
        for row in analysis.rows:
            for role, part in row["roles"].items():
                roles.append(
                    {
                        "workshop": code,
                        "proposal_id": row["id"],
                        "role": role_names.get(role, role),
                        "support": part.get("support"),
                    }
                )
    entry_frame = pd.DataFrame(entries, columns=ENTRY_COLUMNS)
    entry_frame["row"] = _rows(comparison, entry_frame)
    role_frame = pd.DataFrame(roles, columns=["workshop", "proposal_id", "role", "support"])
    role_frame = role_frame.merge(entry_frame[["proposal_id", "row"]], on="proposal_id")
    return Compared(
        id=comparison.id,
        created_at=comparison.created_at,
        language=comparison.language,
        codes=codes,
        missing=[code for code in comparison.workshop_codes if code not in found],
        workshops=pd.DataFrame(about),
        entries=entry_frame,
        roles=role_frame,
        suggestions=suggestions(session, comparison, entry_frame),
        accepted=[
            Suggestion(d.first_id, d.second_id, d.score or 0.0)
            for d in comparison.decisions
            if d.accepted and {d.first_id, d.second_id} <= set(entry_frame["proposal_id"])
        ],
    )


def vocabulary(workshop: Workshop, language: str, field: str) -> dict[str, str]:
    """A workshop's roles or themes as its plan names them in another language («Folkevald»)."""
    if workshop.language == language:
        return {}
    try:
        own = getattr(load_plan(workshop.plan_name, language=workshop.language), field)
        other = getattr(load_plan(workshop.plan_name, language=language), field)
    except PlanError:
        return {}
    return dict(zip(own, other, strict=False)) if len(own) == len(other) else {}


def _about(workshop: Workshop, step: Step | None, analysis: Analysis) -> dict[str, Any]:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "held": workshop.created_at.astimezone(OSLO).date().isoformat(),
        "plan": workshop.plan_name,
        "language": workshop.language,
        "participants": analysis.participants,
        "voters": analysis.voters,
        "step": step.title if step is not None else None,
        "kind": analysis.kind,
        "roles_shown": list(analysis.roles_shown),
        "proposals": len(analysis.rows),
    }


def _entries(workshop: Workshop, analysis: Analysis) -> list[dict[str, Any]]:
    """The visible proposals of one workshop with their rank (ties share a rank)."""
    records = []
    for row in analysis.rows:
        if analysis.kind == "rate":
            score = row.get("benefit") if row.get("benefit") is not None else -1.0
        elif analysis.kind == "agree":
            score = row["support"]
        else:
            score = row["dots"]
        records.append(
            {
                "workshop": workshop.code,
                "proposal_id": row["id"],
                "title": row["title"],
                "category": row["category"] or "",
                "change_level": row["change_level"] or NO_LEVEL,
                "score": score,
                "dots": row["dots"],
                "voters": row["voters"],
                "share": round(row["voters"] / analysis.voters, 4) if analysis.voters else None,
                "support": row["support"],
                "consensus": row["consensus"],
            }
        )
    if records:
        scores = pd.Series([r["score"] for r in records], dtype="float64")
        for record, rank in zip(records, scores.rank(method="min", ascending=False), strict=True):
            record["rank"] = int(rank)
    return records


def _rows(comparison: Comparison, entries: pd.DataFrame) -> pd.Series:
    """Row numbers: accepted pairs share one; most workshops first, then by mean relative rank."""
    if entries.empty:
        return pd.Series([], dtype="int64")
    present = set(entries["proposal_id"])
    pairs = [(a, b) for a, b in comparison.accepted_pairs() if a in present and b in present]
    joined = {pid: ids[0] for ids in joined_rows(pairs) for pid in ids}
    keys = entries["proposal_id"].map(lambda pid: joined.get(pid, pid))
    sizes = entries.groupby("workshop")["proposal_id"].transform("count")
    order = (
        pd.DataFrame(
            {"key": keys, "workshop": entries["workshop"], "relative": entries["rank"] / sizes}
        )
        .groupby("key")
        .agg(workshops=("workshop", "nunique"), relative=("relative", "mean"))
        .reset_index()
        .sort_values(["workshops", "relative", "key"], ascending=[False, True, True])
    )
    number = {key: position for position, key in enumerate(order["key"], start=1)}
    return keys.map(number).astype("int64")


def suggestions(
    session: Session, comparison: Comparison, entries: pd.DataFrame
) -> list[Suggestion]:
    """Look-alike pairs of different workshops, undecided, that could join without a clash."""
    if entries.empty:
        return []
    bodies = dict(
        session.execute(
            select(Proposal.id, Proposal.body).where(
                Proposal.id.in_([int(p) for p in entries["proposal_id"]])
            )
        ).all()
    )
    workshop_of = dict(zip(entries["proposal_id"], entries["workshop"], strict=True))
    row_of = dict(zip(entries["proposal_id"], entries["row"], strict=True))
    row_workshops = entries.groupby("row")["workshop"].agg(set).to_dict()
    texts = [
        Text(int(pid), str(title), bodies.get(int(pid)) or "")
        for pid, title in zip(entries["proposal_id"], entries["title"], strict=True)
    ]
    decided = comparison.decided()
    open_pairs = [
        (first, second, score)
        for first, second, score in similar_pairs(texts, SUGGEST_THRESHOLD)
        if workshop_of[first] != workshop_of[second]
        and (first, second) not in decided
        and not row_workshops[row_of[first]] & row_workshops[row_of[second]]
    ]
    # Only a proposal's best look-alikes in each other workshop: many ideas share words.
    best: dict[tuple[int, str], float] = {}
    for first, second, score in open_pairs:
        for own, other in ((first, second), (second, first)):
            key = (own, workshop_of[other])
            best[key] = max(best.get(key, 0.0), score)
    return [
        Suggestion(first, second, score)
        for first, second, score in open_pairs
        if score >= best[(first, workshop_of[second])]
        or score >= best[(second, workshop_of[first])]
    ]


def rows_wide(compared: Compared) -> pd.DataFrame:
    """One line per row, a column group per workshop (title, rank, dots, share, consensus)."""
    entries = compared.entries
    measures = ["title", "rank", "dots", "share", "consensus"]
    wide = entries.pivot(index="row", columns="workshop", values=measures)
    wide = wide.reorder_levels([1, 0], axis=1)
    columns = [(code, m) for code in compared.codes for m in measures]
    wide = wide.reindex(columns=pd.MultiIndex.from_tuples(columns)).sort_index()
    present = entries.groupby("row")["workshop"].nunique()
    wide.insert(0, ("", "workshops"), present)
    return wide


def recurring(compared: Compared, field: str) -> pd.DataFrame:
    """Proposals and dots per workshop by ``category`` or ``change_level``, and if in all."""
    entries = compared.entries
    counts = entries.pivot_table(
        index=field, columns="workshop", values="proposal_id", aggfunc="count", fill_value=0
    ).reindex(columns=compared.codes, fill_value=0)
    dots = entries.pivot_table(
        index=field, columns="workshop", values="dots", aggfunc="sum", fill_value=0
    ).reindex(columns=compared.codes, fill_value=0)
    table = pd.concat({"proposals": counts, "dots": dots}, axis=1)
    table[("", "everywhere")] = (counts > 0).all(axis=1) if compared.codes else False
    order = (
        [level or NO_LEVEL for level, _label in LEVEL_GROUPS]
        if field == "change_level"
        else sorted(table.index, key=lambda theme: (theme == "", str(theme).casefold()))
    )
    table = table.reindex([name for name in order if name in table.index])
    return table.sort_values(("", "everywhere"), ascending=False, kind="stable")


def roles_side_by_side(compared: Compared, rows: list[int] | None = None) -> pd.DataFrame:
    """Each row's support per role (and its consensus) with the workshops side by side."""
    roles = compared.roles
    consensus = compared.entries[["row", "workshop", "consensus"]].rename(
        columns={"consensus": "support"}
    )
    consensus["role"] = ""  # the consensus line sorts after the roles
    frame = pd.concat([roles[["row", "workshop", "role", "support"]], consensus])
    if rows is not None:
        frame = frame[frame["row"].isin(rows)]
    order = [*dict.fromkeys(roles["role"]), ""]  # the plans' order of roles, consensus last
    frame = frame.assign(role=pd.Categorical(frame["role"], categories=order, ordered=True))
    table = frame.pivot_table(
        index=["row", "role"],
        columns="workshop",
        values="support",
        aggfunc="first",
        dropna=False,
        observed=True,
    )
    table = table.reindex(columns=compared.codes).dropna(how="all")
    return table.rename(index=str, level="role")


def multi_workshop_rows(compared: Compared) -> list[int]:
    """Rows found in two workshops or more."""
    present = compared.entries.groupby("row")["workshop"].nunique()
    return [int(row) for row in present[present >= 2].index]


def comparison_payload(compared: Compared) -> dict[str, Any]:
    """The comparison as the JSON answer and the page read it."""
    titles = dict(zip(compared.entries["proposal_id"], compared.entries["title"], strict=True))
    workshop_of = dict(
        zip(compared.entries["proposal_id"], compared.entries["workshop"], strict=True)
    )

    def pair(suggestion: Suggestion) -> dict[str, Any]:
        ids = [suggestion.first_id, suggestion.second_id]
        return {
            "proposals": ids,
            "workshops": [workshop_of[i] for i in ids],
            "titles": [titles[i] for i in ids],
            "score": suggestion.score,
        }

    rows = []
    role_support: dict[int, dict[str, Any]] = {}
    for record in compared.roles.to_dict("records"):
        role_support.setdefault(int(record["proposal_id"]), {})[str(record["role"])] = _plain_value(
            record["support"]
        )
    cells_of: dict[int, dict[str, dict[str, Any]]] = {}
    for record in compared.entries.to_dict("records"):  # in workshop order
        entry = _plain(record)
        entry["roles"] = role_support.get(entry["proposal_id"], {})
        code, row = entry.pop("workshop"), entry.pop("row")
        cells_of.setdefault(row, {})[code] = entry
    for row, cells in sorted(cells_of.items()):
        rows.append(
            {
                "row": row,
                "title": next(iter(cells.values()))["title"],
                "workshops": len(cells),
                "everywhere": len(cells) == len(compared.codes),
                "entries": cells,
            }
        )
    return {
        "id": compared.id,
        "created": compared.created_at.isoformat(timespec="seconds"),
        "language": compared.language,
        "workshops": [_plain(w) for w in compared.workshops.to_dict("records")],
        "missing": compared.missing,
        "rows": rows,
        "suggestions": [pair(s) for s in compared.suggestions],
        "accepted": [pair(s) for s in compared.accepted],
        "themes": _recurring_payload(compared, "category", "theme"),
        "change_levels": _recurring_payload(compared, "change_level", "change_level"),
    }


def _recurring_payload(compared: Compared, field: str, name: str) -> list[dict[str, Any]]:
    if compared.entries.empty:
        return []
    table = recurring(compared, field)
    codes = compared.codes
    return [
        {
            name: str(index) if str(index) not in ("", NO_LEVEL) else None,
            "proposals": {c: _plain_value(table.at[index, ("proposals", c)]) for c in codes},
            "dots": {c: _plain_value(table.at[index, ("dots", c)]) for c in codes},
            "everywhere": bool(table.at[index, ("", "everywhere")]),
        }
        for index in table.index
    ]


def get_comparison(comparison_id: int) -> dict[str, Any]:
    """GET /comparisons/{id}: the comparison as JSON (the admin key is checked by the caller)."""
    return comparison_payload(load_comparison(comparison_id))


def _plain(record: dict[Any, Any]) -> dict[str, Any]:
    return {str(key): _plain_value(value) for key, value in record.items()}


def _plain_value(value: Any) -> Any:
    """numpy numbers as Python numbers, NaN and NA as None."""
    if isinstance(value, str | list | dict):
        return value
    if value is None or pd.isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
