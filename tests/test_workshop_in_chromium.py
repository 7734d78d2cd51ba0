"""A whole workshop in Chromium: facilitator, projector and five phones (bokmål, nynorsk,
English, one without JavaScript), checking what each person sees at each step."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, PROJECTOR, console_problems, shown_though_hidden
from tests.support.config import ADMIN_KEY
from tests.support.servers import LiveServer, call_api

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Language:
    """The words a phone in one language must show."""

    query: str
    name_label: str
    join: str
    title_label: str
    send: str
    remaining_5: str
    results_3: str


BOKMAL = Language(
    "nb",
    "Navn (valgfritt)",
    "Bli med",
    "Forslaget ditt (kort)",
    "Send forslag",
    "Du har 5 prikker igjen",
    "3 prikker",
)
NYNORSK = Language(
    "nn",
    "Namn (valfritt)",
    "Bli med",
    "Forslaget ditt (kort)",
    "Send forslag",
    "Du har 5 prikkar igjen",
    "3 prikkar",
)
ENGLISH = Language(
    "en",
    "Name (optional)",
    "Join",
    "Your proposal (short)",
    "Send proposal",
    "You have 5 dots left",
    "3 dots",
)


@dataclass
class Phone:
    """One participant's phone."""

    page: Page
    language: Language
    scripted: bool
    role: str
    proposal: str


def test_a_workshop_with_a_facilitator_a_projector_and_five_phones(
    live_server: LiveServer,
    browser,  # noqa: F811
) -> None:
    created = call_api(
        live_server.url, "POST", "/workshops", ADMIN_KEY, {"title": "Enklere planlegging i Lurøy"}
    )
    code = created["code"]

    desk = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    desk_errors = console_problems(desk)
    desk.goto(created["facilitator_url"])
    wall = browser.new_context(viewport=PROJECTOR).new_page()
    wall_errors = console_problems(wall)
    wall.goto(created["projector_url"])
    expect(wall.locator("#join-code")).to_have_text(code)

    plan = [
        (BOKMAL, True, "Folkevalgt", "Slå sammen handlingsdel og økonomiplan"),
        (NYNORSK, True, "Administrasjon", "Felles plankontor med nabokommunane"),
        (NYNORSK, True, "Folkevalgt", "Kortare samfunnsdel"),
        (ENGLISH, True, "Regional aktør", "Earlier dialogue in the regional planning forum"),
        (BOKMAL, False, "Administrasjon", "Oppdater delegeringsreglementet"),
    ]
    phones: list[Phone] = []
    for language, scripted, role, proposal in plan:
        context = browser.new_context(viewport=PHONE, java_script_enabled=scripted)
        page = context.new_page()
        page.goto(f"{created['join_url']}?lang={language.query}")
        expect(page.locator("html")).to_have_attribute("lang", language.query)
        page.get_by_label(language.name_label).fill(f"Deltaker {len(phones) + 1}")
        page.get_by_label(role, exact=True).check()
        page.get_by_role("button", name=language.join, exact=True).click()
        phones.append(Phone(page, language, scripted, role, proposal))
    for phone in phones:
        if phone.scripted:
            expect(phone.page.locator("#connection")).to_have_attribute("data-state", "online")
    expect(desk.locator("#participant-count")).to_have_text("5")

    # The facilitator moves the room to the collect step from the facilitator screen.
    desk.locator("#step-next").click()
    expect(wall.locator("#stage")).to_have_attribute("data-kind", "collect")
    for phone in phones:
        if not phone.scripted:
            phone.page.reload()
        phone.page.get_by_label(phone.language.title_label).fill(phone.proposal)
        phone.page.get_by_role("button", name=phone.language.send, exact=True).click()
    expect(wall.locator("#proposal-feed li")).to_have_count(5)
    expect(desk.locator("#proposal-list li")).to_have_count(5)
    # The workshop's own content stays as written, whatever the phone's language.
    english = phones[3].page
    expect(english.locator("#feed")).to_contain_text("Slå sammen handlingsdel og økonomiplan")

    desk.locator("#step-next").click()
    expect(wall.locator("#stage")).to_have_attribute("data-kind", "vote")
    target = "Slå sammen handlingsdel og økonomiplan"
    for phone in phones:
        page = phone.page
        if not phone.scripted:
            page.reload()
        expect(page.locator("#remaining")).to_have_text(re.compile(phone.language.remaining_5))
        if phone.scripted:
            page.locator(f"#vote-form li:has-text('{target}') button.inc").click()
        elif phone.page is phones[4].page:
            # Without the script + and − would do nothing: the phone shows the number fields only.
            assert shown_though_hidden(page) == []
            expect(page.locator("#vote-form button.inc").first).to_be_hidden()
            page.locator(f"#vote-form li:has-text('{target}') input.dots-input").fill("1")
            page.locator("#save-votes").click()
    voters = sum(1 for phone in phones if phone.scripted) + 1
    expect(wall.locator("#voter-count")).to_have_text(str(voters))
    expect(wall.locator("#results li")).to_have_count(0)

    desk.locator("#step-next").click()
    expect(wall.locator("#stage")).to_have_attribute("data-revealed", "true")
    expect(wall.locator("#results li").first).to_contain_text(target)
    expect(wall.locator("#results li").first.locator(".result-count")).to_contain_text("5")
    for phone in phones:
        if not phone.scripted:
            phone.page.reload()
        first = phone.page.locator("#results li").first
        expect(first).to_contain_text(target)
    expect(phones[1].page.locator("#results li").first).to_contain_text("5 prikkar")
    expect(phones[3].page.locator("#results li").first).to_contain_text("5 dots")
    assert desk_errors == [] and wall_errors == []
