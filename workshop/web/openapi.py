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
RATINGS = {
    "type": "object",
    "propertyNames": {"pattern": "^[0-9]+$"},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5},
    },
}
STANCES = {
    "type": "object",
    "propertyNames": {"pattern": "^[0-9]+$"},
    "additionalProperties": {"type": "string", "enum": ["agree", "disagree", "pass"]},
}
STEP_QUERY = {
    "name": "step",
    "in": "query",
    "required": False,
    "schema": {"type": "integer"},
    "description": "position of a vote or rate step (default: the one that counts now)",
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
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["title"],
                                "properties": {
                                    "title": {"type": "string"},
                                    "plan": {"type": "string", "default": "plan-simplification"},
                                    "language": {"type": "string", "enum": ["nb", "nn", "en"]},
                                    "settings": {
                                        "type": "object",
                                        "properties": {
                                            "moderation": {"type": "boolean"},
                                            "votes_per_participant": {"type": "integer"},
                                        },
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "required": [
                                "code",
                                "title",
                                "join_url",
                                "facilitator_key",
                                "projector_key",
                                "facilitator_url",
                                "projector_url",
                                "steps",
                            ],
                        },
                        "Created",
                    ),
                    **_errors(401, 404, 422),
                },
            }
        },
        "/api/v1/workshops/{code}": {
            "get": {
                "summary": "The workshop as the key's holder may see it",
                "parameters": [CODE],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": [
                                "code",
                                "title",
                                "version",
                                "language",
                                "roles",
                                "categories",
                                "step",
                                "proposals",
                                "participants",
                            ],
                            "properties": {
                                "step": _ref("Step"),
                                "proposals": {"type": "array", "items": _ref("Proposal")},
                                "participants": {"type": "integer"},
                                "version": {"type": "integer"},
                            },
                        },
                        "The workshop",
                    ),
                    **_errors(401, 404),
                },
            }
        },
        "/api/v1/workshops/{code}/participants": {
            "post": {
                "summary": "Join without an account (rate limited)",
                "security": [],
                "parameters": [CODE],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "role": {"type": "string", "description": "one of the roles"},
                                    "roles": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                        "description": "several roles; duplicates are removed",
                                    },
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "required": ["participant_id", "key"],
                            "properties": {
                                "participant_id": {"type": "integer"},
                                "key": {"type": "string"},
                            },
                        },
                        "Joined",
                    ),
                    **_errors(404, 422, 429),
                },
            }
        },
        "/api/v1/workshops/{code}/proposals": {
            "post": {
                "summary": "Submit a proposal (idempotent by client_key)",
                "parameters": [CODE],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["title"],
                                "properties": {
                                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                                    "body": {"type": "string", "maxLength": 2000},
                                    "category": {"type": "string"},
                                    "client_key": {"type": "string", "maxLength": 64},
                                    "change_level": {
                                        "type": "string",
                                        "enum": ["lokal", "regional", "nasjonal"],
                                        "description": "a participant's suggestion; the "
                                        "facilitator's is settled",
                                    },
                                    "source": {
                                        "type": "string",
                                        "enum": ["paper", "facilitator"],
                                        "description": "facilitator only: a note typed in "
                                        "from paper",
                                    },
                                },
                            }
                        }
                    },
                },
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
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["allocations"],
                                "properties": {"allocations": ALLOCATIONS},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["allocations", "remaining"],
                            "properties": {
                                "allocations": ALLOCATIONS,
                                "remaining": {"type": "integer"},
                            },
                        },
                        "Stored",
                    ),
                    **_errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/step": {
            "post": {
                "summary": "Move to the next, previous or a given step (facilitator)",
                "parameters": [CODE],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "action": {"type": "string", "enum": ["next", "previous"]},
                                    "position": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["step"],
                            "properties": {"step": _ref("Step")},
                        },
                        "Moved",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/results": {
            "get": {
                "summary": "Ranked results (facilitator; others once revealed)",
                "parameters": [CODE, STEP_QUERY],
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["participants", "voters", "proposals"]},
                        "Results",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/ratings": {
            "put": {
                "summary": "Replace the participant's scores (1–5 per criterion) in a rate step",
                "parameters": [CODE],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["ratings"],
                                "properties": {"ratings": RATINGS},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["ratings"],
                            "properties": {"ratings": RATINGS},
                        },
                        "Stored",
                    ),
                    **_errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/stances": {
            "put": {
                "summary": "Replace the participant's agree / disagree / pass in an agree step",
                "parameters": [CODE],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["stances"],
                                "properties": {"stances": STANCES},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["stances"],
                            "properties": {"stances": STANCES},
                        },
                        "Stored",
                    ),
                    **_errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/api/v1/workshops/{code}/analysis": {
            "get": {
                "summary": "Totals, role breakdown and consensus of a vote or rate step "
                "(facilitator; others once revealed); see docs/analysis.md",
                "parameters": [CODE, STEP_QUERY],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": [
                                "kind",
                                "step",
                                "participants",
                                "voters",
                                "roles_shown",
                                "proposals",
                            ],
                        },
                        "The analysis",
                    ),
                    **_errors(401, 403, 404, 422),
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


