"""Use cases of participants: joining a workshop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workshop.models import Participant, Workshop
from workshop.services.access import authenticate, find_workshop, require_facilitator
from workshop.services.closed import ensure_editable, ensure_open
from workshop.services.errors import Forbidden, NotFound, ValidationFailed
from workshop.services.key_hashes import hash_key
from workshop.services.queries import count_participants
from workshop.services.room_limits import check_room
from workshop.services.unit import read_only, unit_of_work
from workshop.services.workshops import new_key


@dataclass(frozen=True)
class Joined:
    """A new participant and the key that is now theirs."""

    participant_id: int
    key: str
    workshop_code: str


def join_workshop(
    code: str,
    name: str | None = None,
    role: str | None = None,
    roles: list[str] | None = None,
    table: str | None = None,
) -> Joined:
    """Add an anonymous participant, optionally named and with roles from the workshop's list.

    ``role`` (one role, as in API.md) and ``roles`` (a list) may both be given; one person may
    hold several roles, e.g. folkevalgt and næringsliv. Duplicates are removed. The values are
    Join's (types and lengths checked there); whether the roles are the workshop's is checked here.
    ``table`` (table mode) must be one of the workshop's tables; it is optional, so a phone that
    skips it joins without a table and the facilitator can seat it later (``set_table``).
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
        seat = _checked_table(workshop, table)
        check_room(work.session, workshop)
        key = new_key()
        participant = Participant(
            workshop_id=workshop.id,
            key_hash=hash_key(key),
            name=clean_name,
            roles=wanted,
            table=seat,
        )
        work.session.add(participant)
        work.session.flush()
        workshop.bump()
        count = count_participants(work.session, workshop)
        work.emit(workshop, "participants", {"participants": count}, audience="staff")
        return Joined(participant.id, key, workshop.code)


def _wanted_roles(role: str | None, roles: list[str] | None) -> list[str]:
    """The roles asked for, in order, without duplicates or blanks."""
    asked = ([role] if role else []) + list(roles or [])
    return list(dict.fromkeys(r for r in asked if r))


def workshop_tables(workshop: Workshop) -> list[str]:
    """The workshop's tables (table mode), or an empty list when it has none."""
    tables = workshop.settings.get("tables") or []
    return [str(t) for t in tables]


def _checked_table(workshop: Workshop, table: str | None) -> str | None:
    """The table asked for when it is one of the workshop's; None for none asked."""
    if not table:
        return None
    tables = workshop_tables(workshop)
    if not tables:
        raise ValidationFailed(
            _l("Dette verkstedet har ikke bord. Send uten «table»."),
            fields={"table": _l("Dette verkstedet har ikke bord. Send uten «table».")},
        )
    if table not in tables:
        message = _l("Velg et bord fra listen: %(tables)s.", tables=", ".join(tables))
        raise ValidationFailed(message, fields={"table": message})
    return table


def set_table(code: str, key: str | None, participant_id: int, table: str | None) -> dict[str, Any]:
    """Seat a participant at one of the workshop's tables, or at none: the facilitator anyone,
    a participant only themselves.

    The value is SetTable's; whether the participant and the table are the workshop's is checked
    here. Everyone receives ``participant_table`` with the participant's id and table (no name):
    the facilitator's seating list and the seated phone follow it.
    """
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        if actor.participant_id != participant_id:
            require_facilitator(actor)
            ensure_editable(workshop)
        else:
            ensure_open(workshop)
        participant = work.session.get(Participant, participant_id)
        if participant is None or participant.workshop_id != workshop.id:
            raise NotFound(_l("Fant ikke deltakeren."))
        seat = _checked_table(workshop, table)
        if participant.table != seat:
            participant.table = seat
            workshop.bump()
            work.audit(workshop, actor.label, "table", participant_id=participant.id, table=seat)
            work.emit(
                workshop,
                "participant_table",
                {"participant_id": participant.id, "table": seat},
            )
        return {"participant_id": participant.id, "table": seat}


def seating(code: str, key: str | None) -> dict[str, Any]:
    """The workshop's tables and each participant's table, in joining order (facilitator)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        rows = session.execute(
            select(Participant.id, Participant.name, Participant.table)
            .where(Participant.workshop_id == workshop.id)
            .order_by(Participant.id)
        ).all()
        return {
            "tables": workshop_tables(workshop),
            "participants": [
                {"participant_id": int(pid), "name": name, "table": table}
                for pid, name, table in rows
            ],
        }
