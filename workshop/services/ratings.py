"""Use cases of rating: a participant scores proposals on the criteria of the current rate step."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from workshop.models import Participant, Proposal, Rating
from workshop.services.access import authenticate
from workshop.services.errors import Forbidden, ValidationFailed, WrongStep
from workshop.services.shortlist import outside
from workshop.services.step_rules import step_criteria
from workshop.services.unit import unit_of_work

SCORE_MIN, SCORE_MAX = 1, 5
ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_ratings(raw: object) -> dict[int, dict[str, int]]:
    """Turn {"<proposal id>": {"<criterion>": 1..5}} into integers; a null score is left out."""
    if not isinstance(raw, dict):
        raise ValidationFailed(_l("«ratings» må være et objekt med forslag og poeng."))
    parsed: dict[int, dict[str, int]] = {}
    for key, scores in raw.items():
        if not isinstance(key, str) or not ID_PATTERN.fullmatch(key):
            raise ValidationFailed(_l("Ukjent forslag: %(id)s.", id=str(key)[:20]))
        if not isinstance(scores, dict):
            raise ValidationFailed(_l("Poengene for et forslag må være et objekt med kriterier."))
        clean: dict[str, int] = {}
        for criterion, score in scores.items():
            if score is None:
                continue
            if (
                isinstance(score, bool)
                or not isinstance(score, int)
                or not SCORE_MIN <= score <= SCORE_MAX
            ):
                raise ValidationFailed(
                    _l(
                        "Poeng må være et heltall fra %(low)d til %(high)d.",
                        low=SCORE_MIN,
                        high=SCORE_MAX,
                    )
                )
            clean[str(criterion)] = score
        if clean:
            parsed[int(key)] = clean
    return parsed


def set_ratings(
    code: str, key: str | None, raw_ratings: Mapping[str, Mapping[str, int | None]]
) -> dict[str, dict[str, int]]:
    """Replace the participant's ratings in the current rate step; returns what is stored."""
    wanted = parse_ratings(raw_ratings)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
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
