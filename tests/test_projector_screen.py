"""The projector and the phones' live behaviour in real Chromium (issues 3 and 4).

The timer, the QR code and closed joining; nothing but progress before the reveal; the role
breakdown of the plan-culture plan with phones of two roles (and a role of two that never shows);
the benefit–effort matrix; no scrollbars from 1280×720 to 3840×2160 with 30 proposals; axe-core
on the projector in both themes and on the phone's steps; and, without a browser, the two things
the screens are fed: the snapshot's count of who took part, and a tally when a rate step opens.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.support.api import Api
from tests.support.browser import PHONE, PROJECTOR, axe_violations, console_problems
from tests.support.config import ADMIN_KEY, SAMPLE_PROPOSALS
from tests.support.servers import LiveServer
from workshop.services.events import RecordingPublisher

SMALL = {"width": 1280, "height": 720}
HUGE = {"width": 3840, "height": 2160}


class Room:
    """A workshop driven over the JSON API, as a facilitator and participants would."""

    def __init__(self, live: LiveServer, plan: str, title: str = "Enklere planer i Bindal") -> None:
        self.live = live
        self.http = requests.Session()
        body = {"title": title, "plan": plan}
        created = self.call("POST", "", ADMIN_KEY, body, path="/workshops")
        self.code: str = created["code"]
        self.key: str = created["facilitator_key"]
        self.data = created

    def call(
        self,
        method: str,
        suffix: str,
        key: str | None = None,
        body: Any = None,
        path: str | None = None,
        ok: bool = True,
    ) -> Any:
        url = f"{self.live.url}/api/v1{path or '/workshops/' + self.code}{suffix}"
        response = self.http.request(
            method,
            url,
            json=body,
            timeout=10,
            headers={"Authorization": f"Bearer {key or self.key}"},
        )
        if ok:
            assert response.ok, response.text
        return response.json() if response.content else None

    def go(self, kind: str) -> None:
        position = next(s["position"] for s in self.data["steps"] if s["kind"] == kind)
        self.call("POST", "/step", body={"position": position})

    def join(self, *roles: str) -> str:
        response = self.http.post(
            f"{self.live.url}/api/v1/workshops/{self.code}/participants",
            json={"roles": list(roles)},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return response.json()["key"]

    def propose(self, title: str, **extra: Any) -> int:
        return self.call("POST", "/proposals", body={"title": title, **extra})["id"]

    def statements(self) -> dict[str, int]:
        return {p["title"]: p["id"] for p in self.call("GET", "")["proposals"]}


class Screens:
    """Browser contexts of one test, closed at its end (a page left open would keep trying to
    reconnect to a server that is gone)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []

    def new_context(self, **options: Any) -> Any:
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        return context

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def screens(browser: Any) -> Iterator[Screens]:
    """Opens contexts on the session's Chromium and closes them after the test."""
    opened = Screens(browser)
    yield opened
    opened.close()


def projector(screens: Screens, room: Room, size: dict | None = None, **options: Any) -> Any:
    page = screens.new_context(viewport=size or PROJECTOR, **options).new_page()
    page.goto(room.data["projector_url"])
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    return page


def phone_joins(screens: Screens, room: Room, *roles: str) -> Any:
    context = screens.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{room.live.url}/j/{room.code}")
    for role in roles:
        page.get_by_label(role).check()
    page.get_by_role("button", name="Bli med").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    return page


def axe_clean(
    screens: Screens,
    url: str,
    size: dict,
    storage: Any = None,
    theme: str | None = None,
    ready: str = "#connection[data-state=online]",
) -> list[str]:
    """axe-core on a fresh copy of a page (bypass_csp only lets the test inject axe-core)."""
    context = screens.browser.new_context(viewport=size, bypass_csp=True, storage_state=storage)
    page = context.new_page()
    if theme:
        page.add_init_script(f"localStorage.setItem('planverksted-projector-theme', '{theme}')")
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_timeout(400)
    found = axe_violations(page)
    context.close()
    return found


def no_scrollbars(page: Any) -> bool:
    return page.evaluate(
        "document.documentElement.scrollHeight <= innerHeight && "
        "document.documentElement.scrollWidth <= innerWidth"
    )


# --- what the screens are fed: who took part, and a tally when a rate step opens ------------


