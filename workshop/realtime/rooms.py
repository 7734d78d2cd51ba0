"""Room names: one per workshop, plus rooms for what phones must not see."""

from __future__ import annotations

from workshop.services.events import Audience


def room(code: str, audience: Audience = "everyone") -> str:
    """The Socket.IO room of a workshop's audience."""
    if audience == "everyone":
        return f"w:{code}"
    return f"w:{code}:{audience}"


def phone_room(code: str) -> str:
    """The room of a workshop's phones, where new proposals arrive in batches."""
    return f"w:{code}:phones"
