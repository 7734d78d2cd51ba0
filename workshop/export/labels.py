"""Column names and values of the export tables: stable codes, or words in the workshop's language.

Every table is built with `Column` keys and coded values (``visible``, ``quick_win``); a renderer
asks for either form. The words come from the same Babel catalogues as the screens, so call the
label functions inside ``force_locale(workshop.language)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# The first dot step's dots column keeps this name in every language (API.md: a `dots` column).
API_DOTS = "dots"

MEASURES: dict[str, Any] = {
    "rank": _l("Plass"),
    "id": _l("ID"),
    "title": _l("Tittel"),
    "body": _l("Beskrivelse"),
    "category": _l("Tema"),
    "change_level": _l("Endringsnivå"),
    "suggested_change_level": _l("Foreslått endringsnivå"),
    "status": _l("Status"),
    "source": _l("Kilde"),
    "merged": _l("Slått sammen fra"),
    "dots": _l("prikker"),
    "paper_dots": _l("papirprikker"),
    "voters": _l("deltakere"),
    "supporters": _l("støttende"),
    "support": _l("støtte"),
    "agree": _l("enig"),
    "disagree": _l("uenig"),
    "pass": _l("pass"),
    "raters": _l("vurderte"),
    "mean": _l("snitt"),
    "answers": _l("svar"),
    "quadrant": _l("kvadrant"),
    "consensus": _l("konsensus"),
    "divisiveness": _l("splittelse"),
    "flag": _l("merknad"),
    "step": _l("Steg"),
    "step_title": _l("Stegets tittel"),
    "kind": _l("Stemmemåte"),
    "role": _l("Rolle"),
    "role_participants": _l("Deltakere i rollen"),
    "participant": _l("Deltaker"),
    "roles": _l("Roller"),
    "table": _l("Bord"),
    "table_participants": _l("Deltakere ved bordet"),
    "rank_in_table": _l("Plass ved bordet"),
    "rank_in_group": _l("Plass i gruppen"),
    "group": _l("Gruppe"),
    "name": _l("Navn"),
    "criterion": _l("Kriterium"),
    "score": _l("Verdi"),
    "stance": _l("Standpunkt"),
    "at": _l("Tidspunkt"),
    "actor": _l("Hvem"),
    "action": _l("Hendelse"),
    "detail": _l("Detaljer"),
    "field": _l("Felt"),
    "value": _l("Verdi"),
    "what": _l("Hva"),
    "proposal": _l("Gjelder forslag"),
    "owner": _l("Ansvarlig"),
    "due": _l("Frist"),
    "decided_by": _l("Vedtas av"),
}

VALUES: dict[str, dict[str, Any]] = {
    "status": {
        "visible": _l("Synlig"),
        "pending": _l("Venter"),
        "hidden": _l("Skjult"),
        "merged": _l("Slått sammen"),
    },
    "source": {
        "phone": _l("Telefon"),
        "paper": _l("Papir"),
        "facilitator": _l("Fasilitator"),
        "bank": _l("Forslagsbanken"),
        "plan": _l("Øktplanen"),
    },
    "change_level": {
        "lokal": _l("Lokal"),
        "regional": _l("Regional"),
        "nasjonal": _l("Nasjonal"),
    },
    "quadrant": {
        "quick_win": _l("Raske gevinster"),
        "big_project": _l("Store prosjekter"),
        "fill_in": _l("Småplukk"),
        "time_sink": _l("Tidstyver"),
    },
    "flag": {"common_ground": _l("Felles grunn"), "divisive": _l("Splitter rollene")},
    "stance": {"agree": _l("Enig"), "disagree": _l("Uenig"), "pass": _l("Pass")},
    "kind": {"dots": _l("Prikker"), "agree": _l("Enig / uenig"), "rate": _l("Vurdering")},
    "actor": {
        "facilitator": _l("Fasilitator"),
        "admin": _l("Administrator"),
        "projector": _l("Projektor"),
        "timer": _l("Tidtaker"),
    },
}
VALUES["suggested_change_level"] = VALUES["change_level"]


@dataclass(frozen=True)
class Column:
    """One column: a measure, optionally of a step (its number), a criterion and a role."""

    measure: str
    step: int | None = None
    criterion: str | None = None
    criterion_label: str | None = None
    role: str | None = None
    fixed: str | None = None  # a name that is the same in every form and language

    def code(self) -> str:
        """The stable name: ``rank``, ``step3_dots``, ``step5_mean_gevinst: Folkevalgt``."""
        if self.fixed:
            return self.fixed
        name = f"step{self.step}_{self.measure}" if self.step is not None else self.measure
        if self.criterion:
            name += f"_{self.criterion}"
        return f"{name}: {self.role}" if self.role else name

    def label(self) -> str:
        """The name in the current language: «Steg 5: snitt gevinst – Folkevalgt»."""
        if self.fixed:
            return self.fixed
        word = str(MEASURES.get(self.measure, self.measure))
        if self.criterion:
            word = f"{word} {self.criterion_label or self.criterion}"
        if self.step is not None:
            word = word[:1].lower() + word[1:]  # «Plass» of a step: «Steg 3: plass»
            word = _("Steg %(number)d: %(measure)s", number=self.step, measure=word)
        return f"{word} – {self.role}" if self.role else word


def value_label(words: dict[str, str], value: Any) -> Any:
    """A coded value in words (``visible`` → «Synlig»; ``a; b`` word by word); others unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if "; " in value:
        return "; ".join(words.get(part, part) for part in value.split("; "))
    return words.get(value, value)


def pseudonym(number: int) -> str:
    """A participant's pseudonymous id in the export: D001 (P001 in English)."""
    return _("D%(number)03d", number=number)
