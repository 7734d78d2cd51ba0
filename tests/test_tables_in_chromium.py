"""Table mode in real Chromium: a phone picks its table on the join form and sees where it sits;
the facilitator moves it; the seating list follows joins and moves without a reload."""

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
    # The open phone hears that it was moved.
    expect(phone.locator("#seat summary")).to_contain_text("Du sitter ved Bord 2")

    # A second phone joins: the desk's list grows without a reload.
    late = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    late.goto(created["join_url"])
    late.get_by_role("button", name="Bli med").click()
    expect(desk.get_by_label("Deltaker 2", exact=True)).to_have_value("")
    # The first phone moves itself; the desk follows.
    phone.locator("#seat summary").click()
    phone.get_by_label("Bord", exact=True).select_option("Bord 1")
    phone.get_by_role("button", name="Bytt bord").click()
    expect(phone.locator("#seat summary")).to_contain_text("Du sitter ved Bord 1")
    assert axe_violations(phone) == []
    expect(desk.get_by_label("Deltaker 1", exact=True)).to_have_value("Bord 1")
    assert errors == []
    late.context.close()
    desk_context.close()
    context.close()


def test_the_projector_shows_the_results_per_table(
    live_server: LiveServer,
    browser,  # noqa: F811
) -> None:
    """plan-igp's results step breaks the dots down by table; a table of fewer than three voters
    is never shown on its own."""
    created = call_api(
        live_server.url,
        "POST",
        "/workshops",
        ADMIN_KEY,
        {"title": "IGP i Grane", "plan": "plan-igp", "settings": {"tables": TABLES}},
    )
    code, facilitator = created["code"], created["facilitator_key"]
    base = f"/workshops/{code}"
    seats = ["Bord 1"] * 3 + ["Bord 2"] * 3 + ["Kafébordet"] * 2
    phones = [
        call_api(live_server.url, "POST", f"{base}/participants", "", {"table": t})["key"]
        for t in seats
    ]
    call_api(live_server.url, "POST", f"{base}/step", facilitator, {"position": 3})  # vote
    first = call_api(live_server.url, "POST", f"{base}/proposals", facilitator, {"title": "A"})
    for key in phones:
        call_api(
            live_server.url, "PUT", f"{base}/votes", key, {"allocations": {str(first["id"]): 2}}
        )
    call_api(live_server.url, "POST", f"{base}/step", facilitator, {"position": 4})  # results
    call_api(live_server.url, "POST", f"{base}/reveal", facilitator, {"revealed": True})
    wall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    wall.goto(created["projector_url"])
    groups = wall.locator("#results-roles")
    expect(groups).to_contain_text("Bord (antall som deltok): Bord 1 (3) · Bord 2 (3)")
    expect(groups).not_to_contain_text("Kafébordet")
    row = wall.locator(f'#results li[data-id="{first["id"]}"] .result-roles')
    expect(row.locator('[data-role="Bord 1"]')).to_contain_text("3 av 3")
    wall.context.close()
