"""Group commit for SQLite: one sync of the write-ahead log makes every commit before it durable.

SQLite runs with ``synchronous=NORMAL`` in WAL mode, so a commit writes its frames to the log
without waiting for the disk. ``WalSync.wait_durable()`` is called after each commit and returns
only once an ``fdatasync`` of the log (what SQLite itself calls) that started after that commit
has finished: a request is acknowledged after its data is on disk, as with ``synchronous=FULL``,
but the commits that arrive while one sync runs share the next one. Under gevent the sync runs
on the hub's thread pool, so the event loop keeps serving while the disk works. (A checkpoint
with ``synchronous=NORMAL`` syncs the log before copying it into the database, so a commit
already checkpointed is on disk as well.)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def off_the_loop(work: Callable[[], T]) -> T:
    """Run blocking work on gevent's thread pool when gevent has patched threading, else here."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return work()
    if not monkey.is_module_patched("threading"):
        return work()
    result: T = get_hub().threadpool.apply(work)
    return result


class WalSync:
    """Makes committed transactions durable in groups: one sync of the log per round."""

    def __init__(self, database_path: Path) -> None:
        self.log_path = Path(f"{database_path}-wal")
        self._turn = threading.Condition()
        self._requested = 0  # commits that have asked to be made durable
        self._durable = 0  # of those, how many an fsync has covered
        self._syncing = False
        self.rounds = 0  # syncs made (the group size is commits / rounds)

    def wait_durable(self) -> None:
        """Return once the caller's (finished) commit is on disk; one caller syncs for all."""
        with self._turn:
            self._requested += 1
            ticket = self._requested
            while self._durable < ticket:
                if self._syncing:
                    self._turn.wait()
                    continue
                self._syncing, covered = True, self._requested
                self._turn.release()
                try:
                    off_the_loop(self._sync_log)
                finally:
                    self._turn.acquire()
                    self._syncing = False
                    self._turn.notify_all()
                self._durable = max(self._durable, covered)
                self.rounds += 1

    def _sync_log(self) -> None:
        try:
            descriptor = os.open(self.log_path, os.O_RDONLY)
        except FileNotFoundError:
            return  # no log: the last connection checkpointed it into the database and synced
        try:
            os.fdatasync(descriptor)  # what SQLite itself calls on the log (data, not times)
        finally:
            os.close(descriptor)
