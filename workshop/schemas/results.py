"""Results and analysis payloads (GET …/results, GET …/analysis)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from workshop.schemas.base import ChangeLevel, Payload


class ResultRow(Payload):
    """A proposal's totals, ranked by dots."""

    id: int
    title: str
    category: str | None = None
    dots: int | None = None
    voters: int | None = None
    by_role: dict[str, Any] | None = None
    by_table: dict[str, Any] | None = Field(
        default=None, description="table mode: the same count per table shown"
    )
    change_level: ChangeLevel | None = None
    suggested_change_level: ChangeLevel | None = None


class LevelGroup(Payload):
    """Ranked proposals of one change level: who can make the change."""

    change_level: ChangeLevel | None = Field(description="null: not yet settled")
    label: str
    proposals: list[int]


class Results(Payload):
    """GET /workshops/{code}/results."""

    participants: int
    voters: int
    proposals: list[ResultRow]
    change_levels: list[LevelGroup] | None = Field(
        default=None, description="the ranked proposals grouped by change level"
    )
    change_level: ChangeLevel | None = Field(
        default=None, description="set when the current results step shows one level only"
    )
    tables_shown: list[str] | None = Field(
        default=None,
        description="table mode: the tables with at least min_group_size participants in the step",
    )


class Analysis(Payload):
    """GET /workshops/{code}/analysis: totals, roles and consensus of a prioritising step."""

    kind: str
    step: Any
    participants: int
    voters: int
    roles_shown: list[str]
    proposals: list[ResultRow]
