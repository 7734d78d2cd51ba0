"""Roles and consensus: the measure on hand-computed cases, suppression everywhere, the payloads."""

from __future__ import annotations

import csv
import io
import json
import math
from fractions import Fraction
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient

from tests.support import prioritising
from tests.support.api import Api
from tests.support.prioritising import (
    AGREE,
    AGREE_RESULTS,
    DOTS,
    RATE,
    Room,
    make_room,
)
from workshop.analytics import (
    consensus_of,
    divisiveness_of,
    flags_of,
    quadrant_of,
    smoothed,
    tally_for,
)
from workshop.analytics.measures import rating_axes

F, A, RES, N = "Folkevalgt", "Administrasjon", "Innbygger", "Næringsliv og frivillighet"

plan = prioritising.plan  # fixtures
room = prioritising.room


# --- the measure, by hand ------------------------------------------------------------------


def test_smoothed_support_is_k_plus_one_over_n_plus_two() -> None:
    assert smoothed(3, 3) == Fraction(4, 5)
    assert smoothed(0, 3) == Fraction(1, 5)
    assert smoothed(2, 3) == Fraction(3, 5)
    assert smoothed(0, 0) == Fraction(1, 2)  # nobody answered: no information either way


def test_two_roles_fully_for_and_fully_against_are_divisive() -> None:
    supports = [smoothed(3, 3), smoothed(0, 3)]  # 0.8 and 0.2
    assert consensus_of(supports) == pytest.approx(math.sqrt(0.16)) == pytest.approx(0.4)
    assert divisiveness_of(supports) == Fraction(3, 5)
    assert flags_of(supports) == ["divisive"]


def test_two_roles_mostly_for_are_common_ground() -> None:
    supports = [smoothed(3, 3), smoothed(2, 3)]  # 0.8 and 0.6
    assert consensus_of(supports) == pytest.approx(math.sqrt(0.48))  # ≈ 0.6928
    assert divisiveness_of(supports) == Fraction(1, 5)
    assert flags_of(supports) == ["common_ground"]


def test_flags_at_and_around_their_thresholds() -> None:
    # a spread of exactly 0.4 (0.6 − 0.2) is divisive, computed without rounding errors
    assert flags_of([smoothed(2, 3), smoothed(0, 3)]) == ["divisive"]
    # 0.6 and 0.6: consensus exactly 0.6 and both at least 0.5: common ground
    assert flags_of([smoothed(2, 3), smoothed(2, 3)]) == ["common_ground"]
    # 0.5 and 0.5: consensus 0.5, too low for common ground, not split either
    assert flags_of([smoothed(1, 2), smoothed(1, 2)]) == []
    # 0.8, 0.8 and 0.4: consensus ≈ 0.63, but one role below 0.5, spread 0.4: divisive
    assert flags_of([smoothed(3, 3), smoothed(3, 3), smoothed(1, 3)]) == ["divisive"]
    # 0.6, 0.6, 0.4 (k=1 of n=3): spread 0.2, a role below 0.5: neither
    assert flags_of([smoothed(2, 3), smoothed(2, 3), smoothed(1, 3)]) == []


def test_consensus_needs_two_roles() -> None:
    assert consensus_of([smoothed(3, 3)]) is None
    assert divisiveness_of([smoothed(3, 3)]) is None
    assert flags_of([smoothed(3, 3)]) == []
    assert consensus_of([]) is None


def test_consensus_is_comparable_across_numbers_of_roles() -> None:
    # the geometric mean of equal supports is that support, however many roles there are
    for count in (2, 3, 5):
        assert consensus_of([smoothed(2, 3)] * count) == pytest.approx(0.6)


def test_quadrants_of_the_benefit_effort_matrix() -> None:
    assert quadrant_of(3.0, 2.99) == "quick_win"
    assert quadrant_of(4.5, 3.0) == "big_project"
    assert quadrant_of(2.99, 1.0) == "fill_in"
    assert quadrant_of(1.0, 5.0) == "time_sink"
    assert quadrant_of(None, 2.0) is None
    assert quadrant_of(4.0, None) is None


