"""Alembic migrations, applied in place at start-up so an existing database upgrades itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from workshop.extensions import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
