"""Use cases of merging duplicates into one survivor, and of undoing a merge exactly.

What a merge does, per step and participant (the unique constraints hold throughout):

- dots (Vote): the merged proposals' dots are added to the survivor's row; a participant's
  total never changes, so the budget still holds (a per-proposal cap may be exceeded);
- paper dots (PaperDots): added up per step into the survivor's row;
- ratings (per criterion) and stances: the survivor's own are kept; where the participant has
  none on the survivor, the first merged proposal (in the order given) that has one lends it;
- the merged proposals get status "merged" and merged_into_id = the survivor; the survivor
  keeps its author, and the merge records every author (Merge.saved["authors"]).

Merge.saved keeps the rows of survivor and merged proposals as they were ("before"), the
survivor's rows as the merge left them ("after") and the merged proposals' statuses. Undo puts
"before" back for every (step, participant[, criterion]) the merge touched, provided nobody has
changed the survivor's rows there since (otherwise undo would overwrite a later vote: refused).
Rows added on the survivor after the merge in untouched places (a later vote step) stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workshop.models import (
    Merge,
    PaperDots,
    Participant,
    Proposal,
    Rating,
    Stance,
    Step,
    Vote,
    Workshop,
)
from workshop.models.base import utcnow
from workshop.services.access import authenticate, require_facilitator
from workshop.services.closed import ensure_editable
from workshop.services.errors import NotFound, ServiceError, ValidationFailed
from workshop.services.moderation import announce
from workshop.services.snapshots import proposal_payload
from workshop.services.unit import read_only, unit_of_work


class MergeConflict(ServiceError):
    """The merge cannot be undone in the state the workshop is in now."""

    code, status = "conflict", 409
    default_message = _l("Sammenslåingen kan ikke angres nå.")


@dataclass(frozen=True)
class Table:
    """How one kind of row is copied, keyed and combined in a merge."""

    name: str
    model: Any
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the unique constraint without proposal_id
    value: str
    combine: Callable[[list[int]], int]  # survivor's value first, if it has one


def _add_up(values: list[int]) -> int:
    return sum(values)


def _first(values: list[int]) -> int:
    return values[0]


TABLES = (
    Table(
        "votes",
        Vote,
        ("step_id", "participant_id", "proposal_id", "dots"),
        ("step_id", "participant_id"),
        "dots",
        _add_up,
    ),
    Table(
        "paper_dots", PaperDots, ("step_id", "proposal_id", "dots"), ("step_id",), "dots", _add_up
    ),
    Table(
        "ratings",
        Rating,
        ("step_id", "participant_id", "proposal_id", "criterion", "score"),
        ("step_id", "participant_id", "criterion"),
        "score",
        _first,
    ),
    Table(
        "stances",
        Stance,
        ("step_id", "participant_id", "proposal_id", "value"),
        ("step_id", "participant_id"),
        "value",
        _first,
    ),
)

Row = dict[str, Any]


@dataclass(frozen=True)
class Merged:
    """The result of a merge: its id, the survivor (staff payload) and the merged ids."""

    merge_id: int
    survivor: dict[str, Any]
    merged_ids: list[int]


def parse_merge(survivor_id: int, merged_ids: list[int]) -> tuple[int, list[int]]:
    """Check the ids of a Merge body against each other: no repeats, the survivor not merged."""
    if len(set(merged_ids)) != len(merged_ids):
        raise ValidationFailed(_l("Det samme forslaget står flere ganger i «merged_ids»."))
    if survivor_id in merged_ids:
        raise ValidationFailed(
            _l("Forslaget som blir stående, kan ikke også være blant dem som slås sammen.")
        )
    return survivor_id, list(merged_ids)


def merge_proposals(code: str, key: str | None, survivor_id: int, merged_ids: list[int]) -> Merged:
    """Merge proposals into a survivor; votes, ratings, stances and paper dots follow it."""
    survivor_id, merged_ids = parse_merge(survivor_id, merged_ids)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        _lock(session, workshop.id)
        proposals = _proposals(session, workshop.id, [survivor_id, *merged_ids])
        survivor = proposals[survivor_id]
        for proposal in proposals.values():
            if proposal.status == "merged":
                raise ValidationFailed(
                    _l(
                        "Forslag %(id)s er allerede slått sammen med forslag %(into)s.",
                        id=proposal.id,
                        into=proposal.merged_into_id,
                    )
                )
        was_visible = {pid: p.status == "visible" for pid, p in proposals.items()}
        before = {t.name: _rows(session, t, [survivor_id, *merged_ids]) for t in TABLES}
        after = {}
        for table in TABLES:
            after[table.name] = _combine(table, before[table.name], survivor_id, merged_ids)
            session.execute(
                delete(table.model).where(table.model.proposal_id.in_([survivor_id, *merged_ids]))
            )
            session.add_all(
                table.model(workshop_id=workshop.id, **row) for row in after[table.name]
            )
        statuses = {
            str(pid): {"status": proposals[pid].status, "merged_into_id": None}
            for pid in merged_ids
        }
        for pid in merged_ids:
            proposals[pid].status = "merged"
            proposals[pid].merged_into_id = survivor_id
        merge = Merge(
            workshop_id=workshop.id,
            survivor_id=survivor_id,
            merged_ids=merged_ids,
            saved={
                "statuses": statuses,
                "before": before,
                "after": after,
                "authors": _authors(
                    session, workshop.id, [survivor, *(proposals[pid] for pid in merged_ids)]
                ),
            },
        )
        session.add(merge)
        session.flush()
        workshop.bump()
        work.audit(
            workshop,
            actor.label,
            "merge",
            merge_id=merge.id,
            survivor_id=survivor_id,
            merged_ids=merged_ids,
        )
        for pid in merged_ids:
            announce(work, workshop, proposals[pid], was_visible[pid])
        announce(work, workshop, survivor, was_visible[survivor_id])
        work.emit(workshop, "merge_created", {"merge": merge_payload(merge)}, "facilitator")
        work.tally_codes.add(workshop.code)
        return Merged(merge.id, proposal_payload(survivor, staff=True), merged_ids)


def undo_merge(code: str, key: str | None, merge_id: int) -> dict[str, Any]:
    """Undo a merge exactly: statuses and the rows it moved come back as they were."""
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        ensure_editable(workshop)
        _lock(session, workshop.id)
        merge = _find_merge(session, workshop.id, merge_id)
        if merge.undone_at is not None:
            raise MergeConflict(_l("Denne sammenslåingen er allerede angret."))
        if "before" not in merge.saved:  # restored from an archive (services/archiving.py)
            raise MergeConflict(_l("En sammenslåing fra et innlest arkiv kan ikke angres."))
        survivor_id = merge.survivor_id
        proposals = _proposals(session, workshop.id, [survivor_id, *merge.merged_ids])
        survivor = proposals[survivor_id]
        if survivor.status == "merged":
            later = _active_merge_of(session, workshop.id, survivor_id)
            raise MergeConflict(
                _l(
                    "Forslag %(id)s er senere slått sammen videre (sammenslåing %(later)s). "
                    "Angre den først.",
                    id=survivor_id,
                    later=later.id if later else "?",
                )
            )
        for pid in merge.merged_ids:
            if proposals[pid].status != "merged" or proposals[pid].merged_into_id != survivor_id:
                raise MergeConflict(_l("Forslag %(id)s er endret etter sammenslåingen.", id=pid))
        steps = set(session.scalars(select(Step.id).where(Step.workshop_id == workshop.id)))
        people = set(
            session.scalars(select(Participant.id).where(Participant.workshop_id == workshop.id))
        )
        plans = []
        for table in TABLES:
            before = [
                row for row in merge.saved["before"][table.name] if _still_there(row, steps, people)
            ]
            touched = {_key(table, row) for row in before if row["proposal_id"] != survivor_id}
            expected = {
                _key(table, row): row[table.value]
                for row in merge.saved["after"][table.name]
                if _key(table, row) in touched
            }
            current = {
                _key(table, row): row[table.value]
                for row in _rows(session, table, [survivor_id])
                if _key(table, row) in touched
            }
            if current != expected:
                later = _later_merge_into(session, merge)
                if later is not None:
                    raise MergeConflict(
                        _l(
                            "Forslag %(id)s har fått flere forslag slått inn senere "
                            "(sammenslåing %(later)s). Angre den først.",
                            id=survivor_id,
                            later=later.id,
                        )
                    )
                raise MergeConflict(
                    _l(
                        "Stemmer eller vurderinger på forslag %(id)s er endret etter "
                        "sammenslåingen; å angre ville overskrive dem.",
                        id=survivor_id,
                    )
                )
            plans.append((table, touched, [r for r in before if _key(table, r) in touched]))
        for table, touched, rows in plans:
            if not touched:
                continue
            for found in session.scalars(
                select(table.model).where(table.model.proposal_id == survivor_id)
            ):
                if _key(table, _as_row(table, found)) in touched:
                    session.delete(found)
            session.flush()
            session.add_all(table.model(workshop_id=workshop.id, **row) for row in rows)
        for pid in merge.merged_ids:
            saved = merge.saved["statuses"][str(pid)]
            proposals[pid].status = saved["status"]
            proposals[pid].merged_into_id = saved["merged_into_id"]
        merge.undone_at = utcnow()
        session.flush()
        workshop.bump()
        work.audit(
            workshop,
            actor.label,
            "merge_undone",
            merge_id=merge.id,
            survivor_id=survivor_id,
            merged_ids=list(merge.merged_ids),
        )
        announce(work, workshop, survivor, survivor.status == "visible")
        for pid in merge.merged_ids:
            announce(work, workshop, proposals[pid], False)
        work.emit(workshop, "merge_undone", {"merge": merge_payload(merge)}, "facilitator")
        work.tally_codes.add(workshop.code)
        return {
            "merge_id": merge.id,
            "survivor": proposal_payload(survivor, staff=True),
            "restored": [proposal_payload(proposals[pid], staff=True) for pid in merge.merged_ids],
        }


def list_merges(code: str, key: str | None) -> list[dict[str, Any]]:
    """Every merge of the workshop, newest first (facilitator)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        merges = session.scalars(
            select(Merge).where(Merge.workshop_id == workshop.id).order_by(Merge.id.desc())
        ).all()
        return [merge_payload(m) for m in merges]


