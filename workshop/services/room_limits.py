"""Limits that fit a hall: how many proposals a participant may send, how fast, how many may join.

The limits live in the workshop's settings (set when it is created or later by the facilitator);
a workshop without them gets the defaults here. The facilitator's own and paper input is never
limited. The counts come from the database, so several server processes keep the same limits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workshop.models import Proposal, Workshop
from workshop.models.base import utcnow
from workshop.services.access import authenticate, require_facilitator
from workshop.services.errors import Full, RateLimited
from workshop.services.queries import count_participants
from workshop.services.unit import read_only, unit_of_work

DEFAULTS = {"proposals_per_participant": 30, "proposals_per_minute": 10, "max_participants": 2000}
WINDOW = timedelta(minutes=1)


def limits_of(workshop: Workshop) -> dict[str, int]:
    """The workshop's limits, its own settings over the defaults."""
    settings = workshop.settings or {}
    return {name: int(settings.get(name) or default) for name, default in DEFAULTS.items()}


def check_proposal_limits(session: Session, workshop: Workshop, participant_id: int) -> None:
    """Refuse (429) a participant's proposal over the workshop's count or rate."""
    limits = limits_of(workshop)
    mine = select(Proposal.created_at).where(
        Proposal.workshop_id == workshop.id, Proposal.participant_id == participant_id
    )
    total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    if total >= limits["proposals_per_participant"]:
        raise RateLimited(
            _l(
                "Du har sendt inn %(count)d forslag, som er det meste en deltaker kan sende i "
                "dette verkstedet. Snakk med ordstyreren om du har flere.",
                count=total,
            ),
            retry_after=3600,
        )
    since = utcnow() - WINDOW
    recent = session.scalars(mine.where(Proposal.created_at >= since)).all()
    if len(recent) >= limits["proposals_per_minute"]:
        oldest = min(recent)
        wait = (oldest + WINDOW - utcnow()).total_seconds()
        raise RateLimited(
            _l(
                "Du har sendt %(count)d forslag det siste minuttet. Vent litt før du sender flere.",
                count=len(recent),
            ),
            retry_after=int(wait) + 1,
        )


def check_room(session: Session, workshop: Workshop) -> None:
    """Refuse (409 full) a join once the workshop has its most participants."""
    cap = limits_of(workshop)["max_participants"]
    if count_participants(session, workshop) >= cap:
        raise Full(
            _l(
                "Verkstedet er fullt: %(count)d deltakere er med. Si fra til ordstyreren.",
                count=cap,
            )
        )


def get_limits(code: str, key: str | None) -> dict[str, int]:
    """The workshop's limits (facilitator)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        require_facilitator(actor)
        return limits_of(workshop)


def set_limits(code: str, key: str | None, changes: dict[str, Any]) -> dict[str, int]:
    """Change some of the workshop's limits (facilitator); the values are Limits' (checked)."""
    with unit_of_work() as work:
        workshop, actor = authenticate(work.session, code, key)
        require_facilitator(actor)
        wanted = {name: int(value) for name, value in changes.items() if name in DEFAULTS}
        if any(limits_of(workshop)[name] != value for name, value in wanted.items()):
            workshop.settings = {**(workshop.settings or {}), **wanted}
            workshop.bump()
            work.audit(workshop, actor.label, "limits_changed", **wanted)
        return limits_of(workshop)
