"""Read side: what each audience sees of a workshop (the GET payload and socket snapshot)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Participant, Proposal, Rating, Stance, Step, Vote, Workshop
from workshop.models.base import utcnow
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


DEFAULT_CRITERIA: list[dict[str, str]] = [
    {"key": "gevinst", "label": "Gevinst", "low": "liten nytte", "high": "stor nytte"},
    {"key": "innsats", "label": "Innsats", "low": "lett å gjøre", "high": "krevende"},
]


def vote_mode(step: Step) -> str:
    """How a vote step is voted: "dots" (dot voting) or "agree" (agree / disagree / pass)."""
    return "agree" if step.config.get("mode") == "agree" else "dots"


def step_criteria(step: Step) -> list[dict[str, str]]:
    """The criteria a rate step scores on (default: benefit and effort)."""
    criteria = step.config.get("criteria")
    return list(criteria) if criteria else [dict(c) for c in DEFAULT_CRITERIA]


def timer_payload(step: Step, now: datetime | None = None) -> dict[str, Any] | None:
    """The step's timer: its length, whether it runs, when it ends and what is left now."""
    if step.timer_seconds is None and step.timer_ends_at is None and step.timer_remaining is None:
        return None
    now = now or utcnow()
    running = step.timer_ends_at is not None
    if running:
        ends_at = _aware(step.timer_ends_at)
        remaining = max(0, int((ends_at - now).total_seconds() + 0.999))
    else:
        remaining = step.timer_remaining if step.timer_remaining is not None else step.timer_seconds
    return {
        "seconds": step.timer_seconds,
        "running": running,
        "ends_at": _aware(step.timer_ends_at).isoformat() if running else None,
        "remaining": remaining,
        "server_time": now.isoformat(),
        "auto_advance": step.auto_advance,
    }


def _aware(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def step_payload(workshop: Workshop, step: Step) -> dict[str, Any]:
    """A step as API.md shows it, plus what the screens need to draw it."""
    payload: dict[str, Any] = {
        "position": step.position,
        "kind": step.kind,
        "title": step.title,
        "prompt": step.prompt,
        "id": step.id,
        "revealed": step.revealed,
        "timer": timer_payload(step),
    }
    if step.kind == "vote":
        payload["votes_per_participant"] = step_budget(workshop, step)
        payload["max_votes_per_proposal"] = step_cap(workshop, step)
        payload["mode"] = vote_mode(step)
    if step.kind == "rate":
        payload["criteria"] = step_criteria(step)
    if step.kind == "results" and step.config.get("breakdown"):
        payload["breakdown"] = step.config["breakdown"]  # role, change_level or category
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
        payload["classification_settled"] = proposal.classification_settled
        payload["source"] = proposal.source
        payload["merged_into_id"] = proposal.merged_into_id
        payload["original_title"] = proposal.original_title
        payload["original_body"] = proposal.original_body
    return payload


def counting_step(workshop: Workshop) -> Step | None:
    """The vote or rate step whose results count now: the latest reached, else the first."""
    steps = [s for s in workshop.steps if s.kind in ("vote", "rate")]
    reached = [s for s in steps if s.position <= workshop.current_position]
    if reached:
        return reached[-1]
    return steps[0] if steps else None


def results_revealed(workshop: Workshop) -> bool:
    """Whether the facilitator has revealed the results that count now."""
    step = counting_step(workshop)
    return bool(step and step.revealed)


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


def count_takers(session: Session, step: Step | None) -> int:
    """How many participants took part in a vote or rate step, whatever its kind.

    Dot votes: those with at least one dot; agree steps: those who answered a statement; rate
    steps: those who scored a proposal (the same count as the tally's ``voters``).
    """
    if step is None:
        return 0
    if step.kind == "rate":
        column, table_step = Rating.participant_id, Rating.step_id
    elif step.kind == "vote" and vote_mode(step) == "agree":
        column, table_step = Stance.participant_id, Stance.step_id
    else:
        return count_voters(session, step)
    counted = select(func.count(func.distinct(column))).where(table_step == step.id)
    return session.scalar(counted) or 0


def allocation_of(session: Session, step: Step, participant_id: int) -> dict[str, int]:
    """A participant's dots in a step, keyed by proposal id as a string."""
    rows = session.execute(
        select(Vote.proposal_id, Vote.dots).where(
            Vote.step_id == step.id, Vote.participant_id == participant_id
        )
    )
    return {str(proposal_id): dots for proposal_id, dots in rows}


def stances_of(session: Session, step: Step, participant_id: int) -> dict[str, str]:
    """A participant's "agree" / "disagree" / "pass" per proposal id (the wire form)."""
    rows = session.execute(
        select(Stance.proposal_id, Stance.value).where(
            Stance.step_id == step.id, Stance.participant_id == participant_id
        )
    )
    names = {1: "agree", -1: "disagree", 0: "pass"}
    return {str(proposal_id): names[value] for proposal_id, value in rows}


def ratings_of(session: Session, step: Step, participant_id: int) -> dict[str, dict[str, int]]:
    """A participant's scores per proposal id and criterion."""
    ratings: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(Rating.proposal_id, Rating.criterion, Rating.score).where(
            Rating.step_id == step.id, Rating.participant_id == participant_id
        )
    )
    for proposal_id, criterion, score in rows:
        ratings.setdefault(str(proposal_id), {})[criterion] = score
    return ratings


def build_snapshot(session: Session, workshop: Workshop, actor: Actor) -> dict[str, Any]:
    """The workshop as this actor may see it."""
    step = workshop.current_step
    query = select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id)
    if not actor.is_facilitator:
        query = query.where(Proposal.status == "visible")
    proposals = session.scalars(query).all()
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
        "voters": count_takers(session, counting_step(workshop)),
        "revealed": results_revealed(workshop),
        "joining_open": workshop.joining_open,
        "show_qr": workshop.show_qr,
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
        if step.kind == "vote" and vote_mode(step) == "dots":
            allocation = allocation_of(session, step, actor.participant_id)
            me["allocations"] = allocation
            me["remaining"] = step_budget(workshop, step) - sum(allocation.values())
        elif step.kind == "vote":
            me["stances"] = stances_of(session, step, actor.participant_id)
        elif step.kind == "rate":
            me["ratings"] = ratings_of(session, step, actor.participant_id)
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
            "joining_open": workshop.joining_open,
        }
