"""The follow-up pages and their plain forms (no script): actions, closing with confirmation,
notes, the report-back page at the join URL and a phone's suggestion."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.support import followup as support
from tests.support.followup import ACTIONS, post
from tests.support.forms import csrf_of, join_by_form
from tests.support.prioritising import Room

followup_plan = support.followup_plan  # fixtures
followup = support.followup


def desk(room: Room) -> tuple[FlaskClient, str]:
    """A browser holding the facilitator key, and its form token."""
    client = room.api.client.application.test_client()
    response = client.get(f"/f/{room.code}?key={room.facilitator}")
    assert response.status_code == 302
    page = client.get(f"/f/{room.code}").get_data(as_text=True)
    return client, csrf_of(page)


def test_the_facilitator_records_an_action_by_form(followup: Room) -> None:
    client, csrf = desk(followup)
    form = {
        "csrf": csrf,
        "what": "Revider delegeringsreglementet",
        "proposal_id": str(followup.ids[1]),
        "owner": "Kommunedirektøren",
        "due": "2027-05-01",
        "decided_by": "kommunestyret",
        "change_level": "lokal",
    }
    assert client.post(f"/f/{followup.code}/actions", data=form).status_code == 302
    (action,) = followup.json("actions")["actions"]
    assert action["proposal_id"] == followup.ids[1] and action["due"] == "2027-05-01"
    page = client.get(f"/f/{followup.code}").get_data(as_text=True)
    assert "Revider delegeringsreglementet" in page and "Kommunestyret" in page
    bad = client.post(f"/f/{followup.code}/actions", data={"csrf": csrf, "what": ""})
    assert "error=" in bad.headers["Location"]
    remove = client.post(f"/f/{followup.code}/actions/{action['id']}/delete", data={"csrf": csrf})
    assert remove.status_code == 302 and followup.json("actions") == {"actions": []}


def test_closing_by_form_needs_the_ticked_confirmation(followup: Room) -> None:
    client, csrf = desk(followup)
    unconfirmed = client.post(f"/f/{followup.code}/close", data={"csrf": csrf})
    assert "error=" in unconfirmed.headers["Location"]
    assert followup.json("")["closed"] is False
    client.post(f"/f/{followup.code}/close", data={"csrf": csrf, "confirm": "yes"})
    assert followup.json("")["closed"] is True
    client.post(f"/f/{followup.code}/notes", data={"csrf": csrf, "text": "Takk for innsatsen"})
    client.post(f"/f/{followup.code}/outcome", data={"csrf": csrf, "report_published": "yes"})
    outcome = followup.json("outcome")
    assert outcome["notes"][0]["text"] == "Takk for innsatsen"
    assert outcome["report_published"] is True


def test_the_join_url_of_a_closed_workshop_reports_back_to_anyone(
    followup: Room, client: FlaskClient
) -> None:
    post(
        followup,
        "actions",
        followup.facilitator,
        {"what": "Felles planforum", "owner": "Fylkeskommunen"},
    )
    assert post(followup, "close", followup.facilitator).status_code == 200
    post(followup, "notes", followup.facilitator, {"text": "Saken behandles i mars."})
    page = client.get(f"/j/{followup.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Dette ble resultatet" in html and 'lang="nb"' in html
    assert "Felles planforum" in html and "Saken behandles i mars." in html
    assert 'name="name"' not in html  # no join form
    assert client.get(f"/j/{followup.code}/rapport").status_code == 403
    followup_patch = support.patch(
        followup, "outcome", followup.facilitator, {"report_published": True}
    )
    assert followup_patch.status_code == 200
    assert client.get(f"/j/{followup.code}/rapport").status_code == 200


def test_a_phone_suggests_by_form_in_the_actions_step(followup: Room, client: FlaskClient) -> None:
    response = post(followup, "actions", followup.facilitator, {"what": "Oppdater planstrategien"})
    action_id = response.get_json()["id"]
    followup.go(ACTIONS)
    join_by_form(client, followup.code)
    page = client.get(f"/j/{followup.code}").get_data(as_text=True)
    assert "Oppdater planstrategien" in page and "Foreslå ansvarlig og frist" in page
    sent = client.post(
        f"/j/{followup.code}/actions/{action_id}/suggestions",
        data={"csrf": csrf_of(page), "owner": "Planleggeren", "due": "2027-02-01"},
    )
    assert sent.status_code == 302
    (suggestion,) = followup.json("")["action_suggestions"]
    assert suggestion["owner"] == "Planleggeren" and suggestion["due"] == "2027-02-01"
