"""Phones by keyboard alone, at 320 px with 200 % text, and with reduced motion (WCAG 2.1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer, call_api

pytestmark = pytest.mark.browser


def workshop_at_vote(live: LiveServer) -> dict:
    """A workshop whose room is at the vote step with two proposals."""
    created = call_api(live.url, "POST", "/workshops", ADMIN_KEY, {"title": "Tastatur"})
    code, facilitator = created["code"], created["facilitator_key"]
    call_api(live.url, "POST", f"/workshops/{code}/step", facilitator, {"position": 1})
    for title in ("Slå sammen handlingsdel og økonomiplan", "Felles plankontor"):
        call_api(live.url, "POST", f"/workshops/{code}/proposals", facilitator, {"title": title})
    call_api(live.url, "POST", f"/workshops/{code}/step", facilitator, {"position": 2})
    return created


def test_voting_works_with_the_keyboard_alone(live_server: LiveServer, browser) -> None:  # noqa: F811
    created = workshop_at_vote(live_server)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(created["join_url"])
    page.keyboard.press("Tab")  # skip link first
    for _ in range(12):
        if page.evaluate("document.activeElement.textContent.trim()") == "Bli med":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#vote-form")).to_be_visible()
    name = "Legg en prikk på «Slå sammen handlingsdel og økonomiplan»"
    for _ in range(40):
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == name:
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == name
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows no focus outline"
    page.keyboard.press("Enter")
    page.keyboard.press(" ")
    expect(page.locator("#remaining")).to_have_text("Du har 3 prikker igjen")
    # The button says which proposal, and a screen reader hears how many dots it has now.
    button = page.get_by_role("button", name=name)
    expect(button).to_have_accessible_description("2 prikker nå")
    # Each press is spoken ("Du har 3 prikker igjen"), then "saved" once the server has the dots.
    expect(page.locator("#announcer")).to_have_text("Stemmene dine er lagret.")
    expect(page.locator("#vote-state")).to_have_text("Stemmene dine er lagret.")


@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_phone_pages_fit_320_px_without_sideways_scrolling(
    live_server: LiveServer,
    browser,  # noqa: F811
    text_size: str,
) -> None:
    created = workshop_at_vote(live_server)
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()

    def fits(where: str) -> None:
        page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{where} at {text_size}: {width[0]} px wide in {width[1]}"

    page.goto(f"{live_server.url}/")
    fits("landing")
    page.goto(created["join_url"])
    fits("join")
    page.get_by_role("button", name="Bli med").click()
    expect(page.locator("#vote-form")).to_be_visible()
    fits("vote step")
    page.goto(f"{live_server.url}/tilgjengelighet")
    fits("accessibility statement")


def test_reduced_motion_switches_transitions_off(live_server: LiveServer, browser) -> None:  # noqa: F811
    created = workshop_at_vote(live_server)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(created["projector_url"])
    durations = page.evaluate(
        """() => [...document.querySelectorAll('*')]
             .map(e => getComputedStyle(e))
             .flatMap(s => [s.transitionDuration, s.animationDuration])
             .filter(d => d && d.split(',').some(p => parseFloat(p) > 0))"""
    )
    assert durations == []
