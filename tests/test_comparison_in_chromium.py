"""The admin compares three runs of the plan in real Chromium, with the keyboard alone: picks the
workshops from the start page, accepts a suggested pair and sees the rows join; the page has no
axe violations and fits a phone without sideways scrolling of the page itself.

With UPDATE_SCREENSHOTS=1 it writes the comparison at phone and projector size into
docs/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import PHONE, PROJECTOR, axe_violations
from tests.support.comparison import seed_rooms
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_the_admin_compares_three_municipalities_with_the_keyboard(
    live_server: LiveServer,
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    alvik, bovika, cleng = seed_rooms().values()
    url = live_server.url
    wall = browser.new_context(viewport=PROJECTOR, bypass_csp=True).new_page()
    wall.goto(f"{url}/start?key={ADMIN_KEY}")
    wall.get_by_role("link", name="Sammenlign verksteder").click()
    for room in (alvik, bovika, cleng):
        wall.locator(f"#ws-{room.code}").focus()
        wall.keyboard.press("Space")
    assert axe_violations(wall) == []
    wall.get_by_role("button", name="Sammenlign").focus()
    wall.keyboard.press("Enter")
    expect(wall.get_by_role("heading", level=1)).to_have_text("3 verksteder side om side")
    assert axe_violations(wall) == []

    pair = wall.locator(f"#pair-{alvik.ids[0]}-{bovika.ids[0]}")
    pair.get_by_role("button", name="Samme forslag").focus()
    wall.keyboard.press("Enter")
    expect(wall.get_by_role("status")).to_have_text("Forslagene står nå på samme rad.")
    first_row = wall.locator("#row-1")
    expect(first_row.locator(f'[data-proposal="{alvik.ids[0]}"]')).to_be_visible()
    expect(first_row.locator(f'[data-proposal="{bovika.ids[0]}"]')).to_be_visible()
    cleng_pair = wall.locator(f"#pair-{bovika.ids[0]}-{cleng.ids[0]}")
    cleng_pair.get_by_role("button", name="Samme forslag").focus()
    wall.keyboard.press("Enter")
    expect(first_row).to_have_attribute("data-workshops", "3")
    expect(wall.locator("table.roles[data-row='1'] tr.consensus")).to_be_visible()
    assert axe_violations(wall) == []
    wall.screenshot(path=str(folder / "comparison-projector.png"), full_page=True)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, bypass_csp=True).new_page()
    page_url = wall.url.split("#", 1)[0]
    phone.goto(f"{page_url}?key={ADMIN_KEY}")
    expect(phone.locator("#row-1")).to_have_attribute("data-workshops", "3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    phone.screenshot(path=str(folder / "comparison-phone.png"), full_page=True)
