"""Queries of the read side: counts of a workshop, and a participant's dots, stances, ratings."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Participant, Rating, Stance, Step, Vote, Workshop
from workshop.services.step_rules import is_agree


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
    elif is_agree(step):
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
