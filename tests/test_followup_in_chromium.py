"""Actions and report-back in real Chromium: the facilitator records an action and closes, an
open phone turns into the report-back page (bokmål) with ranking, actions and a live note, and
every new page passes axe (WCAG 2.1 A/AA)."""

from __future__ import annotations

import pytest

from tests.support import followup as support
from tests.support.browser import PHONE, PROJECTOR, axe_violations, console_problems
from tests.support.config import ADMIN_KEY
from tests.support.followup import ACTIONS, COLLECT, DOTS
from tests.support.servers import LiveServer, call_api

pytestmark = pytest.mark.browser
followup_plan = support.followup_plan  # fixture


def test_a_phone_on_the_join_url_sees_the_report_back_after_closing(
    live_server: LiveServer,
    followup_plan: str,
    browser,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    created = call_api(
        url, "POST", "/workshops", ADMIN_KEY, {"title": "Oppfølging i salen", "plan": followup_plan}
    )
    code, facilitator = created["code"], created["facilitator_key"]
    base = f"/workshops/{code}"
    call_api(url, "POST", f"{base}/step", facilitator, {"position": COLLECT})
    ids = {}
    for title, level in (
        ("Felles planforum", "regional"),
        ("Slå sammen handlingsdel og økonomiplan", "lokal"),
    ):
        proposal = call_api(url, "POST", f"{base}/proposals", facilitator, {"title": title})
        call_api(
            url, "PATCH", f"{base}/proposals/{proposal['id']}", facilitator, {"change_level": level}
        )
        ids[title] = proposal["id"]
    voters = [call_api(url, "POST", f"{base}/participants", "", {})["key"] for _ in range(3)]
    call_api(url, "POST", f"{base}/step", facilitator, {"position": DOTS})
    for key in voters:
        call_api(
            url,
            "PUT",
            f"{base}/votes",
            key,
            {"allocations": {str(ids["Slå sammen handlingsdel og økonomiplan"]): 3}},
        )
    call_api(url, "POST", f"{base}/step", facilitator, {"position": ACTIONS})

    found: dict[str, list[str]] = {}

    def check(name: str, page) -> None:
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    # bypass_csp only lets the test inject axe-core; the pages run under their CSP.
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    ).new_page()
    desk = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
    wall = browser.new_context(viewport=PROJECTOR, bypass_csp=True).new_page()
    problems = console_problems(phone)

    phone.goto(f"{url}/j/{code}")
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.get_by_role("heading", name="Tiltak", exact=True)).to_be_visible()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
    check("phone actions step, empty", phone)

    wall.goto(created["projector_url"])
    expect(wall.locator("#stage")).to_have_attribute("data-mode", "actions")

    desk.goto(created["facilitator_url"])
    desk.locator("#action-what").fill("Legg handlingsdelen inn i økonomiplanen")
    desk.locator("#action-proposal").select_option(
        str(ids["Slå sammen handlingsdel og økonomiplan"])
    )
    desk.locator("#action-owner").fill("Kommunedirektøren")
    desk.locator("#action-due").fill("2027-03-01")
    desk.locator("#action-decided-by").select_option("kommunestyret")
    desk.locator("#action-level").select_option("lokal")
    desk.get_by_role("button", name="Legg til tiltaket").click()
    expect(desk.locator("#facilitator-actions li")).to_have_count(1)
    check("facilitator with an action", desk)

    expect(wall.locator("#action-wall li")).to_have_count(1)
    expect(wall.locator("#action-wall")).to_contain_text("Kommunedirektøren")
    check("projector actions", wall)

    # the open phone gets the new action and suggests an owner and a deadline
    expect(phone.locator("#phone-actions li")).to_have_count(1)
    phone.get_by_text("Foreslå ansvarlig og frist").click()
    phone.get_by_label("Ansvarlig (en rolle eller et organ)").fill("Planleggeren")
    check("phone actions step with a suggestion form", phone)
    phone.get_by_role("button", name="Send forslaget").click()
    expect(phone.get_by_text("Takk! Forslaget ditt er sendt til tilretteleggeren.")).to_be_visible()
    expect(desk.locator("#facilitator-actions")).to_contain_text("Planleggeren")

    # closing needs the ticked confirmation
    desk.get_by_role("button", name="Avslutt verkstedet").click()
    expect(desk.locator("#closed-state")).to_have_count(0)
    desk.get_by_label("Ja, avslutt verkstedet").check()
    desk.get_by_role("button", name="Avslutt verkstedet").click()
    expect(desk.locator("#closed-state")).to_be_visible()

    # the open phone turns into the report-back page by itself
    expect(phone.get_by_role("heading", name="Dette ble resultatet")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "nb")
    ranking = phone.locator("ol.ranking li")
    expect(ranking.first).to_contain_text("Slå sammen handlingsdel og økonomiplan")
    expect(phone.get_by_role("heading", name="Lokal – kommunen selv")).to_be_visible()
    expect(phone.locator("#outcome-actions")).to_contain_text(
        "Legg handlingsdelen inn i økonomiplanen"
    )
    expect(phone.locator("#outcome-actions")).to_contain_text("Kommunedirektøren")
    expect(phone.locator("#outcome-actions")).to_contain_text("Kommunestyret")
    expect(phone.locator("#connection")).to_have_count(0)

    desk.get_by_label("Melding (vises på resultatsiden og på åpne mobiler)").fill(
        "Saken går til kommunestyret 12. mars."
    )
    desk.get_by_role("button", name="Send meldingen").click()
    expect(phone.locator("#notes")).to_contain_text("Saken går til kommunestyret 12. mars.")
    check("phone report-back", phone)
    check("facilitator closed", desk)

    desk.get_by_role("button", name="Publiser rapporten").click()
    expect(phone.get_by_role("link", name="Les rapporten")).to_be_visible()

    # anyone with the code (a fresh phone, no cookie) sees the same page at the join URL
    stranger = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    stranger.goto(f"{url}/j/{code}")
    expect(stranger.get_by_role("heading", name="Dette ble resultatet")).to_be_visible()
    expect(stranger.locator("#notes")).to_contain_text("Saken går til kommunestyret 12. mars.")
    stranger.get_by_role("link", name="Les rapporten").click()
    expect(stranger.get_by_role("heading", name="Oppfølging i salen")).to_be_visible()
    check("published report", stranger)

    assert [p for p in problems if "socket" not in p.lower()] == []
    assert found == {}
