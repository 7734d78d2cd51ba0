"""Issue 8: agree as a step kind, shortlists of rate and agree steps, change level everywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support.api import Api, Workshop, snapshot
from tests.support.config import ADMIN_KEY
from tests.support.errors import error_code
from tests.support.forms import csrf_of
from workshop import create_app
from workshop.config import Settings
from workshop.extensions import db, dispose_app
from workshop.models import Rating, Stance
from workshop.services.shortlist import top_with_ties

VOTE, RATE, QUICK_WINS = 2, 5, 6  # positions in plan-simplification


def auth(key: str) -> dict[str, str]:
    return Api.auth(key)


def proposals(api: Api, ws: Workshop, n: int, **extra: Any) -> list[int]:
    made = [
        api.propose(ws.code, ws.facilitator_key, f"Forslag {i}", **extra).get_json()["id"]
        for i in range(n)
    ]
    return made


def stored(model: Any) -> int:
    with db.session(read_only=True) as session:
        return len(session.scalars(select(model)).all())


# --- the rule of the cut ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "top", "expected"),
    [
        ({1: 5, 2: 4, 3: 3}, 2, [1, 2]),
        ({1: 5, 2: 4, 3: 4, 4: 1}, 2, [1, 2, 3]),  # a tie at the cut is included
        ({1: 0, 2: 0}, 1, [1, 2]),
        ({1: 1}, 8, [1]),
        ({3: 2, 1: 2, 2: 9}, 1, [2]),
    ],
)
def test_top_with_ties(totals: dict[int, int], top: int, expected: list[int]) -> None:
    assert top_with_ties(totals, top) == expected


# --- the simplification plan: the rate step asks about the top 8 of the dot vote ---------------


@pytest.fixture
def voted(api: Api) -> tuple[Workshop, list[int], list[str]]:
    ws = api.create(plan="plan-simplification", settings={"votes_per_participant": 10})
    assert [s["kind"] for s in ws.data["steps"]][VOTE] == "vote"
    ids = proposals(api, ws, 11)
    keys = [api.join(ws.code) for _ in range(2)]
    api.step(ws, position=VOTE)
    # totals 6, 4, 3, then 1 for seven more, 0 for the last: the 8th has 1 and ties with six
    assert api.vote(ws.code, keys[0], {pid: 1 for pid in ids[:10]}).status_code == 200
    assert api.vote(ws.code, keys[1], {ids[0]: 5, ids[1]: 3, ids[2]: 2}).status_code == 200
    return ws, ids, keys


def test_the_rate_step_of_the_simplification_plan_takes_the_top_8(
    api: Api, client: FlaskClient, voted: tuple[Workshop, list[int], list[str]]
) -> None:
    ws, ids, keys = voted
    rate = next(s for s in snapshot(api, ws)["steps"] if s["position"] == RATE)
    assert rate["shortlist"] == {"from": VOTE, "top": 8}
    assert "proposal_ids" not in rate  # worked out when the room gets there
    api.step(ws, position=RATE)
    step = snapshot(api, ws)["step"]
    totals = client.get(
        f"/api/v1/workshops/{ws.code}/results?step={VOTE}", headers=auth(ws.facilitator_key)
    ).get_json()
    dots = {p["id"]: p["dots"] for p in totals["proposals"]}
    cut = sorted(dots.values(), reverse=True)[7]
    assert sorted(step["proposal_ids"]) == sorted(pid for pid, d in dots.items() if d >= cut)
    assert step["proposal_ids"][:3] == ids[:3]  # ranked, highest first
    assert sorted(step["proposal_ids"]) == sorted(ids[:10])  # ties at the cut included
    phone = snapshot(api, ws, keys[0])
    assert phone["step"]["proposal_ids"] == step["proposal_ids"]


def test_rating_a_proposal_outside_the_shortlist_is_refused_and_stores_nothing(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create(plan="plan-simplification")
    ids = proposals(api, ws, 10)
    key = api.join(ws.code)
    api.step(ws, position=VOTE)
    assert api.vote(ws.code, key, {pid: 1 for pid in ids[:5]}).status_code == 200
    api.step(ws, position=RATE)
    asked = snapshot(api, ws, key)["step"]["proposal_ids"]
    assert sorted(asked) == sorted(ids)  # five with a dot, the five at 0 tie at the cut
    put = client.put(
        f"/api/v1/workshops/{ws.code}/ratings",
        json={"ratings": {str(ids[0]): {"gevinst": 4}}},
        headers=auth(key),
    )
    assert put.status_code == 200


def picked_agree_step(api: Api, client: FlaskClient, ws: Workshop, picked: list[int]) -> int:
    response = client.post(
        f"/api/v1/workshops/{ws.code}/steps",
        json={"kind": "agree", "title": "Enig?", "config": {"shortlist": {"proposals": picked}}},
        headers=auth(ws.facilitator_key),
    )
    assert response.status_code == 201, response.get_json()
    step = response.get_json()["step"]
    assert (step["kind"], step["proposal_ids"]) == ("agree", picked)
    return int(step["position"])


def test_a_picked_shortlist_limits_stances_and_the_phone(api: Api, client: FlaskClient) -> None:
    ws = api.create(plan="plan-simplification")
    ids = proposals(api, ws, 4)
    key = api.join(ws.code)
    position = picked_agree_step(api, client, ws, [ids[1], ids[2]])
    api.step(ws, position=position)
    assert snapshot(api, ws, key)["step"]["proposal_ids"] == [ids[1], ids[2]]
    refused = client.put(
        f"/api/v1/workshops/{ws.code}/stances",
        json={"stances": {str(ids[1]): "agree", str(ids[0]): "disagree"}},
        headers=auth(key),
    )
    assert error_code(refused, 422) == "validation"
    assert stored(Stance) == 0
    ok = client.put(
        f"/api/v1/workshops/{ws.code}/stances",
        json={"stances": {str(ids[1]): "agree"}},
        headers=auth(key),
    )
    assert ok.get_json() == {"stances": {str(ids[1]): "agree"}}
    form = {"csrf": csrf_of(client.get(f"/j/{ws.code}").get_data(as_text=True)), "name": ""}
    assert client.post(f"/j/{ws.code}", data=form).status_code == 302
    page = client.get(f"/j/{ws.code}").get_data(as_text=True)
    assert 'id="stance-form"' in page
    assert "Forslag 1" in page and "Forslag 2" in page
    assert "Forslag 0" not in page and "Forslag 3" not in page
    tally_rows = client.get(
        f"/api/v1/workshops/{ws.code}/results", headers=auth(ws.facilitator_key)
    ).get_json()["proposals"]
    assert sorted(r["id"] for r in tally_rows) == [ids[1], ids[2]]


def test_a_ratings_put_outside_a_picked_shortlist_gives_422(api: Api, client: FlaskClient) -> None:
    ws = api.create(plan="plan-simplification")
    ids = proposals(api, ws, 3)
    key = api.join(ws.code)
    rate_id = next(s["id"] for s in snapshot(api, ws)["steps"] if s["position"] == RATE)
    patched = client.patch(
        f"/api/v1/workshops/{ws.code}/steps/{rate_id}",
        json={"config": {"shortlist": {"proposals": [ids[2]]}}},
        headers=auth(ws.facilitator_key),
    )
    assert patched.status_code == 200, patched.get_json()
    api.step(ws, position=RATE)
    refused = client.put(
        f"/api/v1/workshops/{ws.code}/ratings",
        json={"ratings": {str(ids[0]): {"gevinst": 3}}},
        headers=auth(key),
    )
    assert error_code(refused, 422) == "validation"
    assert stored(Rating) == 0


@pytest.mark.parametrize(
    "shortlist",
    [{"from": 2}, {"top": 3}, {"from": 2, "top": 0}, {"proposals": [1], "top": 2}, {"x": 1}, []],
)
def test_a_broken_shortlist_is_refused(api: Api, client: FlaskClient, shortlist: Any) -> None:
    ws = api.create(plan="plan-simplification")
    response = client.post(
        f"/api/v1/workshops/{ws.code}/steps",
        json={"kind": "rate", "title": "R", "config": {"shortlist": shortlist}},
        headers=auth(ws.facilitator_key),
    )
    assert error_code(response, 422) == "validation"


def test_a_shortlist_belongs_to_rate_and_agree_steps_only(api: Api, client: FlaskClient) -> None:
    ws = api.create(plan="plan-simplification")
    response = client.post(
        f"/api/v1/workshops/{ws.code}/steps",
        json={"kind": "vote", "title": "V", "config": {"shortlist": {"proposals": [1]}}},
        headers=auth(ws.facilitator_key),
    )
    assert error_code(response, 422) == "validation"


# --- agree as a step kind -----------------------------------------------------------------------


def test_an_old_database_with_an_agree_mode_vote_step_is_converted(tmp_path: Any) -> None:
    from workshop import migrate
    from workshop.extensions import Database

    old = Database()
    old.configure(f"sqlite:///{tmp_path / 'planverksted.sqlite3'}")
    migrate.upgrade(old, "0002")
    assert old.engine is not None
    with old.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO workshop (code, title, language, plan_name, roles, categories, settings,"
            " facilitator_key, projector_key, current_position, revealed, version, created_at,"
            " joining_open, show_qr)"
            " VALUES ('ABCDEF', 'Fra i fjor', 'nb', 'plan-culture', '[]', '[]',"
            " '{\"votes_per_participant\": 5}', 'f-key', 'p-key', 1, 0, 1, '2025-11-01 10:00:00',"
            " 1, 1)"
        )
        for position, kind, config in (
            (0, "vote", {"mode": "dots", "votes_per_participant": 3}),
            (1, "vote", {"mode": "agree"}),
        ):
            connection.exec_driver_sql(
                "INSERT INTO step (workshop_id, position, kind, title, prompt, config, revealed,"
                " auto_advance) VALUES (1, ?, ?, 'Steg', '', ?, 0, 0)",
                (position, kind, json.dumps(config)),
            )
        connection.exec_driver_sql(
            "INSERT INTO proposal (workshop_id, title, body, change_level, classification_settled,"
            " status, source, created_at) VALUES (1, 'Fra mobilen', '', 'regional', 0, 'visible',"
            " 'phone', '2025-11-01 10:00:00')"
        )
    old.dispose()
    application = create_app(Settings.from_env(data_dir=tmp_path, admin_key=ADMIN_KEY))
    try:
        client = application.test_client()
        data = client.get("/api/v1/workshops/ABCDEF", headers=auth("f-key")).get_json()
        assert [(s["kind"], s.get("mode")) for s in data["steps"]] == [
            ("vote", "dots"),
            ("agree", "agree"),
        ]
        assert data["steps"][0]["votes_per_participant"] == 3
        assert data["step"]["kind"] == "agree"
        proposal = data["proposals"][0]
        assert (proposal["change_level"], proposal["suggested_change_level"]) == (None, "regional")
    finally:
        dispose_app(application)


def test_an_agree_step_takes_stances_and_no_dots(api: Api, client: FlaskClient) -> None:
    ws = api.create(plan="plan-culture")
    key = api.join(ws.code)
    api.go_to(ws, "agree")
    step = snapshot(api, ws, key)["step"]
    assert (step["kind"], step["mode"]) == ("agree", "agree")
    assert "votes_per_participant" not in step
    pid = snapshot(api, ws, key)["proposals"][0]["id"]
    assert api.vote(ws.code, key, {pid: 1}).status_code == 409
    ok = client.put(
        f"/api/v1/workshops/{ws.code}/stances",
        json={"stances": {str(pid): "pass"}},
        headers=auth(key),
    )
    assert ok.status_code == 200
    assert snapshot(api, ws, key)["me"]["stances"] == {str(pid): "pass"}


def test_a_vote_step_switched_to_agree_mode_becomes_an_agree_step(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create(plan="plan-simplification")
    vote_id = next(s["id"] for s in snapshot(api, ws)["steps"] if s["kind"] == "vote")
    response = client.patch(
        f"/api/v1/workshops/{ws.code}/steps/{vote_id}",
        json={"config": {"mode": "agree"}},
        headers=auth(ws.facilitator_key),
    )
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["step"]["kind"], response.get_json()["step"]["mode"]) == (
        "agree",
        "agree",
    )


# --- change level -------------------------------------------------------------------------------


def test_a_participant_suggests_and_only_the_facilitator_settles(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create(plan="plan-simplification")
    key = api.join(ws.code)
    api.go_to(ws, "collect")
    made = api.propose(ws.code, key, "Felles planregister", change_level="regional")
    assert made.status_code == 201
    assert "change_level" not in made.get_json()
    staff = snapshot(api, ws)["proposals"][0]
    assert (staff["change_level"], staff["suggested_change_level"]) == (None, "regional")
    phone = snapshot(api, ws, key)["proposals"][0]
    assert "suggested_change_level" not in phone
    settled = client.patch(
        f"/api/v1/workshops/{ws.code}/proposals/{staff['id']}",
        json={"change_level": "lokal"},
        headers=auth(ws.facilitator_key),
    )
    assert settled.status_code == 200
    results = client.get(
        f"/api/v1/workshops/{ws.code}/results", headers=auth(ws.facilitator_key)
    ).get_json()
    row = results["proposals"][0]
    assert (row["change_level"], row["suggested_change_level"]) == ("lokal", "regional")


def test_results_group_by_change_level_and_a_results_step_can_show_one_level(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create(plan="plan-simplification")
    local = api.propose(ws.code, ws.facilitator_key, "Lokal", change_level="lokal").get_json()
    state = api.propose(ws.code, ws.facilitator_key, "Staten", change_level="nasjonal").get_json()
    open_ = api.propose(ws.code, ws.facilitator_key, "Uavklart").get_json()
    key = api.join(ws.code)
    api.step(ws, position=VOTE)
    api.vote(ws.code, key, {state["id"]: 3, local["id"]: 1})
    results = client.get(
        f"/api/v1/workshops/{ws.code}/results", headers=auth(ws.facilitator_key)
    ).get_json()
    assert [(g["change_level"], g["proposals"]) for g in results["change_levels"]] == [
        ("lokal", [local["id"]]),
        ("nasjonal", [state["id"]]),
        (None, [open_["id"]]),
    ]
    assert results["change_levels"][0]["label"] == "Det vi kan gjøre selv"
    api.step(ws, position=QUICK_WINS)  # "Raske gevinster": lokal only
    assert snapshot(api, ws)["step"]["change_level"] == "lokal"
    quick = client.get(
        f"/api/v1/workshops/{ws.code}/results", headers=auth(ws.facilitator_key)
    ).get_json()
    assert quick["change_level"] == "lokal"
    assert {p["change_level"] for p in quick["proposals"]} <= {"lokal"}


def test_a_change_level_setting_belongs_to_results_steps(api: Api, client: FlaskClient) -> None:
    ws = api.create(plan="plan-simplification")
    bad = client.post(
        f"/api/v1/workshops/{ws.code}/steps",
        json={"kind": "rate", "title": "R", "config": {"change_level": "lokal"}},
        headers=auth(ws.facilitator_key),
    )
    assert error_code(bad, 422) == "validation"
    wrong = client.post(
        f"/api/v1/workshops/{ws.code}/steps",
        json={"kind": "results", "title": "R", "config": {"change_level": "fylke"}},
        headers=auth(ws.facilitator_key),
    )
    assert error_code(wrong, 422) == "validation"


def test_the_report_and_the_exports_group_by_change_level(api: Api, client: FlaskClient) -> None:
    import io

    import openpyxl

    ws = api.create(plan="plan-simplification")
    own = api.propose(ws.code, ws.facilitator_key, "Egen sak", change_level="lokal").get_json()
    county = api.propose(
        ws.code, ws.facilitator_key, "Fylkets sak", change_level="regional"
    ).get_json()
    key = api.join(ws.code)
    api.step(ws, position=VOTE)
    api.vote(ws.code, key, {county["id"]: 2, own["id"]: 1})
    headers = auth(ws.facilitator_key)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/api/v1/workshops/{ws.code}/export.xlsx", headers=headers).data)
    )
    assert book.sheetnames[0] == "Forslag" and "Endringsnivå" in book.sheetnames
    rows = list(book["Endringsnivå"].iter_rows(values_only=True))
    assert rows[0] == ("Endringsnivå", "Gruppe", "Plass i gruppen", "ID", "Tittel")
    assert [(r[0], r[4]) for r in rows[1:]] == [("Lokal", "Egen sak"), ("Regional", "Fylkets sak")]
    archive = client.get(f"/api/v1/workshops/{ws.code}/export.json", headers=headers).get_json()
    assert [g["change_level"] for g in archive["change_levels"]] == ["lokal", "regional"]
    client.get(f"/f/{ws.code}?key={ws.facilitator_key}")  # the facilitator's cookie
    page = client.get(f"/f/{ws.code}/rapport")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Det vi kan gjøre selv" in text
    assert "Det vi ber fylkeskommunen eller statsforvalteren om" in text
    assert text.index("Egen sak") < text.index("Fylkets sak")


def test_an_agenda_with_a_worked_out_shortlist_saves_as_a_plan_that_loads(
    api: Api, client: FlaskClient, app: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support.config import use_plans
    from workshop.session_plans import PLANS_DIR, load_plan

    plans = tmp_path / "plans"
    plans.mkdir()
    for path in PLANS_DIR.glob("*.toml"):
        (plans / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    use_plans(monkeypatch, app, plans)
    ws = api.create(plan="plan-simplification")
    proposals(api, ws, 3)
    api.step(ws, position=RATE)  # the shortlist is worked out now
    saved = client.post(
        f"/api/v1/workshops/{ws.code}/plans",
        json={"name": "med-kortliste", "title": "Med kortliste"},
        headers=auth(ws.facilitator_key),
    )
    assert saved.status_code == 201, saved.get_json()
    plan = load_plan("med-kortliste")  # saved in the data folder, found beside the shipped ones
    assert plan.steps[RATE].config["shortlist"] == {"from": VOTE, "top": 8}
    assert "shortlist_ids" not in plan.steps[RATE].config
