"""Keys held in the browser: one small HttpOnly cookie per workshop, the oldest evicted past a cap.

A cookie is named after its workshop (``pv-K7M2QX``) and has ``Path=/``, so the pages, the JSON
API and the Socket.IO handshake all receive it. Its value is when it was written (milliseconds,
base 36) and the keys held, each behind a letter for its kind: ``lx3k9a1.fKEY.jKEY``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request

from workshop.config import Settings
from workshop.extensions import SETTINGS

KINDS = ("facilitator", "projector", "participant")
LETTERS = {"facilitator": "f", "projector": "p", "participant": "j"}
PREFIX = "pv-"
MAX_WORKSHOPS = 100  # cookies per browser; Chromium keeps at most 180 per host
MAX_AGE = 60 * 60 * 24 * 60  # sixty days: a facilitator comes back to export and follow up


@dataclass
class HeldKeys:
    """The keys a browser holds for one workshop, and when the cookie was written."""

    written: int
    keys: dict[str, str]

    def value(self) -> str:
        """The cookie value."""
        parts = [_base36(self.written)]
        parts += [LETTERS[kind] + key for kind, key in self.keys.items() if key]
        return ".".join(parts)


def cookie_name(code: str) -> str:
    """The cookie that holds a workshop's keys."""
    return PREFIX + code.upper()


def parse_cookie(value: str) -> HeldKeys | None:
    """The keys in a cookie value; None for a value this module did not write."""
    written, _, rest = value.partition(".")
    try:
        stamp = int(written, 36)
    except ValueError:
        return None
    kinds = {letter: kind for kind, letter in LETTERS.items()}
    keys = {kinds[part[0]]: part[1:] for part in rest.split(".") if part[:1] in kinds and part[1:]}
    return HeldKeys(stamp, keys)


def held_keys(code: str) -> HeldKeys | None:
    """What this browser holds for the workshop, including keys remembered in this request."""
    pending: dict[str, HeldKeys] = g.get("pv_pending_keys", {})
    if code.upper() in pending:
        return pending[code.upper()]
    value = request.cookies.get(cookie_name(code))
    return parse_cookie(value) if value else None


def remember_key(code: str, kind: str, key: str) -> None:
    """Keep a key for a workshop in the browser (the cookie is written with the response)."""
    held = held_keys(code) or HeldKeys(0, {})
    keys = {**held.keys, kind: key}
    pending: dict[str, HeldKeys] = g.setdefault("pv_pending_keys", {})
    pending[code.upper()] = HeldKeys(int(time.time() * 1000), keys)


def stored_key(code: str, kind: object = None) -> str | None:
    """The key kept for this workshop; a named kind, else the most powerful one held."""
    held = held_keys(code)
    if held is None:
        return None
    if isinstance(kind, str) and kind in KINDS:
        return held.keys.get(kind)
    return next((held.keys[k] for k in KINDS if held.keys.get(k)), None)


def request_key(code: str) -> str | None:
    """A Bearer key from the Authorization header, else the cookie's key for the workshop."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return stored_key(code.upper(), request.headers.get("X-Planverksted-As"))


def install_key_cookies(app: Flask) -> None:
    """Write the keys remembered during a request, evicting the oldest workshops past the cap."""

    @app.after_request
    def write_key_cookies(response: Response) -> Response:
        pending: dict[str, HeldKeys] = g.get("pv_pending_keys", {})
        if not pending:
            return response
        secure = bool(_settings().secure_cookies)
        for name in _evicted(set(pending)):
            response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="Lax")
        for code, held in pending.items():
            response.set_cookie(
                cookie_name(code),
                held.value(),
                max_age=MAX_AGE,
                path="/",
                secure=secure,
                httponly=True,
                samesite="Lax",
            )
        return response


def _evicted(new_codes: set[str]) -> list[str]:
    """The oldest cookies to drop so that the browser holds at most MAX_WORKSHOPS workshops."""
    others: list[tuple[int, str]] = []
    for name, value in request.cookies.items():
        if name.startswith(PREFIX) and name[len(PREFIX) :] not in new_codes:
            held = parse_cookie(value)
            others.append((held.written if held else 0, name))
    surplus = len(others) + len(new_codes) - MAX_WORKSHOPS
    return [name for _, name in sorted(others)[: max(surplus, 0)]]


def _settings() -> Settings:
    settings: Settings = current_app.extensions[SETTINGS]
    return settings


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text
