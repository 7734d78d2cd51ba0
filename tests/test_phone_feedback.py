"""What the phone shows and says in real Chromium at 390×844: a new step's heading brought into
sight and focused, visible "saved" for dots, ratings and stances, and "no dots left" with the
+ buttons marked disabled and saying why."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support import prioritising
from tests.support.browser import PHONE, ConnectionLine, console_problems
from tests.support.config import ADMIN_KEY
from tests.support.prioritising import AGREE, COLLECT, DOTS, PLAN_NAME, RATE
from tests.support.servers import LiveServer

pytestmark = pytest.mark.browser

plan = prioritising.plan  # fixture
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TITLES = [f"Forslag nummer {n} om enklere planarbeid" for n in range(1, 13)]


class Facilitator:
    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        created = self.http.post(
            f"{url}/api/v1/workshops",
            json={"title": "Telefonen i Bindal", "plan": PLAN_NAME},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
            timeout=10,
        ).json()
        self.code = created["code"]
        self.http.headers["Authorization"] = f"Bearer {created['facilitator_key']}"

    def step(self, position: int) -> None:
        response = self.http.post(
            f"{self.url}/api/v1/workshops/{self.code}/step", json={"position": position}, timeout=10
        )
        assert response.ok, response.text

    def propose(self, title: str) -> int:
        response = self.http.post(
            f"{self.url}/api/v1/workshops/{self.code}/proposals", json={"title": title}, timeout=10
        )
        assert response.ok, response.text
        return int(response.json()["id"])


def phone_in(browser: Any, live_server: LiveServer, room: Facilitator) -> Any:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/j/{room.code}")
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.locator("#step-title")).to_be_visible()
    return phone


def heading_in_sight(phone: Any) -> bool:
    return bool(
        phone.evaluate(
            "() => { const r = document.getElementById('step-title').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; }"
        )
    )


def in_sight(phone: Any, selector: str) -> bool:
    return bool(
        phone.evaluate(
            "s => { const r = document.querySelector(s).getBoundingClientRect();"
            " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }",
            selector,
        )
    )


def test_a_new_step_brings_its_heading_into_sight_and_focus(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    for title in TITLES:
        room.propose(title)
    phone = phone_in(browser, live_server, room)
    problems = console_problems(phone)
    phone.locator("#feed li").last.scroll_into_view_if_needed()
    assert not heading_in_sight(phone)  # far down the list of proposals

    room.step(DOTS)
    expect(phone.get_by_role("heading", name="Prikker", exact=True)).to_be_focused()
    assert heading_in_sight(phone)

    phone.locator(".vote-item").last.scroll_into_view_if_needed()
    assert not heading_in_sight(phone)
    room.step(AGREE)
    expect(phone.get_by_role("heading", name="Enig eller uenig")).to_be_focused()
    assert heading_in_sight(phone)
    assert problems == []


def test_saved_dots_and_no_dots_left_are_shown_and_the_plus_buttons_say_why(
    live_server: LiveServer, plan: str, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    ids = [room.propose(title) for title in TITLES[:6]]
    room.step(DOTS)
    phone = phone_in(browser, live_server, room)
    problems = console_problems(phone)
    state, no_dots = phone.locator("#vote-state"), phone.locator("#no-dots")
    expect(no_dots).to_be_hidden()

    last = phone.get_by_role("button", name=f"Legg en prikk på «{TITLES[5]}»")
    for _ in range(4):
        last.click()
    expect(state).to_have_text("Stemmene dine er lagret.")
    assert in_sight(phone, "#vote-state")  # the bar stays at the top while the list scrolls
    expect(phone.locator("#announcer")).to_have_text("Stemmene dine er lagret.")
    expect(no_dots).to_be_hidden()
    expect(last).not_to_have_attribute("aria-disabled", "true")

    last.click()  # the fifth and last dot
    expect(phone.locator("#remaining")).to_have_text("Du har 0 prikker igjen")
    expect(no_dots).to_have_text("Du har ikke flere prikker. Ta bort en prikk først.")
    assert in_sight(phone, "#no-dots")
    expect(state).to_have_text("Stemmene dine er lagret.")
    for proposal in ids:
        plus = phone.locator(f'button.inc[data-target="dots-{proposal}"]')
        expect(plus).to_have_attribute("aria-disabled", "true")
        expect(plus).to_have_accessible_description(
            "0 prikker nå Du har ikke flere prikker. Ta bort en prikk først."
            if proposal != ids[5]
            else "5 prikker nå Du har ikke flere prikker. Ta bort en prikk først."
        )
    expect(last).to_be_focused()  # aria-disabled keeps the focus where it was
    # docs/screenshots/phone-dots-saved.png is taken here: UPDATE_SCREENSHOTS=1 pytest …
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    phone.screenshot(path=str(folder / "phone-dots-saved.png"))

    first = phone.get_by_role("button", name=f"Legg en prikk på «{TITLES[0]}»")
    first.dispatch_event("click")  # a tap anyway is refused: nothing changes, the reason is spoken
    expect(phone.locator("#announcer")).to_have_text(
        "Du har ikke flere prikker. Ta bort en prikk først."
    )
    expect(phone.locator(f"#dots-{ids[0]}")).to_have_value("0")

    phone.get_by_role("button", name=f"Ta bort en prikk fra «{TITLES[5]}»").click()
    expect(no_dots).to_be_hidden()
    expect(first).not_to_have_attribute("aria-disabled", "true")
    expect(first).to_have_accessible_description("0 prikker nå")
    expect(state).to_have_text("Stemmene dine er lagret.")
    assert problems == []


def test_dots_tapped_on_a_slow_network_are_saved_in_order_and_none_is_lost(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    """Each save carries the whole allocation: two on their way at once could arrive in the
    wrong order and put older dots back, so the phone sends one at a time, the newest last."""
    from playwright.sync_api import expect

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    room.propose(TITLES[0])
    room.step(DOTS)
    phone = phone_in(browser, live_server, room)
    in_flight: list[int] = [0, 0]  # now, most at once

    def sent(request: Any) -> None:
        if request.method == "PUT" and request.url.endswith("/votes"):
            in_flight[0] += 1
            in_flight[1] = max(in_flight)

    def answered(request: Any) -> None:
        if request.method == "PUT" and request.url.endswith("/votes"):
            in_flight[0] -= 1

    phone.on("request", sent)
    phone.on("requestfinished", answered)
    phone.on("requestfailed", answered)
    network = phone.context.new_cdp_session(phone)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 700, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    plus = phone.get_by_role("button", name=f"Legg en prikk på «{TITLES[0]}»")
    for _ in range(3):  # each tap after the previous save left, before it was answered
        plus.click()
        phone.wait_for_timeout(400)
    expect(phone.locator("#vote-state")).to_have_text("Stemmene dine er lagret.", timeout=15000)
    expect(phone.locator("#remaining")).to_have_text("Du har 2 prikker igjen")
    assert in_flight[1] == 1

    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    me = phone.evaluate(
        "code => fetch('/api/v1/workshops/' + code, {credentials: 'same-origin'})"
        ".then(r => r.json()).then(s => s.me.allocations)",
        room.code,
    )
    assert list(me.values()) == [3]


def test_saved_ratings_and_stances_are_shown_in_sight(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    ids = [room.propose(title) for title in TITLES[:6]]
    room.step(RATE)
    phone = phone_in(browser, live_server, room)
    problems = console_problems(phone)
    state = phone.locator("#prioritise-state")
    expect(state).to_have_attribute("data-rest", "Hvert valg lagres med en gang.")
    said = "e => getComputedStyle(e, '::before').content"
    expect(state).to_be_visible()  # before the first choice: choices are saved at once
    assert state.evaluate(said) == '"Hvert valg lagres med en gang."'
    label = phone.locator(f'label[for="rating-{ids[5]}-gevinst-4"]')
    label.scroll_into_view_if_needed()
    label.click()
    expect(state).to_have_text("Vurderingene dine er lagret.")
    assert state.evaluate(said) == "none"
    assert in_sight(phone, "#prioritise-state")
    expect(phone.locator("#announcer")).to_have_text("Vurderingene dine er lagret.")

    room.step(AGREE)
    expect(phone.get_by_role("heading", name="Enig eller uenig")).to_be_focused()
    radio = phone.get_by_role("radio", name=f"Enig i «{TITLES[5]}»", exact=True)
    radio.scroll_into_view_if_needed()
    radio.check()
    expect(state).to_have_text("Svarene dine er lagret.")
    assert in_sight(phone, "#prioritise-state")
    expect(phone.locator("#announcer")).to_have_text("Svarene dine er lagret.")
    assert problems == []


def test_the_plus_button_at_the_per_proposal_cap_says_so(
    live_server: LiveServer, browser: Any
) -> None:
    """planstrategi-kickoff lets one person give a plan at most two of five dots: at the cap the
    + of that plan says so (not "no dots left"), and the other plans still take dots."""
    from playwright.sync_api import expect

    created = requests.post(
        f"{live_server.url}/api/v1/workshops",
        json={"title": "Planstrategi i Træna", "plan": "planstrategi-kickoff"},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=10,
    ).json()
    staff = {"Authorization": f"Bearer {created['facilitator_key']}"}
    vote = next(s["position"] for s in created["steps"] if s["kind"] == "vote")
    moved = requests.post(
        f"{live_server.url}/api/v1/workshops/{created['code']}/step",
        json={"position": vote},
        headers=staff,
        timeout=10,
    )
    assert moved.ok, moved.text
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    problems = console_problems(phone)
    phone.goto(created["join_url"])
    phone.get_by_role("button", name="Bli med").click()
    first, second = phone.locator(".vote-item").nth(0), phone.locator(".vote-item").nth(1)
    plus = first.locator("button.inc")
    at_cap = phone.locator("#at-cap")
    expect(at_cap).to_be_hidden()
    plus.click()
    plus.click()
    expect(phone.locator("#remaining")).to_have_text("Du har 3 prikker igjen")
    expect(plus).to_have_attribute("aria-disabled", "true")
    expect(plus).to_have_accessible_description(
        "2 prikker nå Du kan gi høyst 2 prikker til ett forslag."
    )
    plus.dispatch_event("click")  # a tap anyway: refused, and the reason is the cap
    expect(at_cap).to_be_visible()
    expect(phone.locator("#announcer")).to_have_text(
        "Dette forslaget har fått så mange prikker som én person kan gi det."
    )
    expect(phone.locator("#no-dots")).to_be_hidden()
    expect(first.locator(".dots-input")).to_have_value("2")
    second.locator("button.inc").click()  # another plan still takes a dot
    expect(second.locator(".dots-input")).to_have_value("1")
    expect(at_cap).to_be_hidden()
    expect(second.locator("button.inc")).not_to_have_attribute("aria-disabled", "true")
    assert problems == []
    phone.context.close()


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_nothing_under_a_finger_moves_when_the_phone_connects_drops_and_comes_back(
    live_server: LiveServer, plan: str, browser: Any, language: str
) -> None:
    """The header's connection pill changed size with its text, so the step below jumped 33 px
    the moment the socket connected, and a tap in that moment landed on nothing."""

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    room.propose(TITLES[0])
    room.step(DOTS)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    line = ConnectionLine(context)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/j/{room.code}?lang={language}")
    phone.locator("form button[type=submit]").click()
    seen = line.drop_and_restore(phone)
    assert len({s["top"] for s in seen[-4:]}) == 1, seen
    assert [s["state"] for s in seen[-4:]] == ["connecting", "online", "offline", "online"], seen
    assert len({s["text"] for s in seen[-4:]}) == 3  # each state says what it is
    context.close()


def test_a_quick_second_tap_finds_its_button_where_the_first_one_was(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    """The "saving" line and the "saved" bar appeared with the first tap and pushed the list
    26–45 px down: a quick second tap landed beside its button."""
    from playwright.sync_api import expect

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    ids = [room.propose(title) for title in TITLES[:3]]
    room.step(DOTS)
    phone = phone_in(browser, live_server, room)
    plus = phone.locator(f'button.inc[data-target="dots-{ids[0]}"]')
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
    expect(plus).to_be_visible()
    before = plus.bounding_box()
    plus.click()
    expect(phone.locator("#vote-state")).to_have_text("Stemmene dine er lagret.")
    assert plus.bounding_box() == before

    room.step(RATE)
    label = phone.locator(f'label[for="rating-{ids[0]}-gevinst-4"]')
    expect(label).to_be_visible()
    before = label.bounding_box()
    label.click()
    expect(phone.locator("#prioritise-state")).to_have_text("Vurderingene dine er lagret.")
    assert label.bounding_box() == before


def test_dots_tapped_without_network_are_saved_when_it_comes_back(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    room = Facilitator(live_server.url)
    room.step(COLLECT)
    room.propose(TITLES[0])
    room.step(DOTS)
    phone = phone_in(browser, live_server, room)
    expect(phone.locator("#connection")).to_have_attribute("data-state", "online")
    phone.context.set_offline(True)
    plus = phone.get_by_role("button", name=f"Legg en prikk på «{TITLES[0]}»")
    plus.click()
    plus.click()
    state = phone.locator("#vote-state")
    expect(state).to_have_text("Ingen forbindelse. Vi lagrer når du er tilkoblet igjen.")
    expect(phone.locator("#remaining")).to_have_text("Du har 3 prikker igjen")
    phone.context.set_offline(False)
    expect(state).to_have_text("Stemmene dine er lagret.", timeout=15000)
    expect(phone.locator("#remaining")).to_have_text("Du har 3 prikker igjen")
    me = phone.evaluate(
        "code => fetch('/api/v1/workshops/' + code, {credentials: 'same-origin'})"
        ".then(r => r.json()).then(s => s.me.allocations)",
        room.code,
    )
    assert list(me.values()) == [2]
