"""Loads and validates session plans: ready-made workshop programmes in sessions/*.toml."""

from __future__ import annotations

import os
import re
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from pydantic import BaseModel, ValidationError

from workshop.extensions import current_plans_dir, current_saved_plans_dir
from workshop.schemas.step_config import (
    PlanBankTable,
    PlanProposalTable,
    PlanSettings,
    PlanStepTable,
    is_localized,
    kinds_of,
    languages_in,
    localize,
)

PLANS_DIR = Path(__file__).resolve().parent.parent / "sessions"
LANGUAGES = ("nb", "nn", "en")
PLAN_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")  # the whole name (fullmatch: no newline)


class PlanError(ValueError):
    """A session plan file that cannot be used, with the reason in plain words."""


@dataclass(frozen=True)
class PlanStep:
    """One step as written in a plan (validated by schemas.step_config.PlanStepTable)."""

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
class BankProposal:
    """An example proposal of the plan's bank, in the language the plan was loaded in."""

    id: str
    title: str
    body: str = ""
    category: str | None = None
    change_level: str | None = None
    plan_type: str = ""
    law: str = ""


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
    bank: list[BankProposal] = field(default_factory=list)
    own_language: str = ""  # the language the plan is written in ("language" in the file)
    languages: tuple[str, ...] = ()  # the languages it has texts in
    saved: bool = False  # saved from a workshop's agenda (the data folder), not shipped


DEFAULT_SETTINGS: dict[str, Any] = PlanSettings().model_dump(exclude_none=True)


def plans_dir() -> Path:
    """The folder shipped session plans are read from (saved ones: saved_plans_dir()).

    The current app's Settings.plans_dir (create_app keeps it on the app), else the environment
    variable WORKSHOP_PLANS_DIR, else the shipped sessions/ folder.
    """
    chosen = current_plans_dir()
    if chosen is not None:
        return chosen
    from_env = os.environ.get("WORKSHOP_PLANS_DIR")
    return Path(from_env) if from_env else PLANS_DIR


def saved_plans_dir() -> Path:
    """The folder agendas are saved to as plans: ``plans/`` in the data folder.

    The current app's (Settings.saved_plans_dir), else ``$WORKSHOP_DATA_DIR/plans`` (default
    ``instance/plans``), so ``planverksted plans`` lists them too.
    """
    chosen = current_saved_plans_dir()
    if chosen is not None:
        return chosen
    return Path(os.environ.get("WORKSHOP_DATA_DIR") or "instance").resolve() / "plans"


def _folders() -> list[tuple[Path, bool]]:
    """The folders plans are read from: shipped first, then saved (unless they are one)."""
    shipped, saved = plans_dir(), saved_plans_dir()
    if saved.resolve() == shipped.resolve():
        return [(shipped, False)]
    return [(shipped, False), (saved, True)]


def list_plans(directory: Path | None = None, language: str | None = None) -> list[SessionPlan]:
    """Every valid plan, shipped ones first, each folder sorted by name, in ``language`` where it
    has it (the start page asks for the reader's); broken files raise PlanError. Without a
    folder: the shipped plans and the saved ones (marked ``saved``)."""
    folders = [(directory, False)] if directory else _folders()
    plans: list[SessionPlan] = []
    for folder, saved in folders:
        for path in sorted(folder.glob("*.toml")):
            if not any(plan.name == path.stem for plan in plans):
                plans.append(replace(load_plan_file(path, language), saved=saved))
    return plans


def load_plan(name: str, directory: Path | None = None, language: str | None = None) -> SessionPlan:
    """The plan with this name (the file name without .toml), in ``language`` where it has it.

    Without a language, or for a text the plan has no translation of, the plan's own language.
    Without a folder, a shipped plan is found before a saved one.
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise PlanError(f"Ugyldig navn på øktplan: {name!r}")
    folders = [(directory, False)] if directory else _folders()
    for folder, saved in folders:
        path = folder / f"{name}.toml"
        if path.is_file():
            return replace(load_plan_file(path, language), saved=saved)
    raise PlanError(f"Fant ingen øktplan med navnet {name!r}")


def load_plan_file(path: Path, language: str | None = None) -> SessionPlan:
    """Parse and validate one plan file (every language it has), and give it in ``language``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path.name}: ikke gyldig TOML ({exc})") from exc
    return parse_plan(data, source=path.name, default_name=path.stem, language=language)


