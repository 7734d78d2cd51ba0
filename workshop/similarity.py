"""Similar proposals: fuzzy text similarity with Norwegian-aware normalisation (rapidfuzz).

Used while reviewing, to suggest duplicates the facilitator may merge. Pure functions: no
database, no Flask. Scores are 0–100; a pair is suggested when its score reaches the threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 70.0

# Common bokmål and nynorsk function words and modal verbs that say nothing about the topic
# (folded like the texts below, so «på» and «pa» are the same word).
_STOP_WORDS = (
    "og",
    "i",
    "på",
    "til",
    "for",
    "med",
    "av",
    "en",
    "ei",
    "et",
    "som",
    "å",
    "det",
    "den",
    "de",
    "er",
    "vi",
    "kan",
    "skal",
    "bør",
    "må",
    "vil",
    "blir",
    "bli",
    "har",
    "ha",
    "hadde",
    "var",
    "være",
    "om",
    "fra",
    "ved",
    "at",
    "eller",
    "men",
    "ikke",
    "seg",
    "sin",
    "sitt",
    "sine",
    "så",
    "der",
    "her",
    "når",
    "hvor",
    "hva",
    "hvem",
    "hvordan",
    "hver",
    "hvert",
    "alle",
    "alt",
    "mer",
    "mest",
    "enn",
    "etter",
    "over",
    "under",
    "mot",
    "inn",
    "ut",
    "opp",
    "ned",
    "nok",
    "også",
    "bare",
    "selv",
    "samme",
    "slik",
    "sånn",
    "dette",
    "disse",
    "denne",
    "man",
    "oss",
    "våre",
    "vår",
    "deres",
    "dei",
    "eg",
    "ho",
    "han",
    "hun",
    "me",
    "dykk",
    "ein",
    "eit",
    "ikkje",
    "kva",
    "korleis",
    "kven",
    "no",
    "kunne",
    "skulle",
    "burde",
    "måtte",
    "ville",
    "gjøre",
    "gjør",
    "gjer",
)

# Light stemming of Norwegian inflection: definite and plural endings, passive -s.
# Longest first; a stem keeps at least MIN_STEM characters.
SUFFIXES = (
    "hetene",
    "heten",
    "ingen",
    "ingar",
    "inger",
    "ene",
    "ane",
    "ers",
    "ets",
    "ens",
    "en",
    "er",
    "et",
    "ar",
    "a",
    "e",
    "s",
)
MIN_STEM = 3
FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "é": "e", "è": "e"})
NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Text:
    """A proposal's text for comparison."""

    id: int
    title: str
    body: str = ""


@dataclass(frozen=True)
class Group:
    """Proposals that look alike: ids (oldest first), the best pair score, and every pair."""

    ids: list[int]
    score: float
    pairs: list[tuple[int, int, float]]


def fold(text: str) -> str:
    """NFKC, lower case, æ→ae ø→o å→a, punctuation to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(FOLD)
    return " ".join(NON_WORD.sub(" ", text).split())


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS)


def stem(word: str) -> str:
    """Strip one inflectional ending so «handlingsdelen» and «handlingsdel» meet."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def normalise(text: str) -> str:
    """The comparable form of a text: folded, stop words dropped, words stemmed."""
    return " ".join(stem(word) for word in fold(text).split() if word not in STOP_WORDS)


def score(a: Text, b: Text) -> float:
    """Similarity of two proposals, 0–100 (the same formula as similar_groups)."""
    return float(_matrix([a, b])[0][1])


def _matrix(texts: Sequence[Text]) -> list[list[float]]:
    titles = [normalise(t.title) for t in texts]
    fulls = [normalise(f"{t.title} {t.body}") for t in texts]
    # Titles carry the idea: token_sort rewards the same words, token_set forgives extra ones.
    sort = process.cdist(titles, titles, scorer=fuzz.token_sort_ratio)
    subset = process.cdist(titles, titles, scorer=fuzz.token_set_ratio)
    whole = process.cdist(fulls, fulls, scorer=fuzz.token_set_ratio)
    size = len(texts)
    result = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            if not titles[i] or not titles[j]:
                value = 0.0
            else:
                value = 0.45 * sort[i][j] + 0.35 * subset[i][j] + 0.20 * whole[i][j]
            result[i][j] = result[j][i] = round(float(value), 1)
    return result


def similar_pairs(
    texts: Iterable[Text], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Every pair (lower id, higher id, score) at or above the threshold, best first."""
    items = sorted(texts, key=lambda t: t.id)
    if len(items) < 2:
        return []
    matrix = _matrix(items)
    pairs = [
        (items[i].id, items[j].id, matrix[i][j])
        for i in range(len(items))
        for j in range(i + 1, len(items))
        if matrix[i][j] >= threshold
    ]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def similar_groups(texts: Iterable[Text], threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
    """Pairs joined into groups (connected through any pair), best group first."""
    pairs = similar_pairs(texts, threshold)
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b, _ in pairs:
        parent[root(a)] = root(b)
    members: dict[int, list[tuple[int, int, float]]] = {}
    for pair in pairs:
        members.setdefault(root(pair[0]), []).append(pair)
    groups = [
        Group(
            ids=sorted({i for a, b, _ in group for i in (a, b)}),
            score=max(s for _, _, s in group),
            pairs=group,
        )
        for group in members.values()
    ]
    return sorted(groups, key=lambda g: (-g.score, g.ids))
