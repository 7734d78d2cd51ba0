"""The archive writer: a workshop's raw data and analyses as a ``planverksted-archive/2`` document.

Participants appear under pseudonymous ids (P1, P2, … in the order they joined), never with
their keys; a display name only when the participant gave one. The reader is the import use case
(services/archiving.py); the shape is the model in schemas/archive.py.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from workshop.models import (
    ActionSuggestion,
    Merge,
    PaperDots,
    Participant,
    Proposal,
    Rating,
    Stance,
    Vote,
    Workshop,
)
from workshop.schemas.archive import FORMAT
from workshop.schemas.step_config import StepConfig
from workshop.services.shortlist import FROZEN

if TYPE_CHECKING:  # export imports this module to write its JSON format
    from workshop.export.data import ExportData

STANCE_NAMES = {1: "agree", -1: "disagree", 0: "pass"}
PARTICIPANT_ACTOR = "participant:"


def stamp(moment: datetime | None) -> str | None:
    """A stored time as ISO 8601 (UTC), or None."""
    return moment.isoformat() if moment is not None else None


def pseudonyms(session: Session, workshop: Workshop) -> dict[int, str]:
    """Participant id → archive id (P1, P2, … in the order they joined)."""
    ids = session.scalars(
        select(Participant.id)
        .where(Participant.workshop_id == workshop.id)
        .order_by(Participant.id)
    )
    return {pid: f"P{number}" for number, pid in enumerate(ids, start=1)}


def to_json(data: ExportData) -> bytes:
    """The archive of an export's workshop as UTF-8 JSON."""
    session = object_session(data.workshop)
    if session is None:
        raise RuntimeError("The archive is written inside the session that read the workshop.")
    document = archive_document(session, data)
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def archive_document(session: Session, data: ExportData) -> dict[str, Any]:
    """Everything the workshop holds, as plain JSON data."""
    workshop = data.workshop
    alias = pseudonyms(session, workshop)
    positions = {step.id: step.position for step in workshop.steps}
    return {
        "format": FORMAT,
        "about": data.about,
        "workshop": _workshop(workshop),
        "participants": _participants(session, workshop, alias),
        "proposals": _proposals(session, workshop, alias, positions),
        "merges": _merges(session, workshop, alias),
        **_answers(session, workshop, alias, positions),
        "actions": data.actions,
        "suggestions": _suggestions(session, workshop, alias),
        "notes": data.notes,
        "closed_at": data.closed_at,
        "deletion_date": workshop.deletion_date.isoformat() if workshop.deletion_date else None,
        "audit": _audit(alias, data.audit),
        "analyses": data.analyses,
        "change_levels": data.levels,
    }


def _workshop(workshop: Workshop) -> dict[str, Any]:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "language": workshop.language,
        "plan_name": workshop.plan_name,
        "roles": workshop.roles,
        "categories": workshop.categories,
        "settings": workshop.settings,
        "steps": [
            {
                "position": step.position,
                "kind": step.kind,
                "title": step.title,
                "prompt": step.prompt,
                "config": {
                    k: v
                    for k, v in step.config.items()
                    if k in StepConfig.model_fields and v is not None
                },
                "revealed": step.revealed,
                "timer_seconds": step.timer_seconds,
                "auto_advance": step.auto_advance,
                "shortlist_ids": step.config.get(FROZEN),
            }
            for step in workshop.steps
        ],
        "current_position": workshop.current_position,
        "revealed": workshop.revealed,
        "report_published": workshop.report_published,
        "created_at": stamp(workshop.created_at),
    }


def _participants(
    session: Session, workshop: Workshop, alias: dict[int, str]
) -> list[dict[str, Any]]:
    rows = []
    for person in session.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id).order_by(Participant.id)
    ):
        row: dict[str, Any] = {"id": alias[person.id]}
        if person.name:
            row["name"] = person.name
        row.update(
            roles=list(person.roles or []), table=person.table, joined_at=stamp(person.created_at)
        )
        rows.append(row)
    return rows


