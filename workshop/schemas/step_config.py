"""Step configuration: one model for plan files, the agenda API, the archive and the snapshot.

A vote step's budget is 1..100 dots and its cap per proposal 0..100 (0: no cap), wherever the
step comes from; a rate step has 1..6 criteria with distinct keys; a results step may name what
it breaks the results down by first.
"""

from __future__ import annotations

from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from workshop.schemas.base import Breakdown, ChangeLevel, Say, StepKind, VoteMode

BUDGET_MAX = 100
CRITERIA_MAX = 6
LABEL_MAX = 80
TIMER_MIN_SECONDS = 10  # in a plan file; the API allows shorter timers
API_TIMER_MIN = 1
TIMER_MAX_SECONDS = 4 * 60 * 60
TITLE_MAX = 200
TABLE_NAME_MAX = 40
TABLES_MAX = 50
TABLES_MESSAGE = _l(
    "«tables» må være en liste med 1 til %(max)d ulike bordnavn på høyst %(chars)d tegn.",
    max=TABLES_MAX,
    chars=TABLE_NAME_MAX,
)
# A table's name, e.g. «Bord 1»: the tables of a workshop's «gruppe» part (IGP).
TableName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TABLE_NAME_MAX)
]
TableList = Annotated[list[TableName], Field(min_length=1, max_length=TABLES_MAX)]


def distinct_tables(tables: list[str] | None) -> list[str] | None:
    """Refuse a list of tables that names one table twice."""
    if tables is not None and len(set(tables)) != len(tables):
        raise ValueError("«tables» har det samme bordet to ganger")
    return tables


PROMPT_MAX = 2000

# Each setting and the step kinds it belongs to. ``mode`` is the old way of asking for an agree
# step (a vote step with ``mode = "agree"``); ``normalise_kind`` turns it into kind ``agree``.
CONFIG_KINDS: dict[str, tuple[str, ...]] = {
    "votes_per_participant": ("vote",),
    "max_votes_per_proposal": ("vote",),
    "mode": ("vote", "agree"),
    "criteria": ("rate",),
    "shortlist": ("rate", "agree"),
    "breakdown": ("results",),
    "per_table": ("collect",),
    "change_level": ("results",),
}
SHORTLIST_MESSAGE = _l(
    "«shortlist» må være {from: plassen til et prikkestemmingssteg, top: 1–100} eller "
    "{proposals: [id, …]}."
)


