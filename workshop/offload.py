"""Heavy work off the event loop: a small pool of native threads with a time budget per call.

Under gevent every request shares one event loop, so a CPU-heavy call (merge suggestions, an
export, the analysis of a large workshop) in a request would stop every other request, socket
and signal handler until it ends. ``run_off_loop(fn, *args)`` runs it in the app's pool instead
(gevent's native-thread executor under gevent, a standard one under threading) and waits for it
cooperatively; past the budget the caller gets ``TookTooLong`` (503, ``Retry-After``) and the loop
carries on. The work runs inside the app's context and in the caller's interface language;
services open their own unit of work, so nothing of the request's database session is shared.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar, cast

from flask import Flask, current_app, has_request_context
from flask_babel import force_locale, get_locale

from workshop.extensions import OFFLOAD, add_worker
from workshop.services.errors import TookTooLong

Result = TypeVar("Result")
Outcome = tuple[Any, Exception | None]  # the work's result, or the refusal it raised

DEFAULT_BUDGET = 10.0  # seconds a request waits for its heavy work before answering 503
WORKERS = 2  # native threads: the work is CPU-bound and the server has a few cores at most
# The event loop's thread gives the GIL up at every I/O call and then waits for a busy pool
# thread to hand it back, up to the switch interval each time: 5 ms by default made the start
# page 54 ms instead of 16 while an analysis ran (bench/heavy_work.py, docs/benchmarks.md).
LOOP_SWITCH_INTERVAL = 0.001


class Offloader:
    """One app's pool for work that must not run on the event loop."""

    def __init__(self, app: Flask, async_mode: str, budget: float = DEFAULT_BUDGET) -> None:
        self.app = app
        self.budget = budget
        self._pool = _executor(async_mode)
        self._gevent = async_mode == "gevent"

    def run(self, fn: Callable[..., Result], *args: Any, budget: float | None = None) -> Result:
        """Run fn(*args) in the pool and return its result; TookTooLong past the budget.

        Exceptions of fn (a refusal, say) reach the caller as they are. Work given up on keeps
        its thread until it finishes (a thread cannot be stopped), but work given up on before
        it started is dropped.
        """
        abandoned: list[bool] = []
        future = self._submit(fn, args, request_locale(), abandoned)
        try:
            value, error = future.result(timeout=self.budget if budget is None else budget)
        except FutureTimeout:
            abandoned.append(True)
            raise TookTooLong() from None
        if error is not None:
            raise error
        return cast(Result, value)

    def start(
        self,
        fn: Callable[..., Result],
        *args: Any,
        locale: str | None,
        then: Callable[[Result | None, Exception | None], None],
    ) -> None:
        """Hand fn(*args) to the pool and return at once; then(result, error) gets its outcome.

        Never dropped: the work runs once a thread is free, however long nobody waits for it.
        ``then`` runs on the event loop under gevent, in the pool's thread under threading.
        """

        def report(future: Future[Outcome]) -> None:
            try:
                value, error = future.result()
            except Exception:  # cancelled: the pool stopped before the work began
                value, error = None, TookTooLong()
            then(cast("Result | None", value), error)

        def hand_over() -> None:
            try:
                future = self._submit(fn, args, locale, [])
            except RuntimeError as error:  # the pool has stopped (the app is being disposed)
                then(None, error)
                return
            future.add_done_callback(report)

        if self._gevent:
            # gevent's pool makes the submitter wait for a free thread: a greenlet of its own does.
            import gevent

            gevent.spawn(hand_over)
        else:
            hand_over()

    def _submit(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        locale: str | None,
        abandoned: list[bool],
    ) -> Future[Outcome]:
        def in_context() -> Outcome:
            # A refusal is handed back, not raised: gevent's pool would print it as a crash.
            if abandoned:
                return None, TookTooLong()
            try:
                with self.app.app_context():
                    if locale is None:
                        return fn(*args), None
                    with force_locale(locale):
                        return fn(*args), None
            except Exception as error:  # re-raised in the caller
                return None, error

        return self._pool.submit(in_context)

    def stop(self) -> None:
        """Take no more work and do not wait for work in progress (a stopping server exits)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def request_locale() -> str | None:
    """The interface language of the request being answered, if any."""
    return str(get_locale()) if has_request_context() else None


def _executor(async_mode: str) -> Executor:
    if async_mode == "gevent":
        # Native threads even when threading is monkey-patched; waiting on them yields.
        from gevent.threadpool import ThreadPoolExecutor as NativeThreads

        sys.setswitchinterval(min(sys.getswitchinterval(), LOOP_SWITCH_INTERVAL))

        return cast(Executor, NativeThreads(max_workers=WORKERS))
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="planverksted-offload")


def init_app(app: Flask, async_mode: str, budget: float = DEFAULT_BUDGET) -> Offloader:
    """Give the app its pool; dispose_app stops it."""
    offloader = Offloader(app, async_mode, budget)
    app.extensions[OFFLOAD] = offloader
    add_worker(app, offloader)
    return offloader


def offloader_of(app: Flask | None = None) -> Offloader:
    """The pool of an app (default: the current app)."""
    target = app if app is not None else current_app
    return cast(Offloader, target.extensions[OFFLOAD])


def run_off_loop(fn: Callable[..., Result], *args: Any, budget: float | None = None) -> Result:
    """Run fn(*args) in the current app's pool within the budget (default 10 s)."""
    return offloader_of().run(fn, *args, budget=budget)
