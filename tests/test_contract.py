"""The contract tooling itself: the generated document, and the payloads that are not HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.api import Api
from tests.support.openapi_contract import ContractViolation, check_response, document_of
from workshop.analytics import tally_for
from workshop.schemas.archive import Archive
from workshop.schemas.events import Event, Tally
from workshop.schemas.snapshot import Snapshot
from workshop.services.events import RecordingPublisher
from workshop.session_plans import PlanError, load_plan_file


def test_a_wrong_answer_breaks_the_contract(app: Flask) -> None:
    document = document_of(app)
    with pytest.raises(ContractViolation):
        check_response(document, "get", "/api/v1/workshops/ABC", 200, {"code": 1})
    with pytest.raises(ContractViolation):
        check_response(document, "put", "/api/v1/workshops/A/stances", 200, {"stances": {"1": 1}})
    with pytest.raises(ContractViolation):
        check_response(document, "put", "/api/v1/workshops/A/stances", 404, {"nope": 1})
    with pytest.raises(ContractViolation):
        check_response(document, "put", "/api/v1/workshops/A/stances", 204, None)
    check_response(document, "put", "/api/v1/workshops/A/stances", 200, {"stances": {"1": "pass"}})


def test_the_document_is_generated_from_the_models(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert {"Snapshot", "Proposal", "Step", "StepConfig", "Error"} <= set(schemas)
    step = schemas["Step"]["properties"]["kind"]
    assert step["enum"] == [
        "info",
        "collect",
        "review",
        "vote",
        "agree",
        "rate",
        "results",
        "actions",
    ]
    agenda = document["paths"]["/api/v1/workshops/{code}/steps"]["post"]
    config = agenda["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert config["config"] == {"$ref": "#/components/schemas/StepConfig"}
    budget = schemas["StepConfig"]["properties"]["votes_per_participant"]["anyOf"]
    assert {"type": "integer", "minimum": 1, "maximum": 100} in budget  # null removes it
    assert {"type": "null"} in budget


def test_snapshots_and_the_archive_fit_their_models(api: Api, client: FlaskClient) -> None:
    ws = api.create()
    key = api.join(ws.code)
    for who in (key, ws.facilitator_key, ws.projector_key):
        view: dict[str, Any] = client.get(
            f"/api/v1/workshops/{ws.code}", headers=api.auth(who)
        ).get_json()
        Snapshot.model_validate(view)
    archive = client.get(
        f"/api/v1/workshops/{ws.code}/export.json", headers=api.auth(ws.facilitator_key)
    ).get_json()
    Archive.model_validate(archive)
    Tally.model_validate({"version": 3, "voters": 1, "proposals": [{"id": 1, "dots": 2}]})


def test_events_and_tallies_fit_their_models(
    api: Api, client: FlaskClient, recorder: RecordingPublisher
) -> None:
    ws = api.create()
    api.go_to(ws, "collect")
    key = api.join(ws.code)
    proposal = api.propose(ws.code, key, "Felles planressurs").get_json()["id"]
    api.go_to(ws, "vote")
    assert api.vote(ws.code, key, {proposal: 2}).status_code == 200
    assert recorder.events
    for event in recorder.events:
        Event.model_validate({"type": event.type, "version": event.version, "data": event.data})
    assert set(recorder.tallies) == {ws.code}
    counted = Tally.model_validate(tally_for(ws.code))
    assert [(row.id, row.dots) for row in counted.proposals] == [(proposal, 2)]


@pytest.mark.parametrize(("budget", "accepted"), [(1, True), (100, True), (101, False), (0, False)])
def test_one_rule_for_a_vote_steps_budget(
    api: Api, client: FlaskClient, tmp_path: Path, budget: int, accepted: bool
) -> None:
    """A plan file and the agenda API hold a vote step's budget to the same 1–100 dots."""
    plan = tmp_path / "regel.toml"
    plan.write_text(
        'title = "Regel"\n\n[[steps]]\nkind = "vote"\ntitle = "Stem"\n'
        f"votes_per_participant = {budget}\n",
        encoding="utf-8",
    )
    if accepted:
        load_plan_file(plan)
    else:
        with pytest.raises(PlanError, match="votes_per_participant"):
            load_plan_file(plan)
    ws = api.create()
    response = client.post(
        f"/api/v1/workshops/{ws.code}/steps",
        json={"kind": "vote", "title": "Stem", "config": {"votes_per_participant": budget}},
        headers=api.auth(ws.facilitator_key),
    )
    assert response.status_code == (201 if accepted else 422)
    if not accepted:
        error = response.get_json()["error"]
        assert error["fields"] == {"config": error["message"]}
