"""Response bodies of the JSON API beyond the snapshot and the results."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from workshop.schemas.base import ChangeLevel, Payload, StanceName
from workshop.schemas.snapshot import Proposal, Step, TimerState


class ErrorDetail(BaseModel):
    """What went wrong: a machine code, a message in the user's language, and per field."""

    code: str
    message: str
    fields: dict[str, str] | None = Field(
        default=None, description="validation: a message per refused field"
    )


class Error(BaseModel):
    """Every 4xx answer: nothing was stored."""

    error: ErrorDetail


class StepSummary(Payload):
    """A step in the answer to creating a workshop."""

    position: int
    kind: str
    title: str


class Created(Payload):
    """POST /workshops: the new workshop's code, keys and links."""

    code: str
    title: str
    join_url: str
    facilitator_key: str
    projector_key: str
    facilitator_url: str
    projector_url: str
    steps: list[StepSummary]


class Joined(Payload):
    """POST /workshops/{code}/participants."""

    participant_id: int
    key: str


class Seat(Payload):
    """A participant's table (table mode); null: not seated."""

    participant_id: int
    table: str | None = None


class SeatedParticipant(Seat):
    """A participant as the facilitator's table list shows them."""

    name: str | None = None


class Tables(Payload):
    """GET /workshops/{code}/tables: the tables and who sits where (facilitator)."""

    tables: list[str]
    participants: list[SeatedParticipant]


class Allocation(Payload):
    """PUT /workshops/{code}/votes: the stored allocation and the dots left."""

    allocations: dict[str, int]
    remaining: int


class StepMoved(Payload):
    """POST /workshops/{code}/step."""

    step: Step


class Ratings(Payload):
    """PUT /workshops/{code}/ratings: the stored scores."""

    ratings: dict[str, dict[str, int]]


class Stances(Payload):
    """PUT /workshops/{code}/stances: the stored stances, in the same form as sent."""

    stances: dict[str, StanceName]


class Agenda(Payload):
    """Every step and the current one."""

    steps: list[Step]
    current: Step


class StepAndAgenda(Agenda):
    """A step that was added or edited, and the agenda after it."""

    step: Step


class TimerResult(Payload):
    """POST /workshops/{code}/timer."""

    position: int
    step_id: int
    timer: TimerState | None


class Revealed(Payload):
    """POST /workshops/{code}/reveal."""

    position: int
    step_id: int
    revealed: bool
    results_revealed: bool


class WorkshopFlags(Payload):
    """PATCH /workshops/{code}."""

    joining_open: bool
    show_qr: bool


class WorkshopLimits(Payload):
    """GET and PUT /workshops/{code}/limits."""

    proposals_per_participant: int
    proposals_per_minute: int
    max_participants: int


class SavedPlan(Payload):
    """POST /workshops/{code}/plans."""

    name: str
    title: str
    steps: list[dict[str, Any]]
    proposals: int


class Queue(Payload):
    """GET /workshops/{code}/queue: pending proposals, oldest first."""

    proposals: list[Proposal]


class SimilarGroup(Payload):
    """Proposals that look alike."""

    ids: list[int]
    score: float
    pairs: list[Any]


class Similar(Payload):
    """GET /workshops/{code}/similar."""

    threshold: float
    groups: list[SimilarGroup]


class Merged(Payload):
    """POST /workshops/{code}/merges."""

    merge_id: int
    survivor: Proposal
    merged_ids: list[int]


class MergeRecord(Payload):
    """One merge and whether it was undone."""

    id: int
    survivor_id: int
    merged_ids: list[int]
    created_at: str
    undone_at: str | None


class Merges(Payload):
    """GET /workshops/{code}/merges: newest first."""

    merges: list[MergeRecord]


class Unmerged(Payload):
    """DELETE /workshops/{code}/merges/{merge_id}."""

    merge_id: int
    survivor: Proposal
    restored: list[Any]


class PaperCount(Payload):
    """The dots counted on paper for a vote step."""

    step_position: int
    dots: dict[str, int]
    total: int


# --- decisions and follow-up ----------------------------------------------------------------


class Action(Payload):
    """An action («tiltak»): what will be done, by whom, by when, who decides it."""

    id: int
    what: str
    proposal_id: int | None
    owner: str | None
    due: str | None = Field(description="YYYY-MM-DD")
    decided_by: str | None
    change_level: ChangeLevel | None


class Actions(Payload):
    """GET /workshops/{code}/actions."""

    actions: list[Action]


class ActionSuggestion(Payload):
    """A phone's suggestion of an owner and a deadline for an action."""

    id: int
    action_id: int
    owner: str | None
    due: str | None
    at: str


class ClosedAt(Payload):
    """POST /workshops/{code}/close."""

    closed_at: str = Field(description="ISO 8601, UTC")


class Note(Payload):
    """A follow-up note after closing."""

    id: int
    at: str = Field(description="ISO 8601, UTC")
    text: str


class RankedProposal(Payload):
    """One proposal of the final ranking: no role breakdown."""

    id: int
    title: str
    change_level: ChangeLevel | None
    rank: int
    category: str | None = None


class Outcome(Payload):
    """GET /workshops/{code}/outcome: the report-back."""

    closed_at: str | None
    participants: int
    ranking: list[RankedProposal]
    actions: list[Action]
    notes: list[Note]
    report_published: bool
    deletion_date: str | None = Field(default=None, description="YYYY-MM-DD: purged then")


class ReportPublished(Payload):
    """PATCH /workshops/{code}/outcome."""

    report_published: bool


class BankEntry(Payload):
    """An example proposal of the plan's bank, in the workshop's language."""

    id: str
    title: str
    body: str
    category: str | None
    plan_type: str
    law: str = Field(description="the law section it touches, e.g. «pbl § 10-1»; may be empty")
    change_level: str | None
    proposal_id: int | None = Field(description="the proposal it became here; null: not added")


class Bank(Payload):
    """GET /workshops/{code}/bank."""

    bank: list[BankEntry]


class BankAdded(Payload):
    """POST /workshops/{code}/bank: the proposals, in the order asked (source «bank»)."""

    proposals: list[Proposal]
    added: int = Field(description="how many were new; 0 when all were added before")


class DeletionDate(Payload):
    """PUT /workshops/{code}/deletion-date."""

    deletion_date: str | None = Field(description="YYYY-MM-DD; null: not set (never purged)")