def test_the_snapshot_counts_who_took_part_in_dots_agree_and_rate_steps(api: Api) -> None:
    workshop = api.create(plan="plan-simplification")
    api.go_to(workshop, "collect")
    keys = [api.join(workshop.code) for _ in range(3)]
    proposal = api.propose(workshop.code, keys[0], "Felles planforum").get_json()["id"]

    def voters() -> int:
        return api.get(workshop.code, workshop.facilitator_key).get_json()["voters"]

    api.go_to(workshop, "vote")
    assert api.vote(workshop.code, keys[0], {proposal: 2}).status_code == 200
    assert voters() == 1
    api.go_to(workshop, "rate")
    assert voters() == 0  # nobody has rated yet; dots of the earlier step do not count here
    for key in keys[1:]:
        response = api.client.put(
            f"/api/v1/workshops/{workshop.code}/ratings",
            json={"ratings": {str(proposal): {"gevinst": 4}}},
            headers=api.auth(key),
        )
        assert response.status_code == 200
    assert voters() == 2

    culture = api.create(plan="plan-culture")
    statement = api.get(culture.code, culture.facilitator_key).get_json()["proposals"][0]["id"]
    answering = api.join(culture.code)
    api.go_to(culture, "agree")
    response = api.client.put(
        f"/api/v1/workshops/{culture.code}/stances",
        json={"stances": {str(statement): "pass"}},
        headers=api.auth(answering),
    )
    assert response.status_code == 200
    assert api.get(culture.code, culture.facilitator_key).get_json()["voters"] == 1


def test_opening_a_rate_step_sends_the_staff_a_tally(
    api: Api, recorder: RecordingPublisher
) -> None:
    workshop = api.create(plan="plan-simplification")
    api.go_to(workshop, "collect")
    recorder.tallies.clear()
    api.go_to(workshop, "rate")
    assert recorder.tallies == [workshop.code]


# --- timer, QR code and joining ---------------------------------------------------------------


@pytest.mark.browser
def test_timer_counts_down_and_pauses_and_the_join_corner_follows_the_facilitator(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "plan-simplification")
    room.go("collect")
    wall = projector(screens, room)
    problems = console_problems(wall)
    phone = phone_joins(screens, room, "Folkevalgt")
    expect(wall.locator("#timer")).to_be_hidden()
    expect(phone.locator("#step-timer")).to_be_hidden()

    room.call("POST", "/timer", body={"action": "start", "seconds": 125})
    expect(wall.locator("#timer")).to_be_visible()
    expect(wall.locator("#timer")).to_have_attribute("data-state", "running")
    expect(wall.locator("#timer-time")).to_have_text(re.compile(r"^2:0[0-5]$"))
    expect(wall.locator("#timer-label")).to_have_text("Tid igjen")
    expect(wall.locator("#timer-time")).not_to_have_text(wall.locator("#timer-time").text_content())
    expect(phone.locator("#step-timer-time")).to_have_text(re.compile(r"^2:0[0-5]$"))

    room.call("POST", "/timer", body={"action": "pause"})
    expect(wall.locator("#timer")).to_have_attribute("data-state", "paused")
    expect(wall.locator("#timer-label")).to_have_text("Pause")
    paused = wall.locator("#timer-time").text_content()
    wall.wait_for_timeout(1300)
    assert wall.locator("#timer-time").text_content() == paused
    expect(phone.locator("#step-timer-label")).to_have_text("Pause")

    # The phone says only «one minute left» and «time is up», in its live region.
    room.call("POST", "/timer", body={"action": "start", "seconds": 61})
    expect(phone.locator("#announcer")).to_have_text("Ett minutt igjen.", timeout=4000)
    room.call("POST", "/timer", body={"action": "start", "seconds": 2})
    expect(phone.locator("#announcer")).to_have_text("Tiden er ute.", timeout=6000)
    expect(wall.locator("#timer")).to_have_attribute("data-state", "done")
    room.call("POST", "/timer", body={"action": "clear"})
    expect(wall.locator("#timer")).to_be_hidden()
    expect(phone.locator("#step-timer")).to_be_hidden()

    # QR hidden: address and code stay in a corner; joining closed: all of it goes.
    code = room.code
    expect(wall.locator("#qr")).to_be_visible()
    room.call("PATCH", "", body={"show_qr": False})
    expect(wall.locator("#stage")).to_have_attribute("data-join", "corner")
    expect(wall.locator("#qr")).to_be_hidden()
    expect(wall.locator("#join-code")).to_have_text(code)
    expect(wall.locator("#join-url")).to_contain_text(f"/j/{code}")
    room.call("PATCH", "", body={"show_qr": True})
    expect(wall.locator("#qr")).to_be_visible()
    room.call("PATCH", "", body={"joining_open": False})
    expect(wall.locator("#stage")).to_have_attribute("data-join", "closed")
    for hook in ("#qr", "#join-code", "#join-url"):
        expect(wall.locator(hook)).to_be_hidden()
    expect(wall.get_by_text("Påmeldingen er stengt")).to_be_visible()
    assert no_scrollbars(wall)

    # A phone that comes now is told before filling anything in; the server refuses anyway.
    latecomer = screens.new_context(viewport=PHONE).new_page()
    latecomer.goto(f"{live_server.url}/j/{code}")
    expect(latecomer.get_by_role("heading", name="Påmeldingen er stengt")).to_be_visible()
    expect(latecomer.locator("form#join-form")).to_have_count(0)
    refused = requests.post(
        f"{live_server.url}/api/v1/workshops/{code}/participants", json={}, timeout=10
    )
    assert refused.status_code == 403

    # Dark by default; the light theme is a real toggle button and is remembered.
    assert wall.evaluate("document.documentElement.dataset.theme") == "dark"
    toggle = wall.get_by_role("button", name="Lyst tema")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    wall.reload()
    assert wall.evaluate("document.documentElement.dataset.theme") == "light"
    expect(wall.get_by_role("button", name="Fullskjerm")).to_be_attached()
    assert problems == []


