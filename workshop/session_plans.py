"""Loads and validates session plans: ready-made workshop programmes in sessions/*.toml."""

from __future__ import annotations

import json
import os
import re
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.extensions import current_plans_dir
from workshop.models import CHANGE_LEVELS, STEP_KINDS

PLANS_DIR = Path(__file__).resolve().parent.parent / "sessions"
LANGUAGES = ("nb", "nn", "en")
VOTE_MODES = ("dots", "agree")
BREAKDOWNS = ("role", "change_level", "category")  # what a results step groups by first
PLAN_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
CRITERION_KEY = re.compile(r"^[a-z0-9_]{1,40}$")
CRITERIA_MAX = 6
TIMER_MIN_SECONDS = 10  # in a plan file; the API allows shorter timers
TIMER_MAX_SECONDS = 4 * 60 * 60
PROPOSAL_TITLE_MAX = 200
PROPOSAL_BODY_MAX = 2000
LABEL_MAX = 80


class PlanError(ValueError):
    """A session plan file that cannot be used, with the reason in plain words."""


@dataclass(frozen=True)
class PlanStep:
    """One step as written in a plan."""

    kind: str
    title: str
    prompt: str = ""
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanProposal:
    """A statement or proposal the plan brings along, shown as visible from the start."""

    title: str
    body: str = ""
    category: str | None = None
    change_level: str | None = None


@dataclass(frozen=True)
class SessionPlan:
    """A validated session plan."""

    name: str
    title: str
    description: str
    language: str
    roles: list[str]
    categories: list[str]
    settings: dict[str, Any]
    steps: list[PlanStep]
    proposals: list[PlanProposal] = field(default_factory=list)


DEFAULT_SETTINGS: dict[str, Any] = {
    "moderation": False,
    "votes_per_participant": 5,
    "max_votes_per_proposal": 0,
    "min_group_size": 3,
}


def plans_dir() -> Path:
    """The folder session plans are read from and saved to.

    The current app's Settings.plans_dir (create_app keeps it on the app), else the environment
    variable WORKSHOP_PLANS_DIR, else the shipped sessions/ folder.
    """
    chosen = current_plans_dir()
    if chosen is not None:
        return chosen
    from_env = os.environ.get("WORKSHOP_PLANS_DIR")
    return Path(from_env) if from_env else PLANS_DIR


def list_plans(directory: Path | None = None) -> list[SessionPlan]:
    """Every valid plan in the folder, sorted by name; broken files raise PlanError."""
    folder = directory or plans_dir()
    return [load_plan_file(path) for path in sorted(folder.glob("*.toml"))]


def load_plan(name: str, directory: Path | None = None) -> SessionPlan:
    """The plan with this name (the file name without .toml)."""
    folder = directory or plans_dir()
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise PlanError(f"Ugyldig navn på øktplan: {name!r}")
    path = folder / f"{name}.toml"
    if not path.is_file():
        raise PlanError(f"Fant ingen øktplan med navnet {name!r}")
    return load_plan_file(path)


def load_plan_file(path: Path) -> SessionPlan:
    """Parse and validate one plan file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path.name}: ikke gyldig TOML ({exc})") from exc
    return parse_plan(data, source=path.name, default_name=path.stem)


def parse_plan(data: dict[str, Any], source: str, default_name: str) -> SessionPlan:
    """Validate a plan's data and return it; every problem names the file and the field."""
    where = source

    def fail(message: str) -> PlanError:
        return PlanError(f"{where}: {message}")

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("mangler «title» (tekst)")
    language = data.get("language", "nb")
    if language not in LANGUAGES:
        raise fail(f"«language» må være en av {', '.join(LANGUAGES)}")
    roles = _string_list(data.get("roles", []), "roles", fail)
    categories = _string_list(data.get("categories", []), "categories", fail)
    settings = dict(DEFAULT_SETTINGS)
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        raise fail("«settings» må være en tabell")
    for key, value in raw_settings.items():
        if key not in DEFAULT_SETTINGS:
            raise fail(f"ukjent innstilling «{key}»")
        if type(value) is not type(DEFAULT_SETTINGS[key]):
            raise fail(f"innstillingen «{key}» har feil type")
        settings[key] = value
    if settings["votes_per_participant"] < 1:
        raise fail("«votes_per_participant» må være minst 1")
    if settings["max_votes_per_proposal"] < 0:
        raise fail("«max_votes_per_proposal» kan ikke være negativ")
    if settings["min_group_size"] < 1:
        raise fail("«min_group_size» må være minst 1")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise fail("må ha minst ett steg ([[steps]])")
    steps = [_parse_step(index, raw, fail) for index, raw in enumerate(raw_steps, start=1)]
    proposals = _parse_proposals(data, categories, fail)
    return SessionPlan(
        name=str(data.get("name", default_name)),
        title=title.strip(),
        description=str(data.get("description", "")),
        language=language,
        roles=roles,
        categories=categories,
        settings=settings,
        steps=steps,
        proposals=proposals,
    )


