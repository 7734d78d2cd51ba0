"""Issue 8, tables: table mode for the «gruppe» part of IGP (individ–gruppe–plenum)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import inspect

from tests.support.api import Api, Workshop
from tests.support.config import ADMIN_KEY
from tests.support.errors import error_code
from tests.support.events import of_type
from tests.support.forms import csrf_of
from workshop import migrate
from workshop.extensions import Database
from workshop.services import participants, proposals
from workshop.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.services.events import RecordingPublisher
from workshop.services.workshops import create_workshop

TABLES = ["Bord 1", "Bord 2", "Bord 3"]
INDIVIDUAL, GROUP, VOTE = 1, 2, 3  # positions in plan-igp


def seated(api: Api, plan: str = "plan-igp", tables: list[str] | None = None) -> Workshop:
    return api.create(plan=plan, settings={"tables": tables or TABLES})


def at_step(api: Api, ws: Workshop, position: int) -> None:
    response = api.step(ws, position=position)
    assert response.status_code == 200, response.get_json()


def join_at(api: Api, ws: Workshop, table: str | None, n: int = 1) -> list[str]:
    body: dict[str, Any] = {"table": table} if table else {}
    return [api.join(ws.code, **body) for _ in range(n)]


def set_table(api: Api, ws: Workshop, participant_id: int, table: Any, key: str | None = None):
    return api.client.put(
        f"/api/v1/workshops/{ws.code}/participants/{participant_id}/table",
        json={"table": table},
        headers=api.auth(key or ws.facilitator_key),
    )


# --- services -------------------------------------------------------------------------------


def test_a_workshop_keeps_its_tables_and_a_phone_joins_at_one(app: Any) -> None:
    made = create_workshop("Verksted", "plan-simplification", settings={"tables": TABLES})
    joined = participants.join_workshop(made.code, table="Bord 2")
    seating = participants.seating(made.code, made.facilitator_key)
    assert seating["tables"] == TABLES
    assert seating["participants"] == [
        {"participant_id": joined.participant_id, "name": None, "table": "Bord 2"}
    ]


def test_a_table_that_is_not_the_workshops_is_refused(app: Any) -> None:
    made = create_workshop("Verksted", "plan-simplification", settings={"tables": TABLES})
    with pytest.raises(ValidationFailed) as refused:
        participants.join_workshop(made.code, table="Bord 9")
    assert "Bord 1, Bord 2, Bord 3" in str(refused.value.message)
    plain = create_workshop("Uten bord", "plan-simplification")
    with pytest.raises(ValidationFailed):
        participants.join_workshop(plain.code, table="Bord 1")


def test_a_phone_may_join_without_a_table(app: Any) -> None:
    made = create_workshop("Verksted", "plan-simplification", settings={"tables": TABLES})
    joined = participants.join_workshop(made.code)
    seating = participants.seating(made.code, made.facilitator_key)
    assert seating["participants"][0]["participant_id"] == joined.participant_id
    assert seating["participants"][0]["table"] is None


def test_the_facilitator_seats_a_participant_and_the_room_hears_of_it(
    app: Any, recorder: RecordingPublisher
) -> None:
    made = create_workshop("Verksted", "plan-simplification", settings={"tables": TABLES})
    joined = participants.join_workshop(made.code, table="Bord 1")
    recorder.events.clear()
    seat = participants.set_table(made.code, made.facilitator_key, joined.participant_id, "Bord 3")
    assert seat == {"participant_id": joined.participant_id, "table": "Bord 3"}
    [event] = of_type(recorder.events, "participant_table")
    assert event.audience == "everyone"  # the seated phone redraws; no name travels with it
    assert event.data == {"participant_id": joined.participant_id, "table": "Bord 3"}
    participants.set_table(made.code, made.facilitator_key, joined.participant_id, None)
    seating = participants.seating(made.code, made.facilitator_key)
    assert seating["participants"][0]["table"] is None


def test_a_phone_moves_only_itself_and_only_this_workshops_participants(app: Any) -> None:
    made = create_workshop("Verksted", "plan-simplification", settings={"tables": TABLES})
    other = create_workshop("Annet", "plan-simplification", settings={"tables": TABLES})
    joined = participants.join_workshop(made.code, table="Bord 1")
    neighbour = participants.join_workshop(made.code, table="Bord 1")
    stranger = participants.join_workshop(other.code)
    moved = participants.set_table(made.code, joined.key, joined.participant_id, "Bord 2")
    assert moved == {"participant_id": joined.participant_id, "table": "Bord 2"}
    with pytest.raises(Forbidden):
        participants.set_table(made.code, joined.key, neighbour.participant_id, "Bord 2")
    with pytest.raises(Forbidden):
        participants.seating(made.code, made.projector_key)
    with pytest.raises(NotFound):
        participants.set_table(made.code, made.facilitator_key, stranger.participant_id, "Bord 2")
    with pytest.raises(ValidationFailed):
        participants.set_table(made.code, made.facilitator_key, joined.participant_id, "Bord 7")


def test_a_per_table_step_takes_one_proposal_per_table(app: Any, api: Api) -> None:
    ws = seated(api)
    first, second = join_at(api, ws, "Bord 1", 2)
    [third] = join_at(api, ws, "Bord 2")
    [loose] = join_at(api, ws, None)
    at_step(api, ws, GROUP)
    proposals.submit_proposal(ws.code, first, "Vårt forslag", client_key="a")
    again = proposals.submit_proposal(ws.code, first, "Vårt forslag", client_key="a")
    assert again.created is False  # a retry is no second proposal
    with pytest.raises(Conflict) as refused:
        proposals.submit_proposal(ws.code, second, "Et forslag til")
    assert "Bord 1" in str(refused.value.message)
    assert proposals.submit_proposal(ws.code, third, "Fra bord 2").created
    assert proposals.submit_proposal(ws.code, loose, "Uten bord").created
    assert proposals.submit_proposal(ws.code, loose, "Uten bord igjen").created
    assert proposals.submit_proposal(ws.code, ws.facilitator_key, "Fra papir").created


def test_the_individual_step_takes_any_number_from_a_table(app: Any, api: Api) -> None:
    ws = seated(api)
    first, second = join_at(api, ws, "Bord 1", 2)
    at_step(api, ws, INDIVIDUAL)
    for key in (first, second, first):
        assert proposals.submit_proposal(ws.code, key, "Eget forslag").created
    at_step(api, ws, GROUP)  # what the table wrote alone does not count as its group proposal
    assert proposals.submit_proposal(ws.code, second, "Bordets forslag").created


def test_a_reseated_participant_speaks_for_the_new_table(app: Any, api: Api) -> None:
    ws = seated(api)
    first, second = join_at(api, ws, "Bord 1", 2)
    at_step(api, ws, GROUP)
    proposals.submit_proposal(ws.code, first, "Bord 1 sitt")
    snapshot = api.get(ws.code, second).get_json()
    participants.set_table(ws.code, ws.facilitator_key, snapshot["me"]["participant_id"], "Bord 2")
    assert proposals.submit_proposal(ws.code, second, "Bord 2 sitt").created


# --- the API ----------------------------------------------------------------------------------


def test_creating_with_tables_and_refusing_broken_lists(api: Api) -> None:
    ws = seated(api, plan="plan-simplification")
    staff = api.get(ws.code, ws.facilitator_key).get_json()
    assert staff["settings"]["tables"] == TABLES
    for broken in ([], ["Bord 1", "Bord 1"], [""], "Bord 1", [1], ["x" * 41]):
        response = api.client.post(
            "/api/v1/workshops",
            json={"title": "T", "settings": {"tables": broken}},
            headers=_admin(api),
        )
        assert error_code(response, 422) == "validation", broken


def _admin(api: Api) -> dict[str, str]:
    return api.auth(ADMIN_KEY)


def test_the_igp_plan_brings_six_tables_and_a_per_table_group_step(api: Api) -> None:
    ws = api.create(plan="plan-igp")
    staff = api.get(ws.code, ws.facilitator_key).get_json()
    assert staff["settings"]["tables"] == [f"Bord {n}" for n in range(1, 7)]
    kinds = [s["kind"] for s in staff["steps"]]
    assert kinds == ["info", "collect", "collect", "vote", "results", "actions"]


def test_joining_at_a_table_over_the_api(api: Api) -> None:
    ws = seated(api)
    response = api.client.post(
        f"/api/v1/workshops/{ws.code}/participants", json={"table": "Bord 3"}
    )
    assert response.status_code == 201
    wrong = api.client.post(f"/api/v1/workshops/{ws.code}/participants", json={"table": "Bord 8"})
    assert error_code(wrong, 422) == "validation"
    assert "Bord 1, Bord 2, Bord 3" in wrong.get_json()["error"]["message"]
    assert "table" in wrong.get_json()["error"]["fields"]
    typed = api.client.post(f"/api/v1/workshops/{ws.code}/participants", json={"table": 3})
    assert error_code(typed, 422) == "validation"
    seating = api.get(f"{ws.code}/tables", ws.facilitator_key).get_json()
    assert [p["table"] for p in seating["participants"]] == ["Bord 3"]


def test_seating_over_the_api(api: Api) -> None:
    ws = seated(api)
    [key] = join_at(api, ws, "Bord 1")
    pid = api.get(ws.code, key).get_json()["me"]["participant_id"]
    moved = set_table(api, ws, pid, "Bord 2")
    assert moved.status_code == 200 and moved.get_json() == {
        "participant_id": pid,
        "table": "Bord 2",
    }
    assert set_table(api, ws, pid, "").get_json()["table"] is None
    assert error_code(set_table(api, ws, pid, "Bord 9"), 422) == "validation"
    # a phone moves itself (its snapshot says where it sits), never another phone
    assert set_table(api, ws, pid, "Bord 3", key=key).get_json()["table"] == "Bord 3"
    me = api.get(ws.code, key).get_json()
    assert me["me"]["table"] == "Bord 3" and me["tables"] == ["Bord 1", "Bord 2", "Bord 3"]
    [other] = join_at(api, ws, "Bord 1")
    assert error_code(set_table(api, ws, pid, "Bord 2", key=other), 403) == "forbidden"
    assert error_code(set_table(api, ws, 99999, "Bord 2"), 404) == "not_found"
    assert error_code(api.get(f"{ws.code}/tables", key), 403) == "forbidden"


def test_a_second_proposal_from_a_table_gets_409(api: Api) -> None:
    ws = seated(api)
    first, second = join_at(api, ws, "Bord 2", 2)
    at_step(api, ws, GROUP)
    assert api.propose(ws.code, first, "Bordets forslag").status_code == 201
    refused = api.propose(ws.code, second, "Et til")
    assert error_code(refused, 409) == "conflict"
    assert "Bord 2" in refused.get_json()["error"]["message"]


def vote_by_tables(api: Api, ws: Workshop, sizes: dict[str, int]) -> tuple[int, int]:
    keys = {table: join_at(api, ws, table, n) for table, n in sizes.items()}
    at_step(api, ws, VOTE)
    a = api.propose(ws.code, ws.facilitator_key, "A").get_json()["id"]
    b = api.propose(ws.code, ws.facilitator_key, "B").get_json()["id"]
    for table, members in keys.items():
        for key in members:
            wanted = {a: 2, b: 1} if table == "Bord 1" else {a: 0, b: 3}
            assert api.vote(ws.code, key, wanted).status_code == 200
    return a, b


def test_results_are_grouped_by_table_and_small_tables_are_suppressed(api: Api) -> None:
    ws = seated(api)
    a, b = vote_by_tables(api, ws, {"Bord 1": 3, "Bord 2": 3, "Bord 3": 2})
    results = api.get(f"{ws.code}/results", ws.facilitator_key).get_json()
    assert results["tables_shown"] == ["Bord 1", "Bord 2"]
    rows = {row["id"]: row for row in results["proposals"]}
    assert rows[a]["by_table"] == {"Bord 1": 6, "Bord 2": 0}
    assert rows[b]["by_table"] == {"Bord 1": 3, "Bord 2": 9}
    assert all("Bord 3" not in row["by_table"] for row in results["proposals"])


def test_results_without_tables_have_no_table_grouping(api: Api) -> None:
    ws = api.create()
    results = api.get(f"{ws.code}/results", ws.facilitator_key).get_json()
    assert "tables_shown" not in results
    assert all("by_table" not in row for row in results["proposals"])


def test_the_workbook_has_a_sheet_per_table_shown(api: Api) -> None:
    ws = seated(api)
    vote_by_tables(api, ws, {"Bord 1": 3, "Bord 2": 3, "Bord 3": 1})
    response = api.get(f"{ws.code}/export.xlsx", ws.facilitator_key)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Forslag"
    rows = list(book["Bord"].iter_rows(values_only=True))
    assert rows[0] == (
        "Bord",
        "Deltakere ved bordet",
        "Plass ved bordet",
        "ID",
        "Tittel",
        "prikker",
    )
    assert [(r[0], r[2], r[4], r[5]) for r in rows[1:]] == [
        ("Bord 1", 1, "A", 6),
        ("Bord 1", 2, "B", 3),
        ("Bord 2", 1, "B", 9),
        ("Bord 2", 2, "A", 0),
    ]
    plain = api.create()
    book = openpyxl.load_workbook(
        io.BytesIO(api.get(f"{plain.code}/export.xlsx", plain.facilitator_key).data)
    )
    assert "Bord" not in book.sheetnames


def test_the_join_form_offers_the_tables(client: FlaskClient, api: Api) -> None:
    ws = seated(api)
    page = client.get(f"/j/{ws.code}").get_data(as_text=True)
    assert '<label for="table">' in page and '<select id="table" name="table"' in page
    for table in TABLES:
        assert f'value="{table}"' in page
    response = client.post(
        f"/j/{ws.code}", data={"csrf": csrf_of(page), "name": "Kari", "table": "Bord 2"}
    )
    assert response.status_code == 302
    seating = api.get(f"{ws.code}/tables", ws.facilitator_key).get_json()
    assert seating["participants"][0]["table"] == "Bord 2"
    plain = api.create()
    assert 'name="table"' not in client.get(f"/j/{plain.code}").get_data(as_text=True)


def test_migration_0005_adds_the_table_and_the_step_of_a_proposal(tmp_path: Any) -> None:
    database = Database()
    database.configure(f"sqlite:///{tmp_path / 'tables.sqlite3'}")
    migrate.upgrade(database, "0004_actions")
    assert database.engine is not None
    assert "table" not in {c["name"] for c in inspect(database.engine).get_columns("participant")}
    migrate.upgrade(database, "0005_tables")  # later migrations stack on it
    with database.engine.connect() as connection:
        head = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert head >= "0005_tables"  # later revisions build on it
    assert "table" in {c["name"] for c in inspect(database.engine).get_columns("participant")}
    assert "step_id" in {c["name"] for c in inspect(database.engine).get_columns("proposal")}
    database.dispose()


@pytest.mark.parametrize(
    ("language", "label", "hint"),
    [("nn", "Bord", "Vel bord"), ("en", "Table", "Choose a table")],
)
def test_the_table_select_speaks_the_workshops_language(
    client: FlaskClient, api: Api, language: str, label: str, hint: str
) -> None:
    ws = api.create(plan="plan-igp", language=language)
    page = client.get(f"/j/{ws.code}").get_data(as_text=True)
    assert f'<label for="table">{label}</label>' in page
    assert f'<option value="">{hint}</option>' in page


def test_the_facilitator_screen_moves_a_participant_to_another_table(
    client: FlaskClient, api: Api
) -> None:
    ws = seated(api)
    [key] = join_at(api, ws, "Bord 1")
    pid = api.get(ws.code, key).get_json()["me"]["participant_id"]
    page = client.get(f"/f/{ws.code}?key={ws.facilitator_key}", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert 'id="tables-heading"' in html and f'id="seat-{pid}"' in html
    moved = client.post(
        f"/f/{ws.code}/participants/{pid}/table", data={"csrf": csrf_of(html), "table": "Bord 3"}
    )
    assert moved.status_code == 302
    seating = api.get(f"{ws.code}/tables", ws.facilitator_key).get_json()
    assert seating["participants"][0]["table"] == "Bord 3"
    plain = api.create()
    html = client.get(f"/f/{plain.code}?key={plain.facilitator_key}", follow_redirects=True)
    assert 'id="tables-heading"' not in html.get_data(as_text=True)