def test_which_criteria_are_benefit_and_effort() -> None:
    default = [{"key": "gevinst"}, {"key": "innsats"}]
    assert rating_axes(default) == ("gevinst", "innsats")
    assert rating_axes([{"key": "vanskelighet"}, {"key": "viktighet"}]) == (
        "viktighet",
        "vanskelighet",
    )
    assert rating_axes([{"key": "x", "axis": "effort"}, {"key": "y", "axis": "benefit"}]) == (
        "y",
        "x",
    )
    assert rating_axes([{"key": "a"}, {"key": "b"}]) == ("a", "b")
    assert rating_axes([{"key": "a"}]) == (None, None)


# --- the worked example of docs/analysis.md, through the API -------------------------------


def worked_example(room: Room) -> dict[str, Any]:
    """Three folkevalgte, three from the administration, two residents; A and B of the doc."""
    a, b, _c = room.ids
    folkevalgte = [room.join(F) for _ in range(3)]
    administrasjon = [room.join(A) for _ in range(3)]
    innbyggere = [room.join(RES) for _ in range(2)]
    room.go(DOTS)
    for key in folkevalgte:
        assert room.vote(key, {a: 2}).status_code == 200
    for key in administrasjon[:2]:
        assert room.vote(key, {a: 1, b: 1}).status_code == 200
    assert room.vote(administrasjon[2], {b: 3}).status_code == 200
    for key in innbyggere:
        assert room.vote(key, {a: 1}).status_code == 200
    return {"a": a, "b": b}


def test_the_worked_example_of_the_docs(room: Room) -> None:
    ids = worked_example(room)
    data = room.json("results")
    assert data["kind"] == "dots"
    assert (data["participants"], data["voters"]) == (8, 8)
    assert data["roles_shown"] == [F, A]
    assert data["role_voters"] == {F: 3, A: 3}
    rows = {row["id"]: row for row in data["proposals"]}
    a, b = rows[ids["a"]], rows[ids["b"]]
    # A: 3 of 3 folkevalgte, 2 of 3 administrasjon (and both residents, only in the totals)
    assert (a["dots"], a["voters"]) == (10, 7)
    assert a["roles"][F] == {"voters": 3, "supporters": 3, "dots": 6, "support": 0.8}
    assert a["roles"][A] == {"voters": 3, "supporters": 2, "dots": 2, "support": 0.6}
    assert a["consensus"] == pytest.approx(round(math.sqrt(0.8 * 0.6), 4))
    assert a["consensus"] == pytest.approx(0.6928)
    assert a["divisiveness"] == pytest.approx(0.2)
    assert a["flags"] == ["common_ground"]
    # B: 0 of 3 folkevalgte, 3 of 3 administrasjon
    assert (b["dots"], b["voters"]) == (5, 3)
    assert b["roles"][F] == {"voters": 3, "supporters": 0, "dots": 0, "support": 0.2}
    assert b["roles"][A] == {"voters": 3, "supporters": 3, "dots": 5, "support": 0.8}
    assert b["consensus"] == pytest.approx(0.4)
    assert b["divisiveness"] == pytest.approx(0.6)
    assert b["flags"] == ["divisive"]
    assert data["common_ground"] == [ids["a"]] and data["divisive"] == [ids["b"]]
    # the contract: by_role carries the dots of the shown roles, ranked by dots
    assert a["by_role"] == {F: 6, A: 2} and b["by_role"] == {F: 0, A: 5}
    assert [row["dots"] for row in data["proposals"]] == [10, 5, 0]
    assert data["consensus_note"] is None
    assert "færre enn 3" in data["suppressed_note"]


# --- suppression of small role groups, everywhere ------------------------------------------


def no_mention(value: Any, word: str) -> None:
    """The word appears nowhere in a JSON value: no key, no string."""
    text = json.dumps(value, ensure_ascii=False)
    assert word not in text, text[:500]


def test_a_two_member_role_is_suppressed_in_results_and_analysis(room: Room) -> None:
    worked_example(room)
    for path in ("results", "analysis"):
        data = room.json(path)
        assert RES not in data["roles_shown"]
        no_mention(data, RES)
        for row in data["proposals"]:
            assert set(row["by_role"]) == {F, A}
            assert set(row["roles"]) == {F, A}


