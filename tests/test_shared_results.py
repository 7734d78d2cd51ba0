"""Revealed results are worked out once and shared (analytics/shared_results.py): a hall of phones
at a reveal costs one analysis, the event loop stays free meanwhile, a new vote gives the next
phone new figures, and nobody reads results before the facilitator reveals them."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from tests.support.api import Api
from tests.support.browser import PHONE, axe_violations
from tests.support.config import ADMIN_KEY
from tests.support.forms import csrf_of
from tests.support.realtime import Hall, Screen, events_of
from tests.support.servers import ServerProcess, call_api, held_analysis_server
from workshop.analytics import reading
from workshop.analytics.shared_results import ResultsKey, SharedResults
from workshop.offload import offloader_of
from workshop.services.access import find_workshop
from workshop.services.unit import read_only

COLLECT, VOTE, RESULTS = 1, 2, 3  # positions in the shipped plan-simplification
PENDING = "Resultatene er på vei"
PHONES = 50


class HttpPhone:
    """A phone as the page's script drives it: joined by the join form, its key in the cookie,
    the step fetched as a fragment and votes sent to the API."""

    def __init__(self, url: str, code: str, role: str | None = None) -> None:
        self.url, self.code = url, code
        self.http = requests.Session()
        page = self.http.get(f"{url}/j/{code}", timeout=30).text
        form = {"csrf": csrf_of(page), **({"role": role} if role else {})}
        joined = self.http.post(f"{url}/j/{code}", data=form, allow_redirects=False, timeout=30)
        assert joined.status_code == 302, joined.text

    def step(self) -> str:
        """The current step as the page's script fetches it."""
        response = self.http.get(f"{self.url}/j/{self.code}/step", timeout=60)
        assert response.status_code == 200, response.text
        return response.text

    def step_once_ready(self, tries: int = 10) -> str:
        """The step fetched again while it says the results are on their way (as the script
        does); each try waits on the server for the computation, so a few are plenty."""
        for _ in range(tries):
            page = self.step()
            if "data-results-pending" not in page:
                return page
        pytest.fail("the results never arrived")

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        """The JSON API with the cookie, as the page's script calls it."""
        return self.http.request(
            method,
            f"{self.url}/api/v1/workshops/{self.code}{path}",
            json=body,
            headers={"X-Planverksted-As": "participant"},
            timeout=60,
        )

    def vote(self, allocations: dict[int, int]) -> None:
        """Replace this phone's dots."""
        sent = {str(proposal): dots for proposal, dots in allocations.items()}
        response = self.api("PUT", "/votes", {"allocations": sent})
        assert response.status_code == 200, response.text

    def socket(self) -> Screen:
        """A Socket.IO connection authenticated by the cookie, as the page opens it."""
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        return Screen(
            self.url, self.code, None, headers={"Cookie": cookie}, auth={"as": "participant"}
        )


def dots_shown(page: str) -> dict[str, int]:
    """The dots per proposal title in a page's results."""
    found = re.findall(
        r'class="result-title">([^<]+)</span>\s*<span class="result-count">(\d+) prikk', page
    )
    return {title: int(dots) for title, dots in found}


class CountedAnalysis:
    """Counts calls to the analysis of this process (the real analysis runs every time)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hold: threading.Event | None = None):
        self.calls = 0
        self.lock = threading.Lock()
        self.hold = hold
        real = reading.analyse

        def analyse(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.calls += 1
            if self.hold is not None:
                self.hold.wait(60)
            return real(*args, **kwargs)

        monkeypatch.setattr(reading, "analyse", analyse)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> CountedAnalysis:
    return CountedAnalysis(monkeypatch)


def open_vote(hall: Hall, titles: list[str]) -> dict[str, int]:
    """Proposals collected and the room on the dot vote; the proposals' ids by title."""
    hall.go(COLLECT)
    ids = {title: hall.propose(hall.facilitator, title)["id"] for title in titles}
    hall.go(VOTE)
    return ids


