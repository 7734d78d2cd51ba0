"""Use cases of participants: joining a workshop."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from workshop.models import Participant
from workshop.services.access import find_workshop
from workshop.services.closed import ensure_open
from workshop.services.errors import Forbidden, ValidationFailed
from workshop.services.queries import count_participants
from workshop.services.unit import unit_of_work
from workshop.services.workshops import new_key

NAME_MAX = 80
ROLES_MAX = 50


@dataclass(frozen=True)
class Joined:
    """A new participant and the key that is now theirs."""

    participant_id: int
    key: str
    workshop_code: str


def join_workshop(
    code: str, name: str | None = None, role: str | None = None, roles: list[str] | None = None
) -> Joined:
    """Add an anonymous participant, optionally named and with roles from the workshop's list.

    ``role`` (one role, as in API.md) and ``roles`` (a list) may both be given; one person may
    hold several roles, e.g. folkevalgt and næringsliv. Duplicates are removed.
    """
    if name is not None and not isinstance(name, str):
        raise ValidationFailed(_l("Navnet må være tekst."))
    clean_name = (name or "").strip() or None
    if clean_name and len(clean_name) > NAME_MAX:
        raise ValidationFailed(_l("Navnet kan ha høyst %(max)d tegn.", max=NAME_MAX))
    wanted = _wanted_roles(role, roles)
    with unit_of_work() as work:
        workshop = find_workshop(work.session, code)
        ensure_open(workshop)
        if not workshop.joining_open:
            raise Forbidden(_l("Påmeldingen er stengt."))
        if any(r not in workshop.roles for r in wanted):
            raise ValidationFailed(_l("Velg en rolle fra listen."))
        participant = Participant(
            workshop_id=workshop.id, key=new_key(), name=clean_name, roles=wanted
        )
        work.session.add(participant)
        work.session.flush()
        workshop.bump()
        count = count_participants(work.session, workshop)
        work.emit(workshop, "participants", {"participants": count}, audience="staff")
        return Joined(participant.id, participant.key, workshop.code)


def _wanted_roles(role: object, roles: object) -> list[str]:
    """The roles asked for, in order, without duplicates or blanks; anything else is refused."""
    if role is not None and not isinstance(role, str):
        raise ValidationFailed(_l("Rollen må være tekst."))
    if roles is not None and (
        not isinstance(roles, list) or not all(isinstance(r, str) for r in roles)
    ):
        raise ValidationFailed(_l("«roles» må være en liste med roller."))
    if roles is not None and len(roles) > ROLES_MAX:
        raise ValidationFailed(_l("Velg en rolle fra listen."))
    asked = ([role] if role else []) + list(roles or [])
    return list(dict.fromkeys(r for r in asked if r))
