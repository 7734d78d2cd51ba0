"""A whole workshop in real Chromium: projector, facilitator and phones, without reloads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, PROJECTOR, console_problems, qr_codes_on
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer, call_api

pytestmark = pytest.mark.browser


def test_phone_joins_by_the_projector_qr_code_and_the_projector_follows_live(
    live_server: LiveServer,
    browser,  # noqa: F811
) -> None:
    created = call_api(
        live_server.url, "POST", "/workshops", ADMIN_KEY, {"title": "Enklere planer i Bindal"}
    )
    code, facilitator = created["code"], created["facilitator_key"]

    projector_context = browser.new_context(viewport=PROJECTOR)
    projector = projector_context.new_page()
    projector_errors = console_problems(projector)
    projector.goto(created["projector_url"])
    expect(projector.get_by_text(code, exact=True).first).to_be_visible()
    projector.evaluate("window.__notReloaded = true")

    scanned = qr_codes_on(projector)
    assert scanned == [f"{live_server.url}/j/{code}"]

    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone_errors = console_problems(phone)
    phone.goto(scanned[0])
    phone.get_by_label("Navn (valgfritt)").fill("Kari")
    phone.get_by_label("Folkevalgt").check()
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online")

    call_api(live_server.url, "POST", f"/workshops/{code}/step", facilitator, {"action": "next"})
    expect(phone.get_by_role("heading", name="Forslag", exact=True)).to_be_visible()
    phone.get_by_label("Forslaget ditt (kort)").fill("Slå sammen handlingsdel og økonomiplan")
    phone.get_by_label("Tema (valgfritt)").select_option("handlingsdel og økonomiplan")
    phone.get_by_role("button", name="Send forslag").click()
    expect(phone.locator("#feed li").first).to_have_text("Slå sammen handlingsdel og økonomiplan")
    expect(projector.locator("#proposal-feed li").first).to_contain_text(
        "Slå sammen handlingsdel og økonomiplan"
    )

    call_api(live_server.url, "POST", f"/workshops/{code}/step", facilitator, {"action": "next"})
    expect(phone.locator("#vote-form")).to_be_visible()
    add_dot = phone.get_by_role(
        "button", name="Legg en prikk på «Slå sammen handlingsdel og økonomiplan»"
    )
    for _ in range(3):
        add_dot.click()
    expect(phone.locator("#remaining")).to_have_text(re.compile(r"Du har 2 prikker igjen"))
    expect(projector.locator("#voter-count")).to_have_text("1")
    expect(projector.locator("#results li")).to_have_count(0)

    def stored_dots() -> int:
        results = call_api(live_server.url, "GET", f"/workshops/{code}/results", facilitator)
        return results["proposals"][0]["dots"]

    for _ in range(50):
        if stored_dots() == 3:
            break
        phone.wait_for_timeout(100)
    assert stored_dots() == 3

    call_api(live_server.url, "POST", f"/workshops/{code}/step", facilitator, {"action": "next"})
    expect(projector.locator("#results li").first).to_contain_text("3 prikker")
    expect(phone.locator("#results li").first).to_contain_text("3 prikker")
    assert projector.evaluate("window.__notReloaded") is True
    assert projector_errors == [] and phone_errors == []
    projector_context.close()
    phone_context.close()
