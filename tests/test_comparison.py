"""Comparing one plan run in three municipalities: suggested matches, accepted and rejected
pairs, recurring themes and change levels, consensus by role, the workbook, admin key, refusals."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from tests.support.comparison import (
    ADMIN,
    Seeded,
    compare,
    decide,
    read,
    row_of,
    seed_rooms,
    suggested,
)
from tests.support.config import ADMIN_KEY
from tests.support.errors import assert_error
from tests.support.forms import csrf_of
from workshop import migrate
from workshop.extensions import Database, db
from workshop.models import Comparison, Workshop
from workshop.services import proposals, workshops
from workshop.web import comparison_pages


@pytest.fixture
def rooms(app: Flask) -> dict[str, Seeded]:
    """Ålvik and Bøvika (bokmål) and Cleng (nynorsk), voted on."""
    return seed_rooms()


def created(client: FlaskClient, rooms: dict[str, Seeded], **extra: Any) -> int:
    response = compare(client, *[room.code for room in rooms.values()], **extra)
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def workbook(client: FlaskClient, comparison_id: int) -> openpyxl.Workbook:
    response = client.get(f"/api/v1/comparisons/{comparison_id}/export.xlsx", headers=ADMIN)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    """A sheet's lines as dicts by header."""
    lines = list(sheet.iter_rows(values_only=True))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def results_of(client: FlaskClient, room: Seeded) -> dict[int, dict[str, Any]]:
    """The workshop's own results, by proposal id."""
    response = client.get(
        f"/api/v1/workshops/{room.code}/results",
        headers={"Authorization": f"Bearer {room.facilitator_key}"},
    )
    assert response.status_code == 200
    return {p["id"]: p for p in response.get_json()["proposals"]}


def as_admin(client: FlaskClient) -> None:
    """Show the admin key on the start page, as the admin's browser does."""
    assert client.get(f"/start?key={ADMIN_KEY}").status_code == 302


def test_creating_answers_with_the_page_and_the_workbook(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    response = compare(client, *[room.code for room in rooms.values()])
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "url", "xlsx_url"}
    assert isinstance(body["id"], int)
    assert body["url"].endswith(f"/sammenligninger/{body['id']}")
    assert body["xlsx_url"].endswith(f"/api/v1/comparisons/{body['id']}/export.xlsx")
    comparison = read(client, body["id"])
    assert [w["code"] for w in comparison["workshops"]] == [r.code for r in rooms.values()]
    assert {w["step"] for w in comparison["workshops"]} == {"Prikkestemming"}


