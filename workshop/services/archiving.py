"""Importing an archive: a new workshop from a ``planverksted-archive/2`` document.

Everything is checked before anything is written, and the whole workshop is written in one
transaction: a broken, foreign or wrong-version file stores nothing. The new workshop gets a new
code, new keys and new ids; its results equal the archived ones. Merges come back as they were
but cannot be undone (the archive does not keep what an undo would need).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workshop.models import (
    Action,
    ActionSuggestion,
    AuditEntry,
    FollowUpNote,
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
from workshop.schemas import parse_data
from workshop.schemas.archive import FORMAT, OLD_FORMATS, Archive
from workshop.services.errors import ValidationFailed
from workshop.services.key_hashes import hash_key, seal
from workshop.services.shortlist import FROZEN
from workshop.services.unit import unit_of_work
from workshop.services.workshops import CreatedWorkshop, new_code, new_key

log = logging.getLogger(__name__)
ARCHIVE_MAX_BYTES = 32 * 1024 * 1024
STANCE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
PARTICIPANT_ACTOR = "participant:"


def read_archive(data: object) -> Archive:
    """The document as an Archive, or a ValidationFailed that says what kind of file it is."""
    if not isinstance(data, dict) or not isinstance(data.get("format"), str):
        raise ValidationFailed(_l("Filen er ikke et arkiv fra Planverksted."))
    found = data["format"]
    if found in OLD_FORMATS:
        raise ValidationFailed(
            _l(
                "Arkivet har det gamle formatet %(found)s, som ikke har med stemmene og "
                "deltakerne, og kan ikke leses inn. Eksporter verkstedet på nytt som JSON "
                "(%(format)s).",
                found=found[:40],
                format=FORMAT,
            )
        )
    if found != FORMAT:
        raise ValidationFailed(
            _l(
                "Arkivet har formatet «%(found)s», som denne serveren ikke kan lese "
                "(den leser %(format)s).",
                found=found[:40],
                format=FORMAT,
            )
        )
    return parse_data(Archive, data)


def _broken(what: str) -> ValidationFailed:
    return ValidationFailed(_l("Arkivet er ikke helt: %(what)s.", what=what))


def _unique(values: Iterable[Any], what: str) -> None:
    repeated = [value for value, count in Counter(values).items() if count > 1]
    if repeated:
        raise _broken(f"{what} {repeated[0]}")


def _known(values: Iterable[Any], known: Iterable[Any], what: str) -> None:
    unknown = sorted(set(values) - set(known), key=str)
    if unknown:
        raise _broken(f"{what} {unknown[0]}")


def check_references(archive: Archive) -> None:
    """Every reference in the archive points to something in it; no row is there twice."""
    positions = [step.position for step in archive.workshop.steps]
    if positions != list(range(len(positions))):
        raise _broken("steps")
    people = [p.id for p in archive.participants]
    ids = [p.id for p in archive.proposals]
    _unique(people, "participant")
    _unique(ids, "proposal")
    _unique((a.id for a in archive.actions), "action")
    _known((p.author for p in archive.proposals if p.author), people, "author")
    _known((p.merged_into for p in archive.proposals if p.merged_into), ids, "merged_into")
    _known((p.step for p in archive.proposals if p.step is not None), positions, "step")
    for merge in archive.merges:
        _known([merge.survivor, *merge.merged], ids, "merge")
        _known(merge.authors, people, "merge author")
    for name, rows in (
        ("votes", archive.votes),
        ("ratings", archive.ratings),
        ("stances", archive.stances),
    ):
        _known((r.step for r in rows), positions, f"{name} step")
        _known((r.participant for r in rows), people, f"{name} participant")
        _known((r.proposal for r in rows), ids, f"{name} proposal")
    kinds = {step.position: step.kind for step in archive.workshop.steps}
    answers: tuple[tuple[str, Sequence[Any], tuple[str, ...]], ...] = (
        ("votes", archive.votes, ("vote",)),
        ("paper_dots", archive.paper_dots, ("vote",)),
        ("ratings", archive.ratings, ("rate",)),
        ("stances", archive.stances, ("agree", "vote")),
    )
    for name, answered, allowed in answers:
        misplaced = sorted({r.step for r in answered if kinds.get(r.step) not in allowed})
        if misplaced:
            raise _broken(f"{name} step {misplaced[0]}")
    _unique(((v.step, v.participant, v.proposal) for v in archive.votes), "vote")
    _unique(((r.step, r.participant, r.proposal, r.criterion) for r in archive.ratings), "rating")
    _unique(((s.step, s.participant, s.proposal) for s in archive.stances), "stance")
    _known((d.step for d in archive.paper_dots), positions, "paper_dots step")
    _known((d.proposal for d in archive.paper_dots), ids, "paper_dots proposal")
    _unique(((d.step, d.proposal) for d in archive.paper_dots), "paper_dots")
    _known((a.proposal_id for a in archive.actions if a.proposal_id), ids, "action proposal")
    _known((s.action for s in archive.suggestions), (a.id for a in archive.actions), "suggestion")
    _known((s.participant for s in archive.suggestions if s.participant), people, "suggestion")
    for step in archive.workshop.steps:
        picked = step.config.shortlist.proposals if step.config and step.config.shortlist else None
        _known([*(picked or []), *(step.shortlist_ids or [])], ids, "shortlist")


def _moment(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _broken(what) from None


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _broken(what) from None


def import_archive_file(content: bytes) -> CreatedWorkshop:
    """Restore an archive file (upload, request body or CLI): JSON first, then the archive."""
    if len(content) > ARCHIVE_MAX_BYTES:
        raise ValidationFailed(
            _l("Filen er for stor (høyst %(mb)d MB).", mb=ARCHIVE_MAX_BYTES // (1024 * 1024))
        )
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed(
            _l("Filen kan ikke leses som JSON: den er ødelagt eller ufullstendig.")
        ) from None
    return import_archive(data)


def import_archive(data: object) -> CreatedWorkshop:
    """POST /import (admin): restore an archive as a new workshop in one transaction."""
    archive = read_archive(data)
    check_references(archive)
    try:
        created = _restore(archive, data)
    except IntegrityError:
        raise _broken("database") from None
    log.info("workshop %s imported from an archive of %s", created.code, archive.workshop.code)
    return created


def _restore(archive: Archive, data: Any) -> CreatedWorkshop:
    raw_steps = data["workshop"]["steps"]
    with unit_of_work() as work:
        session = work.session
        code = new_code()
        while session.scalar(select(Workshop.id).where(Workshop.code == code)):
            code = new_code()
        kept = archive.workshop
        facilitator_key, projector_key = new_key(), new_key()
        workshop = Workshop(
            code=code,
            title=kept.title,
            language=kept.language,
            plan_name=kept.plan_name or "archive",
            roles=list(kept.roles),
            categories=list(kept.categories),
            settings=_settings(data["workshop"]["settings"], kept.settings.votes_per_participant),
            facilitator_key_hash=hash_key(facilitator_key),
            projector_key_hash=hash_key(projector_key),
            projector_key_sealed=seal(projector_key, facilitator_key),
            current_position=kept.current_position
            if kept.current_position < len(kept.steps)
            else 0,
            revealed=kept.revealed,
            report_published=kept.report_published,
            version=1,
            created_at=kept.created_at or utcnow(),
            closed_at=_moment(archive.closed_at, "closed_at"),
            deletion_date=_day(archive.deletion_date, "deletion_date"),
        )
        for step, raw in zip(kept.steps, raw_steps, strict=True):
            workshop.steps.append(
                Step(
                    position=step.position,
                    kind=step.kind,
                    title=step.title,
                    prompt=step.prompt,
                    config=dict(raw.get("config") or {}),
                    revealed=step.revealed,
                    timer_seconds=step.timer_seconds,
                    auto_advance=step.auto_advance,
                )
            )
        session.add(workshop)
        session.flush()
        step_ids = {step.position: step.id for step in workshop.steps}

        rows = {
            person.id: Participant(
                workshop_id=workshop.id,
                key_hash=hash_key(new_key()),  # nobody holds it: the phones stayed in the room
                name=person.name,
                roles=list(person.roles),
                table=person.table,
                created_at=person.joined_at or utcnow(),
            )
            for person in archive.participants
        }
        session.add_all(rows.values())
        session.flush()  # one batch; the new ids follow the archive's order
        people = {alias: row.id for alias, row in rows.items()}

        proposals = {
            kept_proposal.id: Proposal(
                workshop_id=workshop.id,
                participant_id=people[kept_proposal.author] if kept_proposal.author else None,
                title=kept_proposal.title,
                body=kept_proposal.body,
                category=kept_proposal.category,
                change_level=kept_proposal.change_level,
                suggested_change_level=kept_proposal.suggested_change_level,
                classification_settled=kept_proposal.classification_settled,
                status=kept_proposal.status,
                original_title=kept_proposal.original_title,
                original_body=kept_proposal.original_body,
                source=kept_proposal.source,
                step_id=step_ids[kept_proposal.step] if kept_proposal.step is not None else None,
                created_at=kept_proposal.created_at or utcnow(),
            )
            for kept_proposal in archive.proposals
        }
        session.add_all(proposals.values())
        session.flush()
        ids = {old: proposal.id for old, proposal in proposals.items()}
        for kept_proposal in archive.proposals:
            if kept_proposal.merged_into:
                proposals[kept_proposal.id].merged_into_id = ids[kept_proposal.merged_into]

        for stored, archived in zip(workshop.steps, kept.steps, strict=True):
            stored.config = _mapped_config(stored.config, archived.shortlist_ids, ids)

        _restore_rows(session, workshop, archive, step_ids, people, ids)
        return CreatedWorkshop(
            code=workshop.code,
            title=workshop.title,
            facilitator_key=facilitator_key,
            projector_key=projector_key,
            steps=[
                {"position": s.position, "kind": s.kind, "title": s.title} for s in workshop.steps
            ],
        )


def _settings(raw: dict[str, Any], votes: int) -> dict[str, Any]:
    """The settings as archived; the dot budget every vote step falls back on is always there."""
    return {"votes_per_participant": votes, **raw}


def _mapped_config(
    config: dict[str, Any], frozen: list[int] | None, ids: dict[int, int]
) -> dict[str, Any]:
    """A step's settings with the proposal ids of its shortlist in the new workshop."""
    mapped = dict(config)
    shortlist = mapped.get("shortlist")
    if isinstance(shortlist, dict) and isinstance(shortlist.get("proposals"), list):
        mapped["shortlist"] = {**shortlist, "proposals": [ids[p] for p in shortlist["proposals"]]}
    if frozen is not None:
        mapped[FROZEN] = [ids[p] for p in frozen]
    return mapped