# --- the phone follows edits, hiding and merges without a reload ------------------------------


@pytest.mark.browser
def test_the_phone_follows_edits_hiding_and_merges_live(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "plan-simplification")
    room.go("collect")
    first = room.propose("Felles planforum")
    hidden = room.propose("Upassende forslag")
    merged = room.propose("Planforum sammen med nabokommunene")
    phone = phone_joins(screens, room)
    problems = console_problems(phone)
    wall = projector(screens, room)
    phone.evaluate("window.__notReloaded = true")
    expect(phone.locator("#feed li")).to_have_count(3)

    room.call("PATCH", f"/proposals/{first}", body={"title": "Felles planforum for regionen"})
    expect(phone.locator(f'#feed li[data-id="{first}"]')).to_have_text(
        "Felles planforum for regionen"
    )
    expect(wall.locator(f'#proposal-feed li[data-id="{first}"]')).to_contain_text("for regionen")
    room.call("PATCH", f"/proposals/{hidden}", body={"status": "hidden"})
    expect(phone.locator(f'#feed li[data-id="{hidden}"]')).to_have_count(0)
    expect(phone.locator("#feed-count")).to_have_text("2")
    expect(wall.locator(f'#proposal-feed li[data-id="{hidden}"]')).to_have_count(0)

    room.go("vote")
    expect(phone.locator("#vote-form")).to_be_visible()
    add_dot = phone.get_by_role(
        "button", name="Legg en prikk på «Planforum sammen med nabokommunene»"
    )
    add_dot.click()
    add_dot.click()
    expect(wall.locator("#voter-count")).to_have_text("1")
    room.call("POST", "/merges", body={"survivor_id": first, "merged_ids": [merged]})
    expect(phone.locator(f'.vote-item[data-proposal="{merged}"]')).to_have_count(0)
    expect(phone.locator(f"#dots-{first}")).to_have_value("2")  # the dots followed the survivor

    room.go("rate")
    expect(phone.locator("#rate-form")).to_be_visible()
    expect(phone.locator(f'.vote-item[data-proposal="{first}"]')).to_be_visible()
    late = room.propose("Skrevet inn fra en lapp")
    # The rate step asks about the shortlist made when the room got there (top 8 of the dots).
    phone.wait_for_timeout(300)
    expect(phone.locator(f'.vote-item[data-proposal="{late}"]')).to_have_count(0)
    assert phone.evaluate("window.__notReloaded") is True
    assert problems == []


# --- the review step groups proposals by change level ------------------------------------------


