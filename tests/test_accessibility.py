"""WCAG 2.1 A/AA: every page checked by axe-core in Chromium, at phone and projector size."""

from __future__ import annotations

import pytest

from tests.support.browser import PHONE, PROJECTOR, axe_violations
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer, call_api

pytestmark = pytest.mark.browser


def test_every_screen_of_a_workshop_has_no_axe_violations(
    live_server: LiveServer,
    browser,  # noqa: F811
) -> None:
    created = call_api(
        live_server.url, "POST", "/workshops", ADMIN_KEY, {"title": "Tilgjengelig verksted"}
    )
    code, facilitator = created["code"], created["facilitator_key"]
    # bypass_csp only lets the test inject axe-core; the pages themselves run under their CSP.
    phone = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    wall = browser.new_context(viewport=PROJECTOR, bypass_csp=True).new_page()
    desk = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
    found: dict[str, list[str]] = {}

    def check(name: str, page) -> None:
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    phone.goto(f"{live_server.url}/")
    check("landing", phone)
    phone.goto(f"{live_server.url}/j/{code}")
    check("join", phone)
    phone.get_by_role("button", name="Bli med").click()
    check("phone info step", phone)
    desk.goto(f"{live_server.url}/start?key={ADMIN_KEY}")
    check("start", desk)
    desk.goto(created["facilitator_url"])
    check("facilitator", desk)
    wall.goto(created["projector_url"])
    check("projector info", wall)

    step = {"action": "next"}
    call_api(live_server.url, "POST", f"/workshops/{code}/step", facilitator, step)
    call_api(
        live_server.url, "POST", f"/workshops/{code}/proposals", facilitator, {"title": "Papirlapp"}
    )
    phone.reload()
    check("phone collect step", phone)
    wall.reload()
    check("projector collect", wall)

    call_api(live_server.url, "POST", f"/workshops/{code}/step", facilitator, step)
    phone.reload()
    check("phone vote step", phone)
    wall.reload()
    check("projector vote", wall)
    desk.reload()
    check("facilitator vote", desk)

    call_api(live_server.url, "POST", f"/workshops/{code}/step", facilitator, step)
    phone.reload()
    check("phone results", phone)
    wall.reload()
    check("projector results", wall)
    phone.goto(f"{live_server.url}/j/ZZZZZZ")
    check("unknown code", phone)
    desk.goto(f"{live_server.url}/f/{code}/rapport")
    check("report", desk)
    phone.goto(f"{live_server.url}/tilgjengelighet")
    check("accessibility statement", phone)
    desk.goto(f"{live_server.url}/f/{code}/slett")
    check("delete confirmation", desk)
    desk.get_by_role("button", name="Ja, slett verkstedet").click()
    desk.get_by_role("heading", name="Verkstedet er slettet").wait_for()
    check("deleted", desk)

    assert found == {}
