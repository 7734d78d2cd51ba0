"""Plain HTML forms: a CSRF token per browser, checked on every POST from a page."""

from __future__ import annotations

import hmac
import re
import secrets

from flask import Flask, abort, request, session


def csrf_token() -> str:
    """The browser's form token, created on first use."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(16)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse a form POST whose token does not match the browser's."""
    given = request.form.get("csrf", "")
    if not given or not hmac.compare_digest(given, session.get("csrf", "")):
        abort(400)


def install_forms(app: Flask) -> None:
    """Make csrf_token() and new_client_key() available in templates."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["new_client_key"] = new_client_key


def new_client_key() -> str:
    """A fresh key for one proposal form: sending the same form twice stores it once."""
    return secrets.token_urlsafe(12)


def form_number(raw: str | None) -> int | str | None:
    """A form field as the JSON API would receive it: ASCII digits are a number, anything else
    («²», «١», «+1», « 1 », «1e3») stays text, so the schema refuses it as it refuses a string.

    An empty field is None (not given)."""
    if raw is None or raw == "":
        return None
    return int(raw) if re.fullmatch(r"[0-9]{1,18}", raw) else raw
