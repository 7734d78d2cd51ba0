"""WebSocket messages leave whole, however slowly the phone reads.

Both servers (gevent's pywsgi and Werkzeug's threads) speak WebSocket through simple-websocket:
gevent-websocket is not installed, so Engine.IO falls back to it. Up to version 1.1.0 it writes
each frame with one ``socket.send()``, which may take only part of the bytes when the socket's
buffer is full (a phone on slow Wi-Fi reading a large snapshot); the rest is dropped and the
phone waits forever for the end of the frame. Upstream: miguelgrinberg/simple-websocket issue
45, fixed on its main branch after 1.1.0. Until a fixed release is installed, ``install()``
gives every simple-websocket connection a socket whose ``send`` writes everything, one writer
at a time (the reader answers pings and closes on the same socket). With a newer release it
does nothing, so the workaround retires itself.
"""

from __future__ import annotations

import re
import threading
from importlib.metadata import version
from typing import Any

LAST_BROKEN = (1, 1, 0)  # the newest simple-websocket release known to cut frames short


class WholeFrames:
    """A socket whose send() writes all of the data; writers take turns."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._turn = _lock_for(sock)

    def send(self, data: bytes, *flags: int) -> int:
        """Write every byte (sendall), never interleaved with another writer's frame."""
        with self._turn:
            self._sock.sendall(data, *flags)
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _lock_for(sock: Any) -> Any:
    """A lock that yields to other greenlets for a gevent socket, a thread lock otherwise."""
    if type(sock).__module__.startswith("gevent"):
        from gevent.lock import RLock

        return RLock()
    return threading.RLock()


def needs_fix(installed: str | None = None) -> bool:
    """Whether the installed simple-websocket still writes a frame with a single send()."""
    numbers = tuple(
        int(part) for part in re.findall(r"\d+", installed or version("simple-websocket"))[:3]
    )
    return numbers <= LAST_BROKEN


def install() -> bool:
    """Wrap the socket of every simple-websocket connection (once per process); True if done."""
    from simple_websocket import ws  # type: ignore[import-untyped]  # no stubs published

    if getattr(ws.Base, "_planverksted_whole_frames", False):
        return True
    if not needs_fix():
        return False
    original = ws.Base.__init__

    def __init__(self: Any, sock: Any = None, *args: Any, **kwargs: Any) -> None:
        original(self, WholeFrames(sock) if sock is not None else None, *args, **kwargs)

    ws.Base.__init__ = __init__
    ws.Base._planverksted_whole_frames = True
    return True
