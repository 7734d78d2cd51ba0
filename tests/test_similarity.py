"""Similar proposals: Norwegian-aware normalisation and fuzzy scores, on realistic proposals."""

from __future__ import annotations

import csv
from itertools import combinations

import pytest

from tests.support.config import SAMPLE_PROPOSALS
from tests.support.corpus import realistic_proposals
from tests.support.moderation import Room, plan
from workshop.services import merging, moderation
from workshop.services.errors import Forbidden, ValidationFailed
from workshop.similarity import (
    DEFAULT_THRESHOLD,
    EXHAUSTIVE_PAIRS,
    Text,
    fold,
    normalise,
    score,
    similar_groups,
    similar_pairs,
)

__all__ = ["plan"]  # the fixture, imported for the tests below

# A copy of the project's shared sample (/work/shared/data/sample-proposals.csv).

# Near-duplicates as people write them: inflection, word order, passive, punctuation, case.
DUPLICATES = [
    ("Slå sammen handlingsdel og økonomiplan", "Handlingsdelen og økonomiplanen bør slås sammen"),
    ("Opplæring i plansystemet for nye folkevalgte", "Opplæring av nye folkevalgte i plansystemet"),
    ("Kortere samfunnsdel med tre satsingsområder", "Kortere samfunnsdel – tre satsingsområder!"),
    (
        "Gi tilbakemelding til innbyggerne om hva innspillene ble til",
        "Gi innbyggerne tilbakemelding på hva innspillene deres ble til",
    ),
    ("Maler for planstrategi tilpasset små kommuner", "Mal for planstrategi for små kommuner"),
    ("Fast kontaktperson hos fylkeskommunen", "Én fast kontaktperson i fylkeskommunen"),
    ("Gjennomgå delegeringsreglementet", "Revidere delegeringsreglementet"),
    ("Statsforvalteren gir samlet uttalelse", "Statsforvalteren bør gi én samlet uttalelse"),
]


def sample_texts() -> list[Text]:
    with SAMPLE_PROPOSALS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 25
    return [Text(i, row["title"], row["body"]) for i, row in enumerate(rows, start=1)]


# --- normalisation ---------------------------------------------------------------------------


def test_fold_lowercases_normalises_and_strips_punctuation() -> None:
    folded = fold("  SLÅ sammen: Handlingsdel/økonomiplan!! ")
    assert folded == "sla sammen handlingsdel okonomiplan"
    assert fold("Ærlig talt – ﬁre år") == "aerlig talt fire ar"  # NFKC: the ﬁ ligature
    assert fold("Ｐｌａｎ ２０２５") == "plan 2025"  # NFKC: full-width forms


def test_normalise_drops_stop_words_and_meets_inflected_forms() -> None:
    passive = normalise("Handlingsdelen og økonomiplanen bør slås sammen")
    active = normalise("Slå sammen handlingsdel og økonomiplan")
    assert sorted(passive.split()) == sorted(active.split())
    assert "bor" not in passive.split() and "og" not in active.split()
    assert normalise("og i på til for med av en et som å det den de er vi kan skal bør") == ""
    assert normalise("Planene") == normalise("planen") == normalise("plan")


def test_texts_of_only_stop_words_are_never_similar() -> None:
    assert score(Text(1, "Det er en"), Text(2, "det er en")) == 0
    assert similar_pairs([Text(1, "Og så?"), Text(2, "Og så!")]) == []


# --- scores on realistic proposals -----------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), DUPLICATES)
def test_near_duplicates_reach_the_threshold(first: str, second: str) -> None:
    assert score(Text(1, first), Text(2, second)) >= DEFAULT_THRESHOLD


def test_the_sample_proposals_are_told_apart() -> None:
    texts = sample_texts()
    worst = max(score(a, b) for a, b in combinations(texts, 2))
    assert worst < DEFAULT_THRESHOLD, worst
    assert similar_groups(texts) == []


