"""The command line: planverksted plans | create | export, run as a real process."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from tests.support.api import Api, Workshop
from tests.support.cli import run_cli
from tests.support.reports import headings, word
from workshop.config import Settings


@pytest.fixture
def held(api: Api) -> Workshop:
    """A workshop with proposals and votes, revealed."""
    ws = api.create("Kommandolinje i Ørsta")
    api.go_to(ws, "collect")
    ids = [
        api.propose(ws.code, ws.facilitator_key, title).get_json()["id"]
        for title in ("Felles planressurs", "Kortere høringsfrister", "=1+1")
    ]
    api.go_to(ws, "vote")
    for allocation in ({ids[0]: 3, ids[1]: 2}, {ids[1]: 5}, {ids[2]: 1}):
        assert api.vote(ws.code, api.join(ws.code), allocation).status_code == 200
    api.go_to(ws, "results")
    return ws


def sheet_values(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {
        name: [
            tuple(cell.value for cell in row)
            for row in book[name].iter_rows()
            if row[0].value != "Eksportert"
        ]
        for name in book.sheetnames
    }


def test_export_xlsx_writes_the_same_workbook_as_the_download(
    api: Api, held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "ut" / "resultater.xlsx"
    target.parent.mkdir()
    result = run_cli(settings, "export", held.code, "--format", "xlsx", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stdout
    downloaded = api.get(f"{held.code}/export.xlsx", held.facilitator_key).data
    written = sheet_values(target.read_bytes())
    assert written == sheet_values(downloaded)
    header = written["Forslag"][0]
    dots = [row[header.index("dots")] for row in written["Forslag"][1:]]
    assert dots == [5 + 2, 3, 1]
    assert "'=1+1" in [row[header.index("Tittel")] for row in written["Forslag"][1:]]


def test_export_csv_is_byte_for_byte_the_download(
    api: Api, held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "resultater.csv"
    result = run_cli(settings, "export", held.code.lower(), "--format", "csv", "-o", str(target))
    assert result.returncode == 0, result.stderr
    downloaded = api.get(f"{held.code}/export.csv", held.facilitator_key).data
    assert target.read_bytes() == downloaded
    assert "Kortere høringsfrister" in target.read_text(encoding="utf-8")


def test_export_docx_writes_the_report_summary(
    api: Api, held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "sak.docx"
    result = run_cli(settings, "export", held.code, "--format", "docx", "-o", str(target))
    assert result.returncode == 0, result.stderr
    written = headings(word(target.read_bytes()))
    downloaded = headings(word(api.get(f"{held.code}/export.docx", held.facilitator_key).data))
    assert written == downloaded
    assert ("Heading 1", "Vedlegg: alle forslag") in written


def test_export_without_output_uses_the_download_name(
    api: Api, held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "cwd"
    folder.mkdir()
    result = run_cli(settings, "export", held.code, "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    response = api.get(f"{held.code}/export.json", held.facilitator_key)
    name = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)
    assert [p.name for p in folder.iterdir()] == [name]


def test_export_dates_are_norwegian_whatever_the_machine_clock_zone(
    held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "arkiv.json"
    result = run_cli(
        settings,
        "export",
        held.code,
        "--format",
        "json",
        "-o",
        str(target),
        TZ="Pacific/Kiritimati",
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(target.read_text(encoding="utf-8"))
    today = datetime.now(ZoneInfo("Europe/Oslo")).date().isoformat()
    assert document["about"]["held"] == today
    assert document["about"]["exported_at"].startswith(today)
    for entry in document["audit"]:
        moment = datetime.fromisoformat(entry["at"])
        assert moment.utcoffset() is not None, entry
        assert abs(datetime.now(UTC) - moment) < timedelta(minutes=10), entry


def test_export_of_an_unknown_code_fails_clearly(
    settings: Settings, tmp_path: Path, api: Api
) -> None:
    api.create()  # the database exists, the code does not
    target = tmp_path / "x.xlsx"
    result = run_cli(settings, "export", "ZZZZZZ", "-o", str(target))
    assert result.returncode != 0
    assert "ZZZZZZ" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_plans_lists_the_shipped_plan(settings: Settings) -> None:
    result = run_cli(settings, "plans")
    assert result.returncode == 0, result.stderr
    line = next(
        line for line in result.stdout.splitlines() if line.startswith("plan-simplification")
    )
    assert "Forenkling av planarbeidet" in line
    assert "info" in line and "collect" in line and "vote" in line and "results" in line


def test_create_prints_a_code_that_opens_a_workshop(api: Api, settings: Settings) -> None:
    result = run_cli(settings, "create", "Planverksted på Røros")
    assert result.returncode == 0, result.stderr
    found = re.search(r"Kode:\s+([23456789A-Z]{6})\b", result.stdout)
    assert found, result.stdout
    code = found.group(1)
    found = re.search(rf"/f/{code}\?key=(\S+)", result.stdout)
    assert found, result.stdout
    response = api.get(code, found.group(1))
    assert response.status_code == 200, (result.stdout, response.get_json())
    view = response.get_json()
    assert view["code"] == code
    assert view["title"] == "Planverksted på Røros"
    assert f"/j/{code}" in result.stdout


def test_create_with_an_unknown_plan_fails_clearly(settings: Settings) -> None:
    result = run_cli(settings, "create", "X", "--plan", "finnes-ikke")
    assert result.returncode != 0
    assert "finnes-ikke" in result.stderr
    assert "Traceback" not in result.stderr


def test_plans_lists_an_agenda_saved_in_the_data_folder_as_saved(
    api: Api, settings: Settings
) -> None:
    ws = api.create()
    saved = api.client.post(
        f"/api/v1/workshops/{ws.code}/plans",
        json={"name": "var-egen", "title": "Vår egen plan"},
        headers=api.auth(ws.facilitator_key),
    )
    assert saved.status_code == 201
    lines = run_cli(settings, "plans").stdout.splitlines()
    assert any(line.startswith("var-egen [lagret]: Vår egen plan") for line in lines)
    assert not any(line.startswith("plan-simplification [lagret]") for line in lines)


def test_import_restores_an_archive_and_refuses_a_truncated_one(
    api: Api, held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    archive = api.get(f"{held.code}/export.json", held.facilitator_key).data
    target = tmp_path / "arkiv.json"
    target.write_bytes(archive)
    result = run_cli(settings, "import", str(target))
    assert result.returncode == 0, result.stderr
    code = re.search(r"Kode:\s+(\w+)", result.stdout).group(1)
    key = re.search(r"/f/\w+\?key=(\S+)", result.stdout).group(1)
    assert code != held.code
    restored = api.get(f"{code}/results", key).get_json()
    original = api.get(f"{held.code}/results", held.facilitator_key).get_json()
    assert [(p["title"], p["dots"]) for p in restored["proposals"]] == [
        (p["title"], p["dots"]) for p in original["proposals"]
    ]
    target.write_bytes(archive[: len(archive) // 2])
    broken = run_cli(settings, "import", str(target))
    assert broken.returncode == 1 and "JSON" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_purge_deletes_what_is_due_and_says_so_in_the_chosen_language(
    api: Api, held: Workshop, settings: Settings
) -> None:
    kept = api.create("Ikke ennå")
    today = datetime.now(UTC).date().isoformat()
    response = api.client.put(
        f"/api/v1/workshops/{held.code}/deletion-date",
        json={"deletion_date": today},
        headers=api.auth(held.facilitator_key),
    )
    assert response.status_code == 200, response.get_json()
    result = run_cli(settings, "purge", "--language", "en")
    assert result.returncode == 0, result.stderr
    assert f"Deleted workshop {held.code}: 3 participants, 3 proposals" in result.stdout
    assert kept.code not in result.stdout
    assert api.get(held.code, held.facilitator_key).status_code == 404
    assert api.get(kept.code, kept.facilitator_key).status_code == 200
    again = run_cli(settings, "purge")
    assert again.returncode == 0 and "Ingen verksteder" in again.stdout


def test_export_zip_in_the_rfc4180_dialect_with_english_messages(
    api: Api, held: Workshop, settings: Settings, tmp_path: Path
) -> None:
    target = tmp_path / "tabeller.zip"
    result = run_cli(
        settings,
        "export",
        held.code,
        "--format",
        "zip",
        "--dialect",
        "rfc4180",
        "--language",
        "en",
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote {target}") and "bytes" in result.stdout
    with zipfile.ZipFile(target) as bundle:
        assert "README.txt" in bundle.namelist()
        text = bundle.read("forslag.csv").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("rank,id,title,")


def test_export_of_an_unknown_code_says_so_in_the_chosen_language(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "cwd"
    folder.mkdir()
    result = run_cli(settings, "export", "FINNESIKKE", "--language", "nn", cwd=folder)
    assert result.returncode == 1
    assert "fann ikkje noko verkstad med koden 'FINNESIKKE'" in result.stderr
    assert list(folder.iterdir()) == []


def test_export_offers_every_format_of_the_registry(settings: Settings) -> None:
    from workshop.export import FORMATS

    usage = run_cli(settings, "export", "--help").stdout
    for fmt in FORMATS:
        assert fmt in usage
