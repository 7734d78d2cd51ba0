"""Similar proposals: fuzzy text similarity with Norwegian-aware normalisation (rapidfuzz).

Used while reviewing, to suggest duplicates the facilitator may merge. Pure functions: no
database, no Flask. Scores are 0–100; a pair is suggested when its score reaches the threshold.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
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
    pairs = _scored_pairs([a, b], threshold=0.0, every_pair=True)
    return pairs[0][2]


# Titles carry the idea: token_sort rewards the same words, token_set forgives extra ones; the
# whole text (title and body) adds a little.
WEIGHTS = (0.45, 0.35, 0.20)
# Scores are rounded to one decimal before the threshold is applied.
ROUNDING = 0.05
# Up to this many pairs every pair is scored; above it only pairs whose titles share a word.
EXHAUSTIVE_PAIRS = 150_000
# Words this alike (rapidfuzz ratio) count as shared: «okonomiplan» and «okomomiplan».
WORD_CUTOFF = 75.0
# So does a word that begins another, as the first part of a compound: «kommun», «kommunestyr».
MIN_PREFIX = 5
ROW_BLOCK = 512

Indices = npt.NDArray[np.intp]
Scores = npt.NDArray[np.float32]


def similar_pairs(
    texts: Iterable[Text], threshold: float = DEFAULT_THRESHOLD, *, every_pair: bool = False
) -> list[tuple[int, int, float]]:
    """Every pair (lower id, higher id, score) at or above the threshold, best first.

    Above EXHAUSTIVE_PAIRS only titles sharing a word (or a word alike) are compared, unless
    ``every_pair`` asks for all of them (the slow reference the tests compare with).
    """
    items = sorted(texts, key=lambda t: t.id)
    if len(items) < 2:
        return []
    pairs = _scored_pairs(items, threshold, every_pair)
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def _scored_pairs(
    items: Sequence[Text], threshold: float, every_pair: bool
) -> list[tuple[int, int, float]]:
    """Pairs (id, id, rounded score) reaching the threshold, scored in stages.

    Each stage adds one term of the weighted sum; a pair is dropped as soon as even full marks
    on the terms still missing could not lift it to the threshold, so the costly comparison of
    whole texts runs only for pairs that are already close.
    """
    titles = [normalise(t.title) for t in items]
    left, right = _candidates(titles, every_pair)
    reach = threshold - ROUNDING
    title_sort, title_set, whole = WEIGHTS
    # token_sort_ratio is the ratio of the words in order; sorting once is cheaper than per pair.
    ordered = [" ".join(sorted(title.split())) for title in titles]
    sort = _compare(ordered, ordered, left, right, fuzz.ratio)
    keep = title_sort * sort + 100 * (title_set + whole) >= reach
    left, right, sort = left[keep], right[keep], sort[keep]
    subset = _compare(titles, titles, left, right, fuzz.token_set_ratio)
    keep = title_sort * sort + title_set * subset + 100 * whole >= reach
    left, right, sort, subset = left[keep], right[keep], sort[keep], subset[keep]
    fulls = [normalise(f"{items[i].title} {items[i].body}") for i in range(len(items))]
    entire = _compare(fulls, fulls, left, right, fuzz.token_set_ratio)
    values = title_sort * sort + title_set * subset + whole * entire
    empty = np.array([not title for title in titles], dtype=bool)
    values[empty[left] | empty[right]] = 0.0
    pairs = []
    for i, j, value in zip(left.tolist(), right.tolist(), values.tolist(), strict=True):
        rounded = round(float(value), 1)
        if rounded >= threshold:
            pairs.append((items[i].id, items[j].id, rounded))
    return pairs


def _compare(
    first: list[str], second: list[str], left: Indices, right: Indices, scorer: Any
) -> Scores:
    """Scores of first[left[k]] against second[right[k]] for every k (float32 array)."""
    if len(left) == 0:
        return np.zeros(0, dtype=np.float32)
    scores: Scores = process.cpdist(
        [first[i] for i in left.tolist()],
        [second[j] for j in right.tolist()],
        scorer=scorer,
        dtype=np.float32,
        workers=-1,
    )
    return scores


def _candidates(titles: list[str], every_pair: bool) -> tuple[Indices, Indices]:
    """Index pairs (i < j) worth scoring: all of them, or those whose titles share a word."""
    size = len(titles)
    if every_pair or size * (size - 1) // 2 <= EXHAUSTIVE_PAIRS:
        left, right = np.triu_indices(size, k=1)
        return left, right
    words = [sorted(set(title.split())) for title in titles]
    vocabulary = sorted({word for title_words in words for word in title_words})
    position = {word: index for index, word in enumerate(vocabulary)}
    alike = process.cdist(
        vocabulary,
        vocabulary,
        scorer=fuzz.ratio,
        score_cutoff=WORD_CUTOFF,
        dtype=np.uint8,
        workers=-1,
    ).astype(bool)
    for index, word in enumerate(vocabulary):
        if len(word) >= MIN_PREFIX:
            # The words beginning with this one follow it in the sorted vocabulary.
            end = bisect.bisect_left(vocabulary, word + "\x7f", lo=index)
            alike[index, index:end] = alike[index:end, index] = True
    # near[i, w]: title i has a word alike to word w.
    near = np.zeros((size, len(vocabulary)), dtype=bool)
    for i, title_words in enumerate(words):
        if title_words:
            near[i] = alike[[position[w] for w in title_words]].any(axis=0)
    own = [position[w] for title_words in words for w in title_words]
    # A title without words gets a start of its own (clipped, masked below) so reduceat works.
    starts = np.minimum(
        np.cumsum([0, *(len(title_words) for title_words in words[:-1])]), max(len(own) - 1, 0)
    )
    has_words = np.array([bool(title_words) for title_words in words], dtype=bool)
    lefts, rights = [], []
    for block in range(0, size, ROW_BLOCK):
        rows = near[block : block + ROW_BLOCK]
        if not own:
            break
        # shared[r, j]: title block+r has a word alike to one of title j's words.
        shared = np.logical_or.reduceat(rows[:, own], starts, axis=1)
        shared &= has_words[np.newaxis, :]
        first, second = np.nonzero(shared)
        first += block
        upper = first < second
        lefts.append(first[upper])
        rights.append(second[upper])
    if not lefts:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(lefts), np.concatenate(rights)


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
