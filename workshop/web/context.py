"""Small helpers every blueprint shares: settings, public URLs, the current key."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request

from workshop.config import Settings
from workshop.qr import join_url, public_base_url
from workshop.services.access import Actor, identify_key
from workshop.services.errors import NotFound
from workshop.web.keys import request_key
from workshop.web.limits import join_limits

T = TypeVar("T")


def settings() -> Settings:
    """The running server's settings."""
    configured: Settings = current_app.extensions["planverksted.settings"]
    return configured


def base_url() -> str:
    """The base URL phones must use."""
    return public_base_url(settings(), request.host_url)


def workshop_join_url(code: str) -> str:
    """The join URL of a workshop, as the QR code carries it."""
    return join_url(base_url(), code)


def current_key(code: str) -> str | None:
    """The key of this request for the workshop: Bearer header or cookie."""
    return request_key(code)


def current_actor(code: str) -> Actor:
    """Who this request's key stands for in the workshop (Unauthorized/NotFound otherwise)."""
    return identify_key(code, current_key(code))


def limited_join(code: str, join: Callable[[], T]) -> T:
    """Run a join within the limits: per workshop, and wrong codes per address (guessing)."""
    limits = join_limits()
    address = request.remote_addr or "?"
    limits.check_guesses(address)
    limits.count_join(code)
    try:
        return join()
    except NotFound:
        limits.count_wrong_code(address)
        raise


def wrong_join_code() -> None:
    """Count a wrong join code from this address; RateLimited once it guesses too often."""
    limits = join_limits()
    address = request.remote_addr or "?"
    limits.check_guesses(address)
    limits.count_wrong_code(address)
