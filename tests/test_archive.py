"""The JSON archive restores: export → import → export gives the same content, and the new
workshop's results equal the archived ones; a broken, foreign or old file stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.api import Api
from tests.support.archive import archive_of, held_workshop, normalised, row_counts
from tests.support.config import ADMIN_KEY
from tests.support.errors import assert_error
from tests.support.followup import AGREE, DOTS, RATE, followup_plan  # noqa: F401
from tests.support.prioritising import Room
from workshop.schemas.archive import Archive
from workshop.services.archiving import ARCHIVE_MAX_BYTES


def send(api: Api, body: bytes | dict[str, Any], key: str | None = ADMIN_KEY, **query: str) -> Any:
    """POST /api/v1/import with the archive as the body."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return api.client.post(
        "/api/v1/import",
        data=data,
        content_type="application/json",
        headers=Api.auth(key),
        query_string=query,
    )


@pytest.fixture
def held(api: Api, followup_plan: str) -> Room:  # noqa: F811
    return held_workshop(api)[0]


@pytest.fixture
def archived(api: Api, held: Room) -> dict[str, Any]:
    return archive_of(api, held.code, held.facilitator)


def ranking(api: Api, code: str, key: str, position: int) -> list[tuple[Any, ...]]:
    """A step's results without ids: title and the numbers of each proposal, in rank order."""
    results = api.get(f"{code}/results?step={position}", key).get_json()
    return [
        (p["title"], *(p.get(k) for k in ("dots", "voters", "agree", "benefit", "consensus")))
        for p in results["proposals"]
    ]


def test_the_archive_holds_the_raw_data_under_pseudonyms(archived: dict[str, Any]) -> None:
    Archive.model_validate(archived)
    assert archived["format"] == "planverksted-archive/2"
    people = archived["participants"]
    assert [p["id"] for p in people] == ["P1", "P2", "P3"]
    assert people[0]["name"] == "Kari Nordmann" and "name" not in people[1]
    assert [p["table"] for p in people] == ["Bord 1", "Bord 2", "Bord 1"]
    assert "key" not in json.dumps(people)
    statuses = [p["status"] for p in archived["proposals"]]
    assert statuses.count("merged") == 1 and len(archived["merges"]) == 1
    assert {v["participant"] for v in archived["votes"]} == {"P1", "P2", "P3"}
    assert archived["paper_dots"][0]["dots"] == 4
    assert {s["stance"] for s in archived["stances"]} == {"agree", "disagree", "pass"}
    assert {r["criterion"] for r in archived["ratings"]} == {"gevinst", "innsats"}
    assert archived["suggestions"][0]["participant"] == "P2"
    assert archived["closed_at"] and archived["deletion_date"]
    assert sorted(a["kind"] for a in archived["analyses"]) == ["agree", "dots", "rate"]


def test_export_import_export_gives_the_same_archive_and_results(
    api: Api, held: Room, archived: dict[str, Any]
) -> None:
    response = send(api, archived)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert set(created) >= {"code", "join_url", "facilitator_key", "projector_key", "steps"}
    assert created["code"] != archived["workshop"]["code"]
    again = archive_of(api, created["code"], created["facilitator_key"])
    assert normalised(again) == normalised(archived)
    for position in (DOTS, AGREE, RATE):
        restored = ranking(api, created["code"], created["facilitator_key"], position)
        assert restored == ranking(api, held.code, held.facilitator, position)
        assert len(restored) == 3
    outcome = api.get(f"{created['code']}/outcome", created["facilitator_key"]).get_json()
    assert outcome["closed_at"] == archived["closed_at"]
    assert [n["text"] for n in outcome["notes"]] == ["Saken går til kommunestyret."]


def test_the_imported_workshops_keys_are_new_and_its_phones_cannot_write(
    api: Api, archived: dict[str, Any]
) -> None:
    created = send(api, archived).get_json()
    assert created["facilitator_key"] not in json.dumps(archived)
    snapshot = api.get(created["code"], created["projector_key"]).get_json()
    assert snapshot["participants"] == 3 and snapshot["closed"] is True


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"format": "planverksted-archive/2", "workshop": {"title": "Avbr', "JSON"),
        (b"\x89PNG\r\n\x1a\n", "JSON"),
        ({"name": "noe annet", "rows": [1, 2]}, "ikke et arkiv"),
        ([1, 2, 3], "ikke et arkiv"),
    ],
)
def test_a_broken_or_foreign_file_is_refused_and_stores_nothing(
    api: Api, archived: dict[str, Any], body: Any, words: str
) -> None:
    before = row_counts()
    error = assert_error(send(api, body), 422, "validation")
    assert words in error["message"]
    assert row_counts() == before


def test_an_old_or_unknown_version_is_named_in_the_users_language(
    api: Api, archived: dict[str, Any]
) -> None:
    before = row_counts()
    old = assert_error(
        send(api, {**archived, "format": "planverksted-export/1"}), 422, "validation"
    )
    assert "planverksted-export/1" in old["message"] and "gamle formatet" in old["message"]
    future = {**archived, "format": "planverksted-archive/9"}
    english = assert_error(send(api, future, lang="en"), 422, "validation")
    assert "planverksted-archive/9" in english["message"] and "cannot read" in english["message"]
    assert row_counts() == before


def test_a_broken_reference_or_a_failure_halfway_stores_nothing(
    api: Api, archived: dict[str, Any]
) -> None:
    before = row_counts()
    unknown_voter = json.loads(json.dumps(archived))
    unknown_voter["votes"][0]["participant"] = "P99"
    assert "P99" in assert_error(send(api, unknown_voter), 422, "validation")["message"]
    bad_time = json.loads(json.dumps(archived))  # refused after the workshop was written
    bad_time["notes"][0]["at"] = "i går"
    assert_error(send(api, bad_time), 422, "validation")
    misplaced = json.loads(json.dumps(archived))
    misplaced["ratings"][0]["step"] = DOTS
    assert "ratings" in assert_error(send(api, misplaced), 422, "validation")["message"]
    no_budget = json.loads(json.dumps(archived))
    no_budget["workshop"]["settings"]["votes_per_participant"] = "fem"
    assert "workshop" in assert_error(send(api, no_budget), 422, "validation")["fields"]
    wrong_type = json.loads(json.dumps(archived))
    wrong_type["votes"][0]["dots"] = "mange"
    refused = assert_error(send(api, wrong_type), 422, "validation")
    assert "votes" in refused.get("fields", {})
    assert row_counts() == before


def test_only_the_admin_key_imports_and_an_oversized_body_is_refused(
    api: Api, archived: dict[str, Any]
) -> None:
    before = row_counts()
    assert_error(send(api, archived, key=None), 401, "unauthorized")
    assert_error(send(api, archived, key="feil"), 401, "unauthorized")
    huge = b'{"format": "planverksted-archive/2", "x": "' + b" " * ARCHIVE_MAX_BYTES + b'"}'
    response = send(api, huge)
    assert response.status_code == 413
    assert response.get_json()["error"]["message"] == "Forespørselen er for stor."
    assert row_counts() == before
