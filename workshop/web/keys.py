"""Keys held in the browser's HttpOnly session cookie, per workshop and per kind."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask import request
from flask.sessions import SessionMixin

KINDS = ("facilitator", "projector", "participant")


def remember_key(cookie: SessionMixin, code: str, kind: str, key: str) -> None:
    """Keep a key for a workshop in the cookie session."""
    keys = dict(cookie.get("keys") or {})
    entry = dict(keys.get(code) or {})
    entry[kind] = key
    keys[code] = entry
    cookie["keys"] = keys
    cookie.permanent = True


def stored_key(cookie: MutableMapping[str, Any], code: str, kind: object = None) -> str | None:
    """The key kept for this workshop; a named kind, else the most powerful one held."""
    entry: dict[str, str] = (cookie.get("keys") or {}).get(code) or {}
    if isinstance(kind, str) and kind in KINDS:
        return entry.get(kind)
    for candidate in KINDS:
        if entry.get(candidate):
            return entry[candidate]
    return None


def request_key(cookie: MutableMapping[str, Any], code: str) -> str | None:
    """A Bearer key from the Authorization header, else the cookie's key for the workshop."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return stored_key(cookie, code.upper(), request.headers.get("X-Planverksted-As"))
