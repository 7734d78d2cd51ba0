"""The only module that emits to sockets: committed events, coalesced tallies, snapshots."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from workshop.analytics import tally_for
from workshop.realtime.rooms import phone_room, room
from workshop.services.errors import NotFound
from workshop.services.events import Event

log = logging.getLogger(__name__)

# Proposals that phones receive in batches: to staff they go at once, one event each.
BATCHED = frozenset({"proposal_added", "proposal_updated"})


class FeedBatch:
    """Proposals held back for a workshop's phones: the newest payload of each, and the version."""

    def __init__(self) -> None:
        self.version = 0
        self.proposals: dict[int, dict[str, Any]] = {}

    def add(self, event: Event) -> None:
        """Keep the event's proposal, replacing an older state of the same one."""
        proposal = event.data["proposal"]
        self.proposals.pop(proposal["id"], None)
        self.proposals[proposal["id"]] = proposal
        self.version = max(self.version, event.version)

    def message(self) -> dict[str, Any]:
        """The ``proposals_changed`` event: each proposal whole, added or changed."""
        data = {"proposals": list(self.proposals.values())}
        return {"type": "proposals_changed", "version": self.version, "data": data}


class SocketPublisher:
    """Delivers events to rooms; tallies go to facilitator and projector a few times a second.

    Phones only show how many have voted, so their ``progress`` is coalesced further: at most
    one per ``progress_interval`` per workshop, always the newest (a hall of 1,000 phones would
    otherwise get 4,000 messages a second while it votes). New and changed proposals reach
    phones as one ``proposals_changed`` per ``feed_interval`` at most (200 proposals to 2,000
    phones were 400,000 messages); any other event of the workshop sends the batch first, so
    nothing overtakes it.

    One per app, emitting through that app's Socket.IO server; its tally worker reads the app's
    database inside the app's context and stops with extensions.dispose_app().
    """

    def __init__(
        self,
        app: Flask,
        socketio: SocketIO,
        interval: float = 0.25,
        progress_interval: float = 1.0,
        feed_interval: float = 1.0,
    ) -> None:
        self.app = app
        self.socketio = socketio
        self.interval = interval
        self.progress_interval = progress_interval
        self._progress_due: dict[str, dict[str, int]] = {}
        self._progress_sent: dict[str, float] = {}
        self.feed_interval = feed_interval
        self._feed_due: dict[str, FeedBatch] = {}
        self._feed_sent: dict[str, float] = {}
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._worker: Any = None

    def publish(self, events: list[Event]) -> None:
        """Emit each committed event to its audience's room; a progress held back for the
        workshop goes first, so that no event overtakes it."""
        for code in dict.fromkeys(event.workshop_code for event in events):
            with self._lock:
                progress = self._progress_due.pop(code, None)
                if progress is not None:
                    self._progress_sent[code] = time.monotonic()
            if progress is not None:
                self.socketio.emit("progress", progress, to=room(code))
        for event in events:
            message = {"type": event.type, "version": event.version, "data": event.data}
            if event.audience == "everyone" and event.type in BATCHED:
                self.socketio.emit("event", message, to=room(event.workshop_code, "staff"))
                self._hold_for_phones(event)
                continue
            self._send_feed(event.workshop_code)
            self.socketio.emit("event", message, to=room(event.workshop_code, event.audience))
            if event.type == "workshop_deleted":  # told; from now on they hear nothing of it
                for audience in ("everyone", "staff", "facilitator"):
                    self.socketio.close_room(room(event.workshop_code, audience))
                self.socketio.close_room(phone_room(event.workshop_code))

    def _hold_for_phones(self, event: Event) -> None:
        """Add a proposal to the phones' batch; send it now if the last one is old enough."""
        code = event.workshop_code
        with self._lock:
            self._feed_due.setdefault(code, FeedBatch()).add(event)
            ready = time.monotonic() - self._feed_sent.get(code, 0.0) >= self.feed_interval
        if ready:
            self._send_feed(code)
        else:
            self._start_worker()
            self._wake.set()

    def _send_feed(self, code: str) -> None:
        """Send the phones' batch of a workshop, if one is held."""
        with self._lock:
            batch = self._feed_due.pop(code, None)
            if batch is not None:
                self._feed_sent[code] = time.monotonic()
        if batch is not None:
            self.socketio.emit("event", batch.message(), to=phone_room(code))

    def _send_due_feed(self) -> None:
        """Send each batch whose workshop's last batch is old enough; come back for the rest."""
        moment = time.monotonic()
        with self._lock:
            due = [
                code
                for code in self._feed_due
                if moment - self._feed_sent.get(code, 0.0) >= self.feed_interval
            ]
            waiting = len(due) < len(self._feed_due)
        for code in due:
            self._send_feed(code)
        if waiting:
            self._wake.set()

    def votes_changed(self, workshop_code: str) -> None:
        """Mark a workshop's tally as changed; the worker sends it within one interval."""
        with self._lock:
            self._dirty.add(workshop_code)
        self._start_worker()
        self._wake.set()

    def _start_worker(self) -> None:
        with self._lock:
            if self._worker is None and not self._stopped.is_set():
                self._worker = self.socketio.start_background_task(self._run)

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
        self._send_due_progress()
        self._send_due_feed()

    def send_tally(self, code: str, to: str | None = None) -> None:
        """Emit the current tally to the staff room (or one socket) and progress to everyone."""
        current = tally_for(code)
        if to is None:  # held before the tally goes out: an event after it carries it along
            progress = {"version": current["version"], "voters": current["voters"]}
            with self._lock:
                self._progress_due[code] = progress
        self.socketio.emit("tally", current, to=to or room(code, "staff"))

    def _send_due_progress(self) -> None:
        """Emit the newest progress of each workshop whose last one is old enough."""
        moment = time.monotonic()
        with self._lock:
            due = {
                code: progress
                for code, progress in self._progress_due.items()
                if moment - self._progress_sent.get(code, 0.0) >= self.progress_interval
            }
            for code in due:
                del self._progress_due[code]
                self._progress_sent[code] = moment
            waiting = bool(self._progress_due)
        for code, progress in due.items():
            self.socketio.emit("progress", progress, to=room(code))
        if waiting:
            self._wake.set()  # come back for the progress held back

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