def test_a_two_member_role_is_suppressed_in_every_export(room: Room) -> None:
    worked_example(room)
    room.go(AGREE)  # a second analysed step: its sheet and analysis must suppress too
    for key in [room.join(F) for _ in range(3)] + [room.join(RES) for _ in range(2)]:
        assert room.answer(key, {room.ids[0]: "agree"}).status_code == 200
    room.go(DOTS)
    csv_text = room.get("export.csv", room.facilitator).get_data(as_text=True)
    assert RES not in csv_text
    book = openpyxl.load_workbook(io.BytesIO(room.get("export.xlsx", room.facilitator).data))
    assert book.sheetnames[:2] == ["Forslag", "Om"] and "Steg 5" in book.sheetnames
    header = [cell.value for cell in book["Steg 3"][1]]
    assert "prikker – Folkevalgt" in header and "støtte – Administrasjon" in header
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert RES not in str(cell.value or ""), (sheet.title, cell.value)
    document = json.loads(room.get("export.json", room.facilitator).data)
    no_mention(document["proposals"], RES)
    no_mention(document["analyses"], RES)
    no_mention(document["about"], RES)
    assert [a["kind"] for a in document["analyses"]] == ["dots", "agree", "rate"]
    # in the agree step only the folkevalgte are three: one role shown, no consensus
    agree = document["analyses"][1]
    assert agree["roles_shown"] == [F]
    assert agree["consensus_note"]


def test_with_one_role_shown_consensus_is_not_computed_and_says_why(room: Room) -> None:
    a, b, _c = room.ids
    keys = [room.join(F) for _ in range(3)] + [room.join(A) for _ in range(2)]
    room.go(DOTS)
    for key in keys:
        assert room.vote(key, {a: 1}).status_code == 200
    data = room.json("analysis")
    assert data["roles_shown"] == [F]
    assert "minst to roller" in data["consensus_note"]
    for row in data["proposals"]:
        assert row["consensus"] is None and row["divisiveness"] is None and row["flags"] == []
    assert data["common_ground"] == [] and data["divisive"] == []


def test_the_group_size_counts_only_those_who_took_part_in_the_step(room: Room) -> None:
    a, _b, _c = room.ids
    keys = [room.join(F) for _ in range(3)] + [room.join(A) for _ in range(3)]
    room.go(DOTS)
    for key in keys[:5]:  # one from the administration does not vote
        assert room.vote(key, {a: 1}).status_code == 200
    assert room.json("results")["roles_shown"] == [F]


def test_the_threshold_follows_the_workshop_setting(api: Api, plan: str) -> None:
    room = make_room(api)
    from workshop.extensions import db
    from workshop.models import Workshop as WorkshopRow

    with db.session() as session:
        row = session.query(WorkshopRow).filter_by(code=room.code).one()
        row.settings = {**row.settings, "min_group_size": 2}
        session.commit()
    worked_example(room)
    data = room.json("results")
    assert data["min_group_size"] == 2
    assert data["roles_shown"] == [F, A, RES]
    assert "færre enn 2" in data["suppressed_note"]


# --- several roles, paper dots, merged proposals -------------------------------------------


def test_a_participant_with_several_roles_counts_in_each(room: Room) -> None:
    a, b, _c = room.ids
    both = [room.join(F, N) for _ in range(3)]
    admins = [room.join(A) for _ in range(3)]
    room.go(DOTS)
    for key in both:
        assert room.vote(key, {a: 1}).status_code == 200
    for key in admins:
        assert room.vote(key, {b: 1}).status_code == 200
    data = room.json("results")
    assert data["voters"] == 6
    assert data["roles_shown"] == [F, A, N]
    row = next(r for r in data["proposals"] if r["id"] == a)
    assert row["by_role"] == {F: 3, A: 0, N: 3}
    assert row["dots"] == 3  # totals count each person once
    assert row["roles"][N] == {"voters": 3, "supporters": 3, "dots": 3, "support": 0.8}
    # three roles: 0.8, 0.2, 0.8 → (0.128)^(1/3)
    assert row["consensus"] == pytest.approx(round(0.128 ** (1 / 3), 4))
    assert row["flags"] == ["divisive"]


