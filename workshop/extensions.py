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
        self._factory: sessionmaker[Session] | None = None

    def configure(self, url: str) -> None:
        """Create the engine; SQLite gets WAL, full sync, foreign keys and immediate writes."""
        if self.engine is not None:
            self.engine.dispose()
        is_sqlite = url.startswith("sqlite")
        options: dict[str, object] = {"future": True}
        if is_sqlite:
            options["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            options.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        engine = create_engine(url, **options)
        if is_sqlite:
            _tune_sqlite(engine)
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        """Whether the engine speaks SQLite."""
        return self.engine is not None and self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work; the caller commits, anything unfinished is rolled back."""
        if self._factory is None:
            raise RuntimeError("Database is not configured")
        with self._factory() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise


def _tune_sqlite(engine: Engine) -> None:
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
        connection.exec_driver_sql("BEGIN IMMEDIATE")


db = Database()