@pytest.mark.browser
def test_the_review_step_groups_the_wall_by_change_level(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "plan-simplification")
    state = room.propose("Nasjonale planplikter i særlover", change_level="nasjonal")
    own = room.propose("Slå sammen handlingsdel og økonomiplan", change_level="lokal")
    county = room.propose("Felles veileder fra fylkeskommunen", change_level="regional")
    open_ = room.propose("Ukjent nivå")
    room.go("collect")
    phone_key = room.join()
    suggested = room.call(
        "POST", "/proposals", phone_key, {"title": "Delegere mindre saker", "change_level": "lokal"}
    )["id"]
    wall = projector(screens, room)
    problems = console_problems(wall)
    room.go("review")
    expect(wall.locator("#stage")).to_have_attribute("data-kind", "review")
    groups = wall.locator("#proposal-feed li.feed-group")
    expect(groups).to_have_count(4)
    expect(groups.nth(0)).to_have_text("Det vi kan gjøre selv")
    expect(groups.nth(1)).to_have_text("Det vi ber fylkeskommunen eller statsforvalteren om")
    expect(groups.nth(2)).to_have_text("Det vi ber staten om")
    order = wall.locator("#proposal-feed > li").evaluate_all(
        "items => items.map(li => li.dataset.level || li.dataset.id)"
    )
    assert order == [
        "lokal",
        str(own),
        str(suggested),  # not yet settled: placed by its suggestion
        "regional",
        str(county),
        "nasjonal",
        str(state),
        "none",
        str(open_),
    ]
    # the facilitator settles a level: the wall regroups at once
    room.call("PATCH", f"/proposals/{open_}", body={"change_level": "regional"})
    expect(wall.locator("#proposal-feed li.feed-group")).to_have_count(3)
    assert problems == []


@pytest.mark.browser
def test_a_results_step_with_breakdown_by_change_level_labels_each_row(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "planstrategi-kickoff")
    listed = room.call("GET", "")["proposals"]
    own = next(p for p in listed if p["change_level"] == "lokal")
    state = next(p for p in listed if p["change_level"] == "nasjonal")
    voter = room.join()
    room.go("vote")
    room.call("PUT", "/votes", voter, {"allocations": {str(own["id"]): 2, str(state["id"]): 1}})
    wall = projector(screens, room)
    problems = console_problems(wall)
    room.go("results")  # breakdown = "change_level" in the plan; moving there reveals
    expect(wall.locator("#stage")).to_have_attribute("data-mode", "results")
    row = wall.locator(f'#panel-results li[data-id="{own["id"]}"]')
    expect(row.locator(".result-level")).to_have_text("Det vi kan gjøre selv")
    expect(wall.locator(f'#panel-results li[data-id="{state["id"]}"] .result-level')).to_have_text(
        "Det vi ber staten om"
    )
    assert problems == []


# --- the reveal and the role breakdown (plan-culture, phones of two roles) ---------------------


