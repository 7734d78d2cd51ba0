"""The phone in real Chromium shows the server's own words when the workshop's limit holds a
proposal back, and keeps what was typed."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.browser import PHONE
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer

pytestmark = pytest.mark.browser


def test_the_phone_says_why_a_proposal_is_held_back(browser: Any, live_server: LiveServer) -> None:
    from playwright.sync_api import expect

    created = requests.post(
        f"{live_server.url}/api/v1/workshops",
        json={"title": "Grenser i Bindal", "settings": {"proposals_per_minute": 1}},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=10,
    ).json()
    code = created["code"]
    collect = next(s["position"] for s in created["steps"] if s["kind"] == "collect")
    moved = requests.post(
        f"{live_server.url}/api/v1/workshops/{code}/step",
        json={"position": collect},
        headers={"Authorization": f"Bearer {created['facilitator_key']}"},
        timeout=10,
    )
    assert moved.ok, moved.text

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(f"{live_server.url}/j/{code}")
        phone.get_by_role("button", name="Bli med").click()
        form = phone.locator("#proposal-form")
        phone.fill("#proposal-title", "Felles planressurs")
        form.locator("button[type=submit]").click()
        expect(phone.locator("#feed")).to_contain_text("Felles planressurs")
        phone.fill("#proposal-title", "Kortere planprogram")
        form.locator("button[type=submit]").click()
        notice = form.locator(".notice-error")
        expect(notice).to_contain_text("det siste minuttet")
        expect(notice).to_have_attribute("role", "alert")
        assert phone.input_value("#proposal-title") == "Kortere planprogram"
    finally:
        context.close()
