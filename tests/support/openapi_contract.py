"""Every /api/v1 JSON answer a test receives is checked against the generated OpenAPI document.

Registered in tests/conftest.py (``pytest_plugins``). The Flask test client's ``open`` is wrapped
for the whole run: a 2xx status the operation does not document, or a body that breaks the
documented schema, fails the test that received it. Undocumented error statuses (405, 413 …)
are checked against the shared error schema. ``@pytest.mark.no_contract`` turns it off for a test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from workshop.web.apidoc import API_PREFIX, openapi_document

BASE = "urn:planverksted:openapi"
_documents: dict[int, dict[str, Any]] = {}


class ContractViolation(AssertionError):
    """An API answer that the OpenAPI document does not allow."""


def document_of(app: Flask) -> dict[str, Any]:
    """The app's generated document (the same routes give the same document: cached once)."""
    key = len(list(app.url_map.iter_rules()))
    if key not in _documents:
        _documents[key] = openapi_document(app)
    return _documents[key]


@lru_cache(maxsize=8)
def _matchers(paths: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    """Path templates as patterns, literal paths before templated ones."""
    ordered = sorted(paths, key=lambda p: (p.count("{"), -len(p)))
    return [
        (re.compile("^" + re.sub(r"\\{\w+\\}", r"[^/]+", re.escape(p)) + "$"), p) for p in ordered
    ]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def check_response(
    document: dict[str, Any], method: str, path: str, status: int, body: Any
) -> None:
    """Raise ContractViolation unless the answer fits the operation's documented response."""
    template = next(
        (t for pattern, t in _matchers(tuple(document["paths"])) if pattern.match(path)), None
    )
    if template is None or method not in document["paths"][template]:
        return  # unknown routes answer 404/405 in the error shape, checked below
    responses = document["paths"][template][method]["responses"]
    answer = responses.get(str(status)) or responses.get("default")
    if answer is None:
        if 200 <= status < 300:
            raise ContractViolation(f"{method.upper()} {template} answered undocumented {status}")
        answer = {"$ref": f"#/components/responses/E{status}"}
        if f"E{status}" not in document["components"]["responses"]:
            answer = {"$ref": "#/components/responses/E422"}  # the shared error schema
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return
    errors = sorted(
        _validator(id(document), _schema_key(document, schema)).iter_errors(body), key=str
    )
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path)
        raise ContractViolation(f"{method.upper()} {path} → {status}: {first.message} at /{where}")


_registries: dict[int, Registry] = {}
_schemas: dict[tuple[int, str], dict[str, Any]] = {}


def _schema_key(document: dict[str, Any], schema: dict[str, Any]) -> str:
    key = repr(sorted(schema.items())) if isinstance(schema, dict) else repr(schema)
    _schemas[(id(document), key)] = schema
    if id(document) not in _registries:
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        _registries[id(document)] = Registry().with_resource(BASE, resource)
    return key


@lru_cache(maxsize=512)
def _validator(document_id: int, key: str) -> Draft202012Validator:
    schema = _rebase(_schemas[(document_id, key)])
    return Draft202012Validator(schema, registry=_registries[document_id])


def _rebase(node: Any) -> Any:
    """Point local refs (#/components/…) at the document's base URI."""
    if isinstance(node, dict):
        return {
            k: (
                BASE + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _rebase(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node


@pytest.fixture(autouse=True)
def openapi_contract(request: pytest.FixtureRequest) -> Iterator[None]:
    """Check every /api/v1 JSON answer the Flask test client receives in this test."""
    if request.node.get_closest_marker("no_contract"):
        yield
        return
    original = FlaskClient.open

    def open_and_check(self: FlaskClient, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        request_ = getattr(response, "request", None)
        if request_ is None or not request_.path.startswith(API_PREFIX + "/"):
            return response
        if response.mimetype != "application/json":
            return response  # files: CSV, XLSX (export.json is checked, it is the archive)
        body = response.get_json(silent=True)
        check_response(
            document_of(self.application),
            request_.method.lower(),
            request_.path,
            response.status_code,
            body,
        )
        return response

    FlaskClient.open = open_and_check  # type: ignore[method-assign]
    try:
        yield
    finally:
        FlaskClient.open = original  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    """The marker that turns the check off for one test."""
    config.addinivalue_line("markers", "no_contract: do not check API answers against OpenAPI")
