"""The one rule every participant write shares: nothing is taken once the workshop is closed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workshop.models import Workshop
from workshop.services.errors import Closed


def ensure_open(workshop: Workshop) -> None:
    """Refuse a participant's write (join, proposal, dots, stances, ratings) after closing."""
    if workshop.closed_at is not None:
        raise Closed()


def ensure_editable(workshop: Workshop) -> None:
    """Refuse a facilitator's change to what the room produced after closing; actions, follow-up
    notes, the published report and the deletion date stay editable."""
    if workshop.closed_at is not None:
        raise Closed(
            _l(
                "Verkstedet er avsluttet og kan ikke endres. Tiltak, oppfølgingsnotater og "
                "slettedatoen kan fortsatt endres."
            )
        )