def _string_list(value: Any, name: str, fail: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"«{name}» må være en liste med tekster")
    if len(set(value)) != len(value):
        raise fail(f"«{name}» har den samme verdien to ganger")
    return [v.strip() for v in value]


def _parse_step(index: int, raw: Any, fail: Any) -> PlanStep:
    if not isinstance(raw, dict):
        raise fail(f"steg {index} må være en tabell")
    kind = raw.get("kind")
    if kind not in STEP_KINDS:
        raise fail(f"steg {index}: «kind» må være en av {', '.join(STEP_KINDS)}")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail(f"steg {index}: mangler «title»")
    prompt = raw.get("prompt", "")
    if not isinstance(prompt, str):
        raise fail(f"steg {index}: «prompt» må være tekst")
    config = {k: v for k, v in raw.items() if k not in ("kind", "title", "prompt")}
    budget = config.get("votes_per_participant")
    if budget is not None and (not _is_int(budget) or budget < 1):
        raise fail(f"steg {index}: «votes_per_participant» må være et heltall på minst 1")
    cap = config.get("max_votes_per_proposal")
    if cap is not None and (not _is_int(cap) or cap < 0):
        raise fail(f"steg {index}: «max_votes_per_proposal» må være et heltall, 0 eller mer")
    if "mode" in config:
        if kind != "vote":
            raise fail(f"steg {index}: «mode» hører bare til et stemmesteg (kind = vote)")
        if config["mode"] not in VOTE_MODES:
            raise fail(f"steg {index}: «mode» må være en av {', '.join(VOTE_MODES)}")
    if "criteria" in config:
        if kind != "rate":
            raise fail(f"steg {index}: «criteria» hører bare til et vurderingssteg (kind = rate)")
        config["criteria"] = _parse_criteria(config["criteria"], f"steg {index}", fail)
    timer = config.get("timer_seconds")
    if timer is not None and (
        not _is_int(timer) or not TIMER_MIN_SECONDS <= timer <= TIMER_MAX_SECONDS
    ):
        raise fail(
            f"steg {index}: «timer_seconds» må være et heltall fra {TIMER_MIN_SECONDS} "
            f"til {TIMER_MAX_SECONDS}"
        )
    if "auto_advance" in config and not isinstance(config["auto_advance"], bool):
        raise fail(f"steg {index}: «auto_advance» må være true eller false")
    if "breakdown" in config:
        if kind != "results":
            raise fail(f"steg {index}: «breakdown» hører bare til et resultatsteg (kind = results)")
        if config["breakdown"] not in BREAKDOWNS:
            raise fail(f"steg {index}: «breakdown» må være en av {', '.join(BREAKDOWNS)}")
    return PlanStep(kind=kind, title=title.strip(), prompt=prompt.strip(), config=config)


def _parse_criteria(raw: Any, where: str, fail: Any) -> list[dict[str, str]]:
    """A list of {key, label, low, high} tables: the scales a rate step scores on."""
    shape = "en tabell {key, label, low, high}"
    if not isinstance(raw, list) or not 1 <= len(raw) <= CRITERIA_MAX:
        raise fail(
            f"{where}: «criteria» må være en liste med 1 til {CRITERIA_MAX} tabeller "
            "{key, label, low, high}"
        )
    criteria: list[dict[str, str]] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise fail(f"{where}: «criteria» nr. {number} må være {shape}")
        unknown = set(item) - {"key", "label", "low", "high"}
        if unknown:
            raise fail(f"{where}: «criteria» nr. {number} har ukjent felt «{sorted(unknown)[0]}»")
        key = item.get("key")
        if not isinstance(key, str) or not CRITERION_KEY.match(key):
            raise fail(
                f"{where}: «criteria» nr. {number} trenger «key» med små bokstaver, tall eller _"
            )
        label = item.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > LABEL_MAX:
            raise fail(f"{where}: «criteria» nr. {number} trenger «label» (tekst)")
        ends = {}
        for end in ("low", "high"):
            value = item.get(end, "")
            if not isinstance(value, str) or len(value) > LABEL_MAX:
                raise fail(f"{where}: «criteria» nr. {number}: «{end}» må være tekst")
            ends[end] = value.strip()
        criteria.append({"key": key, "label": label.strip(), **ends})
    keys = [c["key"] for c in criteria]
    if len(set(keys)) != len(keys):
        raise fail(f"{where}: «criteria» har den samme «key» to ganger")
    return criteria


