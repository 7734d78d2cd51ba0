"""Keys in the browser (a cookie per workshop, past a hundred on the server), keys at rest
(hashes), private files, no caching."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.support.api import Api
from tests.support.config import ADMIN_KEY, database_bytes, test_settings
from tests.support.forms import csrf_of, join_by_form
from tests.support.realtime import Screen
from tests.support.servers import LiveServer
from workshop import create_app, migrate
from workshop.config import Settings
from workshop.extensions import Database, dispose_app
from workshop.services.key_hashes import hash_key
from workshop.web.keys import BROWSER_COOKIE, MAX_WORKSHOPS

# --- a cookie per workshop ------------------------------------------------------------------


def create_by_form(browser: requests.Session, base: str, title: str) -> str:
    """Create a workshop on the start page as a facilitator does; its code."""
    page = browser.get(f"{base}/start").text
    made = browser.post(
        f"{base}/start",
        data={"csrf": csrf_of(page), "title": title, "plan": "plan-simplification"},
        allow_redirects=False,
    )
    assert made.status_code == 302, made.text[:300]
    return made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def opens_as_facilitator(browser: requests.Session, base: str, code: str) -> bool:
    page = browser.get(f"{base}/f/{code}")
    return page.status_code == 200 and 'id="step-list"' in page.text


def test_one_browser_holds_a_hundred_workshops_in_cookies_and_more_on_the_server(
    live_server: LiveServer,
) -> None:
    base = live_server.url
    browser = requests.Session()
    sent: list[str] = []  # every Set-Cookie: a browser drops a cookie over 4096 bytes

    def record(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        sent.extend(response.raw.headers.getlist("Set-Cookie"))

    browser.hooks["response"].append(record)
    assert browser.get(f"{base}/start?key={ADMIN_KEY}").status_code == 200
    codes = [create_by_form(browser, base, f"Verksted {n}") for n in range(MAX_WORKSHOPS)]
    assert MAX_WORKSHOPS >= 100
    assert all(opens_as_facilitator(browser, base, code) for code in codes)
    for code in (codes[0], codes[-1]):  # the API and the screen's live connection read it too
        snapshot = browser.get(
            f"{base}/api/v1/workshops/{code}", headers={"X-Planverksted-As": "facilitator"}
        )
        assert snapshot.json()["audience"] == "facilitator"
    cookie_header = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    desk = Screen(base, codes[0], None, headers={"Cookie": cookie_header})
    try:
        first = desk.wait_for(lambda: desk.of("snapshot"))[0]
        assert first["audience"] == "facilitator" and first["code"] == codes[0]
    finally:
        desk.close()
    held = [c for c in browser.cookies if c.name.startswith("pv-")]
    assert len(held) == MAX_WORKSHOPS and sum(len(c.value) for c in held) < 60 * MAX_WORKSHOPS
    assert len(browser.cookies) < 180  # Chromium keeps at most 180 cookies per host
    assert sent and max(len(cookie) for cookie in sent) < 4096

    assert browser.cookies.get(BROWSER_COOKIE) is None  # no token until it is needed

    newest = create_by_form(browser, base, "Ett til")
    assert opens_as_facilitator(browser, base, newest)
    assert browser.cookies.get(f"pv-{codes[0]}") is None  # the oldest made room ...
    assert browser.cookies.get(BROWSER_COOKIE)  # ... and went to the server under a token
    assert opens_as_facilitator(browser, base, codes[0])  # from where it comes back
    assert all(opens_as_facilitator(browser, base, code) for code in codes[1:])
    held = [c for c in browser.cookies if c.name.startswith("pv-")]
    assert len(held) == MAX_WORKSHOPS + 1 and len(browser.cookies) < 180


def test_key_cookies_are_httponly_lax_and_scoped_to_the_whole_site(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create()
    response = client.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("pv-"))
    assert cookie.startswith(f"pv-{ws.code}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/;" in cookie + ";"
    assert "Secure" not in cookie  # an http:// server
    assert ws.facilitator_key in cookie and ws.projector_key not in cookie


@pytest.mark.parametrize(
    ("public_url", "flag", "secure"),
    [
        ("https://verksted.example.no", None, True),
        ("http://192.0.2.10:5000", None, False),
        ("https://verksted.example.no", "0", False),
        ("http://192.0.2.10:5000", "1", True),
    ],
)
def test_cookies_are_secure_when_served_over_https(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    public_url: str,
    flag: str | None,
    secure: bool,
) -> None:
    if flag is not None:
        monkeypatch.setenv("WORKSHOP_SECURE_COOKIES", flag)
    settings = test_settings(tmp_path, public_url=public_url)
    assert settings.secure_cookies is secure
    app = create_app(settings)
    try:
        client = app.test_client()
        ws = Api(client).create()
        cookies = client.get(f"/f/{ws.code}?key={ws.facilitator_key}").headers.getlist("Set-Cookie")
        cookies += client.get(f"/j/{ws.code}").headers.getlist("Set-Cookie")  # a form: the session
        assert {c.split("=", 1)[0] for c in cookies} == {f"pv-{ws.code}", "planverksted"}
        assert all(("; Secure" in c) is secure for c in cookies)
    finally:
        dispose_app(app)


# --- nothing that carries a key or results is cached ----------------------------------------


def test_every_answer_with_a_key_or_results_says_no_store(api: Api, client: FlaskClient) -> None:
    made = client.post(
        "/api/v1/workshops", json={"title": "Hurtigbuffer"}, headers=api.auth(ADMIN_KEY)
    )
    ws = api.create()
    staff = api.auth(ws.facilitator_key)
    joined = client.post(f"/api/v1/workshops/{ws.code}/participants", json={})
    api.go_to(ws, "results")
    answers = {
        "create": made,
        "join": joined,
        "snapshot": client.get(f"/api/v1/workshops/{ws.code}", headers=staff),
        "results": client.get(f"/api/v1/workshops/{ws.code}/results", headers=staff),
        "refusal": client.get(f"/api/v1/workshops/{ws.code}/results"),
    }
    for fmt in ("csv", "xlsx", "json"):
        answers[fmt] = client.get(f"/api/v1/workshops/{ws.code}/export.{fmt}", headers=staff)
    answers["key link"] = client.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    answers["facilitator"] = client.get(f"/f/{ws.code}")
    answers["report"] = client.get(f"/f/{ws.code}/rapport")
    answers["projector"] = client.get(f"/p/{ws.code}")
    phone = client.application.test_client()
    join_by_form(phone, ws.code)
    answers["phone"] = phone.get(f"/j/{ws.code}")
    for name, response in answers.items():
        assert response.status_code < 500, name
        assert response.headers.get("Cache-Control") == "no-store", name
    assert (
        made.status_code == 201 and answers["csv"].status_code == answers["json"].status_code == 200
    )
    # files the same for everyone may still be cached
    assert "no-store" not in client.get("/api/v1/openapi.json").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/js/state.js").headers.get("Cache-Control", "")


# --- files only the server's user reads -----------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_database_are_private(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    app = create_app(Settings.from_env(data_dir=data, public_url="http://192.0.2.10:5000"))
    try:
        client = app.test_client()
        admin_key = (data / "admin-key").read_text(encoding="utf-8").strip()
        made = client.post("/api/v1/workshops", json={"title": "T"}, headers=Api.auth(admin_key))
        code = made.get_json()["code"]
        assert client.post(f"/api/v1/workshops/{code}/participants", json={}).status_code == 201
        database = data / "planverksted.sqlite3"
        assert admin_key and mode(data) == 0o700
        assert mode(database) == 0o600
        for name in ("admin-key", "secret-key", "planverksted.sqlite3-wal"):
            assert mode(data / name) == 0o600, name
        shm = data / "planverksted.sqlite3-shm"
        assert not shm.exists() or mode(shm) == 0o600
    finally:
        dispose_app(app)


def test_a_world_readable_data_folder_is_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = create_app(test_settings(tmp_path))
    dispose_app(first)
    data.chmod(0o755)
    for path in data.iterdir():
        path.chmod(0o644)
    second = create_app(test_settings(tmp_path))
    try:
        assert mode(data) == 0o700
        assert mode(data / "planverksted.sqlite3") == 0o600
        assert mode(data / "secret-key") == 0o600
    finally:
        dispose_app(second)


# --- keys at rest are hashes ----------------------------------------------------------------


def test_the_database_holds_no_key_in_clear(tmp_path: Path) -> None:
    app = create_app(test_settings(tmp_path))
    try:
        client = app.test_client()
        api = Api(client)
        ws = api.create()
        phone = api.join(ws.code)
        # every key still opens what it did
        audiences = [
            api.get(ws.code, key).get_json()["audience"]
            for key in (ws.facilitator_key, ws.projector_key, phone)
        ]
        assert audiences == ["facilitator", "projector", "participant"]
        stored = database_bytes(tmp_path / "data")
        for key in (ws.facilitator_key, ws.projector_key, phone):
            assert key.encode() not in stored
            assert hash_key(key).encode() in stored  # the test reads the right file
    finally:
        dispose_app(app)


def test_the_facilitator_screen_still_shows_a_working_projector_link(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create()
    fresh = client.application.test_client()  # another laptop: it has only the link
    fresh.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    page = fresh.get(f"/f/{ws.code}").get_data(as_text=True)
    link = re.search(rf"/p/{ws.code}\?key=([\w-]+)", page)
    assert link and link.group(1) == ws.projector_key
    wall = client.application.test_client()
    wall.get(f"/p/{ws.code}?key={link.group(1)}")
    assert 'data-as="projector"' in wall.get(f"/p/{ws.code}").get_data(as_text=True)


# --- an old database keeps its keys working -------------------------------------------------


@pytest.fixture
def old_database(tmp_path: Path) -> Iterator[Path]:
    """A data folder whose database was made at revision 0005, with clear keys in it."""
    data = tmp_path / "data"
    data.mkdir()
    old = Database()
    old.configure(f"sqlite:///{data / 'planverksted.sqlite3'}")
    migrate.upgrade(old, "0005_tables")
    assert old.engine is not None
    with old.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO workshop (code, title, language, plan_name, roles, categories, settings,"
            " facilitator_key, projector_key, current_position, revealed, joining_open, show_qr,"
            " version, report_published, created_at) VALUES ('ABCDEF', 'Fra i fjor', 'nb',"
            " 'plan-simplification', '[\"Folkevalgt\"]', '[]', '{}', 'old-facilitator-key-0123',"
            " 'old-projector-key-4567', 0, 0, 1, 1, 1, 0, '2025-11-01 10:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO step (workshop_id, position, kind, title, prompt, config, revealed,"
            " auto_advance) VALUES (1, 0, 'collect', 'Forslag', '', '{}', 0, 0)"
        )
        connection.exec_driver_sql(
            "INSERT INTO participant (workshop_id, key, name, roles, created_at)"
            " VALUES (1, 'old-participant-key-89ab', 'Kari', '[\"Folkevalgt\"]',"
            " '2025-11-01 10:05:00')"
        )
    old.dispose()
    yield data


def test_upgrading_keeps_old_keys_working_and_forgets_them(
    tmp_path: Path, old_database: Path
) -> None:
    app = create_app(test_settings(tmp_path))
    try:
        client = app.test_client()
        api = Api(client)
        keys = {
            "facilitator": "old-facilitator-key-0123",
            "projector": "old-projector-key-4567",
            "participant": "old-participant-key-89ab",
        }
        for audience, key in keys.items():
            assert api.get("ABCDEF", key).get_json()["audience"] == audience
        proposed = api.propose("ABCDEF", keys["participant"], "Kortere høringer")
        assert proposed.status_code == 201
        assert api.get("ABCDEF", "old-facilitator-key-01").status_code == 401
        client.get(f"/f/ABCDEF?key={keys['facilitator']}")
        page = client.get("/f/ABCDEF").get_data(as_text=True)
        assert "/p/ABCDEF?key=old-projector-key-4567" in page  # unsealed for the facilitator
    finally:
        dispose_app(app)
    stored = database_bytes(old_database)
    assert b"Kortere h" in stored and b"Fra i fjor" in stored  # the rows are all there
    for key in keys.values():
        assert key.encode() not in stored


# --- the start page lists shipped and saved plans -------------------------------------------


def test_saved_agendas_are_listed_with_the_shipped_plans_and_marked(
    app: Flask, api: Api, client: FlaskClient, settings: Settings
) -> None:
    ws = api.create()
    saved = client.post(
        f"/api/v1/workshops/{ws.code}/plans",
        json={"name": "var-egen", "title": "Vår egen plan"},
        headers=api.auth(ws.facilitator_key),
    )
    assert saved.status_code == 201
    assert (settings.saved_plans_dir / "var-egen.toml").is_file()
    assert mode(settings.saved_plans_dir) == 0o700
    client.get(f"/start?key={ADMIN_KEY}")
    page = client.get("/start").get_data(as_text=True)
    label = re.search(r'<label for="plan-var-egen">(.*?)</label>', page, re.S)
    shipped = re.search(r'<label for="plan-plan-simplification">(.*?)</label>', page, re.S)
    assert (
        label and "Vår egen plan" in label.group(1) and "Lagret fra et verksted" in label.group(1)
    )
    assert shipped and "Lagret" not in shipped.group(1)
    assert api.create(plan="var-egen").data["title"] == "Forenklingsverksted"


def test_a_name_with_a_trailing_newline_is_refused_in_the_users_language(
    api: Api, client: FlaskClient, settings: Settings
) -> None:
    ws = api.create()
    refused = client.post(
        f"/api/v1/workshops/{ws.code}/plans?lang=en",
        json={"name": "var-egen\n", "title": "Vår egen plan"},
        headers={**api.auth(ws.facilitator_key), "Accept-Language": "en"},
    )
    assert refused.status_code == 422
    body: dict[str, Any] = refused.get_json()["error"]
    assert body["code"] == "validation" and "name" in body["fields"]
    assert "a–z" in body["fields"]["name"] and "Gi planen" not in body["fields"]["name"]
    assert not settings.saved_plans_dir.exists() or not list(settings.saved_plans_dir.iterdir())


def test_socket_long_polling_answers_are_not_cached_either(
    live_server: LiveServer, api: Api
) -> None:
    """A phone on the polling transport receives its snapshot in a plain HTTP answer."""
    ws = api.create()
    url = f"{live_server.url}/socket.io/?EIO=4&transport=polling"
    handshake = requests.get(url, timeout=5)
    sid = json.loads(handshake.text[1:])["sid"]
    hello = json.dumps({"workshop": ws.code, "key": ws.facilitator_key})
    assert requests.post(f"{url}&sid={sid}", data="40" + hello, timeout=5).status_code == 200
    answers = [handshake]
    while not any('42["snapshot"' in answer.text for answer in answers):
        assert len(answers) < 5, [answer.text[:80] for answer in answers]
        answers.append(requests.get(f"{url}&sid={sid}", timeout=5))
    for answer in answers:
        assert answer.headers.get("Cache-Control") == "no-store"
