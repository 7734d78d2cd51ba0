"""Shared pieces of the schema layer: the base models, the enums and the field types.

The enums are the models' own tuples, so the OpenAPI document never repeats them by hand.
``Say`` attaches the message a user reads when a field is refused (see ``parsing.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from workshop.models import CHANGE_LEVELS, STATUSES, STEP_KINDS

StepKind = Literal[STEP_KINDS]  # type: ignore[valid-type]
ChangeLevel = Literal[CHANGE_LEVELS]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Language = Literal["nb", "nn", "en"]
StanceName = Literal["agree", "disagree", "pass"]
VoteMode = Literal["dots", "agree"]
Breakdown = Literal["role", "change_level", "category", "table"]

MAX_ID = 2**63 - 1  # the largest id a database integer holds
# Ids in a body: any integer a database can compare (an unknown one is "not found").
StoredId = Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
# Proposal ids as JSON object keys: ASCII digits, short enough for an SQL integer.
IdKey = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,18}$")]
NonNegative = Annotated[int, Field(ge=0)]


@dataclass(frozen=True)
class Say:
    """The message shown when this field is refused; ``items`` when a member of it is; ``over``
    when it (or a member) is over its upper bound: too long, too many, too large."""

    message: Any
    items: Any = None
    over: Any = None


class RequestModel(BaseModel):
    """A JSON request body: exact JSON types (no "5" for 5, no true for 1), unknown keys ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


class ClosedRequestModel(RequestModel):
    """A request body that refuses unknown keys (PATCH bodies: a typo must not pass silently)."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Payload(BaseModel):
    """Something the server sends; documented and checked in tests, never parsed from users."""

    model_config = ConfigDict(extra="allow")
