"""Events as the RecordingPublisher keeps them."""

from __future__ import annotations

from workshop.services.events import Event


def of_type(events: list[Event], type_: str) -> list[Event]:
    """The recorded events of one type, in order."""
    return [e for e in events if e.type == type_]