@pytest.mark.browser
def test_plan_culture_with_two_roles_shows_the_role_breakdown_only_after_the_reveal(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "plan-culture", "Plankultur i Bindal")
    statements = room.statements()
    titles = list(statements)
    common, split = titles[0], titles[1]
    wall = projector(screens, room)
    problems = console_problems(wall)
    politician = phone_joins(screens, room, "Folkevalgt")
    officer = phone_joins(screens, room, "Administrasjon")
    others = {room.join("Folkevalgt"): "Folkevalgt" for _ in range(2)}
    others.update({room.join("Administrasjon"): "Administrasjon" for _ in range(2)})
    residents = [room.join("Innbygger") for _ in range(2)]  # two: never shown as a group
    room.go("agree")

    # Two real phones answer on the page; the others through the API.
    for page, stance_on_split in ((politician, "agree"), (officer, "disagree")):
        expect(page.locator("#stance-form")).to_be_visible()
        page.locator(f'label[for="stance-{statements[common]}-agree"]').click()
        page.locator(f'label[for="stance-{statements[split]}-{stance_on_split}"]').click()
        expect(page.get_by_role("radio", name=f"Enig i «{common}»", exact=True)).to_be_checked()
        expect(page.locator("#announcer")).to_have_text("Svarene dine er lagret.")
    for key, role in others.items():
        answers = {
            statements[common]: "agree",
            statements[split]: "agree" if role == "Folkevalgt" else "disagree",
        }
        room.call("PUT", "/stances", key, {"stances": answers})
    for key in residents:
        room.call(
            "PUT",
            "/stances",
            key,
            {"stances": {statements[common]: "disagree", statements[split]: "pass"}},
        )

    # Before the reveal: how many have answered, never what they answered.
    expect(wall.locator("#stage")).to_have_attribute("data-mode", "progress")
    expect(wall.locator("#voter-count")).to_have_text("8")
    expect(wall.locator("#progress-label")).to_have_text("har svart")
    expect(wall.locator("#results li")).to_have_count(0)
    assert "enig ·" not in wall.locator("#stage").inner_text()

    room.call("POST", "/reveal", body={"revealed": True})
    expect(wall.locator("#stage")).to_have_attribute("data-mode", "results")
    first = wall.locator(f'#results li[data-id="{statements[common]}"]')
    expect(first).to_have_attribute("data-agree", "6")
    expect(first.locator(".result-count")).to_have_text("6 enig · 2 uenig · 0 pass")
    expect(wall.locator("#results-roles")).to_have_text(
        "Roller (antall som deltok): Folkevalgt (3) · Administrasjon (3)"
    )
    expect(first.locator(".flag")).to_have_text("Felles grunn")
    expect(first.locator('.result-roles li[data-role="Folkevalgt"]')).to_contain_text(
        "3 enig · 0 uenig · 0 pass"
    )
    divisive = wall.locator(f'#results li[data-id="{statements[split]}"]')
    expect(divisive).to_have_attribute("data-flag", "divisive")
    expect(divisive.locator(".flag")).to_have_text("Splitter rollene")
    expect(divisive.locator('.result-roles li[data-role="Administrasjon"]')).to_contain_text(
        "0 enig · 3 uenig · 0 pass"
    )
    expect(wall.locator("#results-explanation")).to_contain_text("Konsensus er snittet")
    shown_roles = wall.eval_on_selector_all(
        ".result-roles li", "items => [...new Set(items.map(i => i.dataset.role))]"
    )
    assert sorted(shown_roles) == ["Administrasjon", "Folkevalgt"]
    # (a statement mentions «Innbyggerne»; the role itself appears nowhere)
    assert 'data-role="Innbygger"' not in wall.content()
    assert not re.search(r"Innbygger\b", wall.locator("body").inner_text())

    # The phones get the results with the same two roles once the room moves on.
    room.go("results")
    expect(politician.locator(f'#results li[data-id="{statements[split]}"]')).to_contain_text(
        "Administrasjon: 0 enig, 3 uenig, 0 pass"
    )
    assert not re.search(r"Innbygger\b", politician.locator("#results").inner_text())
    expect(wall.locator("#stage")).to_have_attribute("data-kind", "results")
    expect(wall.locator(f'#results li[data-id="{statements[common]}"]')).to_be_visible()

    for theme in ("dark", "light"):
        assert axe_clean(screens, room.data["projector_url"], PROJECTOR, theme=theme) == []
    assert (
        axe_clean(
            screens,
            f"{live_server.url}/j/{room.code}",
            PHONE,
            storage=officer.context.storage_state(),
        )
        == []
    )
    assert problems == []


# --- the benefit–effort matrix ------------------------------------------------------------------


@pytest.mark.browser
def test_the_matrix_places_the_quick_win_in_its_quadrant(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "plan-simplification")
    room.go("collect")
    quick = room.propose("Felles planforum med nabokommunene")
    big = room.propose("Ny digital plattform for all planbehandling")
    small = room.propose("Nytt navn på planutvalget")
    raters = [room.join("Folkevalgt") for _ in range(3)] + [room.join("Administrasjon")]
    phone = phone_joins(screens, room, "Administrasjon")
    wall = projector(screens, room)
    room.go("rate")
    expect(phone.locator("#rate-form")).to_be_visible()
    scores = {quick: (5, 1), big: (4, 5), small: (2, 1)}
    for key in raters:
        room.call(
            "PUT",
            "/ratings",
            key,
            {"ratings": {str(pid): {"gevinst": b, "innsats": e} for pid, (b, e) in scores.items()}},
        )
    expect(wall.locator("#progress-label")).to_have_text("har vurdert")
    expect(wall.locator("#voter-count")).to_have_text("4")
    expect(wall.locator("#matrix .point")).to_have_count(0)

    room.call("POST", "/reveal", body={"revealed": True})
    quadrant = wall.locator('#matrix .quad[data-quadrant="quick_win"]')
    expect(quadrant).to_be_visible()
    expect(wall.locator('#matrix .quad-label[data-quadrant="quick_win"]')).to_have_text(
        "Raske gevinster"
    )
    point = wall.locator(f'#matrix .point[data-id="{quick}"]')
    expect(point).to_have_attribute("data-quadrant", "quick_win")
    # Measured in one go in the page (the matrix is redrawn when the role analysis arrives).
    where = wall.evaluate(
        """ids => {
        const quad = document.querySelector('#matrix .quad[data-quadrant="quick_win"]')
            .getBoundingClientRect();
        const inside = id => {
            const dot = document.querySelector(`#matrix .point[data-id="${id}"]`)
                .getBoundingClientRect();
            const x = dot.left + dot.width / 2, y = dot.top + dot.height / 2;
            return x > quad.left && x < quad.right && y > quad.top && y < quad.bottom;
        };
        return ids.map(inside);
    }""",
        [quick, big, small],
    )
    assert where == [True, False, False]
    legend = wall.locator(f'#matrix-legend li[data-id="{quick}"]')
    expect(legend).to_contain_text("Felles planforum med nabokommunene")
    expect(legend).to_contain_text("Raske gevinster")
    expect(legend.locator(".point")).to_have_text(point.text_content())
    expect(wall.locator("#matrix-summary")).to_contain_text("1 forslag er en rask gevinst")
    expect(wall.locator("#matrix")).to_have_attribute(
        "aria-label", re.compile("Gevinst og Innsats")
    )

    # The phone shows the results under its form once the step is revealed.
    expect(phone.locator(f'#results li[data-id="{quick}"]')).to_contain_text(
        "Gevinst 5,0, innsats 1,0 (4 svar) – Raske gevinster"
    )
    assert (
        axe_clean(
            screens,
            f"{live_server.url}/j/{room.code}",
            PHONE,
            storage=phone.context.storage_state(),
        )
        == []
    )
    assert axe_clean(screens, room.data["projector_url"], SMALL) == []