def test_paper_dots_add_to_totals_and_tallies_not_to_voters_or_roles(room: Room) -> None:
    a, b, _c = room.ids
    keys = [room.join(F) for _ in range(3)]
    room.go(DOTS)
    for key in keys:
        assert room.vote(key, {a: 1}).status_code == 200
    room.paper_dots(DOTS, b, 7)
    data = room.json("results")
    rows = {row["id"]: row for row in data["proposals"]}
    assert [row["id"] for row in data["proposals"]][:2] == [b, a]  # ranked by dots with paper
    assert (rows[b]["dots"], rows[b]["paper_dots"], rows[b]["voters"]) == (7, 7, 0)
    assert rows[b]["by_role"] == {F: 0}
    assert data["voters"] == 3
    tally = tally_for(room.code)
    assert {p["id"]: p["dots"] for p in tally["proposals"]} == {a: 3, b: 7}
    assert tally["voters"] == 3


@pytest.mark.parametrize("status", ["merged", "hidden", "pending"])
def test_proposals_off_the_wall_are_not_listed(room: Room, status: str) -> None:
    a, b, c = room.ids
    key = room.join(F)
    room.go(DOTS)
    assert room.vote(key, {a: 1, c: 1}).status_code == 200
    room.set_status(c, status)
    for path in ("results", "analysis"):
        assert [row["id"] for row in room.json(path)["proposals"]] == [a, b]
    assert [p["id"] for p in tally_for(room.code)["proposals"]] == [a]


# --- agree / disagree / pass ---------------------------------------------------------------


def agree_example(room: Room) -> tuple[int, int, int]:
    a, b, c = room.ids
    folkevalgte = [room.join(F) for _ in range(3)]
    administrasjon = [room.join(A) for _ in range(3)]
    room.go(AGREE)
    for key, stance in zip(folkevalgte, ("agree", "agree", "disagree"), strict=True):
        assert room.answer(key, {a: stance, b: "agree"}).status_code == 200
    for key, stance in zip(administrasjon, ("disagree", "disagree", "pass"), strict=True):
        assert room.answer(key, {a: stance, b: "agree"}).status_code == 200
    return a, b, c


def test_agree_analysis_uses_smoothed_agreement_rates(room: Room) -> None:
    a, b, c = agree_example(room)
    data = room.json("results")
    assert data["kind"] == "agree" and data["step"]["mode"] == "agree"
    assert data["voters"] == 6
    rows = {row["id"]: row for row in data["proposals"]}
    row = rows[a]
    assert (row["agree"], row["disagree"], row["pass"], row["voters"], row["dots"]) == (
        2,
        3,
        1,
        5,
        0,
    )
    assert row["roles"][F] == {"voters": 3, "agree": 2, "disagree": 1, "pass": 0, "support": 0.6}
    # a pass is seen, not voted: (0 + 1) / (0 + 2 + 2)
    assert row["roles"][A] == {"voters": 3, "agree": 0, "disagree": 2, "pass": 1, "support": 0.25}
    assert row["consensus"] == pytest.approx(round(math.sqrt(0.6 * 0.25), 4))  # ≈ 0.3873
    assert row["divisiveness"] == pytest.approx(0.35)
    assert row["flags"] == []
    assert row["by_role"] == {F: 2, A: 0}
    everyone = rows[b]
    assert everyone["support"] == pytest.approx(7 / 8)
    assert everyone["consensus"] == pytest.approx(0.8) and everyone["flags"] == ["common_ground"]
    assert rows[c]["consensus"] == pytest.approx(0.5)  # nobody answered
    # ranked by the room's agreement: b (7/8), c (1/2), a (3/7)
    assert [row["id"] for row in data["proposals"]] == [b, c, a]


def test_agree_tally_counts_each_answer(room: Room) -> None:
    a, b, _c = agree_example(room)
    tally = tally_for(room.code)
    assert tally["kind"] == "agree" and tally["voters"] == 6
    rows = {p["id"]: p for p in tally["proposals"]}
    assert rows[a] == {"id": a, "dots": 0, "agree": 2, "disagree": 3, "pass": 1}
    assert rows[b] == {"id": b, "dots": 0, "agree": 6, "disagree": 0, "pass": 0}


