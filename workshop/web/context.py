"""Small helpers every blueprint shares: settings, public URLs, the current key."""

from __future__ import annotations

from flask import current_app, request

from workshop.config import Settings
from workshop.extensions import JOIN_LIMITER
from workshop.qr import join_url, public_base_url
from workshop.services.access import Actor, identify_key
from workshop.web.keys import request_key
from workshop.web.ratelimit import RateLimiter


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


def join_allowed() -> bool:
    """Count a join from this address; False when it joins too often (no address is kept)."""
    limiter: RateLimiter = current_app.extensions[JOIN_LIMITER]  # one per app (create_app)
    return limiter.allow(request.remote_addr or "?")
