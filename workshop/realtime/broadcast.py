"""The only module that emits to sockets: committed events, coalesced tallies, snapshots."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from workshop.analytics import tally_for
from workshop.realtime.rooms import room
from workshop.services.errors import NotFound
from workshop.services.events import Event

log = logging.getLogger(__name__)


class SocketPublisher:
    """Delivers events to rooms; tallies go to facilitator and projector a few times a second.

    One per app, emitting through that app's Socket.IO server; its tally worker reads the app's
    database inside the app's context and stops with extensions.dispose_app().
    """

    def __init__(self, app: Flask, socketio: SocketIO, interval: float = 0.25) -> None:
        self.app = app
        self.socketio = socketio
        self.interval = interval
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._worker: Any = None

    def publish(self, events: list[Event]) -> None:
        """Emit each committed event to its audience's room."""
        for event in events:
            message = {"type": event.type, "version": event.version, "data": event.data}
            self.socketio.emit("event", message, to=room(event.workshop_code, event.audience))
            if event.type == "workshop_deleted":  # told; from now on they hear nothing of it
                for audience in ("everyone", "staff", "facilitator"):
                    self.socketio.close_room(room(event.workshop_code, audience))

    def votes_changed(self, workshop_code: str) -> None:
        """Mark a workshop's tally as changed; the worker sends it within one interval."""
        with self._lock:
            self._dirty.add(workshop_code)
            if self._worker is None and not self._stopped.is_set():
                self._worker = self.socketio.start_background_task(self._run)
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the tally worker; tallies still marked as changed are dropped."""
        with self._lock:
            self._stopped.set()
            worker = self._worker
        self._wake.set()
        if worker is not None and hasattr(worker, "join"):
            worker.join(timeout)

    def flush(self) -> None:
        """Send the tally of every workshop marked as changed."""
        with self._lock:
            codes, self._dirty = self._dirty, set()
        for code in codes:
            try:
                self.send_tally(code)
            except NotFound:
                continue  # the workshop was deleted after the vote
            except Exception:  # a broken tally must never stop the worker
                log.exception("Could not send tally for %s", code)

    def send_tally(self, code: str, to: str | None = None) -> None:
        """Emit the current tally to the staff room (or one socket) and progress to everyone."""
        current = tally_for(code)
        self.socketio.emit("tally", current, to=to or room(code, "staff"))
        if to is None:
            progress = {"version": current["version"], "voters": current["voters"]}
            self.socketio.emit("progress", progress, to=room(code))

    def send_snapshot(self, sid: str, snapshot: dict[str, Any]) -> None:
        """Emit a snapshot to one socket right after it connected."""
        self.socketio.emit("snapshot", snapshot, to=sid)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stopped.wait(self.interval):
                break
            with self.app.app_context():
                self.flush()