def test_agree_export_has_counts_per_role(room: Room) -> None:
    a, _b, _c = agree_example(room)
    plain = room.get("export.csv?dialect=rfc4180", room.facilitator).data.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(plain)) if int(r["id"]) == a)
    agree = f"step{AGREE + 1}"
    assert (row[f"{agree}_agree"], row[f"{agree}_disagree"], row[f"{agree}_pass"]) == (
        "2",
        "3",
        "1",
    )
    assert row["dots"] == "0"  # nobody used the dot step
    assert row[f"{agree}_consensus"] == "0.3873" and row[f"{agree}_flag"] == ""
    book = openpyxl.load_workbook(io.BytesIO(room.get("export.xlsx", room.facilitator).data))
    sheet = book[f"Steg {AGREE + 1}"]
    header = [cell.value for cell in sheet[1]]
    by_role = next(
        dict(zip(header, (c.value for c in r), strict=True))
        for r in sheet.iter_rows(min_row=2)
        if r[0].value == a
    )
    assert (by_role["enig – Folkevalgt"], by_role["pass – Administrasjon"]) == (2, 1)
    about = json.loads(room.get("export.json", room.facilitator).data)["about"]
    assert about["kind"] == "agree" and "enig" in about["method"]


# --- rating ----------------------------------------------------------------------------------


def rate_example(room: Room) -> tuple[int, int, int]:
    a, b, c = room.ids
    folkevalgte = [room.join(F) for _ in range(3)]
    administrasjon = [room.join(A) for _ in range(3)]
    room.go(RATE)
    for key in folkevalgte:
        assert (
            room.rate(
                key, {a: {"gevinst": 5, "innsats": 2}, b: {"gevinst": 4, "innsats": 5}}
            ).status_code
            == 200
        )
    for key, benefit in zip(administrasjon, (4, 2, 3), strict=True):
        assert (
            room.rate(
                key, {a: {"gevinst": benefit, "innsats": 1}, b: {"gevinst": 1, "innsats": 4}}
            ).status_code
            == 200
        )
    return a, b, c


def test_rate_analysis_has_means_per_role_and_the_quadrant(room: Room) -> None:
    a, b, c = rate_example(room)
    data = room.json("analysis")
    assert data["kind"] == "rate"
    assert [c_["key"] for c_ in data["criteria"]] == ["gevinst", "innsats"]
    rows = {row["id"]: row for row in data["proposals"]}
    row = rows[a]
    # benefit (5+5+5+4+2+3)/6 = 4.0, effort (2+2+2+1+1+1)/6 = 1.5: a quick win
    assert row["means"] == {"gevinst": 4.0, "innsats": 1.5}
    assert row["counts"] == {"gevinst": 6, "innsats": 6}
    assert (row["benefit"], row["effort"], row["raters"], row["dots"]) == (4.0, 1.5, 6, 0)
    assert (row["quadrant"], row["quadrant_label"]) == ("quick_win", "Raske gevinster")
    assert row["roles"][A]["means"] == {"gevinst": 3.0, "innsats": 1.0}
    assert row["roles"][A]["raters"] == 3
    # support: benefit 4 or 5 — folkevalgte 3 of 3 (0.8), administrasjon 1 of 3 (0.4)
    assert (row["roles"][F]["support"], row["roles"][A]["support"]) == (0.8, 0.4)
    assert row["divisiveness"] == pytest.approx(0.4) and row["flags"] == ["divisive"]
    # b: benefit (4·3 + 1·3)/6 = 2.5, effort 4.5: a time sink overall, a big project for F
    assert (rows[b]["quadrant"], rows[b]["quadrant_label"]) == ("time_sink", "Tidstyver")
    assert rows[b]["roles"][F]["quadrant"] == "big_project"
    assert rows[c]["quadrant"] is None and rows[c]["raters"] == 0
    assert [row["id"] for row in data["proposals"]] == [a, b, c]
    matrix = data["matrix"]
    assert (matrix["benefit"], matrix["effort"]) == ("gevinst", "innsats")
    quadrants = {q["key"]: q for q in matrix["quadrants"]}
    assert quadrants["quick_win"]["label"] == "Raske gevinster"
    assert quadrants["quick_win"]["proposals"] == [a]
    assert quadrants["time_sink"]["proposals"] == [b]
    assert {p["id"] for p in matrix["points"]} == {a, b}


def test_rate_tally_has_mean_scores(room: Room) -> None:
    a, b, _c = rate_example(room)
    tally = tally_for(room.code)
    assert tally["kind"] == "rate" and tally["voters"] == 6
    rows = {p["id"]: p for p in tally["proposals"]}
    assert rows[a]["means"] == {"gevinst": 4.0, "innsats": 1.5}
    assert rows[a]["raters"] == 6 and rows[a]["dots"] == 0
    assert rows[b]["means"] == {"gevinst": 2.5, "innsats": 4.5}


