"""Use cases of agree / disagree / pass: a participant's stances in an agree-mode vote step."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from workshop.models import Participant, Proposal, Stance
from workshop.services.access import authenticate
from workshop.services.closed import ensure_open
from workshop.services.errors import Forbidden, ValidationFailed, WrongStep
from workshop.services.shortlist import outside
from workshop.services.step_rules import is_agree
from workshop.services.unit import unit_of_work

VALUES = {"agree": 1, "disagree": -1, "pass": 0}
NAMES = {value: name for name, value in VALUES.items()}


def stance_values(stances: Mapping[str, str | None]) -> dict[int, int]:
    """{"<proposal id>": "agree"|"disagree"|"pass"} as values; null or "" is left out.

    The keys are digits and the answers one of the three (PutStances has checked them).
    """
    return {int(pid): VALUES[stance] for pid, stance in stances.items() if stance}


def set_stances(code: str, key: str | None, stances: Mapping[str, str | None]) -> dict[str, str]:
    """Replace the participant's stances in the current agree step; returns what is stored."""
    wanted = stance_values(stances)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
        ensure_open(workshop)
        if actor.participant_id is None:
            raise Forbidden(_l("Bare deltakere kan svare."))
        step = workshop.current_step
        if not is_agree(step):
            raise WrongStep(_l("Det er ikke tid for å svare enig eller uenig nå."))
        session.scalar(
            select(Participant.id).where(Participant.id == actor.participant_id).with_for_update()
        )
        if wanted:
            answerable = set(
                session.scalars(
                    select(Proposal.id).where(
                        Proposal.workshop_id == workshop.id,
                        Proposal.status == "visible",
                        Proposal.id.in_(wanted),
                    )
                )
            )
            unknown = sorted((set(wanted) - answerable) | set(outside(workshop, step, wanted)))
            if unknown:
                raise ValidationFailed(_l("Forslaget %(id)s kan ikke besvares.", id=unknown[0]))
        session.execute(
            delete(Stance).where(
                Stance.step_id == step.id, Stance.participant_id == actor.participant_id
            )
        )
        session.add_all(
            Stance(
                workshop_id=workshop.id,
                step_id=step.id,
                participant_id=actor.participant_id,
                proposal_id=pid,
                value=value,
            )
            for pid, value in wanted.items()
        )
        workshop.bump()
        work.tally_codes.add(workshop.code)
        return {str(pid): NAMES[value] for pid, value in sorted(wanted.items())}
