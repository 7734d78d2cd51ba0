"""The pages hold the one client state: in Chromium, after a few changes made over the API, the
projector's and the facilitator's window.planverkstedState equal a fresh snapshot of their
audience, and the screens show it."""

from __future__ import annotations

import time
from typing import Any

import requests
from playwright.sync_api import Page, expect

from tests.support.browser import PROJECTOR, console_problems
from tests.support.client_state import normalise
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer

LAPTOP = {"width": 1440, "height": 900}


def call(live: LiveServer, method: str, path: str, key: str | None, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = requests.request(
        method, f"{live.url}/api/v1{path}", json=body, headers=headers, timeout=10
    )
    assert response.ok, response.text
    return response.json()


def page_state(page: Page, version: int) -> dict[str, Any]:
    """The page's state once it has caught up with a version (waits, never sleeps)."""
    page.wait_for_function(
        "v => window.planverkstedState && window.planverkstedState.version >= v", arg=version
    )
    return page.evaluate("window.planverkstedState")


def test_projector_and_facilitator_pages_equal_a_fresh_snapshot(
    browser: Any, live_server: LiveServer
) -> None:
    created = call(
        live_server, "POST", "/workshops", ADMIN_KEY, {"title": "Planverksted i Vevelstad"}
    )
    code, facilitator = created["code"], created["facilitator_key"]
    keys = {"facilitator": facilitator, "projector": created["projector_key"]}
    base = f"/workshops/{code}"

    wall_context = browser.new_context(viewport=PROJECTOR)
    desk_context = browser.new_context(viewport=LAPTOP)
    wall, desk = wall_context.new_page(), desk_context.new_page()
    problems = [console_problems(wall), console_problems(desk)]  # filled as they happen
    wall.goto(created["projector_url"])
    desk.goto(created["facilitator_url"])
    for page in (wall, desk):
        page_state(page, 1)

    phones = [
        call(live_server, "POST", f"{base}/participants", None, {"role": role})["key"]
        for role in ("Folkevalgt", "Administrasjon")
    ]
    call(live_server, "POST", f"{base}/step", facilitator, {"position": 1})
    first = call(live_server, "POST", f"{base}/proposals", phones[0], {"title": "Felles kart"})
    second = call(live_server, "POST", f"{base}/proposals", phones[1], {"title": "Kortere frist"})
    call(
        live_server, "PATCH", f"{base}/proposals/{second['id']}", facilitator, {"status": "hidden"}
    )
    call(
        live_server, "PATCH", f"{base}/proposals/{first['id']}", facilitator, {"title": "Ett kart"}
    )
    call(live_server, "POST", f"{base}/step", facilitator, {"action": "next"})
    call(live_server, "PUT", f"{base}/votes", phones[0], {"allocations": {str(first["id"]): 3}})
    call(live_server, "POST", f"{base}/reveal", facilitator, {"revealed": True})

    for audience, page in (("facilitator", desk), ("projector", wall)):
        fresh = call(live_server, "GET", base, keys[audience])
        state = page_state(page, fresh["version"])
        # Tallies are coalesced: the vote's one may come after the reveal's event, so the page
        # is given until the committed totals arrive (polled, it never waits longer than that).
        deadline = time.monotonic() + 10
        while normalise(state, audience) != normalise(fresh, audience):
            if time.monotonic() > deadline:
                break
            page.wait_for_timeout(50)
            state = page.evaluate("window.planverkstedState")
        assert normalise(state, audience) == normalise(fresh, audience), audience

    expect(wall.locator("#stage")).to_have_attribute("data-mode", "results")
    expect(wall.locator("#step-title")).to_have_text(fresh["step"]["title"])
    expect(wall.locator("#results li").first).to_contain_text("Ett kart")
    expect(wall.locator("#participant-count")).to_contain_text("2")
    expect(desk.locator("#participant-count")).to_have_text("2")
    expect(desk.locator("#voter-count")).to_have_text("1")
    assert problems == [[], []]
    wall_context.close()
    desk_context.close()