def reveal(hall: Hall, revealed: bool = True) -> None:
    """Show (or hide) the results of the open vote step on the phones."""
    response = hall.post(
        f"/api/v1/workshops/{hall.code}/reveal", {"revealed": revealed}, hall.facilitator
    )
    assert response.status_code == 200, response.text


def test_a_new_vote_after_the_reveal_reaches_the_next_phone(
    hall: Hall, counted: CountedAnalysis
) -> None:
    ids = open_vote(hall, ["Felles planregister", "Kortere høringer"])
    first, second, third = (HttpPhone(hall.url, hall.code) for _ in range(3))
    first.vote({ids["Felles planregister"]: 1})
    reveal(hall)

    assert dots_shown(second.step()) == {"Felles planregister": 1, "Kortere høringer": 0}
    assert dots_shown(third.step()) == {"Felles planregister": 1, "Kortere høringer": 0}
    assert counted.calls == 1  # the second phone's figures were the first one's

    third.vote({ids["Kortere høringer"]: 2})
    assert dots_shown(second.step()) == {"Kortere høringer": 2, "Felles planregister": 1}
    answered = second.api("GET", "/results")
    assert answered.status_code == 200
    assert {p["title"]: p["dots"] for p in answered.json()["proposals"]} == {
        "Kortere høringer": 2,
        "Felles planregister": 1,
    }
    assert counted.calls == 2  # one analysis per version, shared by the page and the API


def test_a_participant_never_reads_results_before_they_are_revealed(
    hall: Hall, counted: CountedAnalysis
) -> None:
    ids = open_vote(hall, ["Felles planregister", "Kortere høringer"])
    phone = HttpPhone(hall.url, hall.code)
    phone.vote({ids["Kortere høringer"]: 3})
    facilitator = {"Authorization": f"Bearer {hall.facilitator}"}
    results = f"{hall.url}/api/v1/workshops/{hall.code}/results"
    seen = requests.get(results, headers=facilitator, timeout=30)
    assert seen.status_code == 200  # the facilitator's figures are now worked out and kept
    analysis = requests.get(results.replace("results", "analysis"), headers=facilitator, timeout=30)
    assert analysis.status_code == 200 and counted.calls == 1  # the same computation

    for path in ("/results", f"/results?step={VOTE}", "/analysis", f"/analysis?step={VOTE}"):
        assert phone.api("GET", path).status_code == 403, path
    assert "Resultatene så langt" not in phone.step()
    assert dots_shown(phone.step()) == {}

    reveal(hall)
    shown = phone.api("GET", "/results").json()
    assert {p["title"]: p["dots"] for p in shown["proposals"]} == {
        "Kortere høringer": 3,
        "Felles planregister": 0,
    }
    assert phone.api("GET", "/analysis").json()["steps"][0]["position"] == VOTE
    assert dots_shown(phone.step())["Kortere høringer"] == 3

    reveal(hall, revealed=False)
    assert phone.api("GET", "/results").status_code == 403
    assert phone.api("GET", "/analysis").status_code == 403
    assert dots_shown(phone.step()) == {}


def test_the_least_recently_asked_results_are_dropped_first(
    app: Flask, api: Api, counted: CountedAnalysis
) -> None:
    shared = SharedResults(offloader_of(app), size=2)
    keys = []
    for title in ("Ål", "Gol", "Hol"):
        code = api.create(title).code
        with read_only() as session:
            workshop = find_workshop(session, code)
            keys.append(ResultsKey(workshop.id, code, None, None, workshop.version, None))
    for key in keys:
        shared.get(key)
    assert counted.calls == 3
    shared.get(keys[2])
    shared.get(keys[1])
    assert counted.calls == 3  # kept
    shared.get(keys[0])
    assert counted.calls == 4  # the first was dropped to keep two


@pytest.fixture
def held_server(tmp_path: Path) -> Iterator[tuple[ServerProcess, Path, Path]]:
    """`workshop serve` under gevent whose analysis counts itself and works until released."""
    with held_analysis_server(tmp_path, WORKSHOP_OFFLOAD_BUDGET="120") as held:
        yield held


