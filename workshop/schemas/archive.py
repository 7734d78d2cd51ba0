"""The JSON archive: what export.json writes and POST /import reads (``planverksted-archive/2``).

The archive is complete: the raw data (participants under pseudonymous ids, proposals, dots,
ratings, stances, merges, actions, notes, the audit trail) restores the workshop, and the computed
analyses are there for a reader. Proposal, action and note ids are the exported workshop's; an
import gives them new ids and maps every reference.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from workshop.schemas.base import ChangeLevel, Language, Payload, StanceName, Status
from workshop.schemas.base import StepKind as Kind
from workshop.schemas.step_config import PlanSettings, StepConfig

FORMAT = "planverksted-archive/2"
OLD_FORMATS = ("planverksted-export/1",)
MAX_ROWS = 200_000  # per list; far beyond a hall of 1,000 phones

PseudonymId = Annotated[str, StringConstraints(pattern=r"^P[0-9]{1,9}$")]
ArchiveId = Annotated[int, Field(ge=1, le=2**62)]
Position = Annotated[int, Field(ge=0, le=1000)]
Short = Annotated[str, StringConstraints(max_length=200)]


def rows() -> Any:
    """A list of archived rows, empty by default."""
    return Field(default_factory=list, max_length=MAX_ROWS)


class ArchivedStep(Payload):
    """A step of the archived workshop, with its settings and how far the room got with it."""

    position: Position
    kind: Kind
    title: Short
    prompt: Annotated[str, StringConstraints(max_length=10_000)] = ""
    config: StepConfig | None = None
    revealed: bool = False
    timer_seconds: Annotated[int, Field(ge=0, le=86_400)] | None = None
    auto_advance: bool = False
    shortlist_ids: list[ArchiveId] | None = Field(
        default=None, description="the worked-out shortlist the room saw, if any"
    )


class ArchivedSettings(PlanSettings):
    """The workshop's settings, checked as a plan's; a key this version does not know is kept."""

    model_config = ConfigDict(strict=True, extra="ignore")


class ArchivedWorkshop(Payload):
    """The workshop as it was: its words, its settings, its steps and where the room stood."""

    code: str
    title: Short
    language: Language
    plan_name: Annotated[str, StringConstraints(max_length=100)] = ""
    roles: list[Short]
    categories: list[Short]
    settings: ArchivedSettings
    steps: Annotated[list[ArchivedStep], Field(min_length=1, max_length=1000)]
    current_position: Position = 0
    revealed: bool = False
    report_published: bool = False
    created_at: datetime | None = None


class ArchivedParticipant(Payload):
    """A participant under a pseudonymous archive id; ``name`` only if they gave one."""

    id: PseudonymId
    name: Annotated[str, StringConstraints(max_length=80)] | None = None
    roles: list[Short] = []
    table: Annotated[str, StringConstraints(max_length=40)] | None = None
    joined_at: datetime | None = None


class ArchivedProposal(Payload):
    """A proposal of any status, with its author's archive id and the step it was sent in."""

    id: ArchiveId
    title: Short
    body: Annotated[str, StringConstraints(max_length=20_000)] = ""
    category: Short | None = None
    change_level: ChangeLevel | None = None
    suggested_change_level: ChangeLevel | None = None
    classification_settled: bool = False
    status: Status
    original_title: Short | None = None
    original_body: str | None = None
    merged_into: ArchiveId | None = None
    source: Annotated[str, StringConstraints(max_length=20)] = "phone"
    author: PseudonymId | None = None
    step: Position | None = None
    created_at: datetime | None = None


class ArchivedMerge(Payload):
    """Proposals merged into a survivor; restored merges cannot be undone."""

    survivor: ArchiveId
    merged: list[ArchiveId]
    authors: list[PseudonymId] = []
    created_at: datetime | None = None
    undone_at: datetime | None = None


class ArchivedDots(Payload):
    """A participant's dots on a proposal in a vote step."""

    step: Position
    participant: PseudonymId
    proposal: ArchiveId
    dots: Annotated[int, Field(ge=0, le=100)]


class ArchivedPaperDots(Payload):
    """Dots counted on paper for a proposal in a vote step."""

    step: Position
    proposal: ArchiveId
    dots: Annotated[int, Field(ge=0, le=1_000_000)]


class ArchivedRating(Payload):
    """A participant's score (1–5) of a proposal on one criterion in a rate step."""

    step: Position
    participant: PseudonymId
    proposal: ArchiveId
    criterion: Annotated[str, StringConstraints(max_length=40)]
    score: Annotated[int, Field(ge=1, le=5)]


class ArchivedStance(Payload):
    """Agree, disagree or pass on a proposal in an agree step."""

    step: Position
    participant: PseudonymId
    proposal: ArchiveId
    stance: StanceName


class ArchivedAction(Payload):
    """An action («tiltak») as API.md shows it."""

    id: ArchiveId
    what: Annotated[str, StringConstraints(max_length=500)]
    proposal_id: ArchiveId | None
    owner: Annotated[str, StringConstraints(max_length=120)] | None
    due: str | None
    decided_by: Annotated[str, StringConstraints(max_length=40)] | None
    change_level: ChangeLevel | None


class ArchivedSuggestion(Payload):
    """A phone's suggestion of an owner and a deadline for an action."""

    action: ArchiveId
    participant: PseudonymId | None = None
    owner: Annotated[str, StringConstraints(max_length=120)] | None = None
    due: date | None = None


class ArchivedNote(Payload):
    """A follow-up note the facilitator added after closing."""

    id: ArchiveId
    at: str
    text: Annotated[str, StringConstraints(max_length=2000)]


class ArchivedAuditEntry(Payload):
    """One entry of the audit trail; a participant actor is named by archive id."""

    at: str
    actor: Annotated[str, StringConstraints(max_length=40)]
    action: Annotated[str, StringConstraints(max_length=40)]
    detail: dict[str, Any] = {}


class Archive(Payload):
    """A complete archive: the workshop's raw data to restore it, and its analyses to read."""

    format: Literal["planverksted-archive/2"]
    about: dict[str, Any] = {}
    workshop: ArchivedWorkshop
    participants: list[ArchivedParticipant] = rows()
    proposals: list[ArchivedProposal] = rows()
    merges: list[ArchivedMerge] = rows()
    votes: list[ArchivedDots] = rows()
    paper_dots: list[ArchivedPaperDots] = rows()
    ratings: list[ArchivedRating] = rows()
    stances: list[ArchivedStance] = rows()
    actions: list[ArchivedAction] = rows()
    suggestions: list[ArchivedSuggestion] = rows()
    notes: list[ArchivedNote] = rows()
    closed_at: str | None = None
    deletion_date: str | None = None
    audit: list[ArchivedAuditEntry] = rows()
    analyses: list[Any] = Field(default_factory=list, description="computed, for reading")
    change_levels: list[Any] = Field(default_factory=list, description="computed, for reading")
