"""Use cases of rating: a participant scores proposals on the criteria of the current rate step."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from workshop.models import Participant, Proposal, Rating
from workshop.services.access import authenticate
from workshop.services.closed import ensure_open
from workshop.services.errors import Forbidden, ValidationFailed, WrongStep
from workshop.services.shortlist import outside
from workshop.services.step_rules import step_criteria
from workshop.services.unit import unit_of_work


def scores_by_id(ratings: Mapping[str, Mapping[str, int | None]]) -> dict[int, dict[str, int]]:
    """{"<proposal id>": {"<criterion>": 1..5}} keyed by integer ids; a null score is left out.

    The keys are digits and the scores 1 to 5 (PutRatings has checked them).
    """
    parsed: dict[int, dict[str, int]] = {}
    for pid, scores in ratings.items():
        clean = {criterion: score for criterion, score in scores.items() if score is not None}
        if clean:
            parsed[int(pid)] = clean
    return parsed


def set_ratings(
    code: str, key: str | None, ratings: Mapping[str, Mapping[str, int | None]]
) -> dict[str, dict[str, int]]:
    """Replace the participant's ratings in the current rate step; returns what is stored."""
    wanted = scores_by_id(ratings)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
        ensure_open(workshop)
        if actor.participant_id is None:
            raise Forbidden(_l("Bare deltakere kan gi poeng."))
        step = workshop.current_step
        if step.kind != "rate":
            raise WrongStep(_l("Det er ikke tid for å gi poeng nå."))
        keys = {str(c.get("key")) for c in step_criteria(step)}
        for scores in wanted.values():
            unknown = sorted(set(scores) - keys)
            if unknown:
                raise ValidationFailed(
                    _l("Ukjent kriterium: %(criterion)s.", criterion=unknown[0][:40])
                )
        # Serialises concurrent requests from the same participant (see votes.set_allocation).
        session.scalar(
            select(Participant.id).where(Participant.id == actor.participant_id).with_for_update()
        )
        if wanted:
            ratable = set(
                session.scalars(
                    select(Proposal.id).where(
                        Proposal.workshop_id == workshop.id,
                        Proposal.status == "visible",
                        Proposal.id.in_(wanted),
                    )
                )
            )
            unknown_ids = sorted((set(wanted) - ratable) | set(outside(workshop, step, wanted)))
            if unknown_ids:
                raise ValidationFailed(_l("Forslaget %(id)s kan ikke vurderes.", id=unknown_ids[0]))
        session.execute(
            delete(Rating).where(
                Rating.step_id == step.id, Rating.participant_id == actor.participant_id
            )
        )
        session.add_all(
            Rating(
                workshop_id=workshop.id,
                step_id=step.id,
                participant_id=actor.participant_id,
                proposal_id=pid,
                criterion=criterion,
                score=score,
            )
            for pid, scores in wanted.items()
            for criterion, score in scores.items()
        )
        workshop.bump()
        work.tally_codes.add(workshop.code)
        return {str(pid): dict(sorted(scores.items())) for pid, scores in sorted(wanted.items())}
