"""Storage: a real SQLite file (WAL, group commit), in-place upgrades, PostgreSQL for scale-out."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from tests.support.api import Api
from tests.support.config import ADMIN_KEY, skip_or_fail
from workshop import create_app
from workshop.config import Settings
from workshop.extensions import Database, db, dispose_app

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_default_database_is_a_sqlite_file_in_the_data_folder(settings: Settings, app) -> None:
    path = settings.data_dir / "planverksted.sqlite3"
    assert path.is_file()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # NORMAL: the log is synced by the group commit after each commit, not by SQLite.
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_migrations_build_exactly_the_schema_the_models_describe(app: Flask) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from workshop.models import Base

    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_an_acknowledged_write_waited_for_a_sync_of_the_log(app) -> None:
    wal_sync = db.of(app).wal_sync
    assert wal_sync is not None
    api = Api(app.test_client())
    workshop = api.create("Lagret på disk")
    before = wal_sync.rounds
    api.join(workshop.code)
    assert wal_sync.rounds > before
    assert wal_sync.log_path.is_file()


def test_concurrent_commits_all_wait_for_a_sync_and_may_share_one(tmp_path) -> None:
    database = Database()
    database.configure(f"sqlite:///{tmp_path / 'group.sqlite3'}")
    engine = database.engine
    assert engine is not None and database.wal_sync is not None
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")

    def write(number: int) -> None:
        with database.session() as session:
            session.execute(text("INSERT INTO note (text) VALUES (:t)"), {"t": f"n{number}"})
            session.commit()
        database.wait_durable()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM note").scalar() == 40
    assert 1 <= database.wal_sync.rounds <= 40
    database.dispose()


def test_restarting_on_an_existing_database_keeps_every_workshop(settings: Settings) -> None:
    first_app = create_app(settings)
    first = Api(first_app.test_client())
    workshop = first.create("Før omstart")
    first.go_to(workshop, "collect")
    key = first.join(workshop.code)
    first.propose(workshop.code, key, "Skal overleve omstarten")

    dispose_app(first_app)

    again_app = create_app(settings)
    again = Api(again_app.test_client())
    snapshot = again.get(workshop.code, workshop.facilitator_key).get_json()
    assert snapshot["title"] == "Før omstart"
    assert [p["title"] for p in snapshot["proposals"]] == ["Skal overleve omstarten"]
    engine = db.of(again_app).engine
    assert engine is not None
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    dispose_app(again_app)


def test_admin_key_and_secret_are_kept_across_restarts(tmp_path) -> None:
    first = Settings.from_env(data_dir=tmp_path, admin_key="", secret_key="")
    second = Settings.from_env(data_dir=tmp_path, admin_key="", secret_key="")
    assert first.admin_key == second.admin_key and len(first.admin_key) >= 24
    assert first.secret_key == second.secret_key
    assert (tmp_path / "admin-key").stat().st_mode & 0o777 == 0o600


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL, dropped afterwards."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means the service is not there
        skip_or_fail(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({exc.__class__.__name__})")
    schema = f"pv_test_{secrets.token_hex(4)}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.mark.service
def test_whole_loop_on_postgresql(tmp_path, postgres_url: str) -> None:
    settings = Settings.from_env(
        data_dir=tmp_path,
        database_url=postgres_url,
        admin_key=ADMIN_KEY,
        public_url="http://hall.local",
        message_queue=None,
    )
    application = create_app(settings)
    try:
        check_the_whole_loop(application)
    finally:
        dispose_app(application)


@pytest.mark.service
def test_votes_at_once_on_postgresql_each_get_a_version_of_their_own(
    tmp_path, postgres_url: str
) -> None:
    settings = Settings.from_env(
        data_dir=tmp_path, database_url=postgres_url, admin_key=ADMIN_KEY, message_queue=None
    )
    application = create_app(settings)
    try:
        api = Api(application.test_client())
        workshop = api.create("Samtidige stemmer")
        keys = [api.join(workshop.code) for _ in range(20)]
        api.go_to(workshop, "collect")
        proposal = api.propose(workshop.code, keys[0], "Felles planressurs").get_json()
        api.go_to(workshop, "vote")
        before = api.get(workshop.code, workshop.facilitator_key).get_json()["version"]

        def vote(key: str) -> None:
            own = Api(application.test_client())
            assert own.vote(workshop.code, key, {proposal["id"]: 1}).status_code == 200

        threads = [threading.Thread(target=vote, args=(key,)) for key in keys]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        after = api.get(workshop.code, workshop.facilitator_key).get_json()["version"]
        assert after == before + len(keys)  # no two votes shared a version
    finally:
        dispose_app(application)


def check_the_whole_loop(application: Flask) -> None:
    api = Api(application.test_client())
    assert "proposal" in inspect(db.of(application).engine).get_table_names()
    workshop = api.create("På PostgreSQL")
    keys = [api.join(workshop.code, role="Folkevalgt") for _ in range(3)]
    api.go_to(workshop, "collect")
    first = api.propose(workshop.code, keys[0], "Felles planressurs", client_key="k1").get_json()
    again = api.propose(workshop.code, keys[0], "Felles planressurs", client_key="k1")
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    api.go_to(workshop, "vote")
    for key in keys:
        assert api.vote(workshop.code, key, {first["id"]: 2}).status_code == 200
    over = api.vote(workshop.code, keys[0], {first["id"]: 9})
    assert over.status_code == 422
    results = api.get(f"{workshop.code}/results", workshop.facilitator_key).get_json()
    assert results["proposals"][0]["dots"] == 6
    assert results["proposals"][0]["by_role"] == {"Folkevalgt": 6}
    archive = api.get(f"{workshop.code}/export.json", workshop.facilitator_key).get_json()
    restored = api.client.post("/api/v1/import", json=archive, headers=api.auth(ADMIN_KEY))
    assert restored.status_code == 201, restored.get_json()
    copy = restored.get_json()
    again = api.get(f"{copy['code']}/results", copy["facilitator_key"]).get_json()
    assert again["proposals"][0]["dots"] == 6
    headers = api.auth(workshop.facilitator_key)
    assert (
        api.client.delete(f"/api/v1/workshops/{workshop.code}", headers=headers).status_code == 204
    )
    assert api.get(workshop.code, keys[0]).status_code == 404


def test_upgrading_an_old_database_keeps_its_rows(tmp_path) -> None:
    from workshop import migrate

    old = Database()
    old.configure(f"sqlite:///{tmp_path / 'planverksted.sqlite3'}")
    migrate.upgrade(old, "0001")
    assert old.engine is not None
    with old.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO workshop (code, title, language, plan_name, roles, categories, settings,"
            " facilitator_key, projector_key, current_position, revealed, version, created_at)"
            " VALUES ('ABCDEF', 'Fra i fjor', 'nb', 'plan-simplification', '[]', '[]', '{}',"
            " 'f-key', 'p-key', 0, 0, 1, '2025-11-01 10:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO step (workshop_id, position, kind, title, prompt, config)"
            " VALUES (1, 0, 'info', 'Velkommen', '', '{}')"
        )
    old.dispose()
    application = create_app(Settings.from_env(data_dir=tmp_path, admin_key=ADMIN_KEY))
    engine = db.of(application).engine
    assert engine is not None
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM step").scalar() == 1
        assert connection.exec_driver_sql("SELECT joining_open FROM workshop").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    dispose_app(application)
