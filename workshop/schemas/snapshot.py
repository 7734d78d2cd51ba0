"""What the server sends about a workshop: steps, proposals, the snapshot (GET and socket)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from workshop.schemas.base import Breakdown, ChangeLevel, Language, Payload, StanceName, Status
from workshop.schemas.base import StepKind as Kind
from workshop.schemas.step_config import Criterion, Shortlist


class TimerState(Payload):
    """A step's timer: its length, whether it runs, when it ends and what is left now."""

    seconds: int | None
    running: bool
    ends_at: str | None = Field(description="ISO 8601, UTC; null unless running")
    remaining: int | None
    server_time: str
    auto_advance: bool


class Step(Payload):
    """A step as API.md shows it, plus what the screens need to draw it."""

    position: int
    kind: Kind
    title: str
    prompt: str
    id: int | None = None
    revealed: bool | None = None
    timer: TimerState | None = None
    votes_per_participant: int | None = Field(default=None, description="vote steps")
    max_votes_per_proposal: int | None = Field(default=None, description="0: no cap")
    mode: str | None = Field(default=None, description="vote steps: dots or agree")
    criteria: list[Criterion] | None = Field(default=None, description="rate steps")
    breakdown: Breakdown | None = None
    shortlist: Shortlist | None = Field(default=None, description="rate and agree steps")
    proposal_ids: list[int] | None = Field(
        default=None, description="rate and agree steps with a shortlist: the proposals asked"
    )
    change_level: ChangeLevel | None = Field(
        default=None, description="results steps limited to one change level"
    )


class Proposal(Payload):
    """A proposal; staff also see its change level, where it came from and its original text."""

    id: int
    title: str
    body: str
    category: str | None
    status: Status
    change_level: ChangeLevel | None = None
    suggested_change_level: ChangeLevel | None = None


class Me(Payload):
    """The participant's own view: name, roles and what they gave in the current step."""

    participant_id: int
    name: str | None
    roles: list[str]
    table: str | None = Field(default=None, description="table mode: where the phone sits")
    allocations: dict[str, int] | None = None
    remaining: int | None = None
    stances: dict[str, StanceName] | None = Field(
        default=None, description='"agree" | "disagree" | "pass" per proposal id'
    )
    ratings: dict[str, dict[str, int]] | None = None


class Snapshot(Payload):
    """GET /workshops/{code} and the socket's ``snapshot``: the workshop for one audience."""

    code: str
    title: str
    version: int
    language: Language
    roles: list[str]
    categories: list[str]
    step: Step
    proposals: list[Proposal]
    proposals_total: int | None = Field(
        default=None,
        description="only when the client asked for ?proposals=N (or auth.proposals): how many "
        "proposals it may see; `proposals` then holds the newest N, oldest first",
    )
    participants: int
    steps: list[Step] | None = Field(default=None, description="staff only")
    settings: dict[str, Any] | None = Field(default=None, description="staff only")
    me: Me | None = Field(default=None, description="participants only")
    tables: list[str] | None = Field(
        default=None, description="participants: the tables of table mode, to change seat"
    )
    closed: bool | None = Field(default=None, description="true once the facilitator closed it")
    closed_at: str | None = Field(default=None, description="ISO 8601, UTC")
    report_published: bool | None = None
    actions: list[dict[str, Any]] | None = Field(
        default=None, description="staff; everyone once closed"
    )
    notes: list[dict[str, Any]] | None = Field(default=None, description="once closed")