def _proposals(
    session: Session, workshop: Workshop, alias: dict[int, str], positions: dict[int, int]
) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "title": p.title,
            "body": p.body,
            "category": p.category,
            "change_level": p.change_level,
            "suggested_change_level": p.suggested_change_level,
            "classification_settled": p.classification_settled,
            "status": p.status,
            "original_title": p.original_title,
            "original_body": p.original_body,
            "merged_into": p.merged_into_id,
            "source": p.source,
            "author": alias.get(p.participant_id) if p.participant_id else None,
            "step": positions.get(p.step_id) if p.step_id else None,
            "created_at": stamp(p.created_at),
        }
        for p in session.scalars(
            select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id)
        )
    ]


def _merges(session: Session, workshop: Workshop, alias: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {
            "survivor": m.survivor_id,
            "merged": list(m.merged_ids),
            "authors": [alias[a] for a in m.saved.get("authors", []) if a in alias],
            "created_at": stamp(m.created_at),
            "undone_at": stamp(m.undone_at),
        }
        for m in session.scalars(
            select(Merge).where(Merge.workshop_id == workshop.id).order_by(Merge.id)
        )
    ]


def _answers(
    session: Session, workshop: Workshop, alias: dict[int, str], positions: dict[int, int]
) -> dict[str, list[dict[str, Any]]]:
    """Dots, paper dots, ratings and stances, ordered by step, participant and proposal."""

    def number(participant_id: int) -> int:
        return int(alias[participant_id][1:])

    votes = session.scalars(select(Vote).where(Vote.workshop_id == workshop.id)).all()
    paper = session.scalars(select(PaperDots).where(PaperDots.workshop_id == workshop.id)).all()
    ratings = session.scalars(select(Rating).where(Rating.workshop_id == workshop.id)).all()
    stances = session.scalars(select(Stance).where(Stance.workshop_id == workshop.id)).all()
    return {
        "votes": [
            {
                "step": positions[v.step_id],
                "participant": alias[v.participant_id],
                "proposal": v.proposal_id,
                "dots": v.dots,
            }
            for v in sorted(
                votes, key=lambda v: (positions[v.step_id], number(v.participant_id), v.proposal_id)
            )
        ],
        "paper_dots": [
            {"step": positions[d.step_id], "proposal": d.proposal_id, "dots": d.dots}
            for d in sorted(paper, key=lambda d: (positions[d.step_id], d.proposal_id))
        ],
        "ratings": [
            {
                "step": positions[r.step_id],
                "participant": alias[r.participant_id],
                "proposal": r.proposal_id,
                "criterion": r.criterion,
                "score": r.score,
            }
            for r in sorted(
                ratings,
                key=lambda r: (
                    positions[r.step_id],
                    number(r.participant_id),
                    r.proposal_id,
                    r.criterion,
                ),
            )
        ],
        "stances": [
            {
                "step": positions[s.step_id],
                "participant": alias[s.participant_id],
                "proposal": s.proposal_id,
                "stance": STANCE_NAMES.get(s.value, "pass"),
            }
            for s in sorted(
                stances,
                key=lambda s: (positions[s.step_id], number(s.participant_id), s.proposal_id),
            )
        ],
    }


def _suggestions(
    session: Session, workshop: Workshop, alias: dict[int, str]
) -> list[dict[str, Any]]:
    return [
        {
            "action": s.action_id,
            "participant": alias.get(s.participant_id) if s.participant_id else None,
            "owner": s.owner,
            "due": s.due.isoformat() if s.due else None,
        }
        for s in session.scalars(
            select(ActionSuggestion)
            .where(ActionSuggestion.workshop_id == workshop.id)
            .order_by(ActionSuggestion.id)
        )
    ]


def _audit(alias: dict[int, str], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The audit trail with participant actors under their archive ids."""
    return [{**entry, "actor": archived_actor(entry["actor"], alias)} for entry in entries]


def archived_actor(actor: str, alias: dict[int, str]) -> str:
    """«participant:17» as «participant:P3»; other actors as they are."""
    if actor.startswith(PARTICIPANT_ACTOR):
        raw = actor.removeprefix(PARTICIPANT_ACTOR)
        if raw.isdigit() and int(raw) in alias:
            return PARTICIPANT_ACTOR + alias[int(raw)]
    return actor