def normalise_kind(kind: str, config: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A step in its current form: a vote step in agree mode is an ``agree`` step, no ``mode``.

    Old plans, archives and databases held agree/disagree as ``kind = "vote"`` with
    ``mode = "agree"``; they are read through this function (and migration 0003_agree_kind).
    """
    config = dict(config)
    mode = config.get("mode")
    if kind not in ("vote", "agree") or mode not in ("dots", "agree"):
        return kind, config  # anything else is for validation to refuse
    del config["mode"]
    return ("agree" if mode == "agree" else "vote"), config


def kinds_of(name: str) -> str:
    """The step kinds a setting belongs to, for a message: "rate, agree"."""
    return ", ".join(CONFIG_KINDS.get(name, ()))


Budget = Annotated[int, Field(ge=1, le=BUDGET_MAX)]
Cap = Annotated[int, Field(ge=0, le=BUDGET_MAX, description="0: no cap")]
BUDGET_MESSAGE = _l("Antall prikker må være et heltall fra 1 til 100.")
CAP_MESSAGE = _l("Taket per forslag må være et heltall fra 0 (ikke noe tak) til 100.")
CRITERIA_MESSAGE = _l(
    "«criteria» må være en liste med 1 til 6 kriterier {key, label, low, high}; «key» har små "
    "bokstaver, tall eller _ og er ulik for hvert kriterium."
)
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=LABEL_MAX)]


class Criterion(BaseModel):
    """A scale a rate step scores on, 1–5 from ``low`` to ``high``."""

    model_config = ConfigDict(strict=True, extra="forbid")

    key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
    label: Annotated[Label, StringConstraints(min_length=1)]
    low: Label = ""
    high: Label = ""


class Shortlist(BaseModel):
    """Which proposals a rate or agree step asks about.

    Either the ``top`` proposals of the dot vote at position ``from`` (ties at the cut are
    included), or the ``proposals`` the facilitator picked.
    """

    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)

    from_position: Annotated[int, Field(ge=0, le=1000)] | None = Field(default=None, alias="from")
    top: Annotated[int, Field(ge=1, le=BUDGET_MAX)] | None = None
    proposals: Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=500)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Shortlist:
        picked = self.proposals is not None
        ranked = self.from_position is not None or self.top is not None
        if picked == ranked or (ranked and (self.from_position is None or self.top is None)):
            raise ValueError("«shortlist» needs either from and top, or proposals")
        return self

    def stored(self) -> dict[str, Any]:
        """As Step.config keeps it: {"from", "top"} or {"proposals"}."""
        return self.model_dump(exclude_none=True, by_alias=True)


class StepConfig(BaseModel):
    """The settings of a step's kind (``Step.config``); null in an API change removes one."""

    model_config = ConfigDict(strict=True, extra="forbid")

    votes_per_participant: Annotated[Budget | None, Say(BUDGET_MESSAGE)] = None
    max_votes_per_proposal: Annotated[Cap | None, Say(CAP_MESSAGE)] = None
    mode: Annotated[VoteMode | None, Say(_l("«mode» må være dots eller agree."))] = None
    criteria: Annotated[
        Annotated[list[Criterion], Field(min_length=1, max_length=CRITERIA_MAX)] | None,
        Say(CRITERIA_MESSAGE),
    ] = None
    breakdown: Annotated[
        Breakdown | None, Say(_l("«breakdown» må være role, change_level, category eller table."))
    ] = None
    shortlist: Annotated[Shortlist | None, Say(SHORTLIST_MESSAGE)] = None
    change_level: Annotated[
        ChangeLevel | None,
        Say(_l("«change_level» må være lokal, regional eller nasjonal.")),
    ] = None
    per_table: Annotated[bool | None, Say(_l("«per_table» må være true eller false."))] = Field(
        default=None, description="collect steps: one proposal per table"
    )

    @field_validator("criteria")
    @classmethod
    def _distinct_keys(cls, criteria: list[Criterion] | None) -> list[Criterion] | None:
        keys = [c.key for c in criteria or []]
        if len(set(keys)) != len(keys):
            raise ValueError("«criteria» har den samme «key» to ganger")
        return criteria

    def misplaced(self, kind: str) -> list[str]:
        """The settings given here that do not belong to a step of this kind."""
        return [
            name for name in self.model_fields_set if kind not in CONFIG_KINDS.get(name, (kind,))
        ]

    def stored(self) -> dict[str, Any]:
        """The settings as Step.config keeps them (JSON), leaving out the ones not set."""
        return self.model_dump(exclude_none=True, by_alias=True)

    def changes(self) -> dict[str, Any]:
        """The settings named in an API change; None removes a setting."""
        return self.model_dump(include=self.model_fields_set, by_alias=True)


class PlanStepTable(StepConfig):
    """One ``[[steps]]`` table of a session plan file: the step, its settings and its timer.

    The old form of an agree step (``kind = "vote"``, ``mode = "agree"``) is read as kind
    ``agree``.
    """

    kind: StepKind
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    prompt: Annotated[str, StringConstraints(strip_whitespace=True)] = ""
    timer_seconds: Annotated[int, Field(ge=TIMER_MIN_SECONDS, le=TIMER_MAX_SECONDS)] | None = None
    auto_advance: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _agree_kind(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and "kind" in raw:
            kind, rest = normalise_kind(raw["kind"], {k: v for k, v in raw.items() if k != "kind"})
            return {**rest, "kind": kind}
        return raw

    def config(self) -> dict[str, Any]:
        """Everything but kind, title and prompt, as the plan's step config."""
        return self.model_dump(
            exclude_none=True, exclude={"kind", "title", "prompt"}, by_alias=True
        )


class PlanSettings(BaseModel):
    """The ``[settings]`` table of a plan: the workshop's defaults."""

    model_config = ConfigDict(strict=True, extra="forbid")

    moderation: bool = False
    votes_per_participant: Budget = 5
    max_votes_per_proposal: Cap = 0
    min_group_size: Annotated[int, Field(ge=1)] = 3
    tables: TableList | None = None

    _distinct_tables = field_validator("tables")(distinct_tables)
    # Who may decide an action (an actions step's «vedtas av»); left out: the six usual bodies.
    decision_bodies: (
        Annotated[
            list[
                Annotated[
                    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
                ]
            ],
            Field(min_length=1, max_length=20),
        ]
        | None
    ) = None


class PlanProposalTable(BaseModel):
    """One ``[[statements]]`` or ``[[proposals]]`` table: a proposal the plan starts with."""

    model_config = ConfigDict(strict=True, extra="forbid")

    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX)
    ]
    body: Annotated[str, StringConstraints(strip_whitespace=True, max_length=PROMPT_MAX)] = ""
    category: str | None = None
    change_level: ChangeLevel | None = None


class PlanBankTable(PlanProposalTable):
    """One ``[[bank]]`` table: an example proposal the facilitator may put on the table.

    ``id`` names it for good (adding it twice gives the same proposal), ``plan_type`` says which
    plan it is about and ``law`` the section it touches, where one does (e.g. «pbl § 10-1»).
    """

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]
    plan_type: Annotated[str, StringConstraints(strip_whitespace=True, max_length=LABEL_MAX)] = ""
    law: Annotated[str, StringConstraints(strip_whitespace=True, max_length=LABEL_MAX)] = ""


# A text of a plan file in several languages: a table such as {nb = "…", nn = "…", en = "…"}
# wherever a plain text may stand (titles, prompts, criteria labels, roles, themes, proposals).
LANGUAGE_CODES: tuple[str, ...] = ("nb", "nn", "en")


class LocalizedText(BaseModel):
    """A text in the plan's languages; any language left out falls back to the plan's own."""

    model_config = ConfigDict(strict=True, extra="forbid")

    nb: str | None = None
    nn: str | None = None
    en: str | None = None

    def text(self, language: str, fallback: str) -> str | None:
        """The text in ``language``, else in ``fallback``."""
        chosen: str | None = getattr(self, language, None)
        return chosen if chosen is not None else getattr(self, fallback, None)


def is_localized(value: Any) -> bool:
    """A table whose keys are all language codes: one text in several languages."""
    return isinstance(value, dict) and bool(value) and all(k in LANGUAGE_CODES for k in value)


def localize(value: Any, language: str, fallback: str) -> Any:
    """The plan data with every localized text replaced by its text in ``language``."""
    if is_localized(value):
        return LocalizedText.model_validate(value).text(language, fallback)
    if isinstance(value, dict):
        return {k: localize(v, language, fallback) for k, v in value.items()}
    if isinstance(value, list):
        return [localize(v, language, fallback) for v in value]
    return value


def languages_in(value: Any) -> set[str]:
    """Every language code some localized text of the plan data is written in."""
    if is_localized(value):
        return set(value)
    if isinstance(value, dict):
        return set().union(*(languages_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(languages_in(v) for v in value)) if value else set()
    return set()
