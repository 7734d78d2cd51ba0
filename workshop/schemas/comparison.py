"""Comparisons across workshops: the request bodies and the answers of /api/v1/comparisons."""

from __future__ import annotations

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field, StringConstraints

from workshop.schemas.base import Language, Payload, RequestModel, Say, StoredId

MAX_COMPARED = 50
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]


class CreateComparison(RequestModel):
    """POST /comparisons: the codes of two or more workshops."""

    workshops: Annotated[
        Annotated[list[Code], Field(min_length=2, max_length=MAX_COMPARED)],
        Say(
            _l("Velg minst to verksteder å sammenligne."),
            items=_l("En verkstedkode er 1–12 tegn."),
            over=_l("Høyst %(max)d verksteder kan sammenlignes.", max=MAX_COMPARED),
        ),
    ]
    language: Annotated[Language | None, Say(_l("Språket må være nb, nn eller en."))] = Field(
        default=None,
        description="the workbook's language; default: the browser's chosen interface "
        "language, else the first workshop's",
    )


class DecideMatch(RequestModel):
    """POST /comparisons/{id}/matches: two proposals of different workshops, joined or not."""

    proposals: Annotated[
        Annotated[list[StoredId], Field(min_length=2, max_length=2)],
        Say(_l("Velg to forslag."), over=_l("Velg to forslag.")),
    ]
    accepted: Annotated[bool, Say(_l("«accepted» må være true eller false."))]


class ComparisonCreated(Payload):
    """POST /comparisons: the comparison's id, page and workbook."""

    id: int
    url: str
    xlsx_url: str


class MatchDecided(Payload):
    """POST /comparisons/{id}/matches: the pair as stored (lower id first)."""

    proposals: list[int]
    accepted: bool


class ComparedWorkshop(Payload):
    """A workshop in a comparison and the step it is compared at."""

    code: str
    title: str
    held: str
    plan: str
    language: str
    participants: int
    voters: int
    step: str | None
    kind: str
    roles_shown: list[str]
    proposals: int


class Entry(Payload):
    """A workshop's proposal in a row."""

    proposal_id: int
    title: str
    category: str
    change_level: str
    rank: int
    dots: int
    voters: int
    share: float | None
    support: float | None
    consensus: float | None
    roles: dict[str, float | None]


class Row(Payload):
    """Proposals accepted as the same, one per workshop at most."""

    row: int
    title: str
    workshops: int
    everywhere: bool
    entries: dict[str, Entry]


class MatchPair(Payload):
    """Two proposals of different workshops and how alike their texts are (0–100)."""

    proposals: list[int]
    workshops: list[str]
    titles: list[str]
    score: float


class Recurring(Payload):
    """A theme or change level: proposals and dots per workshop, and whether it recurs in all."""

    theme: str | None = None
    change_level: str | None = None
    proposals: dict[str, int]
    dots: dict[str, int]
    everywhere: bool


class ComparisonAnswer(Payload):
    """GET /comparisons/{id}."""

    id: int
    created: str
    language: str
    workshops: list[ComparedWorkshop]
    missing: list[str]
    rows: list[Row]
    suggestions: list[MatchPair] = Field(description="look alike, not decided yet")
    accepted: list[MatchPair] = Field(description="accepted by the admin: they share a row")
    themes: list[Recurring]
    change_levels: list[Recurring]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
