"""Request bodies of the JSON API, one model per endpoint that takes a body.

The models check JSON types, enums and lengths; what needs the workshop (does the proposal exist,
is this the right step, is the budget kept) stays in the services, which receive these values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from workshop.models import STEP_KINDS
from workshop.schemas.base import (
    ChangeLevel,
    ClosedRequestModel,
    IdKey,
    Language,
    NonNegative,
    RequestModel,
    Say,
    StanceName,
    StepKind,
    StoredId,
)
from workshop.schemas.step_config import (
    API_TIMER_MIN,
    BUDGET_MESSAGE,
    PROMPT_MAX,
    TABLE_NAME_MAX,
    TABLES_MESSAGE,
    TIMER_MAX_SECONDS,
    TITLE_MAX,
    Budget,
    StepConfig,
    TableList,
    distinct_tables,
)

Position = Annotated[int, Field(ge=0)]
TimerSeconds = Annotated[int, Field(ge=API_TIMER_MIN, le=TIMER_MAX_SECONDS)]
BODY_MAX = 2000
NAME_MAX = 80
ROLES_MAX = 50
MAX_MERGED = 100
MAX_PAPER_DOTS = 100_000
POSITION_MESSAGE = _l("«position» må være et heltall, 0 eller mer.")
TITLE_MESSAGE = _l("Skriv en tittel på forslaget.")
BODY_MESSAGE = _l("Teksten må være tekst.")
CATEGORY_MESSAGE = _l("Velg et tema fra listen.")
TABLE_MESSAGE = _l("Velg et bord fra listen.")
CHANGE_LEVEL_MESSAGE = _l("Endringsnivået må være lokal, regional eller nasjonal.")
TIMER_MESSAGE = _l(
    "«timer_seconds» må være et helt antall sekunder fra %(min)d til %(max)d.",
    min=API_TIMER_MIN,
    max=TIMER_MAX_SECONDS,
)

# A proposal's title and text: surrounding blanks are dropped before the lengths are checked.
TitleText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)
]
TITLE_SAY = Say(TITLE_MESSAGE, over=_l("Tittelen kan ha høyst %(max)d tegn.", max=TITLE_MAX))
ProposalBody = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=BODY_MAX)] | None,
    Say(BODY_MESSAGE, over=_l("Teksten kan ha høyst %(max)d tegn.", max=BODY_MAX)),
]
Category = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True)] | None, Say(CATEGORY_MESSAGE)
]

# Limits that fit a hall (services/room_limits.py holds the defaults).
ProposalCount = Annotated[int, Field(ge=1, le=1000)]
ProposalRate = Annotated[int, Field(ge=1, le=600)]
ParticipantCap = Annotated[int, Field(ge=1, le=100_000)]
PROPOSAL_COUNT_SAY = Say(
    _l("«proposals_per_participant» må være et heltall fra 1 til 1000."),
    over=_l("«proposals_per_participant» må være et heltall fra 1 til 1000."),
)
PROPOSAL_RATE_SAY = Say(
    _l("«proposals_per_minute» må være et heltall fra 1 til 600."),
    over=_l("«proposals_per_minute» må være et heltall fra 1 til 600."),
)
PARTICIPANT_CAP_SAY = Say(
    _l("«max_participants» må være et heltall fra 1 til 100000."),
    over=_l("«max_participants» må være et heltall fra 1 til 100000."),
)


class Limits(RequestModel):
    """PUT /workshops/{code}/limits, and part of the create body's settings."""

    proposals_per_participant: Annotated[ProposalCount | None, PROPOSAL_COUNT_SAY] = Field(
        default=None, description="proposals one participant may send in all (default 30)"
    )
    proposals_per_minute: Annotated[ProposalRate | None, PROPOSAL_RATE_SAY] = Field(
        default=None, description="proposals one participant may send a minute (default 10)"
    )
    max_participants: Annotated[ParticipantCap | None, PARTICIPANT_CAP_SAY] = Field(
        default=None, description="participants the workshop takes (default 2000)"
    )


# --- the version 1 contract -----------------------------------------------------------------


class CreateSettings(Limits):
    """Settings that override the plan's when a workshop is created."""

    moderation: Annotated[bool | None, Say(_l("«moderation» må være true eller false."))] = None
    votes_per_participant: Annotated[Budget | None, Say(BUDGET_MESSAGE)] = None
    tables: Annotated[TableList | None, Say(TABLES_MESSAGE)] = Field(
        default=None, description="table mode: the tables of the group part, e.g. «Bord 1»"
    )

    _distinct_tables = field_validator("tables")(distinct_tables)


