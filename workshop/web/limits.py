"""Join limits per app, kept by Flask-Limiter: in Redis when the message queue is, else in memory.

Joins count per workshop (a hall behind one NAT address shares one address), wrong join codes
per address (guessing). Both stores forget a window once it is over, so no address is kept.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

import redis
from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import RateLimitItemPerMinute

from workshop.config import Settings
from workshop.extensions import JOIN_LIMITER
from workshop.services.errors import RateLimited


class JoinLimits:
    """One app's join limits: Flask-Limiter's storage and fixed one-minute windows."""

    def __init__(self, app: Flask, settings: Settings) -> None:
        # Processes on one database count together; other deployments on the same Redis do not.
        self.prefix = (
            "planverksted-" + hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
        )
        uri = storage_uri(settings.message_queue)
        self.limiter = Limiter(
            key_func=lambda: request.remote_addr or "?",
            app=app,
            storage_uri=uri,
            storage_options=storage_options(uri),
            strategy="fixed-window",
            key_prefix=self.prefix,
        )
        self.joins = RateLimitItemPerMinute(max(1, settings.join_rate_per_minute))
        self.guesses = RateLimitItemPerMinute(max(1, settings.wrong_code_rate_per_minute))

    def count_join(self, code: str) -> None:
        """Count one join to a workshop; RateLimited once the workshop's minute is full."""
        if not self.limiter.limiter.hit(self.joins, self.prefix, "join", code.upper()):
            raise RateLimited(
                retry_after=self._retry_after(self.joins, self.prefix, "join", code.upper())
            )

    def check_guesses(self, address: str) -> None:
        """RateLimited when this address has sent too many wrong codes this minute."""
        if not self.limiter.limiter.test(self.guesses, self.prefix, "guess", address):
            raise RateLimited(
                retry_after=self._retry_after(self.guesses, self.prefix, "guess", address)
            )

    def count_wrong_code(self, address: str) -> None:
        """Count one wrong join code from this address."""
        self.limiter.limiter.hit(self.guesses, self.prefix, "guess", address)

    def _retry_after(self, item: RateLimitItemPerMinute, *keys: str) -> int:
        reset = self.limiter.limiter.get_window_stats(item, *keys).reset_time
        return max(1, math.ceil(reset - time.time()))


def storage_uri(message_queue: str | None) -> str:
    """Where the counts live: the message queue's Redis, or this process's memory."""
    if message_queue and message_queue.startswith(("redis://", "rediss://")):
        return message_queue
    return "memory://"


def storage_options(uri: str) -> dict[str, Any]:  # a pool, where Flask-Limiter types str | int
    """Redis: a pool that makes a join wait for a free connection. redis-py's own pool refuses the
    101st at once, and a hall joining through one process under gevent asks for more than that
    at the same moment (the scale-out benchmark's joins answered 500)."""
    if uri == "memory://":
        return {}
    pool = redis.BlockingConnectionPool.from_url(uri, max_connections=50, timeout=10)
    return {"connection_pool": pool}


def join_limits() -> JoinLimits:
    """The current app's join limits (one per app, made by create_app)."""
    limits: JoinLimits = current_app.extensions[JOIN_LIMITER]
    return limits