def _parse_proposals(data: dict[str, Any], categories: list[str], fail: Any) -> list[PlanProposal]:
    """Statements ([[statements]]) and proposals ([[proposals]]) the plan starts with."""
    proposals: list[PlanProposal] = []
    for field_name in ("statements", "proposals"):
        raw_list = data.get(field_name, [])
        if not isinstance(raw_list, list):
            raise fail(f"«{field_name}» må være en liste med tabeller ([[{field_name}]])")
        for number, raw in enumerate(raw_list, start=1):
            where = f"{field_name} nr. {number}"
            if not isinstance(raw, dict):
                raise fail(f"{where} må være en tabell med «title»")
            unknown = set(raw) - {"title", "body", "category", "change_level"}
            if unknown:
                raise fail(f"{where}: ukjent felt «{sorted(unknown)[0]}»")
            title = raw.get("title")
            if not isinstance(title, str) or not title.strip():
                raise fail(f"{where}: mangler «title» (tekst)")
            if len(title.strip()) > PROPOSAL_TITLE_MAX:
                raise fail(f"{where}: «title» kan ha høyst {PROPOSAL_TITLE_MAX} tegn")
            body = raw.get("body", "")
            if not isinstance(body, str) or len(body.strip()) > PROPOSAL_BODY_MAX:
                raise fail(f"{where}: «body» må være tekst med høyst {PROPOSAL_BODY_MAX} tegn")
            category = raw.get("category")
            if category is not None and category not in categories:
                raise fail(f"{where}: «category» må være en av planens «categories»")
            level = raw.get("change_level")
            if level is not None and level not in CHANGE_LEVELS:
                raise fail(f"{where}: «change_level» må være en av {', '.join(CHANGE_LEVELS)}")
            proposals.append(PlanProposal(title.strip(), body.strip(), category, level))
    titles = [p.title.casefold() for p in proposals]
    if len(set(titles)) != len(titles):
        raise fail("den samme påstanden eller det samme forslaget står to ganger")
    return proposals


def _is_int(value: Any) -> bool:
    """An integer, and not a TOML boolean (bool is an int in Python)."""
    return isinstance(value, int) and not isinstance(value, bool)


def valid_plan_name(name: object) -> bool:
    """A name a saved plan may have: lowercase letters, digits and hyphens."""
    return isinstance(name, str) and bool(PLAN_NAME.match(name))


def render_plan(data: dict[str, Any], comment: str = "") -> str:
    """Write a plan as TOML: top-level values, [settings], then [[steps]] and [[proposals]]."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    tables = ("settings",)
    arrays = ("steps", "statements", "proposals")
    for key, value in data.items():
        if key not in tables and key not in arrays:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key in tables:
        if key in data:
            lines += ["", f"[{key}]"]
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in data[key].items()]
    for key in arrays:
        for item in data.get(key, []):
            lines += ["", f"[[{key}]]"]
            lines += [
                f"{_toml_key(k)} = {_toml_value(v)}" for k, v in item.items() if v is not None
            ]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON's string escapes (\", \\, \n, \uXXXX …) are all valid in TOML basic strings.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    raise PlanError(f"kan ikke skrive verdien {value!r} i en øktplan")


def save_plan_text(name: str, text: str, directory: Path | None = None) -> Path:
    """Validate a plan's TOML text and write it as <name>.toml; never overwrites a plan."""
    if not valid_plan_name(name):
        raise PlanError(f"Ugyldig navn på øktplan: {name!r} (bruk a–z, 0–9 og bindestrek)")
    folder = directory or plans_dir()
    path = folder / f"{name}.toml"
    try:
        parse_plan(tomllib.loads(text), source=path.name, default_name=name)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path.name}: ikke gyldig TOML ({exc})") from exc
    if path.exists():
        raise FileExistsError(path)
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    draft.write_text(text, encoding="utf-8")
    try:
        os.link(draft, path)  # atomic, and fails if a plan of that name appeared meanwhile
    finally:
        draft.unlink()
    return path
