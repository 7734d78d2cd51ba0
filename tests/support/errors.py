"""The error body of docs/api.md: ``{"error": {"code", "message"}}`` with its status."""

from __future__ import annotations

from typing import Any


def assert_error(response: Any, status: int, code: str) -> dict[str, str]:
    """The exact error body of API.md, {"error": {"code", "message"}}, and the status.

    A refused body may also name each refused field: "fields": {name: message}.
    """
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) - {"fields"} == {"code", "message"}
    fields = body["error"].get("fields", {})
    assert all(isinstance(m, str) and m.strip() for m in fields.values())
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()
    return body["error"]


def error_code(response: Any, status: int) -> str:
    """The code of an error body with this status (for comparing codes with ``==``)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["message"].strip()
    return body["error"]["code"]
