"""From proposals to decisions in real Chromium, in nynorsk: the simplification plan with three
tables (the phones pick theirs when they join) through collect (a phone suggests who can make
the change), review grouped by change level on the
projector, dot vote, the shortlisted rating step (top 8), the actions step, closing, and the
report-back page on the join URL with a follow-up note arriving live.

With UPDATE_SCREENSHOTS=1 it writes the review-by-level, action-list and report-back screens at
phone and projector size into docs/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import PHONE, PROJECTOR
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer, call_api
from workshop.web.followup_pages import local_time

pytestmark = pytest.mark.browser
TABLES = ["Bord 1", "Bord 2", "Bord 3"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
COLLECT, VOTE, REVIEW, RATE, ACTIONS = 1, 2, 4, 5, 7  # positions in plan-simplification

PROPOSALS = [  # title, level the facilitator settles
    ("Slå saman handlingsdel og økonomiplan", "lokal"),
    ("Felles planforum med nabokommunane", "regional"),
    ("Enklare krav til konsekvensutgreiing", "nasjonal"),
    ("Delegere mindre endringar til administrasjonen", "lokal"),
    ("Felles kart og planregister", "regional"),
    ("Kortare planprogram", "lokal"),
    ("Rettleiar for små kommunar", "nasjonal"),
    ("Færre temaplanar", "lokal"),
    ("Digital medverknad", "lokal"),
]


def test_the_simplification_plan_ends_in_actions_and_a_report_back_in_nynorsk(
    live_server: LiveServer,
    browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    url = live_server.url
    created = call_api(
        url,
        "POST",
        "/workshops",
        ADMIN_KEY,
        {
            "title": "Forenkling i Vinje",
            "plan": "plan-simplification",
            "language": "nn",
            "settings": {"tables": TABLES},
        },
    )
    code, facilitator = created["code"], created["facilitator_key"]
    base = f"/workshops/{code}"

    def go(position: int) -> None:
        call_api(url, "POST", f"{base}/step", facilitator, {"position": position})

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    wall = browser.new_context(viewport=PROJECTOR).new_page()

    # collect: a phone in the room writes a proposal and suggests who can make the change
    go(COLLECT)
    phone.goto(f"{url}/j/{code}")
    phone.locator("#table").select_option("Bord 2")  # IGP: the phone sits at a table
    phone.locator("#join-form button[type=submit]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "nn")
    phone.locator("#proposal-title").fill("Éin felles planavdeling i regionen")
    phone.locator("#proposal-level").select_option("regional")
    phone.get_by_role("button", name="Send forslag").click()
    voters = [
        call_api(url, "POST", f"{base}/participants", "", {"table": TABLES[n % 3]})["key"]
        for n in range(4)
    ]
    seating = call_api(url, "GET", f"{base}/tables", facilitator)
    assert sorted(p["table"] for p in seating["participants"]) == sorted(
        ["Bord 2", *(TABLES[n % 3] for n in range(4))]
    )
    ids: dict[str, int] = {}
    for number, (title, _level) in enumerate(PROPOSALS):
        made = call_api(
            url, "POST", f"{base}/proposals", voters[number % len(voters)], {"title": title}
        )
        ids[title] = made["id"]
    staff = call_api(url, "GET", base, facilitator)
    suggested = [p for p in staff["proposals"] if p["title"].startswith("Éin felles")]
    assert [p["suggested_change_level"] for p in suggested] == ["regional"]
    assert suggested[0]["change_level"] is None
    ids[suggested[0]["title"]] = suggested[0]["id"]

    # dot vote: the phones spread their dots
    go(VOTE)
    titles = list(ids)
    for number, key in enumerate(voters):
        # dots 1, 2, 3, 4, 4, 3, 2, 1, 0, 0: the last two (the phone's among them) miss the top 8
        allocation = {str(ids[t]): 1 for t in titles[number : number + 5]}
        call_api(url, "PUT", f"{base}/votes", key, {"allocations": allocation})

    # review: the facilitator settles the levels; the projector groups the feed by level
    go(REVIEW)
    for title, level in PROPOSALS:
        call_api(
            url, "PATCH", f"{base}/proposals/{ids[title]}", facilitator, {"change_level": level}
        )
    wall.goto(created["projector_url"])
    feed = wall.locator("#proposal-feed")
    expect(feed).to_have_attribute("data-grouped", "change_level")
    # lokal, regional, nasjonal: the phone's unsettled proposal counts by its suggestion
    expect(feed.locator("li.feed-group")).to_have_count(3)
    expect(feed.locator("li.feed-group").first).to_have_attribute("data-level", "lokal")
    expect(feed.locator("li.feed-group").first).to_contain_text("Det vi kan gjere sjølve")
    wall.screenshot(path=str(folder / "projector-review-levels.png"))
    expect(phone.locator("section[data-kind='review']")).to_be_visible()
    phone.screenshot(path=str(folder / "phone-review.png"))

    # rating: only the eight proposals with most dots
    go(RATE)
    step = call_api(url, "GET", base, voters[0])["step"]
    shortlisted = step["proposal_ids"]
    assert len(shortlisted) == 8 and ids["Éin felles planavdeling i regionen"] not in shortlisted
    for key in voters:
        ratings = {str(pid): {"gevinst": 4, "innsats": 2} for pid in shortlisted[:3]}
        call_api(url, "PUT", f"{base}/ratings", key, {"ratings": ratings})

    # actions: the facilitator records two
    go(ACTIONS)
    for body in (
        {
            "what": "Slå saman handlingsdelen og økonomiplanen frå 2027",
            "proposal_id": ids["Slå saman handlingsdel og økonomiplan"],
            "owner": "Kommunedirektøren",
            "due": "2027-03-01",
            "decided_by": "kommunestyret",
            "change_level": "lokal",
        },
        {
            "what": "Be fylkeskommunen om eit felles planforum",
            "proposal_id": ids["Felles planforum med nabokommunane"],
            "owner": "Ordføraren",
            "due": "2027-01-15",
            "decided_by": "formannskapet",
            "change_level": "regional",
        },
    ):
        call_api(url, "POST", f"{base}/actions", facilitator, body)
    expect(wall.locator("#stage")).to_have_attribute("data-mode", "actions")
    expect(wall.locator("#action-wall li")).to_have_count(2)
    expect(wall.locator("#action-wall")).to_contain_text("Ordføraren")
    wall.screenshot(path=str(folder / "projector-actions.png"))
    # the phones follow the growing action list and may suggest owners and deadlines
    expect(phone.locator("#phone-actions li")).to_have_count(2)
    expect(phone.locator("#phone-actions")).to_contain_text("Ordføraren")
    phone.screenshot(path=str(folder / "phone-actions.png"))

    # closing: the phone on the join URL turns into the report-back page, in nynorsk
    call_api(url, "POST", f"{base}/close", facilitator)
    expect(phone.get_by_role("heading", name="Dette vart resultatet")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "nn")
    expect(phone.get_by_role("heading", name="Lokal – kommunen sjølv")).to_be_visible()
    expect(phone.locator("ol.ranking").first).to_contain_text("Slå saman handlingsdel")
    actions = phone.locator("#outcome-actions")
    expect(actions.locator("li")).to_have_count(2)
    expect(actions).to_contain_text("Kommunedirektøren")
    expect(actions).to_contain_text("Ordføraren")
    expect(actions).to_contain_text("01.03.2027")  # a deadline reads as a Norwegian date
    note = call_api(
        url, "POST", f"{base}/notes", facilitator, {"text": "Saka går til kommunestyret 12. mars."}
    )
    expect(phone.locator("#notes")).to_contain_text("Saka går til kommunestyret 12. mars.")
    # the note arriving live reads in Norwegian time, as the page written by the server does
    expect(phone.locator("#notes time")).to_have_text(local_time(note["at"]))
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(folder / "phone-report-back.png"))
    # the same join URL on a wide screen (a projector or a laptop after the meeting)
    wide = browser.new_context(viewport=PROJECTOR).new_page()
    wide.goto(f"{url}/j/{code}")
    expect(wide.get_by_role("heading", name="Dette vart resultatet")).to_be_visible()
    expect(wide.locator("#notes")).to_contain_text("Saka går til kommunestyret 12. mars.")
    wide.screenshot(path=str(folder / "projector-report-back.png"))