def _restore_rows(
    session: Any,
    workshop: Workshop,
    archive: Archive,
    step_ids: dict[int, int],
    people: dict[str, int],
    ids: dict[int, int],
) -> None:
    """Merges, answers, actions, notes and the audit trail, with every reference mapped."""
    wid = workshop.id
    session.add_all(
        Merge(
            workshop_id=wid,
            survivor_id=ids[m.survivor],
            merged_ids=[ids[p] for p in m.merged],
            saved={"authors": [people[a] for a in m.authors], "restored": True},
            created_at=m.created_at or utcnow(),
            undone_at=m.undone_at,
        )
        for m in archive.merges
    )
    session.add_all(
        Vote(
            workshop_id=wid,
            step_id=step_ids[v.step],
            participant_id=people[v.participant],
            proposal_id=ids[v.proposal],
            dots=v.dots,
        )
        for v in archive.votes
    )
    session.add_all(
        PaperDots(
            workshop_id=wid, step_id=step_ids[d.step], proposal_id=ids[d.proposal], dots=d.dots
        )
        for d in archive.paper_dots
    )
    session.add_all(
        Rating(
            workshop_id=wid,
            step_id=step_ids[r.step],
            participant_id=people[r.participant],
            proposal_id=ids[r.proposal],
            criterion=r.criterion,
            score=r.score,
        )
        for r in archive.ratings
    )
    session.add_all(
        Stance(
            workshop_id=wid,
            step_id=step_ids[s.step],
            participant_id=people[s.participant],
            proposal_id=ids[s.proposal],
            value=STANCE_VALUES[s.stance],
        )
        for s in archive.stances
    )
    created = {
        kept.id: Action(
            workshop_id=wid,
            proposal_id=ids[kept.proposal_id] if kept.proposal_id else None,
            what=kept.what,
            owner=kept.owner,
            due=_day(kept.due, "action due"),
            decided_by=kept.decided_by,
            change_level=kept.change_level,
        )
        for kept in archive.actions
    }
    session.add_all(created.values())
    session.flush()
    actions = {old: action.id for old, action in created.items()}
    session.add_all(
        ActionSuggestion(
            workshop_id=wid,
            action_id=actions[s.action],
            participant_id=people[s.participant] if s.participant else None,
            owner=s.owner,
            due=s.due,
        )
        for s in archive.suggestions
    )
    session.add_all(
        FollowUpNote(workshop_id=wid, at=_moment(note.at, "note") or utcnow(), text=note.text)
        for note in archive.notes
    )
    session.add_all(
        AuditEntry(
            workshop_id=wid,
            at=_moment(entry.at, "audit") or utcnow(),
            actor=_restored_actor(entry.actor, people),
            action=entry.action,
            detail=dict(entry.detail),
        )
        for entry in archive.audit
    )


def _restored_actor(actor: str, people: dict[str, int]) -> str:
    """«participant:P3» as the new participant's label; other actors as they are."""
    alias = actor.removeprefix(PARTICIPANT_ACTOR)
    if actor.startswith(PARTICIPANT_ACTOR) and alias in people:
        return f"{PARTICIPANT_ACTOR}{people[alias]}"
    return actor
