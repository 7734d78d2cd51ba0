"""The clock: once a second, let auto-advancing timers whose time is up move their room on.

One loop per server process, however many apps create_app() builds (tests build hundreds): the
loop calls the service layer, which uses whichever database and publisher are configured now.
Each tick is one cheap read when nothing is due, and the service handles a due timer once even
when several processes tick at the same moment (see services/steering.expire_timers).
"""

from __future__ import annotations

import logging
import threading

from flask_socketio import SocketIO

from workshop.services import steering

log = logging.getLogger(__name__)
INTERVAL = 1.0

_lock = threading.Lock()
_started = False
_last_error: str | None = None


def start_timer_loop(socketio: SocketIO, interval: float = INTERVAL) -> bool:
    """Start the loop as a Socket.IO background task, once per process; True if started now."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
    socketio.start_background_task(_run, socketio, interval)
    return True


def tick() -> list[str]:
    """Expire due timers once; never raises (a broken tick must not stop the clock)."""
    global _last_error
    try:
        moved = steering.expire_timers()
    except Exception as exc:
        if repr(exc) != _last_error:  # the same failure every second is logged once
            _last_error = repr(exc)
            log.exception("Could not expire timers")
        return []
    _last_error = None
    return moved


def _run(socketio: SocketIO, interval: float) -> None:
    while True:
        socketio.sleep(interval)
        tick()
