"""The clock: once a second, let auto-advancing timers whose time is up move their room on.

One loop per app, started by create_app() and stopped by extensions.dispose_app(): each tick runs
inside its own app's context, so it reads that app's database and publishes to that app's
screens, never another app's in the same process. Each tick is one cheap read when nothing is
due, and the service handles a due timer once even when several processes tick at the same
moment (see services/steering.expire_timers).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from workshop.services import steering

log = logging.getLogger(__name__)
INTERVAL = 1.0


class TimerLoop:
    """The clock of one app, run as a Socket.IO background task of that app's server."""

    def __init__(self, app: Flask, socketio: SocketIO, interval: float = INTERVAL) -> None:
        self.app = app
        self.socketio = socketio
        self.interval = interval
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._started = False
        # threading.Event is gevent's own under `serve` (the standard library is monkey-patched)
        self._stopped = threading.Event()
        self._task: Any = None

    @property
    def running(self) -> bool:
        """Whether the loop was started and has not been stopped."""
        return self._started and not self._stopped.is_set()

    def start(self) -> bool:
        """Start the loop once; True if it started now."""
        with self._lock:
            if self._started or self._stopped.is_set():
                return False
            self._started = True
        self._task = self.socketio.start_background_task(self._run)
        return True

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the loop and wait until a tick in progress has finished (at once when idle)."""
        self._stopped.set()
        task = self._task
        if task is not None and hasattr(task, "join"):
            task.join(timeout)

    def tick(self) -> list[str]:
        """Expire the app's due timers once; never raises (a broken tick must not stop it)."""
        with self.app.app_context():
            try:
                moved = steering.expire_timers()
            except Exception as exc:
                if repr(exc) != self.last_error:  # the same failure every second is logged once
                    self.last_error = repr(exc)
                    log.exception("Could not expire timers")
                return []
        self.last_error = None
        return moved

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            self.tick()