class CreateWorkshop(RequestModel):
    """POST /workshops."""

    title: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX),
        Say(
            _l("Gi verkstedet et navn."),
            over=_l("Navnet kan ha høyst %(max)d tegn.", max=TITLE_MAX),
        ),
    ]
    plan: Annotated[str | None, Say(_l("«plan» må være navnet på en øktplan."))] = Field(
        default=None, description='a session plan name; default "plan-simplification"'
    )
    language: Annotated[Language | None, Say(_l("Språket må være nb, nn eller en."))] = None
    settings: Annotated[CreateSettings | None, Say(_l("«settings» må være et objekt."))] = None


class Join(RequestModel):
    """POST /workshops/{code}/participants: every field optional."""

    name: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX)] | None,
        Say(
            _l("Navnet må være tekst."),
            over=_l("Navnet kan ha høyst %(max)d tegn.", max=NAME_MAX),
        ),
    ] = None
    role: Annotated[str | None, Say(_l("Rollen må være tekst."))] = None
    roles: Annotated[
        Annotated[list[str], Field(max_length=ROLES_MAX)] | None,
        Say(_l("«roles» må være en liste med roller."), over=_l("Velg en rolle fra listen.")),
    ] = None
    table: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=TABLE_NAME_MAX)] | None,
        Say(TABLE_MESSAGE),
    ] = Field(default=None, description="one of the workshop's tables (table mode)")


class SetTable(RequestModel):
    """PUT /workshops/{code}/participants/{id}/table: a participant's table; "" or null: none."""

    table: Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=TABLE_NAME_MAX)] | None,
        Say(TABLE_MESSAGE),
    ]


class SubmitProposal(RequestModel):
    """POST /workshops/{code}/proposals."""

    title: Annotated[TitleText, TITLE_SAY]
    body: ProposalBody = None
    category: Category = None
    client_key: Annotated[
        Annotated[str, Field(min_length=1, max_length=64)] | None,
        Say(_l("client_key må være tekst med 1 til 64 tegn.")),
    ] = None
    source: Literal["paper", "facilitator"] | None = Field(
        default=None, description="facilitators: where a typed-in proposal came from"
    )
    change_level: Annotated[ChangeLevel | None, Say(CHANGE_LEVEL_MESSAGE)] = None


class PutVotes(RequestModel):
    """PUT /workshops/{code}/votes: the whole allocation of the current vote step."""

    allocations: Annotated[
        dict[IdKey, NonNegative],
        Say(
            _l("«allocations» må være et objekt med forslag og prikker."),
            items=_l("Antall prikker må være et heltall, 0 eller mer."),
        ),
    ]


class ChangeStep(RequestModel):
    """POST /workshops/{code}/step: an action or a position."""

    action: Annotated[
        Literal["next", "previous"] | None,
        Say(_l("Oppgi «action» (next eller previous) eller «position».")),
    ] = None
    position: Annotated[Position | None, Say(POSITION_MESSAGE)] = None


# --- prioritising ---------------------------------------------------------------------------


class PutRatings(RequestModel):
    """PUT /workshops/{code}/ratings: scores 1–5 per proposal and criterion; null leaves one out."""

    ratings: Annotated[
        dict[IdKey, dict[str, Annotated[int, Field(ge=1, le=5)] | None]],
        Say(
            _l("«ratings» må være et objekt med forslag og poeng."),
            items=_l("Poeng må være et heltall fra %(low)d til %(high)d.", low=1, high=5),
        ),
    ]


class PutStances(RequestModel):
    """PUT /workshops/{code}/stances: agree, disagree or pass per proposal; null leaves one out."""

    stances: Annotated[
        dict[IdKey, StanceName | Literal[""] | None],
        Say(
            _l("«stances» må være et objekt med forslag og svar."),
            items=_l("Svaret må være «agree», «disagree» eller «pass»."),
        ),
    ]


# --- agenda and steering --------------------------------------------------------------------

KindField = Annotated[
    StepKind, Say(_l("«kind» må være en av %(kinds)s.", kinds=", ".join(STEP_KINDS)))
]
StepTitle = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX),
    Say(_l("Gi steget en tittel.")),
]
StepPrompt = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=PROMPT_MAX)] | None,
    Say(_l("Teksten på steget må være tekst med høyst %(max)d tegn.", max=PROMPT_MAX)),
]
ConfigField = Annotated[StepConfig | None, Say(_l("«config» må være et objekt."))]
TimerField = Annotated[TimerSeconds | None, Say(TIMER_MESSAGE)]


