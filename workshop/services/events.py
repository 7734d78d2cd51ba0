"""Events a use case publishes after its commit, and the publishers they may go to.

Each app has its own publisher (extensions.current_publisher(); create_app sets it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Audience = Literal["everyone", "staff", "facilitator"]


@dataclass(frozen=True)
class Event:
    """Something that happened in a workshop, for the screens that follow it."""

    workshop_code: str
    type: str
    version: int
    data: dict[str, Any] = field(default_factory=dict)
    audience: Audience = "everyone"


class Publisher(Protocol):
    """Whatever delivers committed events to screens (Socket.IO in production)."""

    def publish(self, events: list[Event]) -> None:
        """Deliver events; called only after their transaction committed."""

    def votes_changed(self, workshop_code: str) -> None:
        """Note that a tally changed; delivery may be coalesced."""


class NullPublisher:
    """Publishes nothing: for the CLI and scripts with no screens attached."""

    def publish(self, events: list[Event]) -> None:
        """Drop the events."""

    def votes_changed(self, workshop_code: str) -> None:
        """Drop the note."""


class RecordingPublisher:
    """Keeps what was published, for tests."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.tallies: list[str] = []

    def publish(self, events: list[Event]) -> None:
        """Record the events."""
        self.events.extend(events)

    def votes_changed(self, workshop_code: str) -> None:
        """Record the tally note."""
        self.tallies.append(workshop_code)
