"""The JSON archive: what export.json writes (format ``planverksted-export/1``)."""

from __future__ import annotations

from typing import Any, Literal

from workshop.schemas.base import Language, Payload
from workshop.schemas.base import StepKind as Kind
from workshop.schemas.step_config import StepConfig


class ArchivedStep(Payload):
    """A step of the archived workshop."""

    position: int
    kind: Kind
    title: str
    prompt: str
    config: StepConfig | None = None


class ArchivedWorkshop(Payload):
    """The workshop as it was: its words, its settings and its steps."""

    code: str
    title: str
    language: Language
    roles: list[str]
    categories: list[str]
    settings: dict[str, Any]
    steps: list[ArchivedStep]


class ArchivedAction(Payload):
    """An action («tiltak») as API.md shows it."""

    id: int
    what: str
    proposal_id: int | None
    owner: str | None
    due: str | None
    decided_by: str | None
    change_level: str | None


class ArchivedNote(Payload):
    """A follow-up note the facilitator added after closing."""

    id: int
    at: str
    text: str


class Archive(Payload):
    """A self-contained archive: the workshop, its method, proposals, analyses and audit trail."""

    format: Literal["planverksted-export/1"]
    about: Any
    workshop: ArchivedWorkshop
    proposals: list[dict[str, Any]]
    analyses: Any
    actions: list[ArchivedAction] = []
    notes: list[ArchivedNote] = []
    closed_at: str | None = None
    audit: list[Any]