def merge_payload(merge: Merge) -> dict[str, Any]:
    """A merge as the facilitator sees it."""
    return {
        "id": merge.id,
        "survivor_id": merge.survivor_id,
        "merged_ids": list(merge.merged_ids),
        "authors": list(merge.saved.get("authors", [])),
        "created_at": merge.created_at.isoformat() if merge.created_at else None,
        "undone_at": merge.undone_at.isoformat() if merge.undone_at else None,
    }


def authors_of(session: Session, proposal: Proposal) -> list[int]:
    """Participant ids behind a proposal: its author, then authors of proposals merged in."""
    return _authors(session, proposal.workshop_id, [proposal])


def _authors(session: Session, workshop_id: int, proposals: list[Proposal]) -> list[int]:
    authors: list[int] = []
    for proposal in proposals:
        if proposal.participant_id is not None:
            authors.append(proposal.participant_id)
        for earlier in session.scalars(
            select(Merge)
            .where(
                Merge.workshop_id == workshop_id,
                Merge.survivor_id == proposal.id,
                Merge.undone_at.is_(None),
            )
            .order_by(Merge.id)
        ):
            authors.extend(earlier.saved.get("authors", []))
    return list(dict.fromkeys(authors))


def _lock(session: Session, workshop_id: int) -> None:
    """Serialise merges of one workshop on PostgreSQL (SQLite already holds the write lock)."""
    session.scalar(select(Workshop.id).where(Workshop.id == workshop_id).with_for_update())


