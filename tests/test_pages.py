"""The HTML pages as a phone without JavaScript uses them: plain forms, a page per step."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.support.api import Api
from tests.support.forms import csrf_of, join_by_form
from workshop.services.snapshots import get_snapshot


def client_key_of(html: str) -> str:
    match = re.search(r'name="client_key" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_landing_page_takes_the_code_in_any_case(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    page = client.get("/").get_data(as_text=True)
    assert '<label for="code">' in page
    response = client.get(f"/j?code={workshop.code.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}")


def test_unknown_code_says_so_in_bokmal(client: FlaskClient) -> None:
    response = client.get("/j/ZZZZZZ")
    assert response.status_code == 404
    assert "Fant ikke verkstedet «ZZZZZZ»" in response.get_data(as_text=True)


def test_join_form_offers_the_workshops_roles_and_sets_a_cookie(
    client: FlaskClient, api: Api
) -> None:
    workshop = api.create()
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert 'value="Folkevalgt"' in page and 'value="Regional aktør"' in page
    screen = join_by_form(client, workshop.code, name="Kari", role="Administrasjon")
    assert re.search(r"Steg 1 av \d+", screen)
    assert "Velkommen" in screen
    cookie = client.get_cookie("planverksted")
    assert cookie is not None and cookie.http_only


def test_refreshing_keeps_the_participant(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    join_by_form(client, workshop.code, name="Kari")
    api.go_to(workshop, "collect")
    first = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    second = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    for page in (first, second):
        assert 'id="proposal-form"' in page
    snapshot = api.get(workshop.code, workshop.facilitator_key).get_json()
    assert snapshot["participants"] == 1


def test_proposal_by_form_is_stored_once_even_if_sent_twice(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    join_by_form(client, workshop.code)
    api.go_to(workshop, "collect")
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    form = {
        "csrf": csrf_of(page),
        "client_key": client_key_of(page),
        "title": "Slå sammen handlingsdel og økonomiplan",
        "body": "Ett dokument",
        "category": "handlingsdel og økonomiplan",
    }
    for _ in range(2):
        response = client.post(f"/j/{workshop.code}/proposals", data=form)
        assert response.status_code == 302
    confirmation = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Takk! Forslaget ditt er sendt." in confirmation
    proposals = api.get(workshop.code, workshop.facilitator_key).get_json()["proposals"]
    assert [p["title"] for p in proposals] == ["Slå sammen handlingsdel og økonomiplan"]


def test_a_refused_proposal_keeps_what_was_typed(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    join_by_form(client, workshop.code)
    api.go_to(workshop, "collect")
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    response = client.post(
        f"/j/{workshop.code}/proposals",
        data={
            "csrf": csrf_of(page),
            "title": "  ",
            "body": "Lang forklaring som ikke må forsvinne",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv en tittel på forslaget." in html
    assert "Lang forklaring som ikke må forsvinne" in html


def test_a_paper_note_by_form_goes_through_the_same_checks(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    client.get(f"/f/{workshop.code}?key={workshop.facilitator_key}")
    token = csrf_of(client.get(f"/f/{workshop.code}").get_data(as_text=True))
    url = f"/f/{workshop.code}/proposals"
    refused = client.post(url, data={"csrf": token, "title": "x" * 201}, follow_redirects=True)
    assert "Tittelen kan ha høyst 200 tegn." in refused.get_data(as_text=True)
    assert api.get(workshop.code, workshop.facilitator_key).get_json()["proposals"] == []
    client.post(url, data={"csrf": token, "title": "  Fra lappen  ", "body": ""})
    stored = api.get(workshop.code, workshop.facilitator_key).get_json()["proposals"]
    assert [(p["title"], p["body"], p["source"]) for p in stored] == [("Fra lappen", "", "paper")]


def test_participant_text_is_shown_as_text(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    api.go_to(workshop, "collect")
    key = api.join(workshop.code)
    api.propose(workshop.code, key, '<script>alert("x")</script>')
    join_by_form(client, workshop.code)
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_votes_by_form_within_budget_and_refused_over_it(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    api.go_to(workshop, "collect")
    author = api.join(workshop.code)
    ids = [api.propose(workshop.code, author, t).get_json()["id"] for t in ("A", "B")]
    join_by_form(client, workshop.code)
    api.go_to(workshop, "vote")
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Du har 5 prikker igjen" in page
    token = csrf_of(page)
    ok = client.post(
        f"/j/{workshop.code}/votes",
        data={"csrf": token, f"dots-{ids[0]}": "3", f"dots-{ids[1]}": "1"},
    )
    assert ok.status_code == 302
    assert "Du har 1 prikk igjen" in client.get(f"/j/{workshop.code}").get_data(as_text=True)
    refused = client.post(
        f"/j/{workshop.code}/votes",
        data={"csrf": token, f"dots-{ids[0]}": "5", f"dots-{ids[1]}": "2"},
    )
    assert refused.status_code == 422
    assert "Du har 5 prikker, men prøvde å bruke 7." in refused.get_data(as_text=True)
    results = api.get(f"{workshop.code}/results", workshop.facilitator_key).get_json()
    assert {p["id"]: p["dots"] for p in results["proposals"]} == {ids[0]: 3, ids[1]: 1}


def test_results_page_after_the_facilitator_reveals(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    api.go_to(workshop, "collect")
    key = api.join(workshop.code)
    api.propose(workshop.code, key, "Felles planressurs")
    join_by_form(client, workshop.code)
    api.go_to(workshop, "vote")
    assert 'id="results"' not in client.get(f"/j/{workshop.code}").get_data(as_text=True)
    api.go_to(workshop, "results")
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert 'id="results"' in page and "Felles planressurs" in page


def test_form_posts_without_the_token_are_refused(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    assert client.post(f"/j/{workshop.code}", data={"name": "x"}).status_code == 400
    snapshot = get_snapshot(workshop.code, workshop.facilitator_key)
    assert snapshot["participants"] == 0


def test_key_in_link_becomes_a_cookie_and_disappears_from_the_address(
    client: FlaskClient, api: Api
) -> None:
    workshop = api.create()
    response = client.get(f"/f/{workshop.code}?key={workshop.facilitator_key}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/f/{workshop.code}"
    assert client.get(f"/f/{workshop.code}").status_code == 200
    projector = client.get(f"/p/{workshop.code}?key={workshop.projector_key}")
    assert projector.headers["Location"] == f"/p/{workshop.code}"


def test_facilitator_screen_needs_the_facilitator_key(client: FlaskClient, api: Api) -> None:
    workshop = api.create()
    assert client.get(f"/f/{workshop.code}").status_code == 401
    assert client.get(f"/f/{workshop.code}?key={workshop.projector_key}").status_code == 302
    assert client.get(f"/f/{workshop.code}").status_code == 403


def test_start_page_creates_a_workshop_and_opens_its_screen(client: FlaskClient) -> None:
    from tests.support.config import ADMIN_KEY

    assert "admin_key" in client.get("/start").get_data(as_text=True)
    assert client.get(f"/start?key={ADMIN_KEY}").status_code == 302
    page = client.get("/start").get_data(as_text=True)
    assert "plan-simplification" in page
    response = client.post(
        "/start",
        data={
            "csrf": csrf_of(page),
            "title": "Planverksted i Bindal",
            "plan": "plan-simplification",
            "language": "nb",
            "votes_per_participant": "5",
        },
    )
    assert response.status_code == 302
    code = response.headers["Location"].rsplit("/", 1)[-1]
    screen = client.get(f"/f/{code}").get_data(as_text=True)
    assert "Planverksted i Bindal" in screen


def test_accessibility_statement_says_what_is_met_and_how_to_report(client: FlaskClient) -> None:
    page = client.get("/tilgjengelighet").get_data(as_text=True)
    assert "WCAG 2.1" in page
    assert "Meld fra om et problem" in page
    assert 'href="/tilgjengelighet"' in client.get("/").get_data(as_text=True)
