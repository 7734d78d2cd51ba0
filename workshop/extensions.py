"""Bare extension objects, initialised by create_app()."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import Babel
from flask_socketio import SocketIO
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

socketio = SocketIO()
babel = Babel()


class Database:
    """The engine and the factory of units of work (SQLAlchemy sessions)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.read_engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None
        self._read_factory: sessionmaker[Session] | None = None

    def configure(self, url: str) -> None:
        """Create the engine; SQLite gets WAL, full sync, foreign keys and immediate writes."""
        self.dispose()
        is_sqlite = url.startswith("sqlite")
        options: dict[str, object] = {}
        if is_sqlite:
            options["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            options.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        engine = create_engine(url, **options)
        read_engine = engine
        if is_sqlite:
            # Writers take the write lock at BEGIN; readers use their own engine so that, in
            # WAL mode, they read the last commit without queueing behind writers.
            _tune_sqlite(engine, immediate=True)
            read_engine = create_engine(url, **options)
            _tune_sqlite(read_engine, immediate=False)
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


def _tune_sqlite(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


db = Database()