def _proposals(session: Session, workshop_id: int, ids: list[int]) -> dict[int, Proposal]:
    found = {
        p.id: p
        for p in session.scalars(
            select(Proposal).where(Proposal.workshop_id == workshop_id, Proposal.id.in_(ids))
        )
    }
    missing = [pid for pid in ids if pid not in found]
    if missing:
        raise NotFound(_l("Fant ikke forslag %(id)s.", id=missing[0]))
    return found


def _find_merge(session: Session, workshop_id: int, merge_id: int) -> Merge:
    merge = session.scalar(
        select(Merge).where(Merge.id == merge_id, Merge.workshop_id == workshop_id)
    )
    if merge is None:
        raise NotFound(_l("Fant ikke sammenslåingen."))
    return merge


def _active_merge_of(session: Session, workshop_id: int, proposal_id: int) -> Merge | None:
    """The merge, not undone, that merged this proposal into another."""
    for merge in session.scalars(
        select(Merge)
        .where(Merge.workshop_id == workshop_id, Merge.undone_at.is_(None))
        .order_by(Merge.id.desc())
    ):
        if proposal_id in merge.merged_ids:
            return merge
    return None


def _later_merge_into(session: Session, merge: Merge) -> Merge | None:
    """A later merge, not undone, into the same survivor."""
    return session.scalar(
        select(Merge)
        .where(
            Merge.workshop_id == merge.workshop_id,
            Merge.survivor_id == merge.survivor_id,
            Merge.undone_at.is_(None),
            Merge.id > merge.id,
        )
        .order_by(Merge.id.desc())
        .limit(1)
    )


def _rows(session: Session, table: Table, proposal_ids: list[int]) -> list[Row]:
    found = session.scalars(
        select(table.model)
        .where(table.model.proposal_id.in_(proposal_ids))
        .order_by(table.model.id)
    )
    return [_as_row(table, row) for row in found]


def _as_row(table: Table, obj: Any) -> Row:
    return {column: getattr(obj, column) for column in table.columns}


def _key(table: Table, row: Row) -> tuple[Any, ...]:
    return tuple(row[column] for column in table.key)


def _still_there(row: Row, steps: set[int], people: set[int]) -> bool:
    """A saved row whose step (and participant) still exists; removed steps take their rows."""
    if row["step_id"] not in steps:
        return False
    return "participant_id" not in row or row["participant_id"] in people


def _combine(table: Table, rows: list[Row], survivor_id: int, merged_ids: list[int]) -> list[Row]:
    """The survivor's rows after the merge: one per key, values combined in order."""
    order = {pid: index for index, pid in enumerate([survivor_id, *merged_ids])}
    grouped: dict[tuple[Any, ...], list[Row]] = {}
    for row in sorted(rows, key=lambda r: order[r["proposal_id"]]):
        grouped.setdefault(_key(table, row), []).append(row)
    combined = []
    for group in grouped.values():
        row = dict(group[0])
        row["proposal_id"] = survivor_id
        row[table.value] = table.combine([r[table.value] for r in group])
        combined.append(row)
    return combined
