"""Phones in a large hall: their snapshot is bounded and new proposals reach them in batches.

Staff screens get each proposal at once; phones get one ``proposals_changed`` per second at most
(200 proposals to 2,000 phones were 400,000 messages), and no other event overtakes a batch.
A phone's socket snapshot lists no proposals when it asks for none (``auth.proposals = 0``), and
its collect step lists the newest 50 with the rest behind «Vis eldre forslag».
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.support.browser import PHONE, axe_violations, console_problems
from tests.support.bulk import add_proposals
from tests.support.realtime import Hall, events_of, proposals_received
from tests.support.servers import LiveServer
from workshop.services.snapshots import LARGE

COLLECT = 1  # plan-simplification: the collect step
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def many(hall: Hall, key: str, count: int, prefix: str = "Forslag") -> list[int]:
    """Post proposals one after another, as fast as the API answers."""
    return [hall.propose(key, f"{prefix} {n}")["id"] for n in range(1, count + 1)]


def get_workshop(hall: Hall, key: str, query: str = "") -> requests.Response:
    return requests.get(
        f"{hall.url}/api/v1/workshops/{hall.code}{query}",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "nb"},
        timeout=10,
    )


def test_phones_get_new_proposals_in_batches_and_staff_one_by_one(hall: Hall) -> None:
    key = hall.join()
    hall.go(COLLECT)
    phone, projector = hall.screen(key), hall.screen(hall.projector)
    for screen in (phone, projector):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    ids = many(hall, hall.facilitator, 12)
    hall.barrier(phone, projector)

    assert [p["id"] for p in proposals_received(phone)] == ids
    assert [e["data"]["proposal"]["id"] for e in events_of(projector, "proposal_added")] == ids
    batches = events_of(phone, "proposals_changed")
    assert len(batches) < len(ids), "every proposal went to the phones on its own"
    assert not events_of(phone, "proposal_added")
    versions = [batch["version"] for batch in batches]
    assert versions == sorted(versions)


def test_no_event_overtakes_the_phones_batch(hall: Hall) -> None:
    key = hall.join()
    hall.go(COLLECT)
    phone = hall.screen(key)
    phone.wait_for(lambda: phone.of("snapshot"))
    many(hall, hall.facilitator, 1, "Først")  # the first goes at once; the next one is held
    hidden = hall.propose(hall.facilitator, "Skjules straks")["id"]
    response = hall.patch(
        f"/api/v1/workshops/{hall.code}/proposals/{hidden}", {"status": "hidden"}, hall.facilitator
    )
    assert response.status_code == 200, response.text
    removed = phone.wait_for(lambda: events_of(phone, "proposal_removed"))
    assert removed[0]["data"]["id"] == hidden
    order = [
        ("removed" if e["type"] == "proposal_removed" else "batch", e)
        for e in phone.of("event")
        if e["type"] in ("proposal_removed", "proposals_changed")
    ]
    sent = next(
        i
        for i, (kind, e) in enumerate(order)
        if kind == "batch" and hidden in [p["id"] for p in e["data"]["proposals"]]
    )
    gone = next(i for i, (kind, _) in enumerate(order) if kind == "removed")
    assert sent < gone, "the phone was told of the removal before the proposal itself"


def test_a_phone_asking_for_no_proposals_gets_a_small_snapshot(
    hall: Hall, live_server: LiveServer
) -> None:
    key = hall.join()
    hall.go(COLLECT)
    add_proposals(live_server.app, hall.code, LARGE + 1, "Et langt forslag om enklere planarbeid")
    phone = hall.screen(key, auth={"proposals": 0})  # as static/js/participant.js asks
    full = hall.screen(key)
    small = phone.wait_for(lambda: phone.of("snapshot"))[0]
    whole = full.wait_for(lambda: full.of("snapshot"))[0]

    assert small["proposals"] == [] and small["proposals_total"] == LARGE + 1
    assert small["me"]["participant_id"] == whole["me"]["participant_id"]
    assert small["step"] == whole["step"] and small["version"] == whole["version"]
    # the contract: every visible proposal (this one was built off the event loop)
    assert len(whole["proposals"]) == LARGE + 1 and "proposals_total" not in whole
    assert len(json.dumps(small)) < 2_000 < 40_000 < len(json.dumps(whole))


def test_the_api_lists_the_newest_proposals_when_asked(hall: Hall) -> None:
    key = hall.join()
    hall.go(COLLECT)
    ids = many(hall, hall.facilitator, 15)

    page = get_workshop(hall, key, "?proposals=5").json()
    assert [p["id"] for p in page["proposals"]] == ids[-5:]
    assert page["proposals_total"] == 15
    assert len(get_workshop(hall, key).json()["proposals"]) == 15
    for wrong in ("abc", "-1", "10001", "²"):
        refused = get_workshop(hall, key, f"?proposals={wrong}")
        assert refused.status_code == 422, wrong
        assert "heltall" in refused.json()["error"]["message"]
    with pytest.raises(socketio.exceptions.ConnectionError):
        hall.screen(key, auth={"proposals": -1})


def test_the_phone_lists_the_newest_fifty_and_shows_older_on_request(
    browser: Any, live_server: LiveServer, hall: Hall, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    hall.go(COLLECT)
    many(hall, hall.facilitator, 55)
    # bypass_csp only lets the test inject axe-core; the page runs under its CSP.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()
    problems = console_problems(page)
    page.goto(f"{live_server.url}/j/{hall.code}")
    page.get_by_role("button", name="Bli med").click()
    feed = page.locator("#feed li")
    expect(feed).to_have_count(50)
    expect(page.locator("#feed-count")).to_have_text("55")
    expect(feed.first).to_have_text("Forslag 55")
    more = page.get_by_role("link", name="Vis eldre forslag (5 til)")
    expect(more).to_be_visible()
    assert axe_violations(page) == []

    hall.propose(hall.join(), "Felles planressurs med nabokommunen")
    expect(feed.first).to_have_text("Felles planressurs med nabokommunen")
    expect(page.locator("#feed-count")).to_have_text("56")
    expect(feed).to_have_count(51)
    # docs/screenshots/phone-feed-older.png is taken here: UPDATE_SCREENSHOTS=1 pytest …
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    more.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / "phone-feed-older.png"))

    more.click()
    expect(feed).to_have_count(56)
    expect(feed.last).to_have_text("Forslag 1")
    expect(page.locator("#feed-more")).to_have_count(0)
    assert problems == []
    context.close()
