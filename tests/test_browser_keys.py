"""A browser holds any number of workshops: past its cookie cap the keys wait on the server,
sealed with a token only that browser holds."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine, event, func, select, update

from tests.support.api import Api, Workshop
from tests.support.cli import run_cli
from tests.support.config import ADMIN_KEY, database_bytes
from tests.support.forms import join_by_form
from tests.support.servers import LiveServer
from workshop.config import Settings
from workshop.extensions import db
from workshop.models import BrowserKey, DeletionRecord
from workshop.models import Workshop as WorkshopRow
from workshop.services.browser_keys import KEPT_FOR, keep_keys, kept_keys
from workshop.services.key_hashes import hash_key
from workshop.web.keys import BROWSER_COOKIE, MAX_WORKSHOPS

WORKSHOPS = 150
HEADER_LIMIT = 8 * 1024  # nginx's default large_client_header_buffers: 4 8k


def stored_rows(code: str | None = None) -> int:
    """How many browser_key rows there are (of one workshop)."""
    query = select(func.count()).select_from(BrowserKey)
    if code is not None:
        query = query.join(WorkshopRow, WorkshopRow.id == BrowserKey.workshop_id).where(
            WorkshopRow.code == code
        )
    with db.session() as session:
        return int(session.scalar(query) or 0)


def opens_as_facilitator(page: Page, base: str, code: str) -> bool:
    """Whether the browser opens the facilitator screen with the keys it holds (no key prompt)."""
    response = page.goto(f"{base}/f/{code}")
    return (
        response is not None
        and response.status == 200
        and page.url == f"{base}/f/{code}"
        and page.locator("#step-list").count() == 1
    )


def create_on_start_page(page: Page, base: str, title: str) -> str:
    """Create a workshop as a facilitator does; its code."""
    page.goto(f"{base}/start?key={ADMIN_KEY}")
    page.locator("#title").fill(title)
    page.get_by_role("button", name="Opprett verkstedet").click()
    page.locator("#step-list").wait_for()
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def token_of(context: BrowserContext, base: str) -> dict[str, object]:
    return next(c for c in context.cookies(base) if c["name"] == BROWSER_COOKIE)


@pytest.mark.browser
def test_chromium_holds_150_workshops_and_still_opens_the_first(
    live_server: LiveServer,
    api: Api,
    browser: Browser,
    tmp_path: Path,
) -> None:
    base = live_server.url
    context = browser.new_context()
    desk = context.new_page()
    first = create_on_start_page(desk, base, "Det første verkstedet")
    opened: list[Workshop] = [api.create(f"Verksted {n}") for n in range(1, WORKSHOPS)]
    for ws in opened:  # the key link sets the cookie, then the screen opens without it
        desk.goto(f"{base}/f/{ws.code}?key={ws.facilitator_key}", wait_until="commit")
    codes = [first] + [ws.code for ws in opened]

    held = [c for c in context.cookies(base) if str(c["name"]).startswith("pv-")]
    assert len(held) == MAX_WORKSHOPS + 1  # the newest workshops and the browser's token
    token = token_of(context, base)
    assert token["httpOnly"] is True and token["sameSite"] == "Lax" and token["path"] == "/"
    assert stored_rows() == WORKSHOPS - MAX_WORKSHOPS

    for code in codes[:3]:  # the oldest, kept on the server, come back
        assert opens_as_facilitator(desk, base, code), code
    expect(desk.locator("#connection")).to_have_attribute("data-state", "online")
    response = desk.goto(f"{base}/f/{codes[3]}")
    assert response is not None and response.status == 200
    cookie_header = response.request.all_headers().get("cookie", "")
    assert BROWSER_COOKIE in cookie_header and len(cookie_header) < HEADER_LIMIT
    for code in (codes[50], codes[60], codes[-1]):  # evicted in turn, and the newest
        assert opens_as_facilitator(desk, base, code), code
    held = [c for c in context.cookies(base) if str(c["name"]).startswith("pv-")]
    assert len(held) == MAX_WORKSHOPS + 1

    # The database holds the browser's hash, but neither its token nor any key in clear.
    stored = database_bytes(tmp_path / "data")
    assert hash_key(str(token["value"])).encode() in stored
    assert str(token["value"]).encode() not in stored
    assert not [ws.code for ws in opened if ws.facilitator_key.encode() in stored]
    assert not [ws.code for ws in opened if ws.projector_key.encode() in stored]

    # Deleting a workshop deletes what every browser kept of it.
    gone = opened[10]
    assert stored_rows(gone.code) == 1
    deleted = api.client.delete(f"/api/v1/workshops/{gone.code}", headers=api.auth(ADMIN_KEY))
    assert deleted.status_code == 204
    assert stored_rows(gone.code) == 0
    with db.session() as session:
        record = session.scalars(select(DeletionRecord)).one()
    assert record.code == gone.code and record.counts["browser_keys"] == 1
    context.close()


@pytest.mark.browser
def test_only_the_browsers_own_token_opens_what_it_kept(
    live_server: LiveServer, api: Api, browser: Browser
) -> None:
    base = live_server.url
    owner = browser.new_context()
    desk = owner.new_page()
    made = [api.create(f"Verksted {n}") for n in range(MAX_WORKSHOPS + 2)]
    for ws in made:
        desk.goto(f"{base}/f/{ws.code}?key={ws.facilitator_key}", wait_until="commit")
    oldest = made[0].code
    token = str(token_of(owner, base)["value"])
    owner.close()

    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for forged in (secrets.token_urlsafe(32), wrong, hash_key(token), ""):
        stranger = browser.new_context()
        stranger.add_cookies([{"name": BROWSER_COOKIE, "value": forged, "url": base}])
        page = stranger.new_page()
        assert not opens_as_facilitator(page, base, oldest), forged
        assert not [c for c in stranger.cookies(base) if c["name"] == f"pv-{oldest}"]
        stranger.close()

    same = browser.new_context()  # the token alone is what opens them: a copy of it does
    same.add_cookies([{"name": BROWSER_COOKIE, "value": token, "url": base}])
    assert opens_as_facilitator(same.new_page(), base, oldest)
    same.close()


def test_a_row_moved_to_another_workshop_or_browser_opens_for_nobody(app: Flask, api: Api) -> None:
    first, second = api.create("Første"), api.create("Andre")
    token, other = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    keys = {"facilitator": first.facilitator_key, "participant": "deltakernøkkel"}
    assert keep_keys(token, {first.code: keys, "ZZZZZZ": {"facilitator": "x"}}) == 1
    assert kept_keys(token, first.code.lower()) == keys
    assert kept_keys(other, first.code) is None
    with db.session() as session:
        second_id = session.scalar(select(WorkshopRow.id).where(WorkshopRow.code == second.code))
        session.execute(update(BrowserKey).values(workshop_id=second_id))
        session.commit()
    assert kept_keys(token, second.code) is None  # the code is sealed in with the keys
    with db.session() as session:
        session.execute(update(BrowserKey).values(browser=hash_key(other)))
        session.commit()
    assert kept_keys(other, second.code) is None  # and so is the browser
    assert keep_keys(token, {first.code: {"facilitator": "ny"}}) == 1
    assert kept_keys(token, first.code) == {"facilitator": "ny"}
    assert keep_keys(token, {first.code: {"facilitator": "nyere"}}) == 1  # overwritten in place
    assert kept_keys(token, first.code) == {"facilitator": "nyere"} and stored_rows() == 2


def test_keys_kept_longer_than_their_cookie_would_live_are_forgotten_by_the_purge(
    app: Flask, api: Api, settings: Settings
) -> None:
    old, recent = api.create("Gammel"), api.create("Ny")
    token = secrets.token_urlsafe(32)
    assert keep_keys(token, {old.code: {"facilitator": old.facilitator_key}}) == 1
    assert keep_keys(token, {recent.code: {"facilitator": recent.facilitator_key}}) == 1
    long_ago = datetime.now(UTC) - KEPT_FOR - timedelta(days=1)
    with db.session() as session:
        old_id = session.scalar(select(WorkshopRow.id).where(WorkshopRow.code == old.code))
        session.execute(
            update(BrowserKey).where(BrowserKey.workshop_id == old_id).values(written=long_ago)
        )
        session.commit()

    result = run_cli(settings, "purge")  # what cron runs every night
    assert result.returncode == 0, result.stderr
    assert kept_keys(token, old.code) is None
    assert kept_keys(token, recent.code) == {"facilitator": recent.facilitator_key}
    assert api.get(old.code, old.facilitator_key).status_code == 200  # the workshop stays


@contextmanager
def store_queries(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement that touches the browser_key table while the block runs."""
    seen: list[str] = []
    database = db.of(app)
    engines: list[Engine] = [e for e in {database.engine, database.read_engine} if e is not None]

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "browser_key" in statement:
            seen.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def test_a_browser_without_a_token_never_costs_a_query(app: Flask, api: Api) -> None:
    ws = api.create()
    phone: FlaskClient = app.test_client()
    desk: FlaskClient = app.test_client()
    with store_queries(app) as seen:
        join_by_form(phone, ws.code)
        assert phone.get(f"/j/{ws.code}").status_code == 200
        assert phone.get(f"/f/{ws.code}").status_code == 403
        assert phone.get(f"/api/v1/workshops/{ws.code}").status_code == 200
        desk.get(f"/f/{ws.code}?key={ws.facilitator_key}")
        assert desk.get(f"/f/{ws.code}").status_code == 200
        assert app.test_client().get(f"/f/{ws.code}").status_code == 401
    assert seen == []
    token = secrets.token_urlsafe(32)
    holder = app.test_client()
    holder.set_cookie(BROWSER_COOKIE, token)
    with store_queries(app) as seen:
        assert holder.get(f"/f/{ws.code}").status_code == 401  # it kept nothing here
    assert len(seen) == 1  # one look-up, however often the page asks for a key