def parse_plan(
    data: dict[str, Any], source: str, default_name: str, language: str | None = None
) -> SessionPlan:
    """Validate a plan's data in every language and return it in ``language``.

    Any text may be a table of languages ({nb = "…", nn = "…", en = "…"}); the plan's own
    language must be among them, and a language left out falls back to it. Every problem names
    the file, the language where it matters, and the field.
    """

    def fail(message: str) -> PlanError:
        return PlanError(f"{source}: {message}")

    own = data.get("language", "nb")
    if own not in LANGUAGES:
        raise fail(f"«language» må være en av {', '.join(LANGUAGES)}")
    _require_own_language(data, own, "", fail)
    written = languages_in(data)
    if written:
        written.add(own)
    wanted = language if language in LANGUAGES else own
    if not written:  # a plan in one language only
        return _parse_in(data, source, default_name, own, wanted, (own,))
    chosen: SessionPlan | None = None
    base: SessionPlan | None = None
    for lang in [own, *(code for code in LANGUAGES if code != own)]:
        plan = _parse_in(
            localize(data, lang, own),
            f"{source} [{lang}]",
            default_name,
            own,
            lang,
            tuple(code for code in LANGUAGES if code in written),
            base,
        )
        base = base or plan
        if lang == wanted:
            chosen = plan
    assert chosen is not None
    return chosen


def _require_own_language(value: Any, own: str, where: str, fail: Any) -> None:
    """Every localized text must have the plan's own language, the one all others fall back to."""
    if is_localized(value):
        if not isinstance(value.get(own), str):
            raise fail(f"«{where or '?'}» mangler teksten på planens eget språk ({own})")
        for code, text in value.items():
            if not isinstance(text, str):
                raise fail(f"«{where}.{code}» må være en tekst")
    elif isinstance(value, dict):
        for key, item in value.items():
            _require_own_language(item, own, f"{where}.{key}" if where else str(key), fail)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _require_own_language(item, own, f"{where}.{index}", fail)


def _parse_in(
    data: dict[str, Any],
    source: str,
    default_name: str,
    own: str,
    language: str,
    languages: tuple[str, ...],
    base: SessionPlan | None = None,
) -> SessionPlan:
    """Validate the plan's data as resolved to one language (``base``: in its own language)."""
    where = source

    def fail(message: str) -> PlanError:
        return PlanError(f"{where}: {message}")

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("mangler «title» (tekst)")
    roles = _string_list(data.get("roles", []), "roles", fail)
    categories = _string_list(data.get("categories", []), "categories", fail)
    raw_settings = data.get("settings", {})
    if not isinstance(raw_settings, dict):
        raise fail("«settings» må være en tabell")
    try:
        settings = PlanSettings.model_validate(raw_settings).model_dump(exclude_none=True)
    except ValidationError as exc:
        raise fail(f"innstillingen {_problem(exc)}") from None
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise fail("må ha minst ett steg ([[steps]])")
    steps = [_parse_step(index, raw, fail) for index, raw in enumerate(raw_steps, start=1)]
    _check_shortlists(steps, fail)
    # A proposal may name its theme in the plan's own language: the same theme in this one.
    themes = dict(zip(base.categories, categories, strict=False)) if base else {}
    proposals = _parse_proposals(data, categories, fail, themes)
    bank = _parse_bank(data, categories, fail, themes)
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
        bank=bank,
        own_language=own,
        languages=languages,
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
    try:
        step = PlanStepTable.model_validate(raw)
    except ValidationError as exc:
        raise fail(f"steg {index}: {_problem(exc)}") from None
    for name in sorted(step.misplaced(step.kind)):
        raise fail(f"steg {index}: «{name}» hører bare til et steg av typen {kinds_of(name)}")
    return PlanStep(step.kind, step.title, step.prompt, step.config())


def _check_shortlists(steps: list[PlanStep], fail: Any) -> None:
    """A shortlist ``from`` names the position (0-based) of a dot vote step before its step."""
    for position, step in enumerate(steps):
        source = (step.config.get("shortlist") or {}).get("from")
        if source is None:
            continue
        if not (0 <= source < position and steps[source].kind == "vote"):
            raise fail(
                f"steg {position + 1}: «shortlist.from» må være plassen (fra 0) til et "
                "prikkestemmingssteg før dette steget"
            )