# --- agenda and steering (workshop/web/api_agenda.py) ---------------------------------------

_TIMER = {
    "type": ["object", "null"],
    "description": "null: the step has no timer",
    "properties": {
        "seconds": {"type": ["integer", "null"], "description": "the timer's length"},
        "running": {"type": "boolean"},
        "ends_at": {"type": ["string", "null"], "format": "date-time"},
        "remaining": {"type": ["integer", "null"], "description": "seconds left now"},
        "server_time": {"type": "string", "format": "date-time"},
        "auto_advance": {"type": "boolean"},
    },
}
_STEP_CONFIG = {
    "type": "object",
    "description": "settings of the step's kind; null removes one",
    "properties": {
        "votes_per_participant": {"type": ["integer", "null"], "minimum": 1, "maximum": 100},
        "max_votes_per_proposal": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "mode": {"type": ["string", "null"], "enum": ["dots", "agree", None]},
        "criteria": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["key", "label"],
                "properties": {k: {"type": "string"} for k in ("key", "label", "low", "high")},
            },
        },
        "breakdown": {
            "type": ["string", "null"],
            "enum": ["role", "change_level", "category", None],
        },
    },
}
_STEP_FIELDS = {
    "kind": STEP["properties"]["kind"],
    "title": {"type": "string", "maxLength": 200},
    "prompt": {"type": "string", "maxLength": 2000},
    "position": {"type": "integer", "minimum": 0},
    "config": _STEP_CONFIG,
    "timer_seconds": {"type": ["integer", "null"], "minimum": 1},
    "auto_advance": {"type": "boolean"},
}
_AGENDA = {
    "type": "object",
    "required": ["steps", "current"],
    "properties": {"steps": {"type": "array", "items": _ref("Step")}, "current": _ref("Step")},
}
_STEP_AND_AGENDA = {
    "type": "object",
    "required": ["step", "steps", "current"],
    "properties": {"step": _ref("Step"), **_AGENDA["properties"]},
}
_STEP_ID = {"name": "step_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


OPENAPI["paths"].update(
    {
        "/api/v1/workshops/{code}/steps": {
            "get": {
                "summary": "Every step and the current one (facilitator, projector)",
                "parameters": [CODE],
                "responses": {"200": _json(_AGENDA, "The agenda"), **_errors(401, 403, 404)},
            },
            "post": {
                "summary": "Insert a step, by default at the end (facilitator)",
                "parameters": [CODE],
                "requestBody": _body(
                    {"type": "object", "required": ["kind", "title"], "properties": _STEP_FIELDS}
                ),
                "responses": {
                    "201": _json(_STEP_AND_AGENDA, "Added"),
                    **_errors(401, 403, 404, 422),
                },
            },
        },
        "/api/v1/workshops/{code}/steps/{step_id}": {
            "patch": {
                "summary": "Edit or move a step (facilitator); 409 when it would contradict "
                "answers already given",
                "parameters": [CODE, _STEP_ID],
                "requestBody": _body({"type": "object", "properties": _STEP_FIELDS}),
                "responses": {
                    "200": _json(_STEP_AND_AGENDA, "Changed"),
                    **_errors(401, 403, 404, 409, 422),
                },
            },
            "delete": {
                "summary": "Remove a step (facilitator); a step with answers only with force",
                "parameters": [
                    CODE,
                    _STEP_ID,
                    {
                        "name": "force",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "boolean"},
                    },
                ],
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"force": {"type": "boolean"}},
                            }
                        }
                    },
                },
                "responses": {"200": _json(_AGENDA, "Removed"), **_errors(401, 403, 404, 409, 422)},
            },
        },
        "/api/v1/workshops/{code}/steps/order": {
            "put": {
                "summary": "Put the steps in a new order: every step id once (facilitator)",
                "parameters": [CODE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["step_ids"],
                        "properties": {"step_ids": {"type": "array", "items": {"type": "integer"}}},
                    }
                ),
                "responses": {"200": _json(_AGENDA, "Reordered"), **_errors(401, 403, 404, 422)},
            },
        },
        "/api/v1/workshops/{code}/timer": {
            "post": {
                "summary": "Start, pause, add a minute to, reset or clear a step's timer "
                "(facilitator; default: the current step)",
                "parameters": [CODE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["action"],
                        "properties": {
                            "action": {
                                "type": "string",
                                "enum": ["start", "pause", "add_minute", "reset", "clear"],
                            },
                            "seconds": {"type": "integer", "minimum": 1},
                            "auto_advance": {"type": "boolean"},
                            "position": {"type": "integer"},
                        },
                    }
                ),
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["position", "step_id", "timer"],
                            "properties": {
                                "position": {"type": "integer"},
                                "step_id": {"type": "integer"},
                                "timer": _TIMER,
                            },
                        },
                        "The timer",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            },
        },
        "/api/v1/workshops/{code}/reveal": {
            "post": {
                "summary": "Show or hide the results of a vote or rate step (facilitator; "
                "default: the step that counts now)",
                "parameters": [CODE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["revealed"],
                        "properties": {
                            "revealed": {"type": "boolean"},
                            "position": {"type": "integer"},
                        },
                    }
                ),
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "position": {"type": "integer"},
                                "step_id": {"type": "integer"},
                                "revealed": {"type": "boolean"},
                                "results_revealed": {"type": "boolean"},
                            },
                        },
                        "Revealed or hidden",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            },
        },
        "/api/v1/workshops/{code}": {
            **OPENAPI["paths"].get("/api/v1/workshops/{code}", {}),
            "patch": {
                "summary": "Open or close joining; show or hide the join QR code (facilitator)",
                "parameters": [CODE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "properties": {
                            "joining_open": {"type": "boolean"},
                            "show_qr": {"type": "boolean"},
                        },
                    }
                ),
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["joining_open", "show_qr"],
                            "properties": {
                                "joining_open": {"type": "boolean"},
                                "show_qr": {"type": "boolean"},
                            },
                        },
                        "Changed",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            },
        },
        "/api/v1/workshops/{code}/plans": {
            "post": {
                "summary": "Save the running agenda as a new session plan (facilitator; never "
                "overwrites a plan: 409)",
                "parameters": [CODE],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["name", "title"],
                        "properties": {
                            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,59}$"},
                            "title": {"type": "string"},
                            "description": {"type": "string"},
                            "include_proposals": {
                                "type": "boolean",
                                "description": "also save the visible proposals",
                            },
                        },
                    }
                ),
                "responses": {
                    "201": _json(
                        {"type": "object", "required": ["name", "title", "steps"]}, "Saved"
                    ),
                    **_errors(401, 403, 404, 409, 422),
                },
            },
        },
    }
)


