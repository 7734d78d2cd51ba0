"""Use cases of dot voting: replacing a participant's whole allocation atomically."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from workshop.models import Participant, Proposal, Vote
from workshop.services.access import authenticate
from workshop.services.errors import Forbidden, OverBudget, ValidationFailed, WrongStep
from workshop.services.step_rules import step_budget, step_cap, vote_mode
from workshop.services.unit import unit_of_work


@dataclass(frozen=True)
class Allocation:
    """A participant's stored dots and how many are left."""

    allocations: dict[str, int]
    remaining: int


def parse_allocations(raw: object) -> dict[int, int]:
    """Turn {"<proposal id>": dots} into integers, refusing anything else."""
    return parse_dot_counts(raw, _l("«allocations» må være et objekt med forslag og prikker."))


def parse_dot_counts(raw: object, not_an_object: object) -> dict[int, int]:
    """Dots per proposal id from JSON; `not_an_object` is the message when raw is no object."""
    if not isinstance(raw, dict):
        raise ValidationFailed(not_an_object)
    parsed: dict[int, int] = {}
    for key, value in raw.items():
        # ASCII digits only ("²" and "١" pass str.isdigit()), short enough for an SQL integer.
        if not isinstance(key, str) or not re.fullmatch(r"[0-9]{1,18}", key):
            raise ValidationFailed(_l("Ukjent forslag: %(id)s.", id=str(key)[:20]))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationFailed(_l("Antall prikker må være et heltall, 0 eller mer."))
        parsed[int(key)] = value
    return parsed


def set_allocation(code: str, key: str | None, raw_allocations: Mapping[str, int]) -> Allocation:
    """Replace the participant's allocation for the current vote step, within budget and cap."""
    wanted = parse_allocations(raw_allocations)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
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
        session.add_all(
            Vote(
                workshop_id=workshop.id,
                step_id=step.id,
                participant_id=actor.participant_id,
                proposal_id=pid,
                dots=dots,
            )
            for pid, dots in nonzero.items()
        )
        workshop.bump()
        work.tally_codes.add(workshop.code)
        return Allocation({str(pid): dots for pid, dots in sorted(nonzero.items())}, budget - total)