def _problem(exc: ValidationError) -> str:
    """The first problem pydantic found, named by its field: «criteria.0.key» er ugyldig (…)."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "?"
    return f"«{where}» er ugyldig ({error['msg']})"


def _parse_proposals(
    data: dict[str, Any], categories: list[str], fail: Any, themes: dict[str, str]
) -> list[PlanProposal]:
    """Statements ([[statements]]) and proposals ([[proposals]]) the plan starts with."""
    proposals: list[PlanProposal] = []
    for field_name in ("statements", "proposals"):
        for where, item in _tables(data, field_name, PlanProposalTable, "«title»", fail):
            category = _plan_theme(item.category, categories, themes, where, fail)
            proposals.append(PlanProposal(item.title, item.body, category, item.change_level))
    titles = [p.title.casefold() for p in proposals]
    if len(set(titles)) != len(titles):
        raise fail("den samme påstanden eller det samme forslaget står to ganger")
    return proposals


def _parse_bank(
    data: dict[str, Any], categories: list[str], fail: Any, themes: dict[str, str]
) -> list[BankProposal]:
    """The plan's proposal bank ([[bank]]): examples the facilitator may put on the table."""
    bank = [
        BankProposal(
            id=item.id,
            title=item.title,
            body=item.body,
            category=_plan_theme(item.category, categories, themes, where, fail),
            change_level=item.change_level,
            plan_type=item.plan_type,
            law=item.law,
        )
        for where, item in _tables(data, "bank", PlanBankTable, "«id» og «title»", fail)
    ]
    ids = [item.id for item in bank]
    if len(set(ids)) != len(ids):
        raise fail("to forslag i «bank» har den samme «id»")
    return bank


Table = TypeVar("Table", bound=BaseModel)


def _tables(
    data: dict[str, Any], name: str, model: type[Table], needs: str, fail: Any
) -> Iterator[tuple[str, Table]]:
    """Each table of a ``[[name]]`` list, checked by its model, with where it stands."""
    raw_list = data.get(name, [])
    if not isinstance(raw_list, list):
        raise fail(f"«{name}» må være en liste med tabeller ([[{name}]])")
    for number, raw in enumerate(raw_list, start=1):
        where = f"{name} nr. {number}"
        if not isinstance(raw, dict):
            raise fail(f"{where} må være en tabell med {needs}")
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            raise fail(f"{where}: {_problem(exc)}") from None
        yield where, item


def _plan_theme(
    category: str | None, categories: list[str], themes: dict[str, str], where: str, fail: Any
) -> str | None:
    """A table's theme in this language (a theme named in the plan's own language is translated);
    it must be one of the plan's categories."""
    chosen = (
        category if category is None or category in categories else themes.get(category, category)
    )
    if chosen is not None and chosen not in categories:
        raise fail(f"{where}: «category» må være en av planens «categories»")
    return chosen


def valid_plan_name(name: object) -> bool:
    """A name a saved plan may have: lowercase letters, digits and hyphens."""
    return isinstance(name, str) and PLAN_NAME.fullmatch(name) is not None


def render_plan(data: dict[str, Any], comment: str = "") -> str:
    """Write a plan as TOML (tomli-w): top-level values, [settings], [[steps]], [[proposals]]."""
    header = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    body = tomli_w.dumps(_without_none(data))
    return header + ("\n" if header else "") + body


def _without_none(value: Any) -> Any:
    """TOML has no null: leave out what is not set."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_none(v) for v in value if v is not None]
    return value


def save_plan_text(name: str, text: str, directory: Path | None = None) -> Path:
    """Validate a plan's TOML text and write it as <name>.toml into the saved plans' folder;
    never overwrites a plan, nor takes the name of a shipped one."""
    if not valid_plan_name(name):
        raise PlanError(f"Ugyldig navn på øktplan: {name!r} (bruk a–z, 0–9 og bindestrek)")
    folder = directory or saved_plans_dir()
    path = folder / f"{name}.toml"
    try:
        parse_plan(tomllib.loads(text), source=path.name, default_name=name)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path.name}: ikke gyldig TOML ({exc})") from exc
    if path.exists() or (directory is None and (plans_dir() / path.name).exists()):
        raise FileExistsError(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    draft.write_text(text, encoding="utf-8")
    try:
        os.link(draft, path)  # atomic, and fails if a plan of that name appeared meanwhile
    finally:
        draft.unlink()
    return path
