"""Alembic migrations, applied in place at start-up so an existing database upgrades itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from workshop.extensions import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_262_001


def alembic_config() -> Config:
    """An Alembic configuration pointing at the package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the database schema up to date."""
    if database.engine is None:
        raise RuntimeError("Database is not configured")
    config = alembic_config()
    with database.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            # Several processes starting at once: one migrates, the others wait and find it done.
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
            connection.commit()
        if sqlite:
            # SQLite rebuilds tables to alter them; with foreign keys on, dropping the old table
            # would cascade-delete rows that refer to it. The pragma only works outside a
            # transaction, so it goes straight to the driver connection.
            _driver_execute(connection, "PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
            if sqlite:
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                connection.rollback()
                if problems:
                    raise RuntimeError(f"Migration left broken references: {problems[:5]}")
        finally:
            if sqlite:
                _driver_execute(connection, "PRAGMA foreign_keys=ON")
            if postgres:
                connection.rollback()
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                connection.commit()


def _driver_execute(connection: Connection, statement: str) -> None:
    driver = connection.connection.dbapi_connection
    if driver is None:
        raise RuntimeError("No driver connection")
    driver.execute(statement)
