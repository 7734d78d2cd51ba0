"""The OpenAPI 3 document served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"$ref": "#/components/responses/Error"} for s in statuses}


CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
STEP = {
    "type": "object",
    "required": ["position", "kind", "title", "prompt"],
    "properties": {
        "position": {"type": "integer"},
        "kind": {
            "type": "string",
            "enum": ["info", "collect", "review", "vote", "rate", "results"],
        },
        "title": {"type": "string"},
        "prompt": {"type": "string"},
        "votes_per_participant": {"type": "integer"},
        "max_votes_per_proposal": {"type": "integer", "description": "0: no cap"},
    },
}
PROPOSAL = {
    "type": "object",
    "required": ["id", "title", "body", "category", "status"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "body": {"type": "string"},
        "category": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": ["pending", "visible", "hidden", "merged"]},
    },
}
ALLOCATIONS = {
    "type": "object",
    "propertyNames": {"pattern": "^[0-9]+$"},
    "additionalProperties": {"type": "integer", "minimum": 0},
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Planverksted API", "version": "1"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Step": STEP,
            "Proposal": PROPOSAL,
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    }
                },
            },
        },
        "responses": {"Error": _json(_ref("Error"), "Refused; nothing was stored")},
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/workshops": {
            "post": {
                "summary": "Create a workshop from a session plan (admin key)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": {"type": "string"},
                        "plan": {"type": "string", "default": "plan-simplification"},
                        "language": {"type": "string", "enum": ["nb", "nn", "en"]},
                        "settings": {"type": "object", "properties": {
                            "moderation": {"type": "boolean"},
                            "votes_per_participant": {"type": "integer"},
                        }},
                    },
                }}}},
                "responses": {
                    "201": _json({"type": "object", "required": [
                        "code", "title", "join_url", "facilitator_key", "projector_key",
                        "facilitator_url", "projector_url", "steps"]}, "Created"),
                    **_errors(401, 404, 422),
                },
            }
        },
        "/api/v1/workshops/{code}": {
            "get": {
                "summary": "The workshop as the key's holder may see it",
                "parameters": [CODE],
                "responses": {
                    "200": _json({"type": "object", "required": [
                        "code", "title", "version", "language", "roles", "categories", "step",
                        "proposals", "participants"], "properties": {
                        "step": _ref("Step"),
                        "proposals": {"type": "array", "items": _ref("Proposal")},
                        "participants": {"type": "integer"},
                        "version": {"type": "integer"},
                    }}, "The workshop"),
                    **_errors(401, 404),
                },
            }
        },
        "/api/v1/workshops/{code}/participants": {
            "post": {
                "summary": "Join without an account (rate limited)",
                "security": [],
                "parameters": [CODE],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "role": {"type": "string"}},
                }}}},
                "responses": {
                    "201": _json({"type": "object", "required": ["participant_id", "key"],
                                  "properties": {"participant_id": {"type": "integer"},
                                                 "key": {"type": "string"}}}, "Joined"),
                    **_errors(404, 422, 429),
                },
            }
        },
        "/api/v1/workshops/{code}/proposals": {
            "post": {
                "summary": "Submit a proposal (idempotent by client_key)",
                "parameters": [CODE],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": {"type": "string", "minLength": 1, "maxLength": 200},
                        "body": {"type": "string", "maxLength": 2000},
                        "category": {"type": "string"},
                        "client_key": {"type": "string", "maxLength": 64},
                    },
                }}}},
                "responses": {
                    "201": _json(_ref("Proposal"), "Stored"),
                    "200": _json(_ref("Proposal"), "Already stored under this client_key"),
                    **_errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/votes": {
            "put": {
                "summary": "Replace the participant's whole allocation for the current vote step",
                "parameters": [CODE],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["allocations"],
                    "properties": {"allocations": ALLOCATIONS},
                }}}},
                "responses": {
                    "200": _json({"type": "object", "required": ["allocations", "remaining"],
                                  "properties": {"allocations": ALLOCATIONS,
                                                 "remaining": {"type": "integer"}}}, "Stored"),
                    **_errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/step": {
            "post": {
                "summary": "Move to the next, previous or a given step (facilitator)",
                "parameters": [CODE],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"action": {"type": "string", "enum": ["next", "previous"]},
                                   "position": {"type": "integer"}},
                }}}},
                "responses": {
                    "200": _json({"type": "object", "required": ["step"],
                                  "properties": {"step": _ref("Step")}}, "Moved"),
                    **_errors(401, 403, 404, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/results": {
            "get": {
                "summary": "Ranked results (facilitator; others once revealed)",
                "parameters": [CODE],
                "responses": {
                    "200": _json({"type": "object", "required": ["participants", "voters",
                                                                 "proposals"]}, "Results"),
                    **_errors(401, 403, 404),
                },
            }
        },
        **{
            f"/api/v1/workshops/{{code}}/export.{fmt}": {
                "get": {
                    "summary": f"Proposals and totals as {fmt.upper()} (facilitator)",
                    "parameters": [CODE],
                    "responses": {
                        "200": {"description": "The file", "content": {mime: {}}},
                        **_errors(401, 403, 404),
                    },
                }
            }
            for fmt, mime in (
                ("csv", "text/csv"),
                ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("json", "application/json"),
            )
        },
    },
}
