"""One rounding for means: one decimal, halves up, the language's decimal sign, the same on the
phone, the projector and the report (2.25 is 2,3 everywhere, 4 is 4,0)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from flask import Flask

from tests.support import prioritising
from tests.support.browser import PHONE, PROJECTOR
from tests.support.config import ADMIN_KEY
from tests.support.prioritising import COLLECT, PLAN_NAME, RATE, RATE_RESULTS
from tests.support.servers import LiveServer
from workshop.web.report import decimal_text

plan = prioritising.plan  # fixtures
room = prioritising.room

CASES = [2.25, 2.35, 2.67, 4, 1.05, 0.95, 3.04, None]
NB = ["2,3", "2,4", "2,7", "4,0", "1,1", "1,0", "3,0", "–"]


@pytest.mark.parametrize(("lang", "expected"), [("nb", NB), ("nn", NB)])
def test_the_server_rule(app: Flask, lang: str, expected: list[str]) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        from flask_babel import force_locale

        with force_locale(lang):
            assert [decimal_text(value, 1) for value in CASES] == expected
        with force_locale("en"):
            assert decimal_text(2.25, 1) == "2.3"


def test_a_mean_is_rounded_once_from_its_full_value(app: Flask, room: prioritising.Room) -> None:
    """17 points from 11 raters is 1.545…: one decimal reads 1,5 (rounding to 1.55 first: 1,6)."""
    first = room.ids[0]
    room.go(RATE)
    for benefit in [1] * 5 + [2] * 6:
        assert room.rate(room.join(), {first: {"gevinst": benefit}}).status_code == 200
    room.go(RATE_RESULTS)
    row = next(p for p in room.json("analysis")["proposals"] if p["id"] == first)
    assert row["means"]["gevinst"] == pytest.approx(17 / 11, abs=1e-6)
    with app.test_request_context("/?lang=nb"):
        assert decimal_text(row["means"]["gevinst"], 1) == "1,5"


@pytest.mark.browser
def test_the_same_mean_reads_the_same_on_phone_projector_and_report(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    http = requests.Session()
    created = http.post(
        f"{live_server.url}/api/v1/workshops",
        json={"title": "Snitt i Lierne", "plan": PLAN_NAME},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=10,
    ).json()
    code, base = created["code"], f"{live_server.url}/api/v1/workshops/{created['code']}"
    staff = {"Authorization": f"Bearer {created['facilitator_key']}"}

    def call(method: str, path: str, body: Any, key: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else staff
        response = http.request(method, base + path, json=body, headers=headers, timeout=10)
        assert response.ok, response.text
        return response.json()

    call("POST", "/step", {"position": COLLECT})
    proposal = call("POST", "/proposals", {"title": "Felles planforum"})["id"]
    call("POST", "/step", {"position": RATE})
    # benefit 2, 2, 2, 3 → 2.25 (2,2 with Python's round, 2,25 on the phone before); effort 4.
    for benefit in (2, 2, 2, 3):
        key = call("POST", "/participants", {})["key"]
        call(
            "PUT", "/ratings", {"ratings": {str(proposal): {"gevinst": benefit, "innsats": 4}}}, key
        )
    call("POST", "/reveal", {"revealed": True})
    call("POST", "/step", {"position": RATE_RESULTS})

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{live_server.url}/j/{code}")
    phone.get_by_role("button", name="Bli med").click()
    on_phone = phone.locator(f'#results li[data-id="{proposal}"] .result-count')
    expect(on_phone).to_contain_text("Gevinst 2,3, innsats 4,0")

    wall = browser.new_context(viewport=PROJECTOR).new_page()
    wall.goto(created["projector_url"])
    legend = wall.locator(f'#matrix-legend li[data-id="{proposal}"]')
    expect(legend).to_contain_text(re.compile(r"2,3 · \w+ 4,0"))
    # The script's rule and the server's agree on the awkward cases too.
    shown = wall.evaluate("cases => cases.map(v => Planverksted.mean(v, 'nb'))", CASES)
    assert shown == NB

    desk = browser.new_context(viewport=PROJECTOR).new_page()
    desk.goto(created["facilitator_url"])
    desk.goto(f"{live_server.url}/f/{code}/rapport")
    assert re.search(r"<td>2,3</td>\s*<td>4,0</td>", desk.content())
    for page in (phone, wall, desk):
        page.context.close()
