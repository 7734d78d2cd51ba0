"""The rules of each step and of the consensus measure, in plain words, stated in every export."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from workshop.analytics.measures import (
    COMMON_GROUND_CONSENSUS,
    COMMON_GROUND_MIN_SUPPORT,
    DIVISIVE_SPREAD,
    HIGH_BENEFIT,
    LOW_EFFORT,
    STRONG_BENEFIT,
)


def number(value: float) -> str:
    """A number as the workshop's language writes it (decimal comma in Norwegian)."""
    text = f"{value:g}"
    return text if str(get_locale()) == "en" else text.replace(".", ",")


def step_rules(
    kind: str, budget: int | None, criteria: list[dict[str, Any]], shortlist: int | None
) -> str:
    """How one prioritising step was voted and ranked."""
    if kind == "agree":
        rules = _(
            "Enig/uenig. Hver deltaker svarte «enig», «uenig» eller «pass» på forslagene. "
            "Forslagene er rangert etter andelen «enig» blant dem som svarte enig eller uenig, "
            "glattet som (enig + 1) / (enig + uenig + 2). «Pass» telles, men flytter ikke "
            "andelen. En rolles støtte er den samme andelen innen rollen."
        )
    elif kind == "rate":
        names = ", ".join(str(c.get("label") or c.get("key")).lower() for c in criteria)
        rules = _(
            "Vurdering. Hver deltaker ga forslagene 1–5 på %(criteria)s. Tabellen viser snittet "
            "per kriterium og hvor mange som svarte. Snitt for gevinst på %(high)s eller mer er "
            "høy gevinst, snitt for innsats under %(low)s er lav innsats: høy gevinst og lav "
            "innsats er «Raske gevinster», høy gevinst og høy innsats «Store prosjekter», lav "
            "gevinst og lav innsats «Småplukk», lav gevinst og høy innsats «Tidstyver». "
            "Forslagene er rangert etter gevinst, deretter lav innsats. En rolles støtte er "
            "andelen av rollens deltakere som ga gevinst %(strong)d eller 5, glattet som "
            "(k + 1) / (n + 2).",
            criteria=names or _("kriteriene"),
            high=number(HIGH_BENEFIT),
            low=number(LOW_EFFORT),
            strong=STRONG_BENEFIT,
        )
    else:
        rules = _(
            "Prikkestemming. Hver deltaker hadde %(budget)d prikker å fordele på forslagene. "
            "Forslagene er rangert etter antall prikker, deretter antall deltakere som ga "
            "prikker. Prikker talt på papir i rommet er med i totalene, men ikke i rollene. En "
            "rolles støtte til et forslag er andelen av rollens deltakere som ga det minst én "
            "prikk, glattet som (k + 1) / (n + 2).",
            budget=budget or 0,
        )
    if shortlist is not None:
        rules += " " + _(
            "Steget spurte bare om %(count)d forslag (en kortliste); de andre står tomme i "
            "stegets kolonner.",
            count=shortlist,
        )
    return rules + " " + _("Like resultater deler plass.")


def consensus_rules(threshold: int) -> str:
    """The consensus measure, the flags and the suppression of small groups."""
    return _(
        "Konsensus er det geometriske snittet av rollenes støtte, og er høy bare når alle "
        "rollene støtter forslaget. Splittelse er støtten fra den mest positive rollen minus "
        "støtten fra den minst positive. «Felles grunn»: konsensus minst %(consensus)s og hver "
        "rolle minst %(each)s. «Splitter rollene»: splittelse minst %(spread)s. En deltaker med "
        "flere roller telles i hver av dem. Roller med færre enn %(min)d deltakere i et steg vises "
        "ikke hver for seg i det steget, men telles med i totalene og er ikke med i konsensus; "
        "med færre enn to viste roller beregnes ingen konsensus. I deltakerlisten vises en rolle "
        "eller et bord bare når gruppen aldri er for liten i noe steg den deltok i.",
        consensus=number(COMMON_GROUND_CONSENSUS),
        each=number(float(COMMON_GROUND_MIN_SUPPORT)),
        spread=number(float(DIVISIVE_SPREAD)),
        min=threshold,
    )
