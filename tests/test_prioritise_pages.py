"""The phone without JavaScript: joining with several roles, rating and agree/disagree forms."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from tests.support import prioritising
from tests.support.config import ADMIN_KEY
from tests.support.forms import csrf_of
from tests.support.prioritising import (
    AGREE,
    AGREE_RESULTS,
    COLLECT,
    DOTS,
    PLAN_NAME,
    RATE,
    Room,
)
from tests.support.servers import LiveServer

STATIC = Path(__file__).resolve().parent.parent / "static"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "participant"

plan = prioritising.plan  # fixtures
room = prioritising.room


def page(client: FlaskClient, code: str) -> str:
    response = client.get(f"/j/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def join(client: FlaskClient, room: Room, *roles: str) -> str:
    form = {"csrf": csrf_of(page(client, room.code)), "name": "", "role": list(roles)}
    response = client.post(f"/j/{room.code}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return page(client, room.code)


def is_checked(screen: str, input_id: str) -> bool:
    """Whether the input with this id is rendered checked."""
    match = re.search(rf'<input[^>]*\bid="{re.escape(input_id)}"[^>]*>', screen)
    assert match, input_id
    return bool(re.search(r"\schecked\b", match.group(0)))


def my_view(client: FlaskClient, room: Room) -> dict:
    """The snapshot of the participant whose cookie the client holds."""
    response = client.get(
        f"/api/v1/workshops/{room.code}", headers={"X-Planverksted-As": "participant"}
    )
    assert response.status_code == 200
    return response.get_json()


# --- joining with several roles ------------------------------------------------------------


def test_the_join_form_offers_roles_as_checkboxes(client: FlaskClient, room: Room) -> None:
    join_page = page(client, room.code)
    assert join_page.count('type="checkbox"') == 4
    assert 'type="radio"' not in join_page
    assert "<legend>Roller (valgfritt)</legend>" in join_page
    for role in ("Folkevalgt", "Næringsliv og frivillighet"):
        assert f'name="role" value="{role}"' in join_page


def test_one_person_joins_with_several_roles(client: FlaskClient, room: Room) -> None:
    join(client, room, "Folkevalgt", "Næringsliv og frivillighet")
    assert my_view(client, room)["me"]["roles"] == ["Folkevalgt", "Næringsliv og frivillighet"]


def test_joining_without_a_role(client: FlaskClient, room: Room) -> None:
    join(client, room)
    assert my_view(client, room)["me"]["roles"] == []


def test_an_unknown_role_is_refused_and_the_choices_kept(client: FlaskClient, room: Room) -> None:
    token = csrf_of(page(client, room.code))
    response = client.post(
        f"/j/{room.code}", data={"csrf": token, "role": ["Folkevalgt", "Ordfører"]}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Velg en rolle fra listen." in text
    assert re.search(r'value="Folkevalgt"\s+checked', text)
    assert room.json("")["participants"] == 0


# --- rating ------------------------------------------------------------------------------------


def test_the_rate_step_is_a_plain_form_of_radio_groups(client: FlaskClient, room: Room) -> None:
    join(client, room, "Folkevalgt")
    room.go(RATE)
    screen = page(client, room.code)
    assert 'id="rate-form"' in screen and f'action="/j/{room.code}/ratings"' in screen
    assert 'method="post"' in screen and 'name="csrf"' in screen
    a = room.ids[0]
    for criterion, low, high in (
        ("gevinst", "liten nytte", "stor nytte"),
        ("innsats", "lett å gjøre", "krevende"),
    ):
        for score in range(1, 6):
            assert f'name="rating-{a}-{criterion}" value="{score}"' in screen
            assert f'<label for="rating-{a}-{criterion}-{score}">{score}' in screen
        assert low in screen and high in screen
    legends = re.findall(r"<legend>(.*?)</legend>", screen, re.S)
    assert len(legends) == 2 * len(room.ids)
    first = html.unescape(re.sub(r"<[^>]+>", "", legends[0]))
    assert first == "«Én»: Gevinst"  # the legend names the proposal and the criterion
    assert "participant-prioritise.js" in screen


def test_ratings_by_form_are_stored_and_shown_checked(client: FlaskClient, room: Room) -> None:
    join(client, room, "Folkevalgt")
    room.go(RATE)
    a, b, _c = room.ids
    form = {
        "csrf": csrf_of(page(client, room.code)),
        f"rating-{a}-gevinst": "5",
        f"rating-{a}-innsats": "2",
        f"rating-{b}-gevinst": "1",
    }
    response = client.post(f"/j/{room.code}/ratings", data=form)
    assert response.status_code == 302
    screen = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vurderingene dine er lagret." in screen
    assert my_view(client, room)["me"]["ratings"] == {
        str(a): {"gevinst": 5, "innsats": 2},
        str(b): {"gevinst": 1},
    }
    assert is_checked(screen, f"rating-{a}-gevinst-5")
    assert is_checked(screen, f"rating-{a}-innsats-2")
    assert not is_checked(screen, f"rating-{a}-gevinst-4")
    assert not any(is_checked(screen, f"rating-{b}-innsats-{n}") for n in range(1, 6))


@pytest.mark.parametrize("value", ["9", "x", "0"])
def test_a_bad_score_by_form_shows_the_error(client: FlaskClient, room: Room, value: str) -> None:
    join(client, room)
    room.go(RATE)
    a = room.ids[0]
    form = {"csrf": csrf_of(page(client, room.code)), f"rating-{a}-gevinst": value}
    response = client.post(f"/j/{room.code}/ratings", data=form)
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert my_view(client, room)["me"]["ratings"] == {}


def test_rating_by_form_in_another_step_is_refused(client: FlaskClient, room: Room) -> None:
    join(client, room)
    room.go(DOTS)
    form = {"csrf": csrf_of(page(client, room.code)), f"rating-{room.ids[0]}-gevinst": "3"}
    response = client.post(f"/j/{room.code}/ratings", data=form)
    assert response.status_code == 409
    assert "Det er ikke tid for å gi poeng nå." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["ratings", "stances"])
def test_the_forms_need_their_token(client: FlaskClient, room: Room, path: str) -> None:
    join(client, room)
    room.go(RATE if path == "ratings" else AGREE)
    response = client.post(f"/j/{room.code}/{path}", data={"csrf": "wrong"})
    assert response.status_code == 400


# --- agree / disagree / pass -----------------------------------------------------------------


def test_the_agree_step_is_a_plain_form(client: FlaskClient, room: Room) -> None:
    join(client, room)
    room.go(AGREE)
    screen = page(client, room.code)
    assert 'id="stance-form"' in screen and f'action="/j/{room.code}/stances"' in screen
    assert 'id="vote-form"' not in screen  # no dots in an agree step
    a = room.ids[0]
    for value, word, hidden in (
        ("agree", "Enig", "Enig i «Én»"),
        ("disagree", "Uenig", "Uenig i «Én»"),
        ("pass", "Står over", "Står over «Én»"),
    ):
        assert re.search(rf'name="stance-{a}"\s+value="{value}"', screen)
        label = re.search(rf'<label for="stance-{a}-{value}">(.*?)</label>', screen).group(1)
        assert f'<span aria-hidden="true">{word}</span>' in label
        assert f'<span class="visually-hidden">{hidden}</span>' in label
    assert '<legend class="vote-title">Én</legend>' in screen


def test_stances_by_form_are_stored_and_shown_checked(client: FlaskClient, room: Room) -> None:
    join(client, room)
    room.go(AGREE)
    a, b, _c = room.ids
    form = {"csrf": csrf_of(page(client, room.code)), f"stance-{a}": "agree", f"stance-{b}": "pass"}
    response = client.post(f"/j/{room.code}/stances", data=form)
    assert response.status_code == 302
    screen = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Svarene dine er lagret." in screen
    assert my_view(client, room)["me"]["stances"] == {str(a): "agree", str(b): "pass"}
    assert is_checked(screen, f"stance-{a}-agree")
    assert is_checked(screen, f"stance-{b}-pass")
    assert not is_checked(screen, f"stance-{a}-disagree")


def test_a_bad_stance_by_form_shows_the_error(client: FlaskClient, room: Room) -> None:
    join(client, room)
    room.go(AGREE)
    form = {"csrf": csrf_of(page(client, room.code)), f"stance-{room.ids[0]}": "kanskje"}
    response = client.post(f"/j/{room.code}/stances", data=form)
    assert response.status_code == 422
    assert my_view(client, room)["me"]["stances"] == {}


def test_the_step_fragment_carries_the_forms(client: FlaskClient, room: Room) -> None:
    join(client, room)
    room.go(RATE)
    fragment = client.get(f"/j/{room.code}/step").get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and 'id="rate-form"' in fragment
    room.go(AGREE)
    fragment = client.get(f"/j/{room.code}/step").get_data(as_text=True)
    assert 'id="stance-form"' in fragment


def test_agree_results_on_the_phone_show_counts(client: FlaskClient, room: Room) -> None:
    join(client, room, "Folkevalgt")
    room.go(AGREE)
    assert (
        room.answer(room.join(), {room.ids[0]: "agree", room.ids[1]: "disagree"}).status_code == 200
    )
    room.reveal(AGREE)
    room.go(AGREE_RESULTS)
    screen = page(client, room.code)
    assert "1 enig, 0 uenig, 0 pass" in screen
    results = screen.split('id="results"')[1].split("</ol>")[0]
    assert "prikk" not in results


def test_rate_results_on_the_phone_show_means_and_the_quadrant(
    client: FlaskClient, room: Room
) -> None:
    join(client, room)
    room.go(RATE)
    a, b, _c = room.ids
    for benefit in (5, 4):
        key = room.join()
        assert room.rate(key, {a: {"gevinst": benefit, "innsats": 2}}).status_code == 200
    room.reveal(RATE)
    room.go(RATE + 1)
    results = page(client, room.code).split('id="results"')[1].split("</ol>")[0]
    assert "Gevinst 4,5, innsats 2,0 (2 svar) – Raske gevinster" in results
    assert "Ingen vurderinger" in results


# --- the enhancement script follows the rules of the page ------------------------------------


def test_the_script_uses_text_only_and_no_inline_code() -> None:
    script = (STATIC / "js" / "participant-prioritise.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "eval(" not in script
    assert "Planverksted.api" in script or "P.api(" in script
    assert "announcer" in script
    for name in ("_rate.html", "_agree.html"):
        template = (TEMPLATES / name).read_text(encoding="utf-8")
        assert "<script" not in template and "style=" not in template
        assert not re.search(r"\son[a-z]+=", template)  # no inline event handlers


# --- in real Chromium: saved on change, announced, accessible ----------------------------------


@pytest.mark.browser
def test_the_phone_saves_ratings_and_stances_on_change(
    live_server: LiveServer, plan: str, browser: Any
) -> None:
    from playwright.sync_api import expect

    from tests.support.browser import PHONE, axe_violations, console_problems

    session = requests.Session()
    created = session.post(
        f"{live_server.url}/api/v1/workshops",
        json={"title": "Prioritering i Røyrvik", "plan": PLAN_NAME},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=10,
    ).json()
    code, facilitator = created["code"], created["facilitator_key"]
    staff = {"Authorization": f"Bearer {facilitator}"}

    def step(position: int) -> None:
        response = session.post(
            f"{live_server.url}/api/v1/workshops/{code}/step",
            json={"position": position},
            headers=staff,
            timeout=10,
        )
        assert response.ok, response.text

    step(COLLECT)
    ids = [
        session.post(
            f"{live_server.url}/api/v1/workshops/{code}/proposals",
            json={"title": title},
            headers=staff,
            timeout=10,
        ).json()["id"]
        for title in ("Felles planforum", "Kortere planprogram")
    ]

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    problems = console_problems(phone)
    phone.goto(f"{live_server.url}/j/{code}")
    phone.get_by_label("Folkevalgt").check()
    phone.get_by_label("Næringsliv og frivillighet").check()
    phone.get_by_role("button", name="Bli med").click()
    expect(phone.get_by_role("heading", name="Forslag", exact=True)).to_be_visible()

    def mine() -> dict:
        return phone.evaluate(
            "code => fetch('/api/v1/workshops/' + code, {headers: "
            "{'X-Planverksted-As': 'participant'}}).then(r => r.json())",
            code,
        )["me"]

    assert mine()["roles"] == ["Folkevalgt", "Næringsliv og frivillighet"]

    step(RATE)
    expect(phone.get_by_role("heading", name="Gevinst og innsats")).to_be_visible()
    phone.locator(f'label[for="rating-{ids[0]}-gevinst-5"]').click()
    phone.locator(f'label[for="rating-{ids[0]}-innsats-2"]').click()
    expect(phone.locator("#announcer")).to_have_text("Vurderingene dine er lagret.")
    expect(phone.locator("#prioritise-state")).to_have_text("Vurderingene dine er lagret.")
    deadline = time.monotonic() + 5
    while mine().get("ratings") != {str(ids[0]): {"gevinst": 5, "innsats": 2}}:
        assert time.monotonic() < deadline, mine()
        time.sleep(0.1)
    group = phone.get_by_role("group", name="«Felles planforum»: Gevinst")
    expect(group.get_by_role("radio", name="5 – stor nytte")).to_be_checked()

    def no_axe_violations() -> None:
        # bypass_csp only lets the test inject axe-core; the phone above runs under the CSP.
        checker = browser.new_context(
            viewport=PHONE, bypass_csp=True, storage_state=context.storage_state()
        )
        page = checker.new_page()
        page.goto(f"{live_server.url}/j/{code}")
        assert axe_violations(page) == []
        checker.close()

    no_axe_violations()

    step(AGREE)
    expect(phone.get_by_role("heading", name="Enig eller uenig")).to_be_visible()
    phone.get_by_role("radio", name="Uenig i «Kortere planprogram»").check()
    expect(phone.locator("#announcer")).to_have_text("Svarene dine er lagret.")
    deadline = time.monotonic() + 5
    while mine().get("stances") != {str(ids[1]): "disagree"}:
        assert time.monotonic() < deadline, mine()
        time.sleep(0.1)
    no_axe_violations()
    assert problems == []
    context.close()
