"""Table mode in real Chromium: a phone picks its table on the join form; the facilitator
moves it to another table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, axe_violations, console_problems
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer, call_api

pytestmark = pytest.mark.browser
TABLES = ["Bord 1", "Bord 2", "Kafébordet"]


def test_a_phone_picks_its_table_when_joining(
    live_server: LiveServer,
    browser,  # noqa: F811
) -> None:
    created = call_api(
        live_server.url,
        "POST",
        "/workshops",
        ADMIN_KEY,
        {"title": "IGP i Hattfjelldal", "plan": "plan-igp", "settings": {"tables": TABLES}},
    )
    code, facilitator = created["code"], created["facilitator_key"]
    # bypass_csp only lets the test inject axe-core; the pages run under their CSP.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    phone = context.new_page()
    errors = console_problems(phone)
    phone.goto(created["join_url"])
    table = phone.get_by_label("Bord", exact=True)
    expect(table).to_be_visible()
    assert axe_violations(phone) == []
    table.select_option("Kafébordet")
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
    seating = call_api(live_server.url, "GET", f"/workshops/{code}/tables", facilitator)
    assert seating["tables"] == TABLES
    assert [p["table"] for p in seating["participants"]] == ["Kafébordet"]
    assert errors == []

    desk_context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    desk = desk_context.new_page()
    desk.goto(created["facilitator_url"])
    seat = desk.get_by_label("Deltaker 1", exact=True)
    expect(seat).to_have_value("Kafébordet")
    assert axe_violations(desk) == []
    seat.select_option("Bord 2")
    desk.get_by_role("button", name="Flytt Deltaker 1").click()
    expect(desk.get_by_label("Deltaker 1", exact=True)).to_have_value("Bord 2")
    seating = call_api(live_server.url, "GET", f"/workshops/{code}/tables", facilitator)
    assert [p["table"] for p in seating["participants"]] == ["Bord 2"]
    desk_context.close()
    context.close()
