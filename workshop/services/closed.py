"""The one rule every participant write shares: nothing is taken once the workshop is closed."""

from __future__ import annotations

from workshop.models import Workshop
from workshop.services.errors import Closed


def ensure_open(workshop: Workshop) -> None:
    """Refuse a participant's write (join, proposal, dots, stances, ratings) after closing."""
    if workshop.closed_at is not None:
        raise Closed()