class AddStep(RequestModel):
    """POST /workshops/{code}/steps."""

    kind: KindField
    title: StepTitle
    prompt: StepPrompt = None
    position: Annotated[Position | None, Say(POSITION_MESSAGE)] = None
    config: ConfigField = None
    timer_seconds: TimerField = None
    auto_advance: bool | None = None


class EditStep(ClosedRequestModel):
    """PATCH /workshops/{code}/steps/{step_id}: only the fields named change."""

    kind: KindField | None = None
    title: StepTitle | None = None
    prompt: StepPrompt = None
    position: Annotated[Position | None, Say(POSITION_MESSAGE)] = None
    config: ConfigField = None
    timer_seconds: TimerField = None
    auto_advance: bool | None = None


class ReorderSteps(RequestModel):
    """PUT /workshops/{code}/steps/order: every step id once."""

    step_ids: Annotated[
        Annotated[list[StoredId], Field(min_length=1)],
        Say(_l("«step_ids» må være en liste med id-ene til stegene.")),
    ]


class RemoveStep(RequestModel):
    """DELETE /workshops/{code}/steps/{step_id}: the body is optional."""

    force: Annotated[bool, Say(_l("«force» må være true eller false."))] = False


class Timer(RequestModel):
    """POST /workshops/{code}/timer."""

    action: Annotated[
        Literal["start", "pause", "add_minute", "reset", "clear"],
        Say(_l("«action» må være start, pause, add_minute, reset eller clear.")),
    ]
    seconds: Annotated[
        TimerSeconds | None,
        Say(
            _l(
                "«seconds» må være et helt antall sekunder fra %(min)d til %(max)d.",
                min=API_TIMER_MIN,
                max=TIMER_MAX_SECONDS,
            )
        ),
    ] = None
    auto_advance: bool | None = None
    position: Annotated[Position | None, Say(POSITION_MESSAGE)] = None


class Reveal(RequestModel):
    """POST /workshops/{code}/reveal."""

    revealed: Annotated[bool, Say(_l("«revealed» må være true eller false."))]
    position: Annotated[Position | None, Say(POSITION_MESSAGE)] = None


class UpdateWorkshop(ClosedRequestModel):
    """PATCH /workshops/{code}: open or close joining, show or hide the QR code."""

    joining_open: bool | None = None
    show_qr: bool | None = None


class SavePlan(RequestModel):
    """POST /workshops/{code}/plans: save the agenda as a new session plan."""

    name: Annotated[
        str,
        StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$"),
        Say(
            _l(
                "Gi planen et navn med små bokstaver a–z, tall og bindestrek, "
                "f.eks. «forenkling-2025»."
            )
        ),
    ]
    title: StepTitle
    description: Annotated[
        str | None,
        Field(max_length=1000),
        Say(_l("Beskrivelsen må være tekst med høyst %(max)d tegn.", max=1000)),
    ] = None
    include_proposals: Annotated[bool, Say(_l("«include_proposals» må være true eller false."))] = (
        False
    )


# --- moderation -----------------------------------------------------------------------------


class PatchProposal(ClosedRequestModel):
    """PATCH /workshops/{code}/proposals/{proposal_id}: only the fields named change."""

    status: Annotated[
        Literal["visible", "hidden"] | None, Say(_l("«status» må være visible eller hidden."))
    ] = None
    title: Annotated[TitleText | None, TITLE_SAY] = None
    body: ProposalBody = None
    category: Category = None
    change_level: Annotated[ChangeLevel | None, Say(CHANGE_LEVEL_MESSAGE)] = None

    @field_validator("status", "title", mode="before")
    @classmethod
    def _named_not_null(cls, value: object) -> object:
        """A proposal always has a status and a title: leaving them out keeps them, null is
        refused (with the field's own message)."""
        if value is None:
            raise ValueError("null")
        return value


class Merge(RequestModel):
    """POST /workshops/{code}/merges."""

    survivor_id: Annotated[
        StoredId, Say(_l("«survivor_id» må være id-en til forslaget som skal bli stående."))
    ]
    merged_ids: Annotated[
        Annotated[list[StoredId], Field(min_length=1, max_length=MAX_MERGED)],
        Say(
            _l("«merged_ids» må være en liste med id-er til andre forslag."),
            over=_l("Høyst %(max)d forslag kan slås sammen om gangen.", max=MAX_MERGED),
        ),
    ]


