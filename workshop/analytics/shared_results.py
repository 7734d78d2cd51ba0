"""Revealed results computed once and shared: a hall of phones at a reveal costs one analysis.

At a reveal every phone fetches its step at once, and the projector and the facilitator ask for
the same step's analysis. The analysis (pandas) is the same for all of them: nothing in it
depends on who asks, only on the workshop's state, the step and the interface language. So each
app keeps the results of the last few hundred such questions, keyed by the workshop's
``version`` (raised by every committed change: a vote, a rating, a proposal, a reveal), and a
question asked while its answer is being worked out waits for that one computation instead of
starting another. The computation runs in the app's offload pool (workshop/offload.py), so the
event loop stays free; callers wait on an Event, which is gevent's own under ``serve`` (the
standard library is monkey-patched) and a thread's under threading.

Who may read what is decided on every call, before the cache is looked at, exactly as
``reading.get_results`` decides it: the facilitator at any time, others once revealed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

from flask import Flask, current_app

from workshop.analytics.reading import readable_step, readable_steps, results_payload
from workshop.extensions import SHARED_RESULTS
from workshop.models import Step, Workshop
from workshop.offload import Offloader, request_locale
from workshop.services.access import authenticate
from workshop.services.errors import NotFound, TookTooLong
from workshop.services.unit import read_only

MAX_ENTRIES = 300  # answers kept per app, least recently asked dropped first
PHONE_WAIT = 3.0  # seconds a phone's page waits before it says the results are on their way


@dataclass(frozen=True)
class ResultsKey:
    """Everything the shared results depend on."""

    workshop_id: int
    code: str
    step_id: int | None
    level: str | None  # a results step limited to one change level
    version: int
    locale: str | None


class Flight:
    """One computation of a key, waited for by every caller that asks while it runs."""

    def __init__(self) -> None:
        self._landed = threading.Event()
        self._value: dict[str, Any] | None = None
        self._error: Exception | None = None

    def land(self, value: dict[str, Any] | None, error: Exception | None) -> None:
        """Hand every waiter the outcome."""
        self._value, self._error = value, error
        self._landed.set()

    @property
    def failed(self) -> bool:
        """Whether it ended in an error (the next caller starts it again)."""
        return self._landed.is_set() and self._error is not None

    def wait(self, seconds: float) -> dict[str, Any]:
        """The results; TookTooLong if they are not there within the time, the refusal if any."""
        if not self._landed.wait(seconds):
            raise TookTooLong()
        if self._error is not None:
            raise self._error
        return cast(dict[str, Any], self._value)


class SharedResults:
    """One app's single-flight, least-recently-used cache of results."""

    def __init__(self, offloader: Offloader, size: int = MAX_ENTRIES) -> None:
        self._offloader = offloader
        self._size = size
        self._flights: OrderedDict[ResultsKey, Flight] = OrderedDict()
        self._lock = threading.Lock()  # held for a few dictionary operations only

    def get(self, key: ResultsKey, wait: float | None = None) -> dict[str, Any]:
        """The results for the key, worked out in the pool at most once at a time; waits at most
        ``wait`` seconds (never past the pool's budget), then TookTooLong. The work goes on, so
        whoever asks again later finds it done. Treat the answer as read-only: it is shared."""
        flight, started = self._flight(key)
        if started:
            where = (key.workshop_id, key.step_id, key.level)
            self._offloader.start(compute, *where, locale=key.locale, then=flight.land)
        budget = self._offloader.budget
        return flight.wait(budget if wait is None else min(wait, budget))

    def _flight(self, key: ResultsKey) -> tuple[Flight, bool]:
        with self._lock:
            flight = self._flights.get(key)
            started = flight is None or flight.failed
            if flight is None or started:
                flight = Flight()
                self._flights[key] = flight
            self._flights.move_to_end(key)
            while len(self._flights) > self._size:
                self._flights.popitem(last=False)
            return flight, started


def compute(workshop_id: int, step_id: int | None, level: str | None) -> dict[str, Any]:
    """The results of one step as every reader sees them (runs in the pool)."""
    with read_only() as session:
        workshop = session.get(Workshop, workshop_id)
        step = session.get(Step, step_id) if step_id is not None else None
        if workshop is None or (step_id is not None and step is None):
            raise NotFound()  # deleted since the question was asked
        return results_payload(session, workshop, step, level)


def results_for(
    code: str, key: str | None, step: object = None, wait: float | None = None
) -> dict[str, Any]:
    """Ranked results of a step (a position, or the one that counts now) for whoever the key
    stands for: the facilitator at any time, others once revealed (Forbidden before)."""
    wanted, _steps = _ask(code, key, step)
    return shared_results_of().get(wanted, wait)


def analysis_for(code: str, key: str | None, step: object = None) -> dict[str, Any]:
    """The results plus the prioritising steps this reader may choose from (GET …/analysis)."""
    wanted, steps = _ask(code, key, step)
    return {**shared_results_of().get(wanted), "steps": steps}


def _ask(
    code: str, key: str | None, position: object
) -> tuple[ResultsKey, list[dict[str, Any] | None]]:
    """Check who asks and what they may read (a few short queries, on the loop)."""
    with read_only() as session:
        workshop, actor = authenticate(session, code, key)
        step, level = readable_step(workshop, actor, position)
        wanted = ResultsKey(
            workshop.id,
            workshop.code,
            step.id if step is not None else None,
            level,
            workshop.version,
            request_locale(),
        )
        return wanted, readable_steps(workshop, actor)


def init_app(app: Flask, offloader: Offloader) -> SharedResults:
    """Give the app its cache of results, filled through its offload pool."""
    shared = SharedResults(offloader)
    app.extensions[SHARED_RESULTS] = shared
    return shared


def shared_results_of(app: Flask | None = None) -> SharedResults:
    """The cache of an app (default: the current app)."""
    target = app if app is not None else current_app
    return cast(SharedResults, target.extensions[SHARED_RESULTS])
