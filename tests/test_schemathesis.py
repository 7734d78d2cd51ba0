"""Schemathesis against the generated OpenAPI document and the real app (WSGI, in process);
then hostile text and numbers on every form and JSON route of the URL map.

Every operation gets generated requests, bounded so the run stays short; the facilitator's key
and the code of a prepared workshop make most of them reach the service layer. Two checks: no
server error, and every answer fits the document.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import func, select

from tests.support.api import Api, Workshop
from tests.support.config import ADMIN_KEY, test_settings
from tests.support.forms import csrf_of
from workshop import create_app
from workshop.extensions import db, dispose_app
from workshop.models.base import Base
from workshop.session_plans import PLANS_DIR

EXAMPLES = 50


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for the whole module, with a workshop on its vote step."""
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    plans = folder / "plans"  # POST …/plans saves here, never into the shipped sessions/
    shutil.copytree(PLANS_DIR, plans)
    application = create_app(test_settings(folder, plans_dir=plans))
    application.config["FUZZ_WORKSHOP"] = prepared_workshop(application)
    yield application
    dispose_app(application)


def prepared_workshop(app: Flask) -> Workshop:
    """A workshop on its vote step with two proposals."""
    api = Api(app.test_client())
    ws = api.create()
    for title in ("Felles planressurs", "Kortere planprogram"):
        api.propose(ws.code, ws.facilitator_key, title)
    api.go_to(ws, "vote")
    return ws


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
            admin = case.path in ("/api/v1/workshops", "/api/v1/import") or case.path.startswith(
                "/api/v1/comparisons"
            )
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


# --- hostile input on every form and JSON route ----------------------------------------------

# What a paste from Word, a broken client or a curious person sends: control characters, lone
# surrogates (also as JSON \ud800 escapes), digits that are not ASCII, numbers in other shapes.
NASTY = ["\x00", "\x0b", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "²", "١", "+1", " 1 ", "1e3"]
PLAIN = ["1", "0", "-1", "", "a", "Tittel", "ø", "\n", "\t", "99999999999999999999", "collect"]
FIELDS = [
    "title", "body", "name", "role", "roles", "table", "category", "text", "what", "owner",
    "due", "decided_by", "position", "action", "votes_per_participant", "proposal_id",
    "dots-1", "rating-1-nytte", "stance-1", "allocations", "ratings", "stances", "client_key",
    "proposals_per_minute", "max_participants", "plan", "language", "status", "kind", "prompt",
]  # fmt: skip
nasty_text = st.lists(st.sampled_from(NASTY + PLAIN), max_size=4).map("".join)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | nasty_text,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELDS) | nasty_text, inner, max_size=4)
    ),
    max_leaves=8,
)
# The texts most bodies need are there (so requests reach the services), each with hostile bits.
texty = nasty_text.map(lambda text: "Tekst " + text)
needed = st.fixed_dictionaries({"title": texty, "what": texty, "text": texty, "name": texty})
json_body = st.tuples(needed, st.dictionaries(st.sampled_from(FIELDS), json_value, max_size=4))
form_body = st.tuples(needed, st.dictionaries(st.sampled_from(FIELDS), nasty_text, max_size=4))
ENDINGS = ("/close", "/delete", "/slett", "/login")  # would end the workshop or its rights


def write_routes(app: Flask) -> list[tuple[str, str]]:
    """Every (method, rule) of the app that writes, from its URL map."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.endswith(ENDINGS):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            found.append((method, rule.rule))
    return sorted(found)


def stored_rows(app: Flask) -> dict[str, int]:
    """How many rows each table holds."""
    with db.of(app).read_engine.connect() as connection:  # type: ignore[union-attr]
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def stored_control_characters(app: Flask) -> list[str]:
    """Texts in the database that hold a control character other than tab and line feed."""
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    found = []
    with db.of(app).read_engine.connect() as connection:  # type: ignore[union-attr]
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                found += [
                    f"{table.name}: {v!r}" for v in row if isinstance(v, str) and control.search(v)
                ]
    return found


def form_bytes(fields: dict[str, str]) -> bytes:
    """A form body as a browser would send it (a lone surrogate as its UTF-8 bytes)."""
    return "&".join(
        f"{quote(k.encode('utf-8', 'surrogatepass'))}={quote(v.encode('utf-8', 'surrogatepass'))}"
        for k, v in fields.items()
    ).encode()


def test_hostile_input_on_every_route_never_fails_the_server_nor_stores_a_refusal(
    fuzz_app: Flask,
) -> None:
    ws = prepared_workshop(fuzz_app)  # the contract test may have deleted the module's one
    browser = fuzz_app.test_client()
    page = browser.get(f"/f/{ws.code}?key={ws.facilitator_key}", follow_redirects=True)
    token = csrf_of(page.get_data(as_text=True))
    browser.post(f"/j/{ws.code}", data={"csrf": token})  # the same browser is a phone too
    routes = write_routes(fuzz_app)
    assert len(routes) >= 40
    assert any(rule.startswith("/j/") for _, rule in routes)  # the phones' plain forms too
    failures: list[str] = []

    @given(
        route=st.sampled_from(routes),
        json_parts=json_body,
        form_parts=form_body,
        proposal_id=st.sampled_from([1, 2, 999]),
    )
    @settings(
        max_examples=400,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def exercise(
        route: tuple[str, str],
        json_parts: tuple[dict[str, str], dict[str, Any]],
        form_parts: tuple[dict[str, str], dict[str, str]],
        proposal_id: int,
    ) -> None:
        method, rule = route
        json_data, form_data = (
            {**json_parts[0], **json_parts[1]},
            {**form_parts[0], **form_parts[1]},
        )
        path = re.sub(r"<(?:[a-z]+:)?code>", ws.code, rule)
        path = re.sub(r"<int:[a-z_]+>", str(proposal_id), path)
        path = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x", path)
        before = stored_rows(fuzz_app)
        if rule.startswith("/api/"):
            response = browser.open(
                path,
                method=method,
                data=json.dumps(json_data),  # lone surrogates travel as \ud800 escapes
                content_type="application/json",
                headers={"Authorization": f"Bearer {ws.facilitator_key}"},
            )
        else:
            response = browser.open(
                path,
                method=method,
                data=form_bytes({"csrf": token, **form_data}),
                content_type="application/x-www-form-urlencoded",
            )
        refused = response.status_code >= 400 or "error=" in response.headers.get("Location", "")
        if response.status_code >= 500:
            failures.append(f"{method} {path} {response.status_code}: {json_data or form_data}")
        elif refused and stored_rows(fuzz_app) != before:
            failures.append(f"{method} {path} refused but stored: {json_data or form_data}")

    exercise()
    assert not failures, "\n".join(failures[:20])
    assert stored_control_characters(fuzz_app) == []
    export = browser.get(f"/api/v1/workshops/{ws.code}/export.xlsx")
    assert export.status_code == 200
