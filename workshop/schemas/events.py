"""Socket.IO payloads besides the snapshot: ``event`` envelopes and the coalesced ``tally``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from workshop.schemas.base import Payload


class TallyRow(Payload):
    """One proposal's dots."""

    id: int
    dots: int


class Tally(Payload):
    """``tally`` to facilitator and projector: coalesced, eventually the committed totals."""

    version: int
    voters: int
    proposals: list[TallyRow]


class Event(Payload):
    """``event``: a committed change, with the workshop's version and whole objects."""

    type: str
    version: int
    data: dict[str, Any] = Field(default_factory=dict)