def test_similar_proposals_of_different_workshops_are_suggested_and_nothing_is_joined(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, cleng = rooms.values()
    comparison = read(client, created(client, rooms))
    pairs = suggested(comparison)
    assert (alvik.ids[0], bovika.ids[0]) in pairs  # «Felles planressurs …», three wordings
    assert (alvik.ids[0], cleng.ids[0]) in pairs
    assert (bovika.ids[0], cleng.ids[0]) in pairs
    assert (alvik.ids[1], bovika.ids[1]) in pairs  # «Kortere planprogram» said another way
    same_room = {tuple(sorted((a, b))) for r in rooms.values() for a in r.ids for b in r.ids}
    assert not pairs & same_room
    assert all(row["workshops"] == 1 for row in comparison["rows"])  # never matched silently
    assert comparison["accepted"] == []


def test_accepted_matches_join_the_rows_in_the_json_the_page_and_the_workbook(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, cleng = rooms.values()
    cid = created(client, rooms)
    answer = decide(client, cid, bovika.ids[0], alvik.ids[0], True)
    assert answer.status_code == 200
    assert answer.get_json() == {"proposals": [alvik.ids[0], bovika.ids[0]], "accepted": True}
    assert decide(client, cid, bovika.ids[0], cleng.ids[0], True).status_code == 200

    comparison = read(client, cid)
    row = row_of(comparison, alvik.ids[0])
    assert row["workshops"] == 3 and row["everywhere"] and row["row"] == 1
    assert {code: e["proposal_id"] for code, e in row["entries"].items()} == {
        alvik.code: alvik.ids[0],
        bovika.code: bovika.ids[0],
        cleng.code: cleng.ids[0],
    }
    for room in rooms.values():  # each cell holds that workshop's own result
        own = results_of(client, room)[room.ids[0]]
        entry = row["entries"][room.code]
        assert (entry["title"], entry["dots"], entry["voters"]) == (
            own["title"],
            own["dots"],
            own["voters"],
        )
    # Pairs inside the joined row are no longer suggested (a1–c1 is joined through b1).
    assert not suggested(comparison) & {(alvik.ids[0], cleng.ids[0])}

    as_admin(client)
    page = client.get(f"/sammenligninger/{cid}").get_data(as_text=True)
    line = page.split('id="row-1"', 1)[1].split("</tr>", 1)[0]
    for room in rooms.values():
        assert f'data-proposal="{room.ids[0]}"' in line

    lines = sheet_rows(workbook(client, cid).worksheets[0])
    joined = [line for line in lines if line["Antall verksteder"] == 3]
    assert len(joined) == 1
    for room in rooms.values():
        own = results_of(client, room)[room.ids[0]]
        assert joined[0][f"{room.code}: forslag"] == own["title"]
        assert joined[0][f"{room.code}: prikker"] == own["dots"]
    assert len(lines) == 10 - 2  # ten proposals, two joined into the first


def test_rejecting_a_pair_keeps_the_proposals_apart(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, _cleng = rooms.values()
    cid = created(client, rooms)
    pair = (alvik.ids[1], bovika.ids[1])
    assert decide(client, cid, *pair, False).get_json() == {
        "proposals": list(pair),
        "accepted": False,
    }
    comparison = read(client, cid)
    assert pair not in suggested(comparison)
    assert row_of(comparison, pair[0]) != row_of(comparison, pair[1])
    lines = sheet_rows(workbook(client, cid).worksheets[0])
    assert len(lines) == 10
    # Changing one's mind: accepting joins them, rejecting again splits them.
    decide(client, cid, *pair, True)
    assert row_of(read(client, cid), pair[0])["workshops"] == 2
    decide(client, cid, *pair, False)
    apart = read(client, cid)
    assert row_of(apart, pair[0])["workshops"] == row_of(apart, pair[1])["workshops"] == 1


def test_a_row_never_holds_two_proposals_of_one_workshop(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, _cleng = rooms.values()
    cid = created(client, rooms)
    decide(client, cid, alvik.ids[0], bovika.ids[0], True)
    refused = decide(client, cid, bovika.ids[0], alvik.ids[3], True)
    assert assert_error(refused, 422, "validation")["fields"]["proposals"]
    same_room = decide(client, cid, alvik.ids[0], alvik.ids[1], True)
    assert_error(same_room, 422, "validation")
    assert_error(decide(client, cid, alvik.ids[0], 999_999, True), 404, "not_found")
    comparison = read(client, cid)
    assert row_of(comparison, alvik.ids[3])["workshops"] == 1
    assert len(comparison["accepted"]) == 1


def test_themes_and_change_levels_that_recur_in_every_workshop(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, cleng = rooms.values()
    cid = created(client, rooms)
    comparison = read(client, cid)
    themes = {t["theme"]: t for t in comparison["themes"]}
    assert themes["interkommunalt samarbeid"]["everywhere"]
    assert themes["interkommunalt samarbeid"]["proposals"] == {
        alvik.code: 1,
        bovika.code: 1,
        cleng.code: 1,
    }
    # Cleng's nynorsk «temaplanar» is the plan's «temaplaner».
    assert themes["temaplaner"]["proposals"] == {alvik.code: 1, bovika.code: 0, cleng.code: 1}
    assert not themes["temaplaner"]["everywhere"]
    assert "temaplanar" not in themes
    assert [t["theme"] for t in comparison["themes"] if t["everywhere"]] == [
        "interkommunalt samarbeid"
    ]
    levels = {level["change_level"]: level for level in comparison["change_levels"]}
    assert levels["lokal"]["everywhere"] and not levels["regional"]["everywhere"]
    assert levels["regional"]["proposals"] == {alvik.code: 0, bovika.code: 1, cleng.code: 0}
    assert (
        levels["regional"]["dots"][bovika.code] == results_of(client, bovika)[bovika.ids[2]]["dots"]
    )

    book = workbook(client, cid)
    theme_lines = {line["Tema"]: line for line in sheet_rows(book["Tema"])}
    assert theme_lines["interkommunalt samarbeid"]["I alle verkstedene"] == "Ja"
    assert theme_lines["temaplaner"]["I alle verkstedene"] == "Nei"
    assert theme_lines["temaplaner"][f"{cleng.code}: forslag"] == 1
    level_lines = sheet_rows(book["Endringsnivå"])
    assert level_lines[0]["Endringsnivå"] == "Det vi kan gjøre selv"
    assert level_lines[0]["I alle verkstedene"] == "Ja"


def test_consensus_by_role_side_by_side_is_each_workshops_own(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, cleng = rooms.values()
    cid = created(client, rooms)
    decide(client, cid, alvik.ids[0], bovika.ids[0], True)
    decide(client, cid, alvik.ids[0], cleng.ids[0], True)
    row = row_of(read(client, cid), alvik.ids[0])
    for room in rooms.values():
        own = results_of(client, room)[room.ids[0]]
        entry = row["entries"][room.code]
        assert entry["consensus"] == own["consensus"]
        supports = {role: part["support"] for role, part in own["roles"].items()}
        named = {"Folkevald": "Folkevalgt"}  # Cleng's roles in the comparison's language
        assert entry["roles"] == {named.get(r, r): s for r, s in supports.items()}
    # Cleng's elected members gave their dots elsewhere: the roles split there, not in Ålvik.
    assert row["entries"][cleng.code]["roles"]["Folkevalgt"] < 0.5
    assert row["entries"][alvik.code]["consensus"] > row["entries"][cleng.code]["consensus"]

    lines = sheet_rows(workbook(client, cid)["Roller"])
    assert [line["Rolle"] for line in lines] == ["Folkevalgt", "Administrasjon", "Konsensus"]
    consensus = lines[-1]
    for room in rooms.values():
        assert consensus[room.code] == pytest.approx(row["entries"][room.code]["consensus"])
        assert isinstance(consensus[room.code], float)

    as_admin(client)
    page = client.get(f"/sammenligninger/{cid}").get_data(as_text=True)
    assert 'class="roles" data-row="1"' in page
    assert "Konsensus" in page


def test_the_workbook_speaks_its_language_freezes_headers_and_holds_no_formulas(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik = rooms["Ålvik"]
    proposals.submit_proposal(alvik.code, alvik.facilitator_key, '=HYPERLINK("http://x","y")')
    cid = created(client, rooms, language="en")
    book = workbook(client, cid)
    assert book.sheetnames == [
        "Proposals",
        "Workshops",
        "Theme",
        "Change level",
        "Roles",
        "About",
    ]
    first = book["Proposals"]
    headers = [cell.value for cell in first[1]]
    assert headers[:3] == ["Row", "Proposal (first wording)", "Number of workshops"]
    assert f"{alvik.code}: dots" in headers
    assert all(sheet.freeze_panes for sheet in book.worksheets)
    assert first.column_dimensions["B"].width > 10
    cells = [c for sheet in book.worksheets for line in sheet.iter_rows() for c in line]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == '\'=HYPERLINK("http://x","y")' for c in cells)
    dots = [line[f"{alvik.code}: dots"] for line in sheet_rows(first)]
    assert all(isinstance(value, int) for value in dots if value is not None)
    held = sheet_rows(book["Workshops"])[0]
    assert isinstance(held["Created"], datetime) and isinstance(held["Participants"], int)
    assert sorted(v for v in dots if v is not None) == [0, 0, 6, 9, 15]
    # The default language is the first workshop's: Cleng first, so nynorsk.
    nynorsk = compare(client, rooms["Cleng"].code, alvik.code).get_json()["id"]
    assert workbook(client, nynorsk).sheetnames[0] == "Forslag"
    assert sheet_rows(workbook(client, nynorsk)["Om"])[0]["Felt"] == "Samanlikning"


def test_every_comparison_endpoint_needs_the_admin_key(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, _cleng = rooms.values()
    cid = created(client, rooms)
    facilitator = {"Authorization": f"Bearer {alvik.facilitator_key}"}
    for headers in ({}, facilitator, {"Authorization": "Bearer wrong"}):
        body = {"workshops": [alvik.code, bovika.code]}
        assert_error(
            client.post("/api/v1/comparisons", json=body, headers=headers), 401, "unauthorized"
        )
        assert_error(client.get(f"/api/v1/comparisons/{cid}", headers=headers), 401, "unauthorized")
        pair = {"proposals": [alvik.ids[0], bovika.ids[0]], "accepted": True}
        matched = client.post(f"/api/v1/comparisons/{cid}/matches", json=pair, headers=headers)
        assert_error(matched, 401, "unauthorized")
        xlsx = client.get(f"/api/v1/comparisons/{cid}/export.xlsx", headers=headers)
        assert_error(xlsx, 401, "unauthorized")
    assert client.get(f"/sammenligninger/{cid}").status_code == 401
    assert client.get("/sammenligninger/ny").status_code == 401
    as_admin(client)  # the browser's cookie opens the page and the workbook, but writes nothing
    assert client.get(f"/api/v1/comparisons/{cid}/export.xlsx").status_code == 200
    cookie_only = client.post("/api/v1/comparisons", json={"workshops": [alvik.code, bovika.code]})
    assert_error(cookie_only, 401, "unauthorized")
    assert read(client, cid)["accepted"] == []  # nothing was decided
    assert_error(client.get("/api/v1/comparisons/999", headers=ADMIN), 404, "not_found")


@pytest.mark.parametrize(
    ("codes", "field_message"),
    [
        (["first"], "Velg minst to verksteder å sammenligne."),
        (["first", "NOSUCH"], "Fant ikke verkstedet: NOSUCH."),
        (["first", "second", "first"], None),
        (["first", "lower-first"], None),
        ([], "Velg minst to verksteder å sammenligne."),
    ],
)
def test_refused_lists_store_nothing(
    client: FlaskClient,
    rooms: dict[str, Seeded],
    codes: list[str],
    field_message: str | None,
) -> None:
    alvik, bovika, _cleng = rooms.values()
    named = {"first": alvik.code, "second": bovika.code, "lower-first": alvik.code.lower()}
    response = compare(client, *[named.get(code, code) for code in codes])
    error = assert_error(response, 422, "validation")
    if field_message:
        assert error["fields"]["workshops"] == field_message
    else:
        assert error["message"] == f"Hvert verksted kan bare være med én gang: {alvik.code}."
    with db.session(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Comparison)) == 0


def test_refusals_speak_the_users_language(client: FlaskClient, rooms: dict[str, Seeded]) -> None:
    only = rooms["Ålvik"].code
    english = client.post("/api/v1/comparisons?lang=en", json={"workshops": [only]}, headers=ADMIN)
    assert assert_error(english, 422, "validation")["message"] == (
        "Choose at least two workshops to compare."
    )
    nynorsk = client.post(
        "/api/v1/comparisons?lang=nn", json={"workshops": [only, "ZZZZZZ"]}, headers=ADMIN
    )
    assert assert_error(nynorsk, 422, "validation")["message"] == ("Fann ikkje verkstaden: ZZZZZZ.")


def test_the_admin_chooses_workshops_and_decides_pairs_with_plain_forms(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, cleng = rooms.values()
    as_admin(client)
    start = client.get("/start").get_data(as_text=True)
    assert 'href="/sammenligninger/ny"' in start
    choose = client.get("/sammenligninger/ny").get_data(as_text=True)
    for room in rooms.values():
        assert f'id="ws-{room.code}"' in choose
    token = csrf_of(choose)
    too_few = client.post("/sammenligninger/ny", data={"csrf": token, "workshops": [alvik.code]})
    assert too_few.status_code == 422
    page = too_few.get_data(as_text=True)
    assert "Velg minst to verksteder å sammenligne." in page
    assert (
        f'id="ws-{alvik.code}" name="workshops" value="{alvik.code}"\n                 checked'
        in page
    )
    made = client.post(
        "/sammenligninger/ny", data={"csrf": token, "workshops": [alvik.code, cleng.code]}
    )
    assert made.status_code == 302
    page_url = made.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert f'id="pair-{alvik.ids[0]}-{cleng.ids[0]}"' in page
    answer = client.post(
        f"{page_url}/par",
        data={"csrf": token, "first": alvik.ids[0], "second": cleng.ids[0], "decision": "accept"},
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#par")
    page = client.get(page_url).get_data(as_text=True)
    assert "Forslagene står nå på samme rad." in page
    assert f'id="pair-{alvik.ids[0]}-{cleng.ids[0]}"' not in page
    line = page.split('id="row-1"', 1)[1].split("</tr>", 1)[0]
    assert f'data-proposal="{alvik.ids[0]}"' in line and f'data-proposal="{cleng.ids[0]}"' in line
    client.post(
        f"{page_url}/par",
        data={"csrf": token, "first": alvik.ids[0], "second": cleng.ids[0], "decision": "reject"},
    )
    page = client.get(page_url).get_data(as_text=True)
    assert "Paret er avvist." in page
    assert bovika.code not in page


def test_a_deleted_workshop_leaves_the_comparison_of_the_others(
    client: FlaskClient, rooms: dict[str, Seeded]
) -> None:
    alvik, bovika, cleng = rooms.values()
    cid = created(client, rooms)
    decide(client, cid, alvik.ids[0], cleng.ids[0], True)
    with db.session() as session:
        session.delete(session.scalars(select(Workshop).where(Workshop.code == cleng.code)).one())
        session.commit()
    comparison = read(client, cid)
    assert comparison["missing"] == [cleng.code]
    assert [w["code"] for w in comparison["workshops"]] == [alvik.code, bovika.code]
    assert comparison["accepted"] == []
    assert row_of(comparison, alvik.ids[0])["workshops"] == 1
    assert workbook(client, cid)["Om"]["A8"].value == "Slettet siden"


def test_migration_0006_adds_the_comparison_tables(tmp_path: Any) -> None:
    database = Database()
    database.configure(f"sqlite:///{tmp_path / 'comparisons.sqlite3'}")
    migrate.upgrade(database, "0006_comparisons")
    assert database.engine is not None
    tables = set(inspect(database.engine).get_table_names())
    assert {"comparison", "comparison_match"} <= tables
    database.dispose()


def test_every_comparison_endpoint_is_in_the_openapi_document(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    create = paths["/api/v1/comparisons"]["post"]
    assert (
        create["requestBody"]["content"]["application/json"]["schema"]["properties"]["workshops"][
            "minItems"
        ]
        == 2
    )
    assert set(create["responses"]) >= {"201", "401", "422"}
    assert "get" in paths["/api/v1/comparisons/{comparison_id}"]
    assert "post" in paths["/api/v1/comparisons/{comparison_id}/matches"]
    xlsx = paths["/api/v1/comparisons/{comparison_id}/export.xlsx"]["get"]
    assert list(xlsx["responses"]["200"]["content"]) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ]


def test_workshops_without_proposals_still_compare(client: FlaskClient, app: Flask) -> None:
    codes = [workshops.create_workshop(f"Tomt {n}").code for n in range(2)]
    response = compare(client, *codes)
    assert response.status_code == 201
    comparison = read(client, response.get_json()["id"])
    assert comparison["rows"] == [] and comparison["suggestions"] == []
    assert comparison["themes"] == [] and comparison["change_levels"] == []
    book = workbook(client, comparison["id"])
    assert [cell.value for cell in book["Forslag"][1]][:2] == ["Rad", "Forslag (første ordlyd)"]
    as_admin(client)
    page = client.get(f"/sammenligninger/{comparison['id']}")
    assert page.status_code == 200
    assert 'id="no-suggestions"' in page.get_data(as_text=True)


def test_the_page_shows_the_most_alike_pairs_first_and_says_how_many_wait(
    client: FlaskClient, rooms: dict[str, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(comparison_pages, "SHOWN_SUGGESTIONS", 2)
    cid = created(client, rooms)
    everything = read(client, cid)["suggestions"]
    assert len(everything) > 2
    as_admin(client)
    page = client.get(f"/sammenligninger/{cid}?lang=en").get_data(as_text=True)
    shown = page.split('id="suggestions"', 1)[1].split("</ul>", 1)[0]
    assert shown.count('class="card pair"') == 2
    best = everything[0]["proposals"]
    assert f'id="pair-{best[0]}-{best[1]}"' in shown
    assert f"Showing the 2 most alike of {len(everything)} pairs." in page
