"""The facilitator screen in real Chromium: every control drives the API, every effect is checked
through the API, and the screen follows what happens elsewhere (events) without reloading."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.support.browser import ConnectionLine, axe_violations, console_problems
from tests.support.config import ADMIN_KEY, SAMPLE_PROPOSALS, plans_folder, settings_with_plans
from tests.support.servers import LiveServer
from workshop.config import Settings

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
FALLBACK = [
    (
        "Slå sammen handlingsdel og økonomiplan",
        "Ett dokument som rulleres hvert år.",
        "handlingsdel og økonomiplan",
        "lokal",
    ),
    (
        "Kortere samfunnsdel med tre satsingsområder",
        "Færre mål som styrer budsjettet.",
        "samfunnsdel",
        "lokal",
    ),
    (
        "Felles planlegger med nabokommunene",
        "En stilling delt på tre kommuner.",
        "interkommunalt samarbeid",
        "regional",
    ),
    (
        "Nasjonal liste over lovpålagte planer",
        "Staten bør publisere én liste.",
        "temaplaner",
        "nasjonal",
    ),
]


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """Plans are read from and saved to a temporary copy of sessions/."""
    with settings_with_plans(
        tmp_path, plans_folder(tmp_path / "plans", shipped=True)
    ) as configured:
        yield configured


def samples(count: int) -> list[tuple[str, str, str, str]]:
    """Proposals from the shared sample file (or a few built in, if it is missing)."""
    if not SAMPLE_PROPOSALS.is_file():
        return FALLBACK[:count]
    with SAMPLE_PROPOSALS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["title"], r["body"], r["category"], r["change_level"]) for r in rows[:count]]


class Room:
    """A workshop on the live server, driven through the API like the rest of the room."""

    def __init__(self, live: LiveServer, **body: Any) -> None:
        self.live = live
        self.created = self.call(
            "POST", "/workshops", ADMIN_KEY, {"title": "Planverksted i Vinje", **body}
        ).json()
        self.code = self.created["code"]
        self.key = self.created["facilitator_key"]
        self.phones: list[str] = []

    def call(self, method: str, path: str, key: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return requests.request(
            method, f"{self.live.url}/api/v1{path}", json=body, headers=headers, timeout=10
        )

    def ok(self, method: str, path: str, body: Any = None, key: str | None = None) -> Any:
        response = self.call(method, f"/workshops/{self.code}{path}", key or self.key, body)
        assert response.ok, response.text
        return response.json()

    def join(self, count: int, role: str = "Folkevalgt") -> None:
        for _ in range(count):
            response = self.call(
                "POST", f"/workshops/{self.code}/participants", None, {"roles": [role]}
            )
            assert response.status_code == 201, response.text
            self.phones.append(response.json()["key"])

    def go(self, kind: str) -> dict[str, Any]:
        position = next(s["position"] for s in self.created["steps"] if s["kind"] == kind)
        return self.ok("POST", "/step", {"position": position})["step"]

    def propose(self, count: int, suggest_levels: bool = False) -> list[int]:
        """Phones (or the facilitator, when nobody joined) submit sample proposals."""
        if self.phones and self.snapshot()["step"]["kind"] != "collect":
            self.go("collect")
        ids = []
        for i, (title, body, category, level) in enumerate(samples(count)):
            data = {"title": title, "body": body, "category": category}
            if suggest_levels:
                data["change_level"] = level
            key = self.phones[i % len(self.phones)] if self.phones else self.key
            ids.append(self.ok("POST", "/proposals", data, key=key)["id"])
        return ids

    def snapshot(self) -> dict[str, Any]:
        return self.ok("GET", "")

    def proposal(self, pid: int) -> dict[str, Any]:
        return next(p for p in self.snapshot()["proposals"] if p["id"] == pid)

    def step(self, kind: str) -> dict[str, Any]:
        return next(s for s in self.snapshot()["steps"] if s["kind"] == kind)


def open_desk(
    browser: Any, room: Room, viewport: dict[str, int] = LAPTOP, bypass_csp: bool = False
) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    page = context.new_page()
    problems = console_problems(page)
    page.goto(room.created["facilitator_url"])
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    page.evaluate("window.__notReloaded = true")
    return page, problems


def eventually(check: Callable[[], bool], page: Page, tries: int = 50) -> None:
    for _ in range(tries):
        if check():
            return
        page.wait_for_timeout(100)
    assert check()


def done(page: Page, problems: list[str], refused: tuple[int, ...] = ()) -> None:
    """No reload, no script error, no CSP violation; Chromium logs each refused request (4xx)
    as an error, so the statuses a test provokes on purpose are let through."""
    expected = tuple(f"status of {status} " for status in refused)
    assert page.evaluate("window.__notReloaded") is True
    assert [p for p in problems if not (expected and any(e in p for e in expected))] == []
    page.context.close()


# --- 1. agenda ----------------------------------------------------------------------------------


def test_agenda_edit_move_add_remove_and_save_as_plan(
    live_server: LiveServer, browser: Any, settings: Settings
) -> None:
    room = Room(live_server)
    room.join(2)
    pids = room.propose(2)
    room.go("vote")
    room.ok("PUT", "/votes", {"allocations": {str(pids[0]): 2}}, key=room.phones[0])
    room.go("collect")
    page, problems = open_desk(browser, room)
    steps = page.locator("#step-list > li")
    expect(page.locator("#step-list li[aria-current=step]")).to_have_attribute("data-position", "1")

    page.get_by_role("button", name="Endre programmet").click()
    expect(page.locator("#agenda-edit-toggle")).to_have_attribute("aria-expanded", "true")
    vote = page.locator("#step-list li[data-kind=vote]")
    vote.get_by_role("button", name=re.compile(r"^Rediger – steg 3")).click()
    form = vote.locator("form.step-edit-form")
    form.get_by_label("Tittel").fill("Prikker på forslagene")
    form.get_by_label("Tidtaker (minutter)").fill("4")
    form.get_by_label("Prikker per deltaker").fill("7")
    form.get_by_label("Tak per forslag").fill("3")
    form.get_by_role("button", name="Lagre steget").click()
    expect(vote.locator(".step-title")).to_have_text("Prikker på forslagene")
    saved = room.step("vote")
    assert saved["title"] == "Prikker på forslagene"
    assert saved["timer"]["seconds"] == 240
    assert (saved["votes_per_participant"], saved["max_votes_per_proposal"]) == (7, 3)

    rate = page.locator("#step-list li[data-kind=rate]")
    rate.get_by_role("button", name=re.compile(r"^Rediger – ")).click()
    rate.get_by_role("button", name="Legg til kriterium").click()
    rate.locator(".criterion").last.get_by_label("Kriterium").fill("Risiko")
    rate.get_by_role("button", name="Lagre steget").click()
    eventually(lambda: [c["label"] for c in room.step("rate")["criteria"]][-1] == "Risiko", page)
    assert room.step("rate")["criteria"][-1]["key"] == "risiko"

    first = steps.nth(0)
    first.get_by_role("button", name=re.compile(r"^Flytt ned – steg 1: Velkommen")).click()
    eventually(lambda: room.snapshot()["steps"][1]["title"] == "Velkommen", page)
    expect(steps.nth(1).locator(".step-title")).to_have_text("Velkommen")
    assert room.snapshot()["step"]["kind"] == "collect", "the room stays on its step"

    page.get_by_label("Type steg").select_option("info")
    page.get_by_label("Plassering").select_option(label="Først i programmet")
    page.locator("#add-step-title").fill("Kaffe")
    page.locator("#add-step-prompt").fill("Ti minutter pause")
    page.get_by_role("button", name="Legg til steget").click()
    expect(steps.first.locator(".step-title")).to_have_text("Kaffe")
    assert room.snapshot()["steps"][0]["title"] == "Kaffe"

    vote.get_by_role("button", name=re.compile(r"^Fjern – ")).click()
    vote.get_by_role("button", name="Ja, fjern steget").click()
    expect(vote.locator(".confirm-warning")).to_contain_text("svar")
    assert any(s["kind"] == "vote" for s in room.snapshot()["steps"]), "409 removed nothing"
    vote.get_by_role("button", name="Fjern likevel, med svarene").click()
    expect(page.locator("#step-list li[data-kind=vote]")).to_have_count(0)
    assert not any(s["kind"] == "vote" for s in room.snapshot()["steps"])

    page.get_by_label("Tittel på planen").fill("Vinje-verkstedet")
    page.get_by_label("Filnavn").fill("vinje-2026")
    page.get_by_role("button", name="Lagre som øktplan").click()
    expect(page.locator("#save-plan-result")).to_contain_text("vinje-2026")
    saved_plan = settings.saved_plans_dir / "vinje-2026.toml"  # the data folder, never sessions/
    assert saved_plan.is_file() and "Kaffe" in saved_plan.read_text(encoding="utf-8")
    page.get_by_role("button", name="Lagre som øktplan").click()
    expect(page.locator("#save-plan-result")).to_have_attribute("role", "alert")
    done(page, problems, refused=(409,))


def test_steps_are_steered_from_the_list(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server)
    page, problems = open_desk(browser, room)
    page.locator("#step-list li[data-position='2']").get_by_role(
        "button", name=re.compile(r"^Gå hit")
    ).click()
    expect(page.locator("#current-step")).to_have_attribute("data-position", "2")
    assert room.snapshot()["step"]["position"] == 2
    page.locator("#step-previous").click()
    expect(page.locator("#current-step")).to_have_attribute("data-kind", "collect")
    room.ok("POST", "/step", {"action": "next"})
    expect(page.locator("#step-list li[aria-current=step]")).to_have_attribute("data-position", "2")
    done(page, problems)


# --- 2. timer -----------------------------------------------------------------------------------


def test_timer_counts_down_and_is_steered(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server)
    room.go("collect")
    page, problems = open_desk(browser, room)
    display = page.locator("#timer-display")
    expect(display).to_have_attribute("role", "timer")
    expect(display).to_have_attribute("aria-live", "off")

    page.get_by_label("Minutter").fill("3")
    page.locator("#timer-start").click()
    expect(display).to_have_text(re.compile(r"^(3:00|2:5\d)$"))
    expect(page.locator("#timer-state")).to_have_text("Går")
    timer = room.snapshot()["step"]["timer"]
    assert timer["running"] and timer["seconds"] == 180

    page.wait_for_timeout(1100)
    page.locator("#timer-pause").click()
    expect(page.locator("#timer-state")).to_have_text("På pause")
    paused = room.snapshot()["step"]["timer"]
    assert not paused["running"]
    page.locator("#timer-add").click()
    eventually(
        lambda: room.snapshot()["step"]["timer"]["remaining"] >= paused["remaining"] + 60, page
    )
    expect(display).to_have_text(re.compile(r"^3:5\d|4:00$"))
    expect(page.locator("#timer-start")).to_have_text("Fortsett")
    page.locator("#timer-start").click()
    expect(page.locator("#timer-state")).to_have_text("Går")
    page.locator("#timer-reset").click()
    expect(page.locator("#timer-state")).to_have_text("Klar")
    expect(display).to_have_text("3:00")
    reset = room.snapshot()["step"]["timer"]
    assert not reset["running"] and reset["remaining"] == 180

    # Another screen starts a timer: the countdown follows; one minute left and time up are
    # announced (the display itself is not read out every second).
    room.ok("POST", "/timer", {"action": "start", "seconds": 61})
    expect(page.locator("#timer-announcer")).to_contain_text("Ett minutt igjen", timeout=4000)
    room.ok("POST", "/timer", {"action": "start", "seconds": 2})
    expect(page.locator("#timer-state")).to_have_text("Tiden er ute", timeout=5000)
    expect(display).to_have_text("0:00")
    expect(page.locator("#timer-announcer")).to_contain_text("Tiden er ute")
    done(page, problems)


# --- 3. reveal ----------------------------------------------------------------------------------


def test_results_are_revealed_and_hidden_per_step(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server)
    room.go("vote")
    page, problems = open_desk(browser, room)
    expect(page.locator("#reveal-state")).to_have_text("Resultatene er skjult for rommet.")
    page.locator("#reveal-toggle").click()
    expect(page.locator("#reveal-state")).to_have_text("Rommet ser resultatene av dette steget.")
    assert room.snapshot()["revealed"] is True
    projector = room.call("GET", f"/workshops/{room.code}/results", room.created["projector_key"])
    assert projector.status_code == 200
    expect(page.locator("#step-list li[data-kind=vote] .result-state")).to_have_text(
        "Resultater vises"
    )

    rate = page.locator("#step-list li[data-kind=rate]")
    rate.get_by_role("button", name=re.compile(r"^Vis resultatene – ")).click()
    expect(rate.locator(".result-state")).to_have_text("Resultater vises")
    assert room.step("rate")["revealed"] is True

    page.locator("#reveal-toggle").click()
    expect(page.locator("#reveal-toggle")).to_have_text("Vis resultatene")
    assert room.snapshot()["revealed"] is False
    room.ok("POST", "/reveal", {"revealed": True})
    expect(page.locator("#reveal-toggle")).to_have_text("Skjul resultatene")
    done(page, problems)


# --- 4. joining and the QR code -----------------------------------------------------------------


def test_joining_and_qr_toggles(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server)
    page, problems = open_desk(browser, room)
    joining = page.get_by_role("switch", name="Åpent for påmelding")
    expect(joining).to_be_checked()
    joining.click()
    expect(page.locator("#joining-state")).to_contain_text("Stengt")
    eventually(lambda: room.snapshot()["joining_open"] is False, page)
    refused = room.call("POST", f"/workshops/{room.code}/participants", None, {})
    assert refused.status_code == 403
    joining.click()
    eventually(lambda: room.snapshot()["joining_open"] is True, page)
    assert room.call("POST", f"/workshops/{room.code}/participants", None, {}).status_code == 201
    expect(page.locator("#participant-count")).to_have_text("1")

    qr = page.get_by_role("switch", name="QR-kode på lerretet")
    qr.click()
    eventually(lambda: room.snapshot()["show_qr"] is False, page)
    expect(qr).not_to_be_checked()
    room.ok("PATCH", "", {"show_qr": True, "joining_open": False})
    expect(qr).to_be_checked()
    expect(joining).not_to_be_checked()
    done(page, problems)


# --- 5. moderation, editing, classification -----------------------------------------------------


def test_queue_hide_edit_category_and_change_level(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server, settings={"moderation": True})
    room.join(3)
    room.go("collect")
    first, second, _ = room.propose(3, suggest_levels=True)
    page, problems = open_desk(browser, room)
    queue = page.locator("#queue-list > li")
    expect(queue).to_have_count(3)
    expect(queue.first).to_have_attribute("data-id", str(first))  # oldest first
    title = room.proposal(first)["title"]
    queue.first.get_by_role("button", name=f"Godkjenn – «{title}»").click()
    expect(queue).to_have_count(2)
    assert room.proposal(first)["status"] == "visible"
    queue.first.get_by_role("button", name=re.compile(r"^Avvis")).click()
    expect(queue).to_have_count(1)
    assert room.proposal(second)["status"] == "hidden"

    card = page.locator(f"#proposal-list li[data-id='{first}']")
    card.get_by_role("button", name=re.compile(r"^Skjul")).click()
    expect(card).to_have_attribute("data-status", "hidden")
    assert room.proposal(first)["status"] == "hidden"
    card.get_by_role("button", name=re.compile(r"^Vis igjen")).click()
    expect(card).to_have_attribute("data-status", "visible")

    card.get_by_role("button", name=re.compile(r"^Rediger")).click()
    new_title = "Én rullerende plan for handling og økonomi"
    card.get_by_label("Tittel").fill(new_title)
    card.get_by_role("button", name="Lagre teksten").click()
    expect(card.locator(".proposal-title")).to_have_text(new_title)
    expect(card.locator(".badge.edited")).to_have_text("Redigert")
    edited = room.proposal(first)
    assert edited["original_title"] == title
    card.get_by_role("button", name=re.compile(r"^Vis originalteksten")).click()
    expect(card.locator(".original-title")).to_have_text(title)

    card.get_by_label(re.compile(r"^Tema")).select_option("medvirkning")
    eventually(lambda: room.proposal(first)["category"] == "medvirkning", page)
    level = card.get_by_label(re.compile(r"^Endringsnivå"))
    suggested = edited["suggested_change_level"]  # a phone only suggests a level
    assert suggested and edited["change_level"] is None
    expect(level.locator("option:checked")).to_have_text(re.compile(r"^Foreslått: "))
    assert room.proposal(first)["classification_settled"] is False
    card.get_by_role("button", name=re.compile(r"^Bekreft ")).click()
    eventually(lambda: room.proposal(first)["classification_settled"] is True, page)
    assert room.proposal(first)["change_level"] == suggested
    level.select_option("nasjonal")
    eventually(lambda: room.proposal(first)["change_level"] == "nasjonal", page)

    # A phone's new proposal arrives in the queue live.
    room.ok("POST", "/proposals", {"title": "Ny fra mobilen"}, key=room.phones[0])
    expect(queue).to_have_count(2)
    page.get_by_label("Vis").select_option("hidden")
    expect(page.locator("#proposal-list > li")).to_have_count(1)
    page.get_by_label("Sorter").select_option("oldest")
    page.get_by_label("Vis").select_option("all")
    expect(page.locator("#proposal-list > li").first).to_have_attribute("data-id", str(first))
    done(page, problems)


# --- 6. merging ---------------------------------------------------------------------------------


def test_merge_by_selection_and_by_suggestion_and_undo(
    live_server: LiveServer, browser: Any
) -> None:
    room = Room(live_server)
    room.join(2)
    room.go("collect")
    a, b, _, _ = room.propose(4)
    twin = room.ok(
        "POST",
        "/proposals",
        {"title": "Slå sammen handlingsdelen og økonomiplanen"},
        key=room.phones[1],
    )["id"]
    page, problems = open_desk(browser, room)
    title_b = room.proposal(b)["title"]
    page.locator(f"#proposal-list li[data-id='{a}'] .select-proposal").check()
    page.get_by_role("checkbox", name=f"Velg for sammenslåing: «{title_b}»").check()
    expect(page.locator("#merge-selection")).to_be_visible()
    page.get_by_label(f"Behold «{title_b}»").check()
    page.get_by_role("button", name="Slå sammen 2 forslag").click()
    eventually(lambda: room.proposal(a)["status"] == "merged", page)
    assert room.proposal(a)["merged_into_id"] == b
    expect(page.locator(f"#proposal-list li[data-id='{a}']")).to_have_count(0)
    expect(page.locator(f"#proposal-list li[data-id='{b}'] .merge-note")).to_contain_text(
        "Inneholder også"
    )

    page.get_by_role("button", name="Like forslag og sammenslåinger").click()
    merges = page.locator("#merge-list > li")
    expect(merges).to_have_count(1)
    merges.first.get_by_role("button", name=f"Angre sammenslåingen til «{title_b}»").click()
    eventually(lambda: room.proposal(a)["status"] == "visible", page)
    expect(merges.first.locator(".merge-state")).to_have_text("Angret")
    expect(page.locator(f"#proposal-list li[data-id='{a}']")).to_have_attribute(
        "data-status", "visible"
    )

    group = page.locator("#similar-list > li").filter(has_text=room.proposal(twin)["title"])
    expect(group).to_have_count(1)
    group.get_by_role("button", name=re.compile(r"^Slå sammen disse 2")).click()
    eventually(lambda: room.proposal(twin)["status"] == "merged", page)
    assert room.proposal(twin)["merged_into_id"] == a
    expect(
        page.locator("#similar-list > li").filter(has_text=room.proposal(twin)["title"])
    ).to_have_count(0)
    done(page, problems)


# --- 7. paper -----------------------------------------------------------------------------------


def test_paper_notes_and_paper_dots(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server)
    room.join(1)
    room.go("collect")
    page, problems = open_desk(browser, room)
    expect(page.locator("#paper-dots")).to_be_hidden()
    page.locator("#proposal-title").fill("Lapp fra tavla")
    page.locator("#proposal-category").select_option("medvirkning")
    page.locator("#add-proposal-form").get_by_role("button", name="Legg inn forslaget").click()
    card = page.locator("#proposal-list > li").filter(has_text="Lapp fra tavla")
    expect(card).to_contain_text("Fra papir")
    note = next(p for p in room.snapshot()["proposals"] if p["title"] == "Lapp fra tavla")
    assert note["source"] == "paper" and note["category"] == "medvirkning"

    room.go("vote")
    room.ok("PUT", "/votes", {"allocations": {str(note["id"]): 2}}, key=room.phones[0])
    expect(page.locator("#paper-dots")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Legg inn – prikker talt på papir")).click()
    page.locator("#paper-dots-list").get_by_label("Lapp fra tavla").fill("5")
    page.get_by_role("button", name="Lagre papirprikkene").click()
    expect(page.locator("#paper-dots-summary")).to_contain_text("5 prikker fra papir")
    assert room.ok("GET", "/paper-dots")["dots"] == {str(note["id"]): 5}
    results = room.ok("GET", "/results")
    assert next(p for p in results["proposals"] if p["id"] == note["id"])["dots"] == 7
    expect(card.locator(".tally-main")).to_have_text("7 prikker")
    expect(card.locator(".tally-detail")).to_have_text("2 fra mobil, 5 fra papir")
    done(page, problems)


# --- 8. live counts -----------------------------------------------------------------------------


def test_counts_follow_the_room_live(live_server: LiveServer, browser: Any) -> None:
    room = Room(live_server)
    room.join(1)
    pids = room.propose(3)
    room.go("vote")
    page, problems = open_desk(browser, room, viewport=TABLET)
    expect(page.locator("#participant-count")).to_have_text("1")
    room.join(2)
    expect(page.locator("#participant-count")).to_have_text("3")
    room.ok("PUT", "/votes", {"allocations": {str(pids[2]): 3}}, key=room.phones[0])
    room.ok(
        "PUT", "/votes", {"allocations": {str(pids[2]): 1, str(pids[1]): 1}}, key=room.phones[1]
    )
    expect(page.locator("#voter-count")).to_have_text("2")
    top = page.locator("#proposal-list > li").first
    expect(top).to_have_attribute("data-id", str(pids[2]))
    expect(top.locator(".tally-main")).to_have_text("4 prikker")
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

    # Off the network while the room moves on: the snapshot on reconnect redraws everything.
    page.context.set_offline(True)
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    room.join(1)
    room.ok("POST", "/proposals", {"title": "Skrevet mens skjermen var frakoblet"})
    room.go("results")
    page.context.set_offline(False)
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    expect(page.locator("#participant-count")).to_have_text("4")
    expect(page.locator("#current-step")).to_have_attribute("data-kind", "results")
    expect(page.locator("#proposal-list")).to_contain_text("Skrevet mens skjermen var frakoblet")
    done(page, problems)


# --- accessibility ------------------------------------------------------------------------------


def test_the_screen_with_everything_open_has_no_axe_violations(
    live_server: LiveServer, browser: Any
) -> None:
    room = Room(live_server, settings={"moderation": True})
    room.join(2)
    room.go("collect")
    room.propose(4, suggest_levels=True)
    room.ok("POST", "/proposals", {"title": "Slå sammen handlingsdelen og økonomiplanen"})
    first = room.snapshot()["proposals"][1]["id"]
    room.ok("PATCH", f"/proposals/{first}", {"status": "visible", "title": "Endret tittel"})
    room.go("vote")
    page, problems = open_desk(browser, room, bypass_csp=True)
    page.get_by_role("button", name="Endre programmet").click()
    page.locator("#step-list li[data-kind=vote]").get_by_role(
        "button", name=re.compile(r"^Rediger")
    ).click()
    page.get_by_role("button", name="Like forslag og sammenslåinger").click()
    card = page.locator(f"#proposal-list li[data-id='{first}']")
    card.get_by_role("button", name=re.compile(r"^Vis originalteksten")).click()
    card.get_by_role("button", name=re.compile(r"^Rediger")).click()
    page.locator("#proposal-list .select-proposal").nth(0).check()
    page.locator("#proposal-list .select-proposal").nth(1).check()
    page.get_by_role("button", name=re.compile(r"^Legg inn – prikker")).click()
    expect(page.locator("#moderation-queue")).to_be_visible()
    expect(page.locator("#similar-list > li")).to_have_count(1)
    page.locator("#timer-start").click()
    expect(page.locator("#timer-state")).to_have_text("Går")
    assert axe_violations(page) == []
    page.set_viewport_size(TABLET)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    assert problems == []

    guide = page.get_by_role("link", name=re.compile(r"^Veileder"))
    assert guide.get_attribute("href") == "/veileder"
    page.goto(f"{live_server.url}/veileder")
    expect(page.get_by_role("heading", level=1)).to_have_text("Veileder for fasilitatorer")
    assert axe_violations(page) == []
    assert problems == []
    page.context.close()


def test_the_guide_is_a_page_with_its_screenshots(client: Any) -> None:
    page = client.get("/veileder")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Veileder for fasilitatorer</h1>" in html
    images = re.findall(r'<img [^>]*src="(/veileder/bilder/[a-z0-9-]+\.png)"', html)
    assert images, "the guide shows screenshots"
    for src in images:
        image = client.get(src)
        assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get("/veileder/bilder/..%2Fguide.md").status_code == 404


def test_the_facilitator_picks_a_shortlist_for_the_rate_step(
    live_server: LiveServer, browser: Any
) -> None:
    room = Room(live_server)
    pids = room.propose(4)
    page, problems = open_desk(browser, room)
    page.get_by_role("button", name="Endre programmet").click()
    rate = page.locator("#step-list li[data-kind=rate]")
    rate.get_by_role("button", name=re.compile(r"^Rediger – ")).click()
    form = rate.locator("form.step-edit-form")
    # the shipped plan asks about the top 8 of the dot vote
    expect(form.get_by_label("De med flest prikker i en prikkestemming")).to_be_checked()
    form.get_by_label("Forslagene jeg velger").check()
    titles = {p["id"]: p["title"] for p in room.snapshot()["proposals"]}
    form.get_by_label(titles[pids[1]]).check()
    form.get_by_label(titles[pids[3]]).check()
    form.get_by_role("button", name="Lagre steget").click()
    eventually(
        lambda: room.step("rate").get("shortlist") == {"proposals": [pids[1], pids[3]]}, page
    )
    assert room.step("rate")["proposal_ids"] == [pids[1], pids[3]]
    # reopened, the form shows what is stored: keyboard and screen reader see checked boxes
    rate.get_by_role("button", name=re.compile(r"^Rediger – ")).click()
    expect(form.get_by_label("Forslagene jeg velger")).to_be_checked()
    expect(form.get_by_label(titles[pids[3]])).to_be_checked()
    expect(form.get_by_label(titles[pids[0]])).not_to_be_checked()
    done(page, problems)


def test_the_tablet_screen_does_not_jump_when_the_connection_drops_and_comes_back(
    live_server: LiveServer, browser: Any
) -> None:
    """On a 768 px tablet the long offline text wrapped the header: the controls jumped 36 px."""
    room = Room(live_server)
    context = browser.new_context(viewport=TABLET)
    line = ConnectionLine(context)
    desk = context.new_page()
    problems = console_problems(desk)
    desk.goto(room.created["facilitator_url"])
    seen = line.drop_and_restore(desk)
    assert len({s["top"] for s in seen[-4:]}) == 1, seen
    assert [s["state"] for s in seen[-4:]] == ["connecting", "online", "offline", "online"], seen
    assert problems == [], problems
