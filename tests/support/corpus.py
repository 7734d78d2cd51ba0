"""Realistic proposals in bulk: the shared sample rewritten as people write the same idea, mixed
with new titles from the planning vocabulary. Used by tests of the merge suggestions and by
bench/similarity.py. A fixed seed gives the same texts every time."""

from __future__ import annotations

import csv
import random

from tests.support.config import SAMPLE_PROPOSALS
from workshop.similarity import Text

PREFIXES = ("", "", "", "Forslag: ", "Vi bør ", "Kommunen bør ", "Ønske: ", "Viktig: ")
SUFFIXES = ("", "", "", "!", ".", " – snarest", " i hele regionen", " fra neste år")
PLACES = ("Vinje", "Tokke", "Fyresdal", "Nissedal", "Kviteseid", "Seljord", "Hjartdal", "Tinn")
VERBS = (
    "Forenkle",
    "Slå sammen",
    "Digitalisere",
    "Samordne",
    "Korte ned",
    "Evaluere",
    "Rullere",
    "Styrke",
    "Gjennomgå",
    "Avvikle",
    "Prioritere",
    "Dele",
    "Fornye",
    "Effektivisere",
    "Tydeliggjøre",
    "Kartlegge",
    "Utsette",
    "Forankre",
    "Publisere",
    "Begrense",
)
OBJECTS = (
    "planstrategien",
    "samfunnsdelen",
    "handlingsdelen",
    "økonomiplanen",
    "arealdelen",
    "reguleringsplanene",
    "temaplanene",
    "medvirkningen",
    "delegeringsreglementet",
    "kunnskapsgrunnlaget",
    "høringsrundene",
    "planprogrammet",
    "kartgrunnlaget",
    "beredskapsplanen",
    "boligpolitikken",
    "næringsplanen",
    "klimaplanen",
    "trafikksikkerhetsplanen",
    "folkehelseoversikten",
    "sentrumsplanen",
    "hyttepolitikken",
    "landbruksplanen",
    "vannforvaltningen",
    "innkjøpsrutinene",
    "saksbehandlingen",
    "byggesakene",
    "dispensasjonene",
    "plankartene",
    "målstrukturen",
    "rapporteringen",
)
TAILS = (
    "",
    "med nabokommunene",
    "sammen med fylkeskommunen",
    "for små kommuner",
    "med veiledning fra statsforvalteren",
    "i kommunestyret",
    "for ungdom og eldre",
    "før valget",
    "i et interkommunalt samarbeid",
    "med tydelige roller",
    "på nett",
    "hvert fjerde år",
    "uten ekstra møter",
    "med færre mål",
    "etter mønster fra andre kommuner",
    "med én felles mal",
    "gjennom et kurs",
    "med årlig rapport",
    "for næringslivet",
    "med kart og tall",
)


BODIES = (
    "Det tar for lang tid i dag, og ingen leser dokumentene.",
    "Vi har for få folk til å følge opp alt som står i planene.",
    "Politikerne må få et bedre grunnlag for å prioritere.",
    "Innbyggerne forstår ikke hvordan planene henger sammen.",
    "Andre kommuner har gjort dette med godt resultat, vi kan lære av dem.",
    "Det sparer administrasjonen for mye arbeid hvert år.",
    "Regionale myndigheter bør veilede tidlig, ikke bare komme med innsigelser til slutt.",
    "Færre dokumenter, men de som finnes, skal brukes i budsjettet.",
    "",
)


def sample_rows() -> list[tuple[str, str]]:
    """The shared sample proposals as (title, body)."""
    with SAMPLE_PROPOSALS.open(encoding="utf-8") as handle:
        return [(row["title"], row["body"]) for row in csv.DictReader(handle)]


def rewrite(title: str, rng: random.Random) -> str:
    """The same idea as another participant might write it."""
    words = title.split()
    if len(words) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.3:
        words = [w + "e" if w.endswith("en") and rng.random() < 0.5 else w for w in words]
    text = " ".join(words)
    if rng.random() < 0.2:
        text = text.lower()
    return f"{rng.choice(PREFIXES)}{text}{rng.choice(SUFFIXES)}"


def composed(rng: random.Random) -> tuple[str, str]:
    """A new proposal from the planning vocabulary."""
    title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}".strip()
    if rng.random() < 0.3:
        title += f" i {rng.choice(PLACES)}"
    return title, rng.choice(BODIES) if rng.random() < 0.7 else ""


def realistic_proposals(count: int, seed: int = 2026) -> list[Text]:
    """N realistic proposals: about a third rewrites of the sample, the rest composed."""
    rng = random.Random(seed)
    rows = sample_rows()
    texts = []
    for pid in range(1, count + 1):
        if rng.random() < 0.35:
            title, body = rng.choice(rows)
            title = rewrite(title, rng)
            body = body if rng.random() < 0.5 else ""
        else:
            title, body = composed(rng)
        texts.append(Text(pid, title[:200], body))
    return texts