def test_a_hall_of_phones_at_a_reveal_costs_one_analysis_and_the_loop_stays_free(
    held_server: tuple[ServerProcess, Path, Path],
) -> None:
    server, log, release = held_server
    created = call_api(server.url, "POST", "/workshops", ADMIN_KEY, {"title": "Folkemøte"})
    code, facilitator = created["code"], created["facilitator_key"]
    roles = call_api(server.url, "GET", f"/workshops/{code}", facilitator)["roles"]

    def step_to(position: int) -> None:
        call_api(server.url, "POST", f"/workshops/{code}/step", facilitator, {"position": position})

    step_to(COLLECT)
    titles = ["Felles planregister", "Kortere høringer", "Digital planprosess"]
    ids = [
        call_api(server.url, "POST", f"/workshops/{code}/proposals", facilitator, {"title": t})[
            "id"
        ]
        for t in titles
    ]
    phones = [HttpPhone(server.url, code, roles[n % len(roles)]) for n in range(PHONES)]
    step_to(VOTE)
    for n, phone in enumerate(phones):
        phone.vote({ids[0]: 2} if n < 30 else {ids[1]: 1, ids[2]: 1})
    sockets = [phone.socket() for phone in phones]
    try:
        for socket in sockets:
            socket.wait_for(lambda s=socket: s.of("snapshot"), timeout=30)

        step_to(RESULTS)  # the results step reveals the vote's results to every phone
        for socket in sockets:
            socket.wait_for(lambda s=socket: events_of(s, "step_changed"), timeout=30)
        with ThreadPoolExecutor(max_workers=PHONES) as crowd:
            pages = list(crowd.map(HttpPhone.step, phones))

        # The analysis is still at work: every phone was told its results are on their way ...
        assert all(PENDING in page and "data-results-pending" in page for page in pages)
        # ... while the server answered other requests, and only one analysis was begun.
        assert requests.get(server.url + "/", timeout=10).status_code == 200
        assert call_api(server.url, "GET", f"/workshops/{code}", facilitator)["code"] == code
        assert log.read_text().splitlines() == ["analyse"]

        release.touch()
        with ThreadPoolExecutor(max_workers=PHONES) as crowd:
            pages = list(crowd.map(HttpPhone.step_once_ready, phones))
    finally:
        for socket in sockets:
            socket.close()
    expected = {"Felles planregister": 60, "Kortere høringer": 20, "Digital planprosess": 20}
    assert all(dots_shown(page) == expected for page in pages)
    assert log.read_text().splitlines() == ["analyse"]


@pytest.mark.browser
def test_a_phone_says_results_are_on_their_way_and_shows_them_when_they_come(
    hall: Hall,
    monkeypatch: pytest.MonkeyPatch,
    browser,  # noqa: F811
) -> None:
    hold = threading.Event()
    ids = open_vote(hall, ["Felles planregister", "Kortere høringer"])
    HttpPhone(hall.url, hall.code).vote({ids["Kortere høringer"]: 2})
    phone = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    try:
        phone.goto(f"{hall.url}/j/{hall.code}")
        phone.get_by_role("button", name="Bli med").click()
        phone.locator("#vote-form").wait_for()
        counted = CountedAnalysis(monkeypatch, hold)
        hall.go(RESULTS)

        pending = phone.locator("#step[data-results-pending] [role=status]")
        pending.wait_for()
        assert PENDING in pending.inner_text()
        assert axe_violations(phone) == []

        hold.set()  # the analysis finishes; the phone fetches its step again by itself
        phone.locator("#results").wait_for()
        assert phone.locator("#step[data-results-pending]").count() == 0
        assert "Kortere høringer" in phone.locator("#results li").first.inner_text()
        phone.wait_for_function(
            "document.getElementById('announcer').textContent === 'Resultatene er klare.'"
        )
        assert counted.calls == 1
    finally:
        hold.set()
        phone.context.close()
