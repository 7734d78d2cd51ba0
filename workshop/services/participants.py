"""Use cases of participants: joining a workshop."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from workshop.models import Participant
from workshop.services.access import find_workshop
from workshop.services.errors import ValidationFailed
from workshop.services.snapshots import count_participants
from workshop.services.unit import unit_of_work
from workshop.services.workshops import new_key

NAME_MAX = 80


@dataclass(frozen=True)
class Joined:
    """A new participant and the key that is now theirs."""

    participant_id: int
    key: str
    workshop_code: str


def join_workshop(code: str, name: object = None, role: object = None) -> Joined:
    """Add an anonymous participant, optionally named and with a role from the workshop's list."""
    if name is not None and not isinstance(name, str):
        raise ValidationFailed(_l("Navnet må være tekst."))
    clean_name = (name or "").strip() or None
    if clean_name and len(clean_name) > NAME_MAX:
        raise ValidationFailed(_l("Navnet kan ha høyst %(max)d tegn.", max=NAME_MAX))
    if role is not None and not isinstance(role, str):
        raise ValidationFailed(_l("Rollen må være tekst."))
    with unit_of_work() as work:
        workshop = find_workshop(work.session, code)
        roles: list[str] = []
        if role:
            if role not in workshop.roles:
                raise ValidationFailed(_l("Velg en rolle fra listen."))
            roles = [role]
        participant = Participant(
            workshop_id=workshop.id, key=new_key(), name=clean_name, roles=roles
        )
        work.session.add(participant)
        work.session.flush()
        workshop.bump()
        count = count_participants(work.session, workshop)
        work.emit(workshop, "participants", {"participants": count}, audience="staff")
        return Joined(participant.id, participant.key, workshop.code)
