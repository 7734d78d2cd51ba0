"""Results and analysis payloads (GET …/results, GET …/analysis)."""

from __future__ import annotations

from typing import Any

from workshop.schemas.base import ChangeLevel, Payload


class ResultRow(Payload):
    """A proposal's totals, ranked by dots."""

    id: int
    title: str
    category: str | None = None
    dots: int | None = None
    voters: int | None = None
    by_role: dict[str, Any] | None = None
    change_level: ChangeLevel | None = None


class Results(Payload):
    """GET /workshops/{code}/results."""

    participants: int
    voters: int
    proposals: list[ResultRow]


class Analysis(Payload):
    """GET /workshops/{code}/analysis: totals, roles and consensus of a prioritising step."""

    kind: str
    step: Any
    participants: int
    voters: int
    roles_shown: list[str]
    proposals: list[ResultRow]