# --- thirty proposals: no scrollbars, pages that turn by themselves ----------------------------


@pytest.mark.browser
def test_thirty_proposals_fit_without_scrollbars_from_720p_to_4k(
    live_server: LiveServer, screens: Screens
) -> None:
    room = Room(live_server, "plan-simplification")
    room.go("collect")
    with SAMPLE_PROPOSALS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:30]
    ids = [room.propose(r["title"], body=r["body"], category=r["category"]) for r in rows]
    assert len(ids) == 30
    voters = [(room.join("Folkevalgt"), 0) for _ in range(3)]
    voters += [(room.join("Administrasjon"), 10) for _ in range(3)]
    small = projector(screens, room, SMALL, reduced_motion="reduce")
    huge = projector(screens, room, HUGE)
    for wall in (small, huge):
        expect(wall.locator("#proposal-feed > li")).to_have_count(30)
        expect(wall.locator("#pager")).to_have_text(re.compile(r"^Side 1 av \d+$"))
        assert no_scrollbars(wall)
        assert 0 < wall.locator("#proposal-feed > li:visible").count() < 30
    small_first = small.locator("#proposal-feed > li:visible").first.get_attribute("data-id")

    room.go("vote")
    for index, (key, offset) in enumerate(voters):
        allocation = {str(ids[(offset + index + n) % 30]): 1 for n in range(5)}
        room.call("PUT", "/votes", key, {"allocations": allocation})
    expect(small.locator("#voter-count")).to_have_text("6")
    expect(small.locator("#results li")).to_have_count(0)
    assert "prikker" not in small.locator("#stage").inner_text()

    room.call("POST", "/reveal", body={"revealed": True})
    for wall in (small, huge):
        expect(wall.locator("#stage")).to_have_attribute("data-mode", "results")
        top = wall.locator("#results > li").first
        expect(top).to_have_attribute("data-dots", re.compile(r"\d"))
        expect(top.locator(".result-count")).to_have_text(re.compile(r"^\d+ prikk(er)?$"))
        expect(wall.locator("#results-roles")).to_contain_text("Folkevalgt (3)")
        assert no_scrollbars(wall)
    # Pages turn by themselves (every 8 s; the first page must give way to the next).
    pages = small.locator("#pager").text_content()
    assert re.match(r"Side 1 av [2-9]", pages), pages
    first_ranked = small.locator("#results > li:visible").first.get_attribute("data-id")
    expect(small.locator("#pager")).to_have_text(re.compile(r"^Side 2 av"), timeout=10000)
    assert small.locator("#results > li:visible").first.get_attribute("data-id") != first_ranked
    # prefers-reduced-motion: the page changes without the fade.
    assert "page-enter" not in (small.locator("#results").get_attribute("class") or "")
    assert no_scrollbars(small)
    assert small_first  # the feed rendered before the vote
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline and not no_scrollbars(huge):
        huge.wait_for_timeout(100)
    assert no_scrollbars(huge)