def test_rate_export_has_means_and_quadrant(room: Room) -> None:
    a, _b, _c = rate_example(room)
    book = openpyxl.load_workbook(io.BytesIO(room.get("export.xlsx", room.facilitator).data))
    sheet = book["Forslag"]
    header = [cell.value for cell in sheet[1]]
    rate = f"Steg {RATE + 1}"
    for column in (
        "dots",
        f"{rate}: snitt Gevinst",
        f"{rate}: snitt Innsats",
        f"{rate}: kvadrant",
        f"{rate}: konsensus",
        f"{rate}: splittelse",
        f"{rate}: merknad",
    ):
        assert column in header, column
    step_header = [cell.value for cell in book[rate][1]]
    assert "snitt Gevinst – Administrasjon" in step_header
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    row = next(r for r in rows if r["ID"] == a)
    assert (row[f"{rate}: snitt Gevinst"], row[f"{rate}: kvadrant"], row[f"{rate}: merknad"]) == (
        4,
        "Raske gevinster",
        "Splitter rollene",
    )
    about = {r[0].value: r[1].value for r in book["Om"].iter_rows(min_row=2)}
    assert "Raske gevinster" in about[f"{rate}: Gevinst og innsats"]
    consensus = about["Konsensus og små grupper"]
    assert "færre enn 3" in consensus and "geometriske snittet" in consensus


# --- who may read the analysis ---------------------------------------------------------------


def test_analysis_for_the_facilitator_and_for_others_after_the_reveal(room: Room) -> None:
    worked_example(room)
    phone = room.join()
    for key in (phone, room.projector):
        response = room.get("analysis", key)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"
    room.reveal(DOTS)
    for key in (phone, room.projector):
        data = room.json("analysis", key)
        assert data["roles_shown"] == [F, A]
        assert [s["position"] for s in data["steps"]] == [DOTS]  # only revealed steps listed
    assert len(room.json("analysis")["steps"]) == 3


def test_analysis_of_a_chosen_step(room: Room) -> None:
    worked_example(room)
    room.go(AGREE_RESULTS)
    assert room.json("analysis")["kind"] == "agree"
    assert room.json(f"analysis?step={DOTS}")["kind"] == "dots"
    assert room.json(f"results?step={DOTS}")["proposals"][0]["dots"] == 10
    phone = room.join()
    assert room.get(f"analysis?step={RATE}", phone).status_code == 403
    assert room.get("analysis?step=0", room.facilitator).status_code == 404
    assert room.get("analysis?step=x", room.facilitator).status_code == 422


def test_analysis_needs_a_key(room: Room) -> None:
    assert room.get("analysis", None).status_code == 401
    response = room.api.get("ZZZZZZ/analysis", room.facilitator)
    assert response.status_code == 404


# --- joining with several roles --------------------------------------------------------------


def test_join_with_a_list_of_roles(room: Room) -> None:
    key = room.api.join(room.code, roles=[F, N, F])
    assert room.me(key)["roles"] == [F, N]  # duplicates removed
    key = room.api.join(room.code, role=A, roles=[F])
    assert room.me(key)["roles"] == [A, F]  # the single role of API.md still works
    key = room.api.join(room.code, roles=[])
    assert room.me(key)["roles"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"roles": ["Ordfører"]},
        {"roles": "Folkevalgt"},
        {"roles": [3]},
        {"roles": {"Folkevalgt": True}},
        {"role": F, "roles": ["Ukjent"]},
    ],
)
def test_join_refuses_roles_outside_the_list(room: Room, client: FlaskClient, body: dict) -> None:
    before = room.json("")["participants"]
    response = client.post(f"/api/v1/workshops/{room.code}/participants", json=body)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation"
    assert room.json("")["participants"] == before


def test_openapi_describes_the_new_endpoints(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(
        paths["/api/v1/workshops/{code}/ratings"]["put"]["responses"]
    )
    assert {"200", "401", "403", "404", "409", "422"} <= set(
        paths["/api/v1/workshops/{code}/stances"]["put"]["responses"]
    )
    assert {"200", "401", "403", "404"} <= set(
        paths["/api/v1/workshops/{code}/analysis"]["get"]["responses"]
    )
    join = paths["/api/v1/workshops/{code}/participants"]["post"]
    schema = join["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["roles"]["type"] == "array"