class PutPaperDots(RequestModel):
    """PUT /workshops/{code}/paper-dots: dots counted on paper per proposal."""

    dots: Annotated[
        dict[IdKey, Annotated[int, Field(ge=0, le=MAX_PAPER_DOTS)]],
        Say(
            _l("«dots» må være et objekt med forslag og antall prikker."),
            items=_l("Antall prikker må være et heltall, 0 eller mer."),
            over=_l("Høyst %(max)d prikker på papir per forslag.", max=MAX_PAPER_DOTS),
        ),
    ]
    step_position: Annotated[Position | None, Say(_l("«step_position» må være et heltall."))] = None


# --- decisions and follow-up ----------------------------------------------------------------

DUE_MESSAGE = _l("Fristen må være en dato som ÅÅÅÅ-MM-DD.")
DueDate = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), Field(description="YYYY-MM-DD")
]
ActionWhat = Annotated[
    str, Field(min_length=1, max_length=500), Say(_l("Skriv hva som skal gjøres (1–500 tegn)."))
]
ActionOwner = Annotated[
    Annotated[str, Field(max_length=120)] | None,
    Say(_l("Ansvarlig kan ha høyst %(max)d tegn.", max=120)),
]
ActionDue = Annotated[DueDate | None, Say(DUE_MESSAGE)]
DecidedBy = Annotated[
    Annotated[str, Field(max_length=40)] | None, Say(_l("Velg hvem som vedtar fra listen."))
]
ProposalRef = Annotated[StoredId | None, Say(_l("«proposal_id» må være id-en til et forslag."))]


class CreateAction(RequestModel):
    """POST /workshops/{code}/actions."""

    what: ActionWhat
    proposal_id: ProposalRef = None
    owner: ActionOwner = None
    due: ActionDue = None
    decided_by: DecidedBy = None
    change_level: Annotated[ChangeLevel | None, Say(CHANGE_LEVEL_MESSAGE)] = None


class PatchAction(ClosedRequestModel):
    """PATCH /workshops/{code}/actions/{action_id}: only the fields named change; null clears."""

    what: ActionWhat | None = None
    proposal_id: ProposalRef = None
    owner: ActionOwner = None
    due: ActionDue = None
    decided_by: DecidedBy = None
    change_level: Annotated[ChangeLevel | None, Say(CHANGE_LEVEL_MESSAGE)] = None


class SuggestForAction(RequestModel):
    """POST /workshops/{code}/actions/{action_id}/suggestions: a phone's owner and deadline."""

    owner: ActionOwner = None
    due: ActionDue = None


class AddNote(RequestModel):
    """POST /workshops/{code}/notes."""

    text: Annotated[
        str, Field(min_length=1, max_length=2000), Say(_l("Skriv en melding (1–2000 tegn)."))
    ]


class PublishReport(RequestModel):
    """PATCH /workshops/{code}/outcome: show the report on the report-back page or not."""

    report_published: Annotated[bool, Say(_l("«report_published» må være true eller false."))]


BankId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]


class AddFromBank(RequestModel):
    """POST /workshops/{code}/bank: the bank entries to put on the table."""

    ids: Annotated[
        Annotated[list[BankId], Field(min_length=1, max_length=50)],
        Say(_l("«ids» må være en liste med 1 til 50 forslag fra forslagsbanken.")),
    ]


DELETION_DATE_MESSAGE = _l("Slettedatoen må være en dato som ÅÅÅÅ-MM-DD, i dag eller senere.")


class SetDeletionDate(RequestModel):
    """PUT /workshops/{code}/deletion-date: when `planverksted purge` deletes the workshop."""

    deletion_date: Annotated[DueDate, Say(DELETION_DATE_MESSAGE)]


class ExportQuery(BaseModel):
    """The query of GET …/export.<fmt>: the CSV dialect and whether names are included."""

    model_config = ConfigDict(extra="ignore")

    dialect: Annotated[
        Literal["excel", "rfc4180"] | None,
        Say(_l("«dialect» må være excel eller rfc4180.")),
    ] = Field(
        default=None,
        description="csv and zip: `excel` (default: `;`, decimal comma, headers in the "
        "workshop's language) or `rfc4180` (`,`, `.`, stable column names and codes)",
    )
    names: Annotated[bool, Say(_l("«names» må være 0 eller 1."))] = Field(
        default=False, description="1: the participants' names in the participants table"
    )
