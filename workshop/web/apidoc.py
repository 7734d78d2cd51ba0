"""The OpenAPI document, generated: each API view names its body and answers with ``@documented``.

``openapi_document(app)`` walks the app's routes under /api/v1, so every endpoint it serves is
described; the schemas are pydantic's JSON Schema of the models in workshop/schemas. Nothing here
repeats an enum or a field by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from pydantic_core import core_schema
from werkzeug.routing import IntegerConverter

from workshop.schemas.archive import Archive
from workshop.schemas.base import MAX_ID
from workshop.schemas.events import Event, Tally
from workshop.schemas.responses import Error
from workshop.schemas.step_config import StepConfig

API_PREFIX = "/api/v1"
# Documented in components although no HTTP answer carries them: Socket.IO payloads.
SOCKET_MODELS: tuple[type[BaseModel], ...] = (Tally, Event)
FILE_MODELS: dict[str, type[BaseModel]] = {"application/json": Archive}  # export.json
REF = "#/components/schemas/{model}"
F = TypeVar("F", bound=Callable[..., Any])

# What a response of a status holds: a model (JSON), or (media type, description) for files.
Answer = type[BaseModel] | tuple[str, str] | None


class StoredIdConverter(IntegerConverter):
    """``<int:…>`` in a URL: an id the database can hold (a larger one is simply not found)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


@dataclass(frozen=True)
class Operation:
    """What the document says about one view."""

    summary: str
    body: type[BaseModel] | None = None
    body_required: bool = True
    responses: dict[int, Answer] = field(default_factory=dict)
    errors: tuple[int, ...] = (401, 404)
    public: bool = False
    query: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)  # path variable ``fmt`` → media type
    file_body: type[BaseModel] | None = None  # a body that is a file the API serves (the archive)


def documented(
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    responses: dict[int, Answer] | None = None,
    errors: tuple[int, ...] = (401, 404),
    public: bool = False,
    query: dict[str, tuple[dict[str, Any], str]] | None = None,
    formats: dict[str, str] | None = None,
    file_body: type[BaseModel] | None = None,
) -> Callable[[F], F]:
    """Attach what the OpenAPI document says about a view."""

    def mark(view: F) -> F:
        view.__apidoc__ = Operation(  # type: ignore[attr-defined]
            summary,
            body,
            body_required,
            dict(responses or {}),
            errors,
            public,
            dict(query or {}),
            dict(formats or {}),
            file_body,
        )
        return view

    return mark


class _RequestSchema(GenerateJsonSchema):
    """Request fields documented without ``null``: null is taken as "not given", never needed."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> dict[str, Any]:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> dict[str, Any]:
        result = super().default_schema(schema)
        if result.get("default", ...) is None:
            result.pop("default")
        return result


def _schemas(
    models: list[type[BaseModel]], mode: JsonSchemaMode, generator: type[GenerateJsonSchema]
) -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    keyed = [(m, mode) for m in models]
    if not keyed:
        return {}, {}
    refs, defs = models_json_schema(keyed, ref_template=REF, schema_generator=generator)
    return refs, defs.get("$defs", {})


def _nullable_defs(defs: dict[str, Any]) -> dict[str, Any]:
    """Step settings keep ``null`` in the document: there it removes a setting."""
    if "StepConfig" not in defs:
        return {}
    _, own = _schemas([StepConfig], "validation", GenerateJsonSchema)
    return {"StepConfig": own["StepConfig"]}


def _inline(ref: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A body's own schema written out in the operation (readers see its fields at once)."""
    name = ref.get("$ref", "").rsplit("/", 1)[-1]
    return dict(defs.get(name, ref))


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PHRASES = {
    200: "Done",
    201: "Created",
    204: "Removed",
    401: "No key, or a key that opens nothing",
    403: "A valid key that does not allow this",
    404: "No such workshop or object",
    409: "Not at this step, or it would contradict what is stored",
    413: "Too large",
    422: "Refused input; nothing was stored",
    429: "Too many requests (Retry-After says when to try again)",
    503: "Busy: the database is locked, or heavy work passed its budget (Retry-After)",
}


def openapi_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route the app serves under /api/v1."""
    routes: list[tuple[str, str, dict[str, str], Operation]] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(API_PREFIX):
            continue
        view = app.view_functions[rule.endpoint]
        described: Operation = getattr(view, "__apidoc__", None) or Operation(
            (view.__doc__ or rule.endpoint).strip().splitlines()[0], responses={200: None}
        )
        converters = dict(
            (name, kind) for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule)
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method.lower(), rule.rule, converters, described))

    requests = sorted({op.body for *_, op in routes if op.body}, key=lambda m: m.__name__)
    answers: set[type[BaseModel]] = {Error, *SOCKET_MODELS, *FILE_MODELS.values()}
    for *_, op in routes:
        answers |= {a for a in op.responses.values() if isinstance(a, type)}
        answers |= {op.file_body} if op.file_body else set()
    request_refs, request_defs = _schemas(requests, "validation", _RequestSchema)
    answer_refs, answer_defs = _schemas(
        sorted(answers, key=lambda m: m.__name__), "serialization", GenerateJsonSchema
    )

    paths: dict[str, dict[str, Any]] = {}
    for method, route, converters, op in routes:
        variants = (
            [(route.replace("<fmt>", fmt), media) for fmt, media in op.formats.items()]
            if op.formats
            else [(route, None)]
        )
        for raw_path, media in variants:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", raw_path)
            parameters = [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}
                    if converters.get(name) == "int"
                    else {"type": "string"},
                }
                for name in re.findall(r"{(\w+)}", path)
            ]
            parameters += [
                {"name": name, "in": "query", "required": False, "schema": schema, "description": d}
                for name, (schema, d) in op.query.items()
            ]
            responses: dict[str, Any] = {}
            for status, answer in sorted(op.responses.items()):
                if isinstance(answer, type):
                    responses[str(status)] = _json(
                        answer_refs[(answer, "serialization")], PHRASES.get(status, "OK")
                    )
                elif isinstance(answer, tuple):
                    responses[str(status)] = {"description": answer[1], "content": {answer[0]: {}}}
                elif media in FILE_MODELS:
                    ref = answer_refs[(FILE_MODELS[media], "serialization")]
                    responses[str(status)] = {
                        "description": "The file",
                        "content": {media: {"schema": ref}},
                    }
                elif media:
                    responses[str(status)] = {"description": "The file", "content": {media: {}}}
                else:
                    responses[str(status)] = {"description": PHRASES.get(status, "OK")}
            errors = set(op.errors) | ({422} if op.body or op.file_body else set())
            if method != "get":
                errors.add(503)
            for status in sorted(errors):
                responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
            operation: dict[str, Any] = {
                "summary": op.summary,
                "operationId": f"{method}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
                "parameters": parameters,
                "responses": responses,
            }
            if op.public:
                operation["security"] = []
            if op.body is not None:
                ref = request_refs[(op.body, "validation")]
                operation["requestBody"] = {
                    "required": op.body_required,
                    "content": {"application/json": {"schema": _inline(ref, request_defs)}},
                }
            if op.file_body is not None:
                ref = answer_refs[(op.file_body, "serialization")]
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": ref}},
                }
            paths.setdefault(path, {})[method] = operation

    error_ref = answer_refs[(Error, "serialization")]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Planverksted API",
            "version": "1",
            "description": "Generated from the pydantic models in workshop/schemas.",
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {**answer_defs, **request_defs, **_nullable_defs(request_defs)},
            "responses": {
                f"E{status}": _json(error_ref, text)
                for status, text in PHRASES.items()
                if status >= 400
            },
        },
    }
