"""Every export holds every step's results, read back with openpyxl, pandas, zipfile and
LibreOffice, and compared with what the results API says for each step."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from tests.support.api import Api
from tests.support.prioritising import AGREE, DOTS, RATE, RATE_RESULTS, Room, make_room
from tests.support.prioritising import plan as plan  # the fixture

FORMULA = '=HYPERLINK("http://evil.example","Klikk")'
F, A, RES = "Folkevalgt", "Administrasjon", "Innbygger"
TITLES = ("Én", "To", "Tre", "Fire", FORMULA, "Slått inn i Én")


@dataclass
class Held:
    """A workshop that went through dots, agree and rate steps and ended on a later step."""

    room: Room
    ids: dict[str, int]

    def results(self, position: int) -> dict[int, dict[str, Any]]:
        data = self.room.json(f"results?step={position}")
        return {row["id"]: row for row in data["proposals"]}

    def download(self, fmt: str, query: str = "") -> bytes:
        response = self.room.get(f"export.{fmt}{query}", self.room.facilitator)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return bytes(response.data)


def hold(api: Api, language: str = "nb") -> Held:
    room = make_room(api, TITLES, language=language)
    ids = dict(zip(TITLES, room.ids, strict=True))
    merged = api.client.post(
        f"/api/v1/workshops/{room.code}/merges",
        json={"survivor_id": ids["Én"], "merged_ids": [ids["Slått inn i Én"]]},
        headers=api.auth(room.facilitator),
    )
    assert merged.status_code in (200, 201), merged.get_json()
    one, two, three, formula = ids["Én"], ids["To"], ids["Tre"], ids[FORMULA]
    people = [(F, f"Kari {n}") for n in range(3)] + [(A, f"Ola {n}") for n in range(3)]
    people += [(RES, f"Per {n}") for n in range(2)]
    keys = [(role, api.join(room.code, name=name, roles=[role])) for role, name in people]
    room.go(DOTS)
    for role, key in keys:
        allocation = {F: {one: 3, two: 2}, A: {two: 2, three: 3}, RES: {formula: 5}}[role]
        assert room.vote(key, allocation).status_code == 200
    room.go(AGREE)
    for role, key in keys:
        stances = {str(one): "agree", str(two): "disagree" if role == F else "agree"}
        assert room.answer(key, stances).status_code == 200
    room.go(RATE)
    for role, key in keys:
        scores = {"gevinst": 5, "innsats": 2} if role != RES else {"gevinst": 4, "innsats": 2}
        ratings = {one: {"gevinst": 3, "innsats": 4}, two: scores}
        assert room.rate(key, ratings).status_code == 200, room.rate(key, ratings).get_json()
    room.go(RATE_RESULTS)
    return Held(room, ids)


@pytest.fixture
def held(api: Api, plan: str) -> Held:
    return hold(api)


def excel_csv(content: bytes) -> pd.DataFrame:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for æøå
    return pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")


def test_the_csv_holds_every_steps_results_whatever_step_is_current(held: Held) -> None:
    frame = excel_csv(held.download("csv")).set_index("ID")
    dots, agree = held.results(DOTS), held.results(AGREE)
    rate = held.results(RATE)
    assert set(frame.index) == set(dots)  # the merged proposal is no row of its own
    assert frame["dots"].to_dict() == {pid: row["dots"] for pid, row in dots.items()}
    assert frame["Steg 5: enig"].to_dict() == {pid: row["agree"] for pid, row in agree.items()}
    two = held.ids["To"]
    assert frame.loc[two, "Steg 7: snitt Gevinst"] == rate[two]["means"]["gevinst"]
    assert frame.loc[two, "Steg 7: kvadrant"] == "Raske gevinster"
    assert frame.loc[held.ids["Én"], "Slått sammen fra"].startswith("Slått inn i Én")
    assert frame.loc[held.ids["Én"], "Status"] == "Synlig"
    # ordered by the step that counts now (the rate step), with its shared places
    assert list(frame.index[:2]) == [two, held.ids["Én"]]
    assert frame.loc[two, "Plass"] == 1
    # ties are ties: 9 dots from three voters each
    assert frame.loc[held.ids["Én"], "Steg 3: plass"] == frame.loc[held.ids["Tre"], "Steg 3: plass"]
    assert frame.loc[held.ids["Fire"], "Steg 3: plass"] == 5


def test_the_csv_uses_decimal_commas_and_the_rfc4180_dialect_points_and_codes(held: Held) -> None:
    text = held.download("csv").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Plass;ID;Tittel;")
    assert ";0,7;" in text  # the support of «To» in the dots step, with a decimal comma
    plain = held.download("csv", "?dialect=rfc4180").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert {"rank", "id", "title", "dots", "step5_agree", "step7_mean_gevinst"} <= set(rows[0])
    two = next(r for r in rows if r["title"] == "To")
    assert two["status"] == "visible" and two["step7_quadrant"] == "quick_win"
    assert two["step3_support"] == "0.7"
    bad = held.room.get("export.csv?dialect=semikolon", held.room.facilitator)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation"


def test_every_tabular_format_neutralises_formulas(held: Held) -> None:
    expected = "'" + FORMULA
    frame = excel_csv(held.download("csv"))
    assert expected in set(frame["Tittel"])
    with zipfile.ZipFile(io.BytesIO(held.download("zip"))) as bundle:
        seen = []
        for name in bundle.namelist():
            if name.endswith(".csv"):
                table = pd.read_csv(io.BytesIO(bundle.read(name)), sep=";", dtype=str)
                cells = [str(v) for v in table.to_numpy().ravel() if isinstance(v, str)]
                assert not [v for v in cells if v.startswith(("=", "+", "@"))], name
                seen += cells
        assert expected in seen
    book = openpyxl.load_workbook(io.BytesIO(held.download("xlsx")))
    titles = [row[2].value for row in book["Forslag"].iter_rows(min_row=2)]
    assert expected in titles
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.value)


def test_the_workbook_has_a_sheet_for_every_table_with_totals_that_match(held: Held) -> None:
    book = openpyxl.load_workbook(io.BytesIO(held.download("xlsx")))
    assert book.sheetnames == [
        "Forslag",
        "Om",
        "Steg 3",
        "Steg 5",
        "Steg 7",
        "Etter rolle",
        "Prikker",
        "Vurderinger",
        "Standpunkt",
        "Deltakere",
        "Endringsnivå",
        "Tiltak",
        "Logg",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2"), sheet.title
        assert sheet.column_dimensions["A"].width >= 8
    sheets = pd.read_excel(io.BytesIO(held.download("xlsx")), sheet_name=None)
    dots = held.results(DOTS)
    proposals = sheets["Forslag"].set_index("ID")
    assert proposals["dots"].to_dict() == {pid: row["dots"] for pid, row in dots.items()}
    assert proposals["dots"].dtype.kind == "i"  # numbers, not text
    votes = sheets["Prikker"]
    assert votes.groupby("ID")["prikker"].sum().to_dict() == {
        pid: row["dots"] for pid, row in dots.items() if row["dots"]
    }
    stances = sheets["Standpunkt"]
    agree = held.results(AGREE)
    counted = stances[stances["Standpunkt"] == "Enig"].groupby("ID").size().to_dict()
    assert counted == {pid: row["agree"] for pid, row in agree.items() if row["agree"]}
    ratings = sheets["Vurderinger"]
    two = held.ids["To"]
    mean = ratings[ratings["ID"] == two]["Verdi Gevinst"].mean()
    assert round(mean, 2) == held.results(RATE)[two]["means"]["gevinst"]
    by_role = sheets["Etter rolle"]
    assert set(by_role["Rolle"]) == {F, A}
    folkevalgt = by_role[(by_role["Steg"] == 3) & (by_role["Rolle"] == F)]
    assert folkevalgt.set_index("ID")["prikker"].to_dict() == {
        pid: row["by_role"][F] for pid, row in dots.items()
    }
    about = dict(zip(sheets["Om"]["Felt"], sheets["Om"]["Verdi"], strict=True))
    assert about["Kode"] == held.room.code and about["Minste gruppe som vises"] == 3
    assert "5 prikker" in about["Steg 3: Prikker"]
    assert about["Programvare"].startswith("Planverksted")
    assert "docs/" not in " ".join(str(v) for v in about.values())


def test_small_role_groups_and_names_stay_out_unless_chosen(held: Held) -> None:
    book = openpyxl.load_workbook(io.BytesIO(held.download("xlsx")))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = str(cell.value or "")
                assert RES not in text and "Kari" not in text, (sheet.title, text)
    people = pd.read_excel(io.BytesIO(held.download("xlsx")), sheet_name="Deltakere", dtype=str)
    people = people.fillna("")
    assert list(people.columns) == ["Deltaker", "Roller", "Bord"]
    assert list(people["Deltaker"])[:2] == ["D001", "D002"]
    assert sorted(set(people["Roller"])) == ["", A, F]
    named = pd.read_excel(io.BytesIO(held.download("xlsx", "?names=1")), sheet_name="Deltakere")
    assert "Kari 0" in set(named["Navn"])


def test_the_zip_holds_every_table_as_csv_and_a_readme(held: Held) -> None:
    with zipfile.ZipFile(io.BytesIO(held.download("zip"))) as bundle:
        names = bundle.namelist()
        assert names[0] == "README.txt" and "forslag.csv" in names and "steg-5.csv" in names
        readme = bundle.read("README.txt").decode("utf-8-sig")
        assert "semikolon" in readme and "forslag.csv" in readme and "logg.csv" in readme
        proposals = excel_csv(bundle.read("forslag.csv"))
        assert proposals["dots"].sum() == sum(r["dots"] for r in held.results(DOTS).values())
        votes = excel_csv(bundle.read("prikker.csv"))
        assert votes["prikker"].sum() == proposals["dots"].sum()
    with zipfile.ZipFile(io.BytesIO(held.download("zip", "?dialect=rfc4180"))) as bundle:
        readme = bundle.read("README.txt").decode("utf-8-sig")
        assert "RFC 4180" in readme
        proposals = pd.read_csv(io.BytesIO(bundle.read("forslag.csv")), encoding="utf-8-sig")
        assert "step7_mean_gevinst" in proposals.columns


@pytest.mark.parametrize(
    ("language", "sheets", "headers"),
    [
        ("nn", ["Forslag", "Om", "Steg 3"], ["Plass", "ID", "Tittel", "Skildring", "Tema"]),
        ("en", ["Proposals", "About", "Step 3"], ["Rank", "ID", "Title", "Description", "Theme"]),
    ],
)
def test_nynorsk_and_english_exports_speak_the_workshops_language(
    api: Api, plan: str, language: str, sheets: list[str], headers: list[str]
) -> None:
    held = hold(api, language)
    book = openpyxl.load_workbook(io.BytesIO(held.download("xlsx")))
    assert book.sheetnames[:3] == sheets
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header[:5] == headers and "dots" in header
    frame = excel_csv(held.download("csv"))
    assert list(frame.columns[:5]) == headers
    with zipfile.ZipFile(io.BytesIO(held.download("zip"))) as bundle:
        readme = bundle.read("README.txt").decode("utf-8-sig")
    assert ("semicolon" if language == "en" else "semikolon") in readme


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) missing")
def test_libreoffice_reads_the_workbook_with_the_same_totals(held: Held, tmp_path: Path) -> None:
    workbook = tmp_path / "eksport.xlsx"
    workbook.write_bytes(held.download("xlsx"))
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    converted = pd.read_csv(tmp_path / "eksport.csv", sep=";", encoding="utf-8")
    dots = held.results(DOTS)
    assert converted.set_index("ID")["dots"].to_dict() == {p: r["dots"] for p, r in dots.items()}
    assert "'" + FORMULA in set(converted["Tittel"])


def test_the_facilitator_screen_offers_the_zip_in_the_workshops_language(held: Held) -> None:
    client = held.room.api.client
    client.get(f"/f/{held.room.code}?key={held.room.facilitator}")
    page = client.get(f"/f/{held.room.code}").get_data(as_text=True)
    link = f'<a id="export-zip" href="/api/v1/workshops/{held.room.code}/export.zip" download>'
    assert link + "Alle tabeller (ZIP med CSV)</a>" in page
