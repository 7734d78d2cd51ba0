"""One body parser for every JSON endpoint, with the refusals in the user's language.

``parse_body(Model, data)`` gives a validated model or raises ``ValidationFailed`` with a message
per refused field (``error.fields``) and the first of them as ``error.message``. pydantic's own
English texts never reach a user: each error type maps to a catalogue string, and a field may
name its own message with ``Say`` (base.py).
"""

from __future__ import annotations

import re
import types
from typing import Any, TypeVar, Union, get_args, get_origin

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

from workshop.schemas.base import Say
from workshop.services.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], data: object) -> M:
    """The request body as the model, or ValidationFailed naming what is wrong."""
    if not isinstance(data, dict):
        raise ValidationFailed(_l("Forespørselen må ha en JSON-kropp (et objekt)."))
    return parse_data(model, data)


def parse_data(model: type[M], data: Any) -> M:
    """Any data (a form, a plan file's table) as the model, refusals as ValidationFailed.

    Every text in it is cleaned first (``clean_text``), so no control character reaches a
    service, the database or an export."""
    try:
        return model.model_validate(clean_text(data))
    except PydanticError as exc:
        raise refusal(model, exc) from None


# Control characters (C0, DEL, C1) but the tab and the line feed; a carriage return goes too
# (a textarea sends \r\n). Worksheets, XML and terminals cannot hold them.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_DEPTH = 32  # no body nests deeper; a deeper one is refused rather than walked


def clean_text(data: Any, depth: int = 0, name: str = "body") -> Any:
    """The data with control characters dropped from every text (keys too); a lone surrogate
    (no character at all: it cannot be stored) or nesting deeper than MAX_DEPTH is refused."""
    if isinstance(data, str):
        if SURROGATE.search(data):
            message = _l("«%(name)s» har et tegn som ikke kan lagres.", name=name[:40])
            raise ValidationFailed(message, fields={name: message})
        return CONTROL.sub("", data)
    if isinstance(data, dict | list) and depth >= MAX_DEPTH:
        raise ValidationFailed(_l("Forespørselen er nøstet for dypt."))
    if isinstance(data, dict):
        return {
            clean_text(key, depth + 1, name): clean_text(
                value, depth + 1, str(key) if depth == 0 else name
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [clean_text(item, depth + 1, name) for item in data]
    return data


def refusal(model: type[BaseModel], exc: PydanticError) -> ValidationFailed:
    """The translated ValidationFailed for pydantic's errors about a model."""
    fields: dict[str, Any] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"][:1]) or "body"
        fields.setdefault(name, message_for(model, error))
    first = next(iter(fields.values()), ValidationFailed.default_message)
    return ValidationFailed(first, fields=fields)


def message_for(model: type[BaseModel], error: ErrorDetails) -> Any:
    """The message for one error: the field's own (Say), else one per error type."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return _l("Ukjent felt «%(name)s».", name=str(loc[-1])[:40])
    over = _over_message(model, loc, kind)
    if over is not None:
        return over
    if kind == "string_too_long" and loc and isinstance(loc[-1], str):
        limit = (error.get("ctx") or {}).get("max_length", 0)
        return _l("«%(name)s» kan ha høyst %(max)d tegn.", name=loc[-1], max=limit)
    if "[key]" in loc:
        return _l("Ukjent forslag: %(id)s.", id=str(loc[loc.index("[key]") - 1])[:20])
    if not loc:
        return ValidationFailed.default_message
    field = model.model_fields.get(str(loc[0]))
    if field is None:
        return _generic(kind, str(loc[-1]))
    inner = _nested_model(field.annotation)
    if inner is not None and len(loc) > 1 and not isinstance(loc[1], int):
        return message_for(inner, {**error, "loc": loc[1:]})
    say = next((m for m in field.metadata if isinstance(m, Say)), None)
    if say is not None:
        return say.items if len(loc) > 1 and say.items is not None else say.message
    return _generic(kind, str(loc[0]))


OVER_KINDS = ("string_too_long", "too_long", "less_than_equal", "less_than")


def _over_message(model: type[BaseModel], loc: tuple[Any, ...], kind: str) -> Any:
    """The field's own message for a value over its bound (``Say.over``), if it has one."""
    if kind not in OVER_KINDS or not loc:
        return None
    field = model.model_fields.get(str(loc[0]))
    if field is None:
        return None
    say = next((m for m in field.metadata if isinstance(m, Say)), None)
    return None if say is None else say.over


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's type (``Model`` or ``Model | None``), if it is one."""
    candidates = (
        get_args(annotation)
        if get_origin(annotation) in (Union, types.UnionType)
        else (annotation,)
    )
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _generic(kind: str, name: str) -> Any:
    if kind == "missing":
        return _l("«%(name)s» mangler.", name=name)
    if kind == "bool_type":
        return _l("«%(name)s» må være true eller false.", name=name)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _l("«%(name)s» må være et heltall.", name=name)
    if kind == "string_type":
        return _l("«%(name)s» må være tekst.", name=name)
    return _l("«%(name)s» er ikke gyldig.", name=name)
