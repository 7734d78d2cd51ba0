"""Loads and validates session plans: ready-made workshop programmes in sessions/*.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.models import STEP_KINDS

PLANS_DIR = Path(__file__).resolve().parent.parent / "sessions"
LANGUAGES = ("nb", "nn", "en")


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


DEFAULT_SETTINGS: dict[str, Any] = {
    "moderation": False,
    "votes_per_participant": 5,
    "max_votes_per_proposal": 0,
    "min_group_size": 3,
}


def plans_dir() -> Path:
    """The folder session plans are read from."""
    return PLANS_DIR


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
    return SessionPlan(
        name=str(data.get("name", default_name)),
        title=title.strip(),
        description=str(data.get("description", "")),
        language=language,
        roles=roles,
        categories=categories,
        settings=settings,
        steps=steps,
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
    return PlanStep(kind=kind, title=title.strip(), prompt=prompt.strip(), config=config)


def _is_int(value: Any) -> bool:
    """An integer, and not a TOML boolean (bool is an int in Python)."""
    return isinstance(value, int) and not isinstance(value, bool)
