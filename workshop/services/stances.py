"""Use cases of agree / disagree / pass: a participant's stances in an agree-mode vote step."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from workshop.models import Participant, Proposal, Stance
from workshop.services.access import authenticate
from workshop.services.errors import Forbidden, ValidationFailed, WrongStep
from workshop.services.shortlist import outside
from workshop.services.step_rules import is_agree
from workshop.services.unit import unit_of_work

VALUES = {"agree": 1, "disagree": -1, "pass": 0}
NAMES = {value: name for name, value in VALUES.items()}
ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_stances(raw: object) -> dict[int, int]:
    """Turn {"<proposal id>": "agree"|"disagree"|"pass"} into values; null or "" is left out."""
    if not isinstance(raw, dict):
        raise ValidationFailed(_l("«stances» må være et objekt med forslag og svar."))
    parsed: dict[int, int] = {}
    for key, stance in raw.items():
        if not isinstance(key, str) or not ID_PATTERN.fullmatch(key):
            raise ValidationFailed(_l("Ukjent forslag: %(id)s.", id=str(key)[:20]))
        if stance is None or stance == "":
            continue
        if not isinstance(stance, str) or stance not in VALUES:
            raise ValidationFailed(_l("Svaret må være «agree», «disagree» eller «pass»."))
        parsed[int(key)] = VALUES[stance]
    return parsed


def set_stances(
    code: str, key: str | None, raw_stances: Mapping[str, str | None]
) -> dict[str, str]:
    """Replace the participant's stances in the current agree step; returns what is stored."""
    wanted = parse_stances(raw_stances)
    with unit_of_work() as work:
        session = work.session
        workshop, actor = authenticate(session, code, key)
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
