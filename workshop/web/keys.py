"""Keys held in the browser: one small HttpOnly cookie per workshop, and past a cap, the server.

A cookie is named after its workshop (``pv-K7M2QX``) and has ``Path=/``, so the pages, the JSON
API and the Socket.IO handshake all receive it. Its value is when it was written (milliseconds,
base 36) and the keys held, each behind a letter for its kind: ``lx3k9a1.fKEY.jKEY``.

Past MAX_WORKSHOPS cookies the oldest are evicted into the server's store, sealed with a random
token that the browser alone holds (``pv-browser``, set at the first eviction;
services/browser_keys.py). A workshop whose cookie is missing is looked up there, only when the
browser has a token, and brought back into a cookie, which may evict another.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, request

from workshop.config import Settings
from workshop.extensions import SETTINGS
from workshop.services.browser_keys import KEPT_FOR, keep_keys, kept_keys
from workshop.services.errors import ServiceError

log = logging.getLogger(__name__)

KINDS = ("facilitator", "projector", "participant")
LETTERS = {"facilitator": "f", "projector": "p", "participant": "j"}
PREFIX = "pv-"
MAX_WORKSHOPS = 100  # cookies per browser; Chromium keeps at most 180 per host
MAX_AGE = int(KEPT_FOR.total_seconds())  # a facilitator comes back to export and follow up
BROWSER_COOKIE = "pv-browser"  # the token that opens this browser's keys kept on the server
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


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


def browser_token() -> str | None:
    """The token of this browser's keys on the server; None until its first eviction."""
    token = request.cookies.get(BROWSER_COOKIE)
    return token if token and TOKEN.fullmatch(token) else None


def held_keys(code: str) -> HeldKeys | None:
    """What this browser holds for the workshop, including keys remembered in this request."""
    code = code.upper()
    pending: dict[str, HeldKeys] = g.get("pv_pending_keys", {})
    if code in pending:
        return pending[code]
    value = request.cookies.get(cookie_name(code))
    held = parse_cookie(value) if value else None
    return held or _restored(code)


def remember_key(code: str, kind: str, key: str) -> None:
    """Keep a key for a workshop in the browser (the cookie is written with the response)."""
    held = held_keys(code) or HeldKeys(0, {})
    keys = {**held.keys, kind: key}
    pending: dict[str, HeldKeys] = g.setdefault("pv_pending_keys", {})
    pending[code.upper()] = HeldKeys(_now(), keys)


def _restored(code: str) -> HeldKeys | None:
    """The keys kept on the server for this browser, brought back into a cookie; a browser
    without a token costs no query."""
    token = browser_token()
    looked_up: set[str] = g.setdefault("pv_looked_up", set())
    if token is None or not code.isalnum() or code in looked_up:
        return None
    looked_up.add(code)
    kept = kept_keys(token, code) or {}
    for kind in KINDS:
        if kept.get(kind):
            remember_key(code, kind, kept[kind])
    restored: HeldKeys | None = g.get("pv_pending_keys", {}).get(code)
    return restored


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
        options = _cookie_options()
        token = _evict_to_store(response, set(pending), options)
        for code, held in pending.items():
            response.set_cookie(cookie_name(code), held.value(), max_age=MAX_AGE, **options)
        if token is not None:  # kept alive as long as the browser keeps using its keys
            response.set_cookie(BROWSER_COOKIE, token, max_age=MAX_AGE, **options)
        return response


def _evict_to_store(response: Response, new_codes: set[str], options: dict[str, Any]) -> str | None:
    """Move the oldest workshops past the cap from cookies to the server's store; the browser's
    token afterwards (a new one at the first eviction)."""
    token = browser_token()
    names = _evicted(new_codes)
    evicted = {
        name[len(PREFIX) :]: held.keys
        for name in names
        if (held := parse_cookie(request.cookies[name])) and held.keys
    }
    if evicted:
        chosen = token or secrets.token_urlsafe(32)
        try:
            keep_keys(chosen, evicted)
        except ServiceError:  # a busy database: the cookies stay past the cap until a later answer
            log.warning("keys of %d workshops not moved to the server: busy", len(evicted))
            return token
        token = chosen
    for name in names:
        response.delete_cookie(name, **options)
    return token


def _evicted(new_codes: set[str]) -> list[str]:
    """The oldest cookies to drop so that the browser holds at most MAX_WORKSHOPS workshops."""
    others: list[tuple[int, str]] = []
    for name, value in request.cookies.items():
        if name == BROWSER_COOKIE:
            continue
        if name.startswith(PREFIX) and name[len(PREFIX) :] not in new_codes:
            held = parse_cookie(value)
            others.append((held.written if held else 0, name))
    surplus = len(others) + len(new_codes) - MAX_WORKSHOPS
    return [name for _, name in sorted(others)[: max(surplus, 0)]]


def _cookie_options() -> dict[str, Any]:
    secure = bool(_settings().secure_cookies)
    return {"path": "/", "secure": secure, "httponly": True, "samesite": "Lax"}


def _now() -> int:
    return int(time.time() * 1000)


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
