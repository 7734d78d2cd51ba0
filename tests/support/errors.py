"""The error body of docs/api.md: ``{"error": {"code", "message"}}`` with its status."""

from __future__ import annotations

from typing import Any


def assert_error(response: Any, status: int, code: str) -> dict[str, str]:
    """The exact error body of API.md: {"error": {"code", "message"}} and the status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()
    return body["error"]


def error_code(response: Any, status: int) -> str:
    """The code of an error body with this status (for comparing codes with ``==``)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["message"].strip()
    return body["error"]["code"]
