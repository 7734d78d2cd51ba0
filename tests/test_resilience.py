"""Phones and projector survive lost connections and a server restart, in real Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, PROJECTOR
from tests.support.config import ADMIN_KEY
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server process on its own data folder."""
    running = ServerProcess(tmp_path)
    running.start()
    yield running
    running.stop()


def test_a_proposal_written_offline_is_sent_once_when_back_online(
    server: ServerProcess,
    browser,  # noqa: F811
) -> None:
    created = server.api("POST", "/workshops", ADMIN_KEY, {"title": "Dårlig nett"})
    code, facilitator = created["code"], created["facilitator_key"]
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.goto(created["join_url"])
    phone.get_by_role("button", name="Bli med").click()
    server.api("POST", f"/workshops/{code}/step", facilitator, {"action": "next"})
    expect(phone.locator("#proposal-form")).to_be_visible()

    context.set_offline(True)
    phone.get_by_label("Forslaget ditt (kort)").fill("Skrevet i kjelleren uten dekning")
    phone.get_by_role("button", name="Send forslag").click()
    expect(phone.locator("#announcer")).to_contain_text("sendes når du er tilkoblet igjen")
    assert server.api("GET", f"/workshops/{code}", facilitator)["proposals"] == []

    context.set_offline(False)
    deadline = time.monotonic() + 15
    titles: list[str] = []
    while time.monotonic() < deadline:
        titles = [
            p["title"] for p in server.api("GET", f"/workshops/{code}", facilitator)["proposals"]
        ]
        if titles:
            break
        time.sleep(0.2)
    phone.wait_for_timeout(1500)  # a second flush must not send it again
    titles = [p["title"] for p in server.api("GET", f"/workshops/{code}", facilitator)["proposals"]]
    assert titles == ["Skrevet i kjelleren uten dekning"]
    context.close()


def test_phone_and_projector_recover_after_the_server_restarts(
    server: ServerProcess,
    browser,  # noqa: F811
) -> None:
    created = server.api("POST", "/workshops", ADMIN_KEY, {"title": "Omstart"})
    code, facilitator = created["code"], created["facilitator_key"]
    phone_context = browser.new_context(viewport=PHONE)
    phone = phone_context.new_page()
    phone.goto(created["join_url"])
    phone.get_by_role("button", name="Bli med").click()
    wall_context = browser.new_context(viewport=PROJECTOR)
    wall = wall_context.new_page()
    wall.goto(created["projector_url"])
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
    wall.evaluate("window.__notReloaded = true")
    phone.evaluate("window.__notReloaded = true")

    server.stop()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "offline", timeout=15000)
    server.start()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online", timeout=20000)

    server.api("POST", f"/workshops/{code}/step", facilitator, {"action": "next"})
    expect(phone.locator("#proposal-form")).to_be_visible(timeout=10000)
    expect(wall.locator("#stage")).to_have_attribute("data-kind", "collect", timeout=10000)
    assert phone.evaluate("window.__notReloaded") is True
    assert wall.evaluate("window.__notReloaded") is True
    phone_context.close()
    wall_context.close()
