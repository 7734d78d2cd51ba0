"""Actions, notes and closing in the exports: the XLSX sheet, the JSON archive, the report."""

from __future__ import annotations

import io
import json

import pandas as pd
from flask.testing import FlaskClient

from tests.support import followup as support
from tests.support.api import Api
from tests.support.followup import post
from tests.support.prioritising import Room
from workshop.schemas.archive import Archive

followup_plan = support.followup_plan  # fixtures
followup = support.followup

ACTION = {
    "what": "Slå sammen handlingsdel og økonomiplan",
    "owner": "Kommunedirektøren",
    "due": "2027-03-01",
    "decided_by": "kommunestyret",
    "change_level": "lokal",
}


def with_actions(room: Room) -> None:
    made = post(room, "actions", room.facilitator, {**ACTION, "proposal_id": room.ids[1]})
    assert made.status_code == 201, made.get_json()
    bare = post(room, "actions", room.facilitator, {"what": "=Ring fylkeskommunen"})
    assert bare.status_code == 201, bare.get_json()


def download(room: Room, fmt: str) -> bytes:
    response = room.api.get(f"{room.code}/export.{fmt}", room.facilitator)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return bytes(response.data)


def test_the_xlsx_has_a_sheet_of_actions(followup: Room) -> None:
    with_actions(followup)
    sheets = pd.read_excel(io.BytesIO(download(followup, "xlsx")), sheet_name=None)
    actions = sheets["Tiltak"].fillna("")
    assert list(actions.columns) == [
        "Hva",
        "Gjelder forslag",
        "Ansvarlig",
        "Frist",
        "Vedtas av",
        "Endringsnivå",
    ]
    assert actions.iloc[0].tolist() == [
        ACTION["what"],
        "To",
        "Kommunedirektøren",
        "2027-03-01",
        "kommunestyret",
        "Lokal",
    ]
    # Text that a spreadsheet would run as a formula is neutralised, as in the other sheets.
    assert actions.iloc[1].tolist() == ["'=Ring fylkeskommunen", "", "", "", "", ""]


def test_the_action_sheet_speaks_the_workshops_language(api: Api, followup_plan: str) -> None:
    for language, sheet, headers in (
        ("en", "Actions", ["What", "Proposal", "Owner", "Deadline", "Decided by", "Change level"]),
        ("nn", "Tiltak", ["Kva", "Gjeld forslag", "Ansvarleg", "Frist", "Blir vedteke av"]),
    ):
        ws = api.create(plan=followup_plan, language=language)
        room = Room(api, ws, [])
        assert post(room, "actions", room.facilitator, {"what": "Ok"}).status_code == 201
        sheets = pd.read_excel(io.BytesIO(download(room, "xlsx")), sheet_name=None)
        assert list(sheets[sheet].columns)[: len(headers)] == headers


def test_the_json_archive_holds_actions_notes_and_when_it_closed(followup: Room) -> None:
    with_actions(followup)
    document = json.loads(download(followup, "json"))
    assert document["closed_at"] is None and document["notes"] == []
    assert [a["what"] for a in document["actions"]] == [ACTION["what"], "=Ring fylkeskommunen"]
    assert document["actions"][0]["proposal_id"] == followup.ids[1]
    assert post(followup, "close", followup.facilitator).status_code == 200
    note = post(followup, "notes", followup.facilitator, {"text": "Saken går til kommunestyret."})
    assert note.status_code == 201, note.get_json()
    document = json.loads(download(followup, "json"))
    Archive.model_validate(document)
    assert document["closed_at"] and document["closed_at"].startswith("20")
    assert [n["text"] for n in document["notes"]] == ["Saken går til kommunestyret."]


def test_the_report_lists_the_actions(followup: Room, client: FlaskClient) -> None:
    client.get(f"/f/{followup.code}?key={followup.facilitator}")
    empty = client.get(f"/f/{followup.code}/rapport").get_data(as_text=True)
    assert "Ingen tiltak er registrert." in empty
    with_actions(followup)
    page = client.get(f"/f/{followup.code}/rapport").get_data(as_text=True)
    assert 'id="report-actions"' in page
    for text in (ACTION["what"], "Kommunedirektøren", "01.03.2027", "=Ring fylkeskommunen"):
        assert text in page
    assert "Ikke avklart" in page  # the bare action has no owner yet
