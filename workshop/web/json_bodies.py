"""JSON request bodies: a body nested too deep to parse is unreadable, never a server error."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body deeper than Python's recursion limit is a ValueError.

    ``request.get_json(silent=True)`` then gives None (the views refuse it with 422) instead of
    letting the RecursionError of 50,000 «[» become a 500.
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON text; too deep nesting is a ValueError like any unreadable body."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def install_json_bodies(app: Flask) -> None:
    """Give the app the bounded JSON provider."""
    app.json = BoundedJSONProvider(app)
