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
    hold several roles, e.g. folkevalgt and næringsliv. Duplicates are removed. The values are
    Join's (types and lengths checked there); whether the roles are the workshop's is checked here.
    """
    clean_name = (name or "").strip() or None
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


def _wanted_roles(role: str | None, roles: list[str] | None) -> list[str]:
    """The roles asked for, in order, without duplicates or blanks."""
    asked = ([role] if role else []) + list(roles or [])
    return list(dict.fromkeys(r for r in asked if r))