# --- moderation, merges and paper (workshop/web/api_moderation.py) --------------------------

_STAFF_PROPOSAL = {
    "type": "object",
    "description": "a proposal as the facilitator sees it",
    "required": [
        "id",
        "title",
        "body",
        "category",
        "status",
        "change_level",
        "classification_settled",
        "source",
        "merged_into_id",
        "original_title",
        "original_body",
    ],
    "properties": {
        **PROPOSAL["properties"],
        "change_level": {
            "type": ["string", "null"],
            "enum": ["lokal", "regional", "nasjonal", None],
        },
        "classification_settled": {"type": "boolean"},
        "source": {"type": "string", "enum": ["phone", "paper", "facilitator"]},
        "merged_into_id": {"type": ["integer", "null"]},
        "original_title": {
            "type": ["string", "null"],
            "description": "the title as first submitted, kept on the first edit",
        },
        "original_body": {"type": ["string", "null"]},
    },
}
_ID = {"type": "integer"}


def _request_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_MERGE = {
    "type": "object",
    "required": ["id", "survivor_id", "merged_ids", "authors", "created_at", "undone_at"],
    "properties": {
        "id": _ID,
        "survivor_id": _ID,
        "merged_ids": {"type": "array", "items": _ID},
        "authors": {
            "type": "array",
            "items": _ID,
            "description": "participant ids of every author, the survivor's first",
        },
        "created_at": {"type": "string", "format": "date-time"},
        "undone_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
_PAPER = {
    "type": "object",
    "required": ["step_position", "dots", "total"],
    "properties": {"step_position": _ID, "dots": ALLOCATIONS, "total": _ID},
}
_PROPOSAL_ID = {"name": "proposal_id", "in": "path", "required": True, "schema": _ID}
_MERGE_ID = {"name": "merge_id", "in": "path", "required": True, "schema": _ID}
_STEP_POSITION = {
    "name": "step_position",
    "in": "query",
    "required": False,
    "schema": _ID,
    "description": "a dot-vote step (default: the current or latest vote step reached)",
}

OPENAPI["paths"].update(
    {
        "/api/v1/workshops/{code}/proposals/{proposal_id}": {
            "patch": {
                "summary": "Approve, hide, show, edit, recategorise or settle the change level "
                "of a proposal (facilitator; audited; the original text is kept)",
                "parameters": [CODE, _PROPOSAL_ID],
                "requestBody": _request_body(
                    {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": False,
                        "properties": {
                            "status": {"type": "string", "enum": ["visible", "hidden"]},
                            "title": {"type": "string", "minLength": 1, "maxLength": 200},
                            "body": {"type": ["string", "null"], "maxLength": 2000},
                            "category": {
                                "type": ["string", "null"],
                                "description": "one of the workshop's categories, or null",
                            },
                            "change_level": {
                                "type": ["string", "null"],
                                "enum": ["lokal", "regional", "nasjonal", None],
                                "description": "settles it; null clears it (unsettled)",
                            },
                        },
                    }
                ),
                "responses": {
                    "200": _json(_STAFF_PROPOSAL, "Changed (or already so)"),
                    **_errors(401, 403, 404, 422),
                },
            },
        },
        "/api/v1/workshops/{code}/queue": {
            "get": {
                "summary": "Pending proposals waiting for approval, oldest first (facilitator)",
                "parameters": [CODE],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["proposals"],
                            "properties": {
                                "proposals": {"type": "array", "items": _STAFF_PROPOSAL}
                            },
                        },
                        "The queue",
                    ),
                    **_errors(401, 403, 404),
                },
            },
        },
        "/api/v1/workshops/{code}/similar": {
            "get": {
                "summary": "Groups of visible and pending proposals that look alike, best first "
                "(facilitator)",
                "parameters": [
                    CODE,
                    {
                        "name": "threshold",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "number", "minimum": 0, "maximum": 100},
                    },
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["threshold", "groups"],
                            "properties": {
                                "threshold": {"type": "number"},
                                "groups": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["ids", "score", "pairs"],
                                        "properties": {
                                            "ids": {"type": "array", "items": _ID},
                                            "score": {
                                                "type": "number",
                                                "description": "0–100, best pair",
                                            },
                                            "pairs": {"type": "array", "items": {"type": "object"}},
                                        },
                                    },
                                },
                            },
                        },
                        "Suggestions",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            },
        },
        "/api/v1/workshops/{code}/merges": {
            "post": {
                "summary": "Merge proposals into a survivor; dots, paper dots, ratings and stances "
                "follow it (facilitator)",
                "parameters": [CODE],
                "requestBody": _request_body(
                    {
                        "type": "object",
                        "required": ["survivor_id", "merged_ids"],
                        "properties": {
                            "survivor_id": _ID,
                            "merged_ids": {
                                "type": "array",
                                "items": _ID,
                                "minItems": 1,
                                "uniqueItems": True,
                            },
                        },
                    }
                ),
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "required": ["merge_id", "survivor", "merged_ids"],
                            "properties": {
                                "merge_id": _ID,
                                "survivor": _STAFF_PROPOSAL,
                                "merged_ids": {"type": "array", "items": _ID},
                            },
                        },
                        "Merged",
                    ),
                    **_errors(401, 403, 404, 422),
                },
            },
            "get": {
                "summary": "Every merge, newest first (facilitator)",
                "parameters": [CODE],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["merges"],
                            "properties": {"merges": {"type": "array", "items": _MERGE}},
                        },
                        "Merges",
                    ),
                    **_errors(401, 403, 404),
                },
            },
        },
        "/api/v1/workshops/{code}/merges/{merge_id}": {
            "delete": {
                "summary": "Undo a merge exactly (facilitator); 409 when already undone, when its "
                "survivor was merged again later, or when the moved votes changed since",
                "parameters": [CODE, _MERGE_ID],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["merge_id", "survivor", "restored"],
                            "properties": {
                                "merge_id": _ID,
                                "survivor": _STAFF_PROPOSAL,
                                "restored": {"type": "array", "items": _STAFF_PROPOSAL},
                            },
                        },
                        "Undone",
                    ),
                    **_errors(401, 403, 404, 409),
                },
            },
        },
        "/api/v1/workshops/{code}/paper-dots": {
            "put": {
                "summary": "Replace the dots counted on paper in a dot-vote step (facilitator); "
                "they count in dots, never in voters or roles",
                "parameters": [CODE],
                "requestBody": _request_body(
                    {
                        "type": "object",
                        "required": ["dots"],
                        "properties": {
                            "step_position": {
                                "type": "integer",
                                "description": "default: the current or latest vote step",
                            },
                            "dots": ALLOCATIONS,
                        },
                    }
                ),
                "responses": {
                    "200": _json(_PAPER, "Stored"),
                    **_errors(401, 403, 404, 409, 422),
                },
            },
            "get": {
                "summary": "The dots counted on paper in a dot-vote step (facilitator)",
                "parameters": [CODE, _STEP_POSITION],
                "responses": {
                    "200": _json(_PAPER, "Paper dots"),
                    **_errors(401, 403, 404, 409, 422),
                },
            },
        },
    }
)