def test_duplicates_among_the_sample_are_found_and_nothing_else() -> None:
    texts = sample_texts()
    titles = {t.title: t.id for t in texts}
    start = max(titles.values()) + 1
    added = [
        Text(start, "Handlingsdelen og økonomiplanen bør slås sammen", "Ett dokument, ikke to."),
        Text(start + 1, "Felles planlegger med nabokommunen", ""),
        Text(start + 2, "Slå sammen handlingsdelen og økonomiplanen!", ""),
    ]
    groups = similar_groups([*texts, *added])
    merged_plans = sorted([titles["Slå sammen handlingsdel og økonomiplan"], start, start + 2])
    planner = sorted([titles["Felles planlegger med nabokommunene"], start + 1])
    assert sorted(g.ids for g in groups) == sorted([merged_plans, planner])
    assert groups[0].score >= groups[-1].score
    for group in groups:
        assert group.score == max(s for _, _, s in group.pairs)
        assert all(a < b for a, b, _ in group.pairs)


def test_pairs_are_best_first_and_respect_the_threshold() -> None:
    texts = [Text(1, a) for a, _ in DUPLICATES[:3]] + [
        Text(10 + i, b) for i, (_, b) in enumerate(DUPLICATES[:3])
    ]
    pairs = similar_pairs(texts, threshold=DEFAULT_THRESHOLD)
    scores = [s for _, _, s in pairs]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= DEFAULT_THRESHOLD for s in scores)
    assert similar_pairs(texts, threshold=100.0) == [p for p in pairs if p[2] == 100.0]
    assert len(similar_pairs(texts, threshold=0)) == len(texts) * (len(texts) - 1) // 2


def test_the_score_is_symmetric_and_bounded() -> None:
    a = Text(1, "Felles planlegger med nabokommunene", "Én stilling delt på tre kommuner.")
    b = Text(2, "Felles samfunnsdel for regionen", "Tre små kommuner med samme utfordringer.")
    assert score(a, b) == score(b, a)
    assert 0 <= score(a, b) <= 100
    assert score(a, a) == 100


def test_a_single_proposal_or_none_gives_nothing() -> None:
    assert similar_groups([]) == []
    assert similar_groups([Text(1, "Alene")]) == []


# --- a large workshop: only titles sharing a word are compared, and nothing is lost ------------


@pytest.mark.parametrize("threshold", [DEFAULT_THRESHOLD, 85.0])
def test_a_large_workshop_gets_the_same_suggestions_as_comparing_every_pair(
    threshold: float,
) -> None:
    texts = realistic_proposals(700, seed=11)
    assert len(texts) * (len(texts) - 1) // 2 > EXHAUSTIVE_PAIRS  # the indexed path runs
    indexed = similar_pairs(texts, threshold)
    assert len(indexed) > 100  # the corpus holds many near-duplicates
    assert indexed == similar_pairs(texts, threshold, every_pair=True)


# --- the service: visible and pending proposals only, for the facilitator ---------------------


def test_similar_proposals_skips_hidden_and_merged_ones(plan: str) -> None:
    room = Room(plan, moderation=True)
    room.go("collect")
    phone = room.join()
    a = room.add("Slå sammen handlingsdel og økonomiplan")
    pending = room.add("Handlingsdelen og økonomiplanen bør slås sammen", phone)
    hidden = room.add("Slå sammen handlingsdelen og økonomiplanen")
    moderation.hide_proposal(room.code, room.facilitator, hidden)
    survivor = room.add("Felles planlegger med nabokommunene")
    merged = room.add("Felles planlegger med nabokommunen")
    merging.merge_proposals(room.code, room.facilitator, survivor, [merged])
    groups = moderation.similar_proposals(room.code, room.facilitator)
    assert [g["ids"] for g in groups] == [[a, pending]]
    assert groups[0]["pairs"] == [{"ids": [a, pending], "score": groups[0]["score"]}]
    with pytest.raises(Forbidden):
        moderation.similar_proposals(room.code, phone)
    with pytest.raises(Forbidden):
        moderation.similar_proposals(room.code, room.projector)


@pytest.mark.parametrize("raw", ["x", "-0.1", "100.5", "nan", "inf"])
def test_a_bad_threshold_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed):
        moderation.parse_threshold(raw)


def test_threshold_defaults_and_parses() -> None:
    assert moderation.parse_threshold(None) == DEFAULT_THRESHOLD
    assert moderation.parse_threshold("") == DEFAULT_THRESHOLD
    assert moderation.parse_threshold("85.5") == 85.5
