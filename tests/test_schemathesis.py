"""Schemathesis against the generated OpenAPI document and the real app (WSGI, in process).

Every operation gets generated requests, bounded so the run stays short; the facilitator's key
and the code of a prepared workshop make most of them reach the service layer. Two checks: no
server error, and every answer fits the document.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.support.api import Api
from tests.support.config import ADMIN_KEY, test_settings
from workshop import create_app
from workshop.extensions import dispose_app
from workshop.session_plans import PLANS_DIR

EXAMPLES = 50


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the whole module, with a workshop on its vote step."""
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    plans = folder / "plans"  # POST …/plans saves here, never into the shipped sessions/
    shutil.copytree(PLANS_DIR, plans)
    application = create_app(test_settings(folder, plans_dir=plans))
    api = Api(application.test_client())
    ws = api.create()
    for title in ("Felles planressurs", "Kortere planprogram"):
        api.propose(ws.code, ws.facilitator_key, title)
    api.go_to(ws, "vote")
    application.config["FUZZ_WORKSHOP"] = ws
    yield application
    dispose_app(application)


def test_the_api_keeps_its_contract(fuzz_app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    ws = fuzz_app.config["FUZZ_WORKSHOP"]
    failures: list[str] = []
    operations = sorted(  # deleting the prepared workshop comes last
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (op.method.upper(), op.path) == ("DELETE", "/api/v1/workshops/{code}"),
    )
    assert len(operations) >= 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def exercise(case: Any) -> None:
            if "code" in (case.path_parameters or {}):
                case.path_parameters["code"] = ws.code
            admin = case.path in ("/api/v1/workshops", "/api/v1/import")
            key = ADMIN_KEY if admin else ws.facilitator_key
            case.headers = {
                **(case.headers or {}),
                "Authorization": f"Bearer {key}",
                "Accept-Encoding": "identity",  # the WSGI transport does not unzip
            }
            response = case.call()
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            exercise()
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    assert not failures, "\n\n".join(failures)
