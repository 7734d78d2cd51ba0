"""Extension objects and the per-app state they give each app (the ``init_app`` pattern).

Nothing here holds state of its own: ``create_app`` gives every app its database engines,
Socket.IO server, publisher, plans folder, timer loop and join limiter in ``app.extensions``,
and the lookups below find those of the *current* app (``flask.current_app``). Services,
analytics and the CLI therefore run inside an app context: requests and socket handlers have one,
background loops push their app's, and tests get one from the ``app`` fixture. Two apps in one
process share nothing but these stateless objects.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from flask import Flask, current_app, has_app_context
from flask_babel import Babel
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from workshop.group_commit import WalSync
from workshop.private_files import protect_sqlite_file

if TYPE_CHECKING:
    from flask_socketio import SocketIO

    from workshop.services.events import Publisher

babel = Babel()  # type: ignore[no-untyped-call]  # Flask-Babel keeps its per-app state in app.extensions["babel"] itself

SETTINGS = "planverksted.settings"
DATABASE = "planverksted.db"
SOCKETIO = "planverksted.socketio"
PUBLISHER = "planverksted.publisher"
PLANS_DIR = "planverksted.plans_dir"
TIMER_LOOP = "planverksted.timer_loop"
JOIN_LIMITER = "planverksted.join_limiter"
OFFLOAD = "planverksted.offload"  # the pool for heavy work (workshop/offload.py)
SHARED_RESULTS = "planverksted.shared_results"  # results computed once (analytics/shared_results)
WORKERS = "planverksted.workers"  # background workers dispose_app() stops
WRITE_WAIT_SECONDS = 4.0  # a write facing another program's lock gives up after this (503)
READ_BUSY_SECONDS = 5.0  # WAL readers wait only while the file is being recovered


class Stoppable(Protocol):
    """A background worker an app owns (timer loop, tally worker)."""

    def stop(self) -> None:
        """Stop the worker and wait for it to finish what it was doing."""


class Database:
    """One app's engines and factories of units of work (SQLAlchemy sessions)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.read_engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None
        self._read_factory: sessionmaker[Session] | None = None
        self.wal_sync: WalSync | None = None

    def configure(self, url: str) -> None:
        """Create the engine; SQLite gets WAL, foreign keys and immediate writes, and a file
        database group commit (workshop/group_commit.py) instead of an fsync per commit."""
        self.dispose()
        is_sqlite = url.startswith("sqlite")
        options: dict[str, object] = {}
        database_file = make_url(url).database if is_sqlite else None
        self.wal_sync = None
        if database_file and database_file != ":memory:" and "mode=memory" not in url:
            self.wal_sync = WalSync(Path(database_file).resolve())
        if is_sqlite:
            protect_sqlite_file(url)
            options["connect_args"] = {"check_same_thread": False, "timeout": READ_BUSY_SECONDS}
        else:
            options.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        engine = create_engine(url, **options)
        read_engine = engine
        if is_sqlite:
            # Writers take the write lock at BEGIN; readers use their own engine so that, in
            # WAL mode, they read the last commit without queueing behind writers.
            grouped = self.wal_sync is not None
            _tune_sqlite(engine, immediate=True, grouped=grouped)
            read_engine = create_engine(url, **options)
            _tune_sqlite(read_engine, immediate=False, grouped=grouped)
        else:
            # A read (a tally, a snapshot) is several queries: on PostgreSQL they must all see
            # the same commits, or a tally's version and its dots disagree while votes arrive.
            read_engine = engine.execution_options(isolation_level="REPEATABLE READ")
        self.engine, self.read_engine = engine, read_engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._read_factory = sessionmaker(read_engine, expire_on_commit=False)

    def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in {self.engine, self.read_engine}:
            if engine is not None:
                engine.dispose()

    @property
    def is_sqlite(self) -> bool:
        """Whether the engine speaks SQLite."""
        return self.engine is not None and self.engine.dialect.name == "sqlite"

    def wait_durable(self) -> None:
        """Return once the caller's last commit is on disk (SQLite file: the group's fsync)."""
        if self.wal_sync is not None:
            self.wal_sync.wait_durable()

    @contextmanager
    def session(self, read_only: bool = False) -> Iterator[Session]:
        """A unit of work; the caller commits, anything unfinished is rolled back."""
        factory = self._read_factory if read_only else self._factory
        if factory is None:
            raise RuntimeError("Database is not configured")
        with factory() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise


class DatabaseExtension:
    """The ``db`` object: ``init_app`` gives an app its Database; the rest use the current app's.

    Like Flask-SQLAlchemy's ``db``: it holds no engine itself, so ``db.session()`` opens a unit of
    work on whichever app is current.
    """

    def init_app(self, app: Flask, url: str) -> Database:
        """Create the app's engines (replacing any it had) and keep them on the app."""
        old = app.extensions.get(DATABASE)
        if old is not None:
            old.dispose()
        database = Database()
        database.configure(url)
        app.extensions[DATABASE] = database
        return database

    def of(self, app: Flask | None = None) -> Database:
        """The Database of an app (default: the current app)."""
        target = app if app is not None else _current_app()
        database = target.extensions.get(DATABASE)
        if database is None:
            raise RuntimeError("This app has no database: create it with create_app()")
        return cast(Database, database)

    @property
    def engine(self) -> Engine | None:
        """The current app's write engine."""
        return self.of().engine

    @property
    def read_engine(self) -> Engine | None:
        """The current app's read engine."""
        return self.of().read_engine

    @property
    def is_sqlite(self) -> bool:
        """Whether the current app's database speaks SQLite."""
        return self.of().is_sqlite

    @contextmanager
    def session(self, read_only: bool = False) -> Iterator[Session]:
        """A unit of work on the current app's database."""
        with self.of().session(read_only=read_only) as session:
            yield session

    def wait_durable(self) -> None:
        """Return once the current app's last commit in this unit of work is on disk."""
        self.of().wait_durable()

    def dispose(self, app: Flask | None = None) -> None:
        """Close every pooled connection of an app (default: the current app)."""
        self.of(app).dispose()


db = DatabaseExtension()


def _current_app() -> Flask:
    if not has_app_context():
        raise RuntimeError(
            "Planverksted needs an app context here: use `with app.app_context():` "
            "(requests, socket handlers and the app's background loops have one)"
        )
    return cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]


def current_publisher() -> Publisher:
    """Where the current app's committed events go."""
    return cast("Publisher", _current_app().extensions[PUBLISHER])


def use_publisher(app: Flask, publisher: Publisher) -> Publisher:
    """Send an app's events to another publisher (tests record them); returns the previous one."""
    previous = cast("Publisher", app.extensions.get(PUBLISHER))
    app.extensions[PUBLISHER] = publisher
    return previous


def socketio_of(app: Flask | None = None) -> SocketIO:
    """The Socket.IO server of an app (default: the current app); one per app."""
    target = app if app is not None else _current_app()
    return cast("SocketIO", target.extensions[SOCKETIO])


def current_plans_dir() -> Path | None:
    """The plans folder the current app was given, or None (no app context, or not set)."""
    if not has_app_context():
        return None
    chosen = current_app.extensions.get(PLANS_DIR)
    return Path(chosen) if chosen else None


def current_saved_plans_dir() -> Path | None:
    """Where the current app saves agendas as plans (its data folder), or None outside an app."""
    if not has_app_context():
        return None
    folder: Path = current_app.extensions[SETTINGS].saved_plans_dir
    return folder


def add_worker(app: Flask, worker: Stoppable) -> None:
    """Have dispose_app() stop this background worker of the app."""
    app.extensions.setdefault(WORKERS, []).append(worker)


def dispose_app(app: Flask) -> None:
    """Stop an app's background workers, then close its database connections."""
    workers: list[Stoppable] = app.extensions.get(WORKERS, [])
    for worker in workers:
        worker.stop()
    database = app.extensions.get(DATABASE)
    if database is not None:
        database.dispose()


def _tune_sqlite(engine: Engine, immediate: bool, grouped: bool) -> None:
    # SQLite's own busy wait sleeps inside C, where gevent cannot switch: every request of the
    # process would freeze. Writers therefore try the lock at once and wait in Python (a sleep
    # gevent turns into a switch) for at most WRITE_WAIT_SECONDS; readers rarely wait in WAL.
    # grouped: the log is synced by WalSync after each commit (group commit), not by SQLite.
    busy_ms = 0 if immediate else int(READ_BUSY_SECONDS * 1000)
    synchronous = "NORMAL" if grouped else "FULL"

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        _wait_for_lock(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        if immediate:
            _wait_for_lock(lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))
        else:
            connection.exec_driver_sql("BEGIN")


def is_busy(error: BaseException) -> bool:
    """Whether a database error says another connection holds the lock."""
    text = str(error).lower()
    return "database is locked" in text or "database is busy" in text


def _wait_for_lock(attempt: Callable[[], object]) -> None:
    """Run an attempt that needs the write lock, retrying while another holds it."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    pause = 0.001  # doubling to 50 ms: a writer of this process is done within milliseconds
    while True:
        try:
            attempt()
            return
        except (sqlite3.OperationalError, OperationalError) as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
