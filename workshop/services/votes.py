"""Use cases of dot voting: replacing a participant's whole allocation atomically."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from workshop.models import Participant, Proposal, Vote
from workshop.services.access import authenticate
from workshop.services.closed import ensure_open
from workshop.services.errors import Forbidden, OverBudget, ValidationFailed, WrongStep
from workshop.services.step_rules import step_budget, step_cap, vote_mode
from workshop.services.unit import unit_of_work


@dataclass(frozen=True)
class Allocation:
    """A participant's stored dots and how many are left."""

    allocations: dict[str, int]
    remaining: int


def dots_by_id(counts: Mapping[str, int]) -> dict[int, int]:
    """Dots per proposal id as integers; the keys are digits and the counts ≥ 0 (the models
    PutVotes and PutPaperDots have checked them)."""
    return {int(pid): dots for pid, dots in counts.items()}


def set_allocation(code: str, key: str | None, allocations: Mapping[str, int]) -> Allocation:
    """Replace the participant's allocation for the current vote step, within budget and cap.

    ``allocations`` is PutVotes.allocations: what the budget, the cap and the workshop's
    proposals allow is checked here.
    """
    wanted = dots_by_id(allocations)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
        ensure_open(workshop)
        if actor.participant_id is None:
            raise Forbidden(_l("Bare deltakere kan stemme."))
        step = workshop.current_step
        if step.kind not in ("vote", "agree"):
            raise WrongStep(_l("Det er ikke tid for å stemme nå."))
        if vote_mode(step) != "dots":
            raise WrongStep(_l("I dette steget svarer du enig, uenig eller pass – ikke prikker."))
        # Serialises concurrent requests from the same participant on PostgreSQL;
        # SQLite already holds the write lock (BEGIN IMMEDIATE).
        session.scalar(
            select(Participant.id).where(Participant.id == actor.participant_id).with_for_update()
        )
        if wanted:
            # Every proposal named must be votable, even with 0 dots (API.md).
            votable = set(
                session.scalars(
                    select(Proposal.id).where(
                        Proposal.workshop_id == workshop.id,
                        Proposal.status == "visible",
                        Proposal.id.in_(wanted),
                    )
                )
            )
            unknown = sorted(set(wanted) - votable)
            if unknown:
                raise ValidationFailed(_l("Forslaget %(id)s kan ikke få stemmer.", id=unknown[0]))
        nonzero = {pid: dots for pid, dots in wanted.items() if dots > 0}
        budget = step_budget(workshop, step)
        total = sum(nonzero.values())
        if total > budget:
            raise OverBudget(
                _l(
                    "Du har %(budget)d prikker, men prøvde å bruke %(total)d.",
                    budget=budget,
                    total=total,
                )
            )
        cap = step_cap(workshop, step)
        if cap and any(dots > cap for dots in nonzero.values()):
            raise OverBudget(_l("Høyst %(cap)d prikker på hvert forslag.", cap=cap))
        session.execute(
            delete(Vote).where(Vote.step_id == step.id, Vote.participant_id == actor.participant_id)
        )
        if nonzero:  # one INSERT of plain rows: the hot path of a hall voting at once
            session.execute(
                insert(Vote),
                [
                    {
                        "workshop_id": workshop.id,
                        "step_id": step.id,
                        "participant_id": actor.participant_id,
                        "proposal_id": pid,
                        "dots": dots,
                    }
                    for pid, dots in nonzero.items()
                ],
            )
        workshop.bump()
        work.tally_codes.add(workshop.code)
        return Allocation({str(pid): dots for pid, dots in sorted(nonzero.items())}, budget - total)
