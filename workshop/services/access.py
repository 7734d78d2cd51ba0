"""Who is acting: keys of facilitators, projectors and participants, and the admin key."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from workshop.models import Participant, Workshop
from workshop.services.errors import Forbidden, NotFound, Unauthorized
from workshop.services.key_hashes import hash_key, same_hash, unseal
from workshop.services.unit import read_only

ActorKind = Literal["facilitator", "projector", "participant"]


@dataclass(frozen=True)
class Actor:
    """The person behind a request: their kind, workshop and, for phones, participant id."""

    kind: ActorKind
    workshop_code: str
    participant_id: int | None = None

    @property
    def is_facilitator(self) -> bool:
        """Facilitators may steer and see everything."""
        return self.kind == "facilitator"

    @property
    def is_staff(self) -> bool:
        """Facilitator and projector see what phones must not."""
        return self.kind in ("facilitator", "projector")

    @property
    def label(self) -> str:
        """How the actor is named in the audit trail."""
        if self.kind == "participant":
            return f"participant:{self.participant_id}"
        return self.kind


def find_workshop(session: Session, code: str) -> Workshop:
    """The workshop with this code (case-insensitive), or NotFound."""
    normalised = code.strip().upper()
    workshop = session.scalar(select(Workshop).where(Workshop.code == normalised))
    if workshop is None:
        raise NotFound()
    return workshop


def identify(session: Session, workshop: Workshop, key: str | None) -> Actor:
    """The actor a key stands for in this workshop; a key of another workshop opens nothing."""
    if not key:
        raise Unauthorized()
    if same_hash(key, workshop.facilitator_key_hash):
        return Actor("facilitator", workshop.code)
    if same_hash(key, workshop.projector_key_hash):
        return Actor("projector", workshop.code)
    participant = session.execute(
        select(Participant.id, Participant.workshop_id).where(Participant.key_hash == hash_key(key))
    ).first()
    if participant is None or participant.workshop_id != workshop.id:
        raise Unauthorized()
    return Actor("participant", workshop.code, participant.id)


def authenticate(session: Session, code: str, key: str | None) -> tuple[Workshop, Actor]:
    """Find the workshop and identify the key in one go."""
    workshop = find_workshop(session, code)
    return workshop, identify(session, workshop, key)


def require_facilitator(actor: Actor) -> None:
    """Refuse anyone but the facilitator."""
    if not actor.is_facilitator:
        raise Forbidden()


def check_admin_key(expected: str, given: str | None) -> None:
    """Refuse a missing or wrong instance admin key."""
    if not given or not _same_key(given, expected):
        raise Unauthorized()


def _same_key(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes keys with non-ASCII characters (never equal)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def projector_key(code: str, facilitator_key: str | None) -> str:
    """The workshop's projector key, unsealed with the facilitator key (facilitators only)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, facilitator_key)
        require_facilitator(actor)
        opened = unseal(workshop.projector_key_sealed, facilitator_key or "")
        if opened is None or not same_hash(opened, workshop.projector_key_hash):
            raise NotFound()
        return opened


def workshop_language(code: str) -> str | None:
    """The interface language a workshop was created with, or None for an unknown code."""
    with read_only() as session:
        return session.scalar(select(Workshop.language).where(Workshop.code == code.upper()))


def identify_key(code: str, key: str | None) -> Actor:
    """Who a key stands for in a workshop: adapters call it, then hand the Actor on."""
    with read_only() as session:
        return authenticate(session, code, key)[1]
