"""Read side: what each audience sees of a workshop (the GET payload and socket snapshot)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Participant, Proposal, Step, Vote, Workshop
from workshop.services.access import Actor, authenticate, find_workshop
from workshop.services.unit import read_only


def step_budget(workshop: Workshop, step: Step) -> int:
    """Dots each participant has in a vote step."""
    return int(
        step.config.get("votes_per_participant") or workshop.settings["votes_per_participant"]
    )


def step_cap(workshop: Workshop, step: Step) -> int:
    """Most dots one proposal may get from one participant; 0 means no cap."""
    value = step.config.get(
        "max_votes_per_proposal", workshop.settings.get("max_votes_per_proposal")
    )
    return int(value or 0)


def step_payload(workshop: Workshop, step: Step) -> dict[str, Any]:
    """A step as API.md shows it."""
    payload: dict[str, Any] = {
        "position": step.position,
        "kind": step.kind,
        "title": step.title,
        "prompt": step.prompt,
    }
    if step.kind == "vote":
        payload["votes_per_participant"] = step_budget(workshop, step)
        payload["max_votes_per_proposal"] = step_cap(workshop, step)
    return payload


def proposal_payload(proposal: Proposal, staff: bool) -> dict[str, Any]:
    """A proposal as API.md shows it; staff also see where it came from."""
    payload: dict[str, Any] = {
        "id": proposal.id,
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "status": proposal.status,
    }
    if staff:
        payload["change_level"] = proposal.change_level
        payload["source"] = proposal.source
    return payload


def vote_step_for_results(workshop: Workshop) -> Step | None:
    """The vote step whose numbers count now: the latest one reached, else the first one."""
    vote_steps = [s for s in workshop.steps if s.kind == "vote"]
    reached = [s for s in vote_steps if s.position <= workshop.current_position]
    if reached:
        return reached[-1]
    return vote_steps[0] if vote_steps else None


def count_participants(session: Session, workshop: Workshop) -> int:
    """How many have joined."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.workshop_id == workshop.id)
        )
        or 0
    )


def count_voters(session: Session, step: Step | None) -> int:
    """How many participants have at least one dot in the step."""
    if step is None:
        return 0
    return (
        session.scalar(
            select(func.count(func.distinct(Vote.participant_id))).where(Vote.step_id == step.id)
        )
        or 0
    )


def allocation_of(session: Session, step: Step, participant_id: int) -> dict[str, int]:
    """A participant's dots in a step, keyed by proposal id as a string."""
    rows = session.execute(
        select(Vote.proposal_id, Vote.dots).where(
            Vote.step_id == step.id, Vote.participant_id == participant_id
        )
    )
    return {str(proposal_id): dots for proposal_id, dots in rows}


def build_snapshot(session: Session, workshop: Workshop, actor: Actor) -> dict[str, Any]:
    """The workshop as this actor may see it."""
    step = workshop.current_step
    query = select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id)
    if not actor.is_staff:
        query = query.where(Proposal.status == "visible")
    proposals = session.scalars(query).all()
    vote_step = vote_step_for_results(workshop)
    snapshot: dict[str, Any] = {
        "code": workshop.code,
        "title": workshop.title,
        "version": workshop.version,
        "language": workshop.language,
        "roles": list(workshop.roles),
        "categories": list(workshop.categories),
        "step": step_payload(workshop, step),
        "step_count": len(workshop.steps),
        "proposals": [proposal_payload(p, actor.is_staff) for p in proposals],
        "participants": count_participants(session, workshop),
        "voters": count_voters(session, vote_step),
        "revealed": workshop.revealed,
        "audience": actor.kind,
    }
    if actor.is_staff:
        snapshot["steps"] = [step_payload(workshop, s) for s in workshop.steps]
        snapshot["settings"] = dict(workshop.settings)
    if actor.participant_id is not None:
        participant = session.get(Participant, actor.participant_id)
        me: dict[str, Any] = {
            "participant_id": actor.participant_id,
            "name": participant.name if participant else None,
            "roles": list(participant.roles) if participant else [],
        }
        if step.kind == "vote":
            allocation = allocation_of(session, step, actor.participant_id)
            me["allocations"] = allocation
            me["remaining"] = step_budget(workshop, step) - sum(allocation.values())
        snapshot["me"] = me
    return snapshot


def get_snapshot(code: str, key: str | None) -> dict[str, Any]:
    """Authenticate a key and return what it may see (GET /api/v1/workshops/{code})."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        return build_snapshot(session, workshop, actor)


def snapshot_for(actor: Actor) -> dict[str, Any]:
    """The snapshot of an already identified actor (socket connect)."""
    with read_only() as session:
        workshop = find_workshop(session, actor.workshop_code)
        return build_snapshot(session, workshop, actor)


def identify_key(code: str, key: str | None) -> Actor:
    """Who a key stands for in a workshop (socket connect)."""
    with read_only() as session:
        return authenticate(session, code, key)[1]


def join_info(code: str) -> dict[str, Any]:
    """What the join page may show anyone: code, title, language and roles."""
    with read_only() as session:
        workshop = find_workshop(session, code)
        return {
            "code": workshop.code,
            "title": workshop.title,
            "language": workshop.language,
            "roles": list(workshop.roles),
        }
