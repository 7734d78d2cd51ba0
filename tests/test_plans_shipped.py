"""The shipped session plans, the new plan fields, the plans folder and saving an agenda."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.support.api import Api, Workshop, snapshot
from tests.support.config import ADMIN_KEY, plans_folder, settings_with_plans, write_plan
from tests.support.errors import assert_error
from workshop import create_app
from workshop.config import Settings
from workshop.extensions import db, dispose_app
from workshop.models import CHANGE_LEVELS, AuditEntry, Proposal
from workshop.models import Workshop as WorkshopRow
from workshop.services.step_rules import DEFAULT_CRITERIA
from workshop.session_plans import (
    PLANS_DIR,
    PlanError,
    list_plans,
    load_plan,
    load_plan_file,
    plans_dir,
    render_plan,
)

SHIPPED = ["plan-culture", "plan-igp", "plan-simplification", "planstrategi-kickoff"]
VALID = """
title = "Kort plan"
categories = ["arealdel"]

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "vote"
title = "Stem"

[[steps]]
kind = "rate"
title = "Vurder"

[[steps]]
kind = "results"
title = "Resultater"
"""


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A temporary plans folder with copies of the shipped plans."""
    return plans_folder(tmp_path / "plans", shipped=True)


@pytest.fixture
def settings(tmp_path: Path, plans: Path) -> Iterator[Settings]:
    """Every app of this module reads and saves plans in the temporary folder."""
    with settings_with_plans(tmp_path, plans) as configured:
        yield configured


@pytest.fixture
def saved_dir(settings: Settings) -> Path:
    """Where this app saves agendas as plans: plans/ in its data folder."""
    return settings.saved_plans_dir


def save(client: FlaskClient, ws: Workshop, key: str | None = None, **body: Any) -> Any:
    return client.post(
        f"/api/v1/workshops/{ws.code}/plans", json=body, headers=Api.auth(key or ws.facilitator_key)
    )


# --- the three shipped plans ----------------------------------------------------------------


def test_three_plans_are_shipped_and_valid() -> None:
    assert sorted(p.name for p in list_plans(PLANS_DIR)) == SHIPPED
    for plan in list_plans(PLANS_DIR):
        assert plan.language == "nb"
        assert {"Folkevalgt", "Administrasjon", "Innbygger", "Regional aktør"} <= set(plan.roles)
        assert plan.settings["min_group_size"] == 3
        # Every workshop ends by turning its results into actions (issue 8).
        assert plan.steps[0].kind == "info" and plan.steps[-1].kind == "actions"
        assert plan.steps[-2].kind == "results"
        assert all(step.title and step.prompt for step in plan.steps)
        for language in ("nb", "nn", "en"):
            last = load_plan(plan.name, PLANS_DIR, language=language).steps[-1]
            assert last.kind == "actions" and last.title and last.prompt


def test_plan_simplification_keeps_its_core_and_gains_review_and_rate() -> None:
    plan = load_plan("plan-simplification", PLANS_DIR)
    kinds = [step.kind for step in plan.steps]
    assert kinds[:4] == ["info", "collect", "vote", "results"]  # positions others rely on
    assert plan.steps[1].prompt == "Hva i planarbeidet kan gjøres enklere?"
    assert plan.steps[2].config["votes_per_participant"] == 5
    assert kinds.index("collect") < kinds.index("review") < kinds.index("rate")
    assert kinds.index("rate") < len(kinds) - 2 and kinds[-2:] == ["results", "actions"]
    rate = plan.steps[kinds.index("rate")]
    assert [(c["key"], c["label"]) for c in rate.config["criteria"]] == [
        (c["key"], c["label"]) for c in DEFAULT_CRITERIA
    ]
    review = plan.steps[kinds.index("review")]
    assert "lokal" in review.prompt and "regional" in review.prompt and "nasjonal" in review.prompt


def test_plan_culture_asks_for_agreement_on_role_statements() -> None:
    plan = load_plan("plan-culture", PLANS_DIR)
    assert plan.title == "Plankultur og rolleavklaring"
    kinds = [step.kind for step in plan.steps]
    assert "vote" not in kinds  # agree / disagree is a step kind of its own
    assert "mode" not in plan.steps[kinds.index("agree")].config
    assert kinds.index("agree") < kinds.index("results")
    assert plan.steps[kinds.index("results")].config["breakdown"] == "role"
    assert len(plan.proposals) >= 8
    assert all(p.category in plan.categories for p in plan.proposals)
    # The statements that divide the roles become actions.
    assert kinds[-1] == "actions" and "splitter rollene" in plan.steps[-1].prompt
    texts = " ".join(p.title for p in plan.proposals).lower()
    for word in ("folkevalgte", "administrasjonen", "delegering", "planstrategien"):
        assert word in texts


def test_planstrategi_kickoff_lists_plans_to_revise_keep_merge_or_drop() -> None:
    plan = load_plan("planstrategi-kickoff", PLANS_DIR)
    assert plan.title == "Oppstart av planstrategien"
    assert {"revidere", "beholde", "slå sammen", "avvikle"} <= set(plan.categories)
    titles = [p.title for p in plan.proposals]
    for expected in (
        "Kommuneplanens samfunnsdel",
        "Kommuneplanens arealdel",
        "Boligplan",
        "Trafikksikkerhetsplan",
    ):
        assert expected in titles
    # Every plan carries who decides the change; revising samfunnsdel/arealdel is the council's.
    assert all(p.change_level in CHANGE_LEVELS for p in plan.proposals)
    assert {p.change_level for p in plan.proposals} == {"lokal", "nasjonal"}
    kinds = [step.kind for step in plan.steps]
    vote = plan.steps[kinds.index("vote")]
    assert vote.config.get("mode", "dots") == "dots" and vote.config["votes_per_participant"] >= 3
    assert plan.steps[kinds.index("results")].config["breakdown"] == "change_level"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_plan_runs_from_first_to_last_step(api: Api, name: str) -> None:
    ws = api.create(plan=name)
    plan = load_plan(name, PLANS_DIR)
    assert [s["kind"] for s in ws.data["steps"]] == [s.kind for s in plan.steps]
    phone = api.join(ws.code, role="Folkevalgt")
    for position in range(1, len(plan.steps)):
        moved = api.step(ws, action="next")
        assert moved.status_code == 200, moved.get_json()
        assert moved.get_json()["step"]["position"] == position
        assert snapshot(api, ws, phone)["step"]["position"] == position
    assert snapshot(api, ws, phone)["revealed"] is True


def test_statements_of_a_plan_become_visible_proposals(api: Api) -> None:
    ws = api.create(plan="plan-culture")
    plan = load_plan("plan-culture", PLANS_DIR)
    phone = api.join(ws.code, role="Administrasjon")
    seen = snapshot(api, ws, phone)["proposals"]
    assert [p["title"] for p in seen] == [p.title for p in plan.proposals]
    assert all(p["status"] == "visible" for p in seen)
    staff = snapshot(api, ws)["proposals"]
    assert {p["source"] for p in staff} == {"plan"}
    with db.session() as session:
        authors = session.scalars(
            select(Proposal.participant_id)
            .join(WorkshopRow, WorkshopRow.id == Proposal.workshop_id)
            .where(WorkshopRow.code == ws.code)
        )
        assert set(authors) == {None}


def test_proposals_of_a_plan_keep_their_change_level(api: Api) -> None:
    ws = api.create(plan="planstrategi-kickoff")
    staff = {p["title"]: p for p in snapshot(api, ws)["proposals"]}
    assert staff["Kommuneplanens arealdel"]["change_level"] == "lokal"
    assert staff["Alkoholpolitisk handlingsplan"]["change_level"] == "nasjonal"
    assert staff["Boligplan"]["change_level"] == "lokal"
    assert staff["Boligplan"]["classification_settled"] is True
    assert all(p["classification_settled"] for p in staff.values())


def test_a_plan_timer_becomes_the_step_timer(api: Api) -> None:
    ws = api.create(plan="plan-culture")
    collect = snapshot(api, ws)["steps"][1]
    assert collect["kind"] == "collect"
    assert collect["timer"]["seconds"] == 300 and collect["timer"]["running"] is False


def test_a_results_step_says_what_it_breaks_down_by(api: Api) -> None:
    ws = api.create(plan="planstrategi-kickoff")
    results = snapshot(api, ws)["steps"][-2]
    assert results["breakdown"] == "change_level"


# --- validation of the new plan fields --------------------------------------------------------


def with_step_field(kind: str, line: str) -> str:
    """VALID with one extra line in the first step of a kind."""
    marker = f'kind = "{kind}"\n'
    return VALID.replace(marker, marker + line + "\n", 1)


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        (with_step_field("vote", 'mode = "rank"'), "mode"),
        (with_step_field("collect", 'mode = "agree"'), "mode"),
        (with_step_field("rate", 'criteria = "gevinst"'), "criteria"),
        (with_step_field("rate", "criteria = []"), "criteria"),
        (with_step_field("rate", 'criteria = [{ label = "Uten nøkkel" }]'), "key"),
        (with_step_field("rate", 'criteria = [{ key = "Gevinst", label = "G" }]'), "key"),
        (with_step_field("rate", 'criteria = [{ key = "gevinst" }]'), "label"),
        (with_step_field("rate", 'criteria = [{ key = "g", label = "G", low = 1 }]'), "low"),
        (with_step_field("rate", 'criteria = [{ key = "g", label = "G", farge = "r" }]'), "farge"),
        (
            with_step_field(
                "rate", 'criteria = [{ key = "g", label = "A" }, { key = "g", label = "B" }]'
            ),
            "key",
        ),
        (with_step_field("rate", 'criteria = ["gevinst"]'), "criteria"),
        (with_step_field("vote", 'criteria = [{ key = "g", label = "G" }]'), "criteria"),
        (with_step_field("collect", "timer_seconds = 5"), "timer_seconds"),
        (with_step_field("collect", 'timer_seconds = "300"'), "timer_seconds"),
        (with_step_field("collect", "timer_seconds = true"), "timer_seconds"),
        (with_step_field("collect", "timer_seconds = 99999"), "timer_seconds"),
        (with_step_field("collect", 'auto_advance = "ja"'), "auto_advance"),
        (with_step_field("results", 'breakdown = "alder"'), "breakdown"),
        (with_step_field("vote", 'breakdown = "role"'), "breakdown"),
        ('statements = "Påstand"\n' + VALID, "statements"),
        (VALID + '\n[[statements]]\nbody = "Uten tittel"\n', "title"),
        (VALID + '\n[[statements]]\ntitle = "   "\n', "title"),
        (VALID + f'\n[[statements]]\ntitle = "{"x" * 201}"\n', "title"),
        (VALID + '\n[[statements]]\ntitle = "P"\nbody = 3\n', "body"),
        (VALID + '\n[[statements]]\ntitle = "P"\ncategory = "ukjent"\n', "category"),
        (VALID + '\n[[proposals]]\ntitle = "P"\nchange_level = "kommunal"\n', "change_level"),
        (VALID + '\n[[proposals]]\ntitle = "P"\nfarge = "blå"\n', "farge"),
        (VALID + '\n[[statements]]\ntitle = "Lik"\n\n[[proposals]]\ntitle = "lik"\n', "to ganger"),
    ],
)
def test_a_broken_plan_field_names_the_file_and_the_problem(
    tmp_path: Path, text: str, explains: str
) -> None:
    path = write_plan(tmp_path, "odelagt", text)
    with pytest.raises(PlanError) as caught:
        load_plan_file(path)
    assert "odelagt.toml" in str(caught.value)
    assert explains in str(caught.value)


def test_the_new_fields_are_read_when_valid(tmp_path: Path) -> None:
    text = with_step_field("vote", 'mode = "agree"')
    text = text.replace(
        'kind = "rate"\n',
        'kind = "rate"\ncriteria = [{ key = "nytte", '
        'label = "Nytte", low = " lite ", high = "mye" }]\n',
    )
    text = text.replace(
        'kind = "collect"\n', 'kind = "collect"\ntimer_seconds = 10\nauto_advance = true\n'
    )
    text += '\n[[statements]]\ntitle = " En påstand "\ncategory = "arealdel"\n'
    text += '\n[[proposals]]\ntitle = "Et forslag"\nbody = "Tekst"\nchange_level = "lokal"\n'
    plan = load_plan_file(write_plan(tmp_path, "ny", text))
    assert plan.steps[0].config == {"timer_seconds": 10, "auto_advance": True}
    # The old form of an agree step still loads, converted to kind agree.
    assert (plan.steps[1].kind, plan.steps[1].config.get("mode")) == ("agree", None)
    assert plan.steps[2].config["criteria"] == [
        {"key": "nytte", "label": "Nytte", "low": "lite", "high": "mye"}
    ]
    assert [(p.title, p.body, p.category, p.change_level) for p in plan.proposals] == [
        ("En påstand", "", "arealdel", None),
        ("Et forslag", "Tekst", None, "lokal"),
    ]


# --- the plans folder -----------------------------------------------------------------------


def test_the_plans_folder_is_a_setting(app: Any, plans: Path) -> None:
    assert plans_dir() == plans.resolve()
    write_plan(plans, "egen", VALID)
    assert "egen" in [p.name for p in list_plans()]


def test_the_plans_folder_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fra-miljoet"
    folder.mkdir()
    monkeypatch.setenv("WORKSHOP_PLANS_DIR", str(folder))
    assert Settings.from_env(data_dir=tmp_path / "d").plans_dir == folder.resolve()
    assert plans_dir() == folder
    monkeypatch.delenv("WORKSHOP_PLANS_DIR")
    assert plans_dir() == PLANS_DIR


def test_an_app_without_a_plans_setting_uses_the_shipped_folder(tmp_path: Path) -> None:
    application = create_app(
        Settings.from_env(
            data_dir=tmp_path / "d", admin_key=ADMIN_KEY, testing=True, plans_dir=None
        )
    )
    try:
        with application.app_context():
            assert plans_dir() == PLANS_DIR
    finally:
        dispose_app(application)


def test_a_workshop_starts_from_a_plan_in_the_chosen_folder(api: Api, plans: Path) -> None:
    write_plan(plans, "kort", VALID)
    ws = api.create(plan="kort")
    assert [s["kind"] for s in ws.data["steps"]] == ["collect", "vote", "rate", "results"]


# --- saving the running agenda as a plan --------------------------------------------------------


@pytest.fixture
def ws(api: Api, client: FlaskClient) -> Workshop:
    """A plan-simplification workshop whose agenda the facilitator changed."""
    made = api.create(plan="plan-simplification")
    headers = Api.auth(made.facilitator_key)
    added = client.post(
        f"/api/v1/workshops/{made.code}/steps",
        headers=headers,
        json={
            "kind": "vote",
            "title": "Enig eller uenig?",
            "position": 3,
            "config": {"mode": "agree"},
            "timer_seconds": 5,
            "auto_advance": True,
        },
    )
    assert added.status_code == 201
    steps = added.get_json()["steps"]
    review = next(s for s in steps if s["kind"] == "review")
    edited = client.patch(
        f"/api/v1/workshops/{made.code}/steps/{review['id']}",
        headers=headers,
        json={"title": 'Sorter "like" \\ og\navklar'},
    )
    assert edited.status_code == 200
    return made


def test_the_agenda_is_saved_as_a_new_plan(
    api: Api, client: FlaskClient, ws: Workshop, plans: Path, saved_dir: Path
) -> None:
    response = save(
        client,
        ws,
        name="forenkling-var",
        title="Forenkling, vår versjon",
        description="Med en enig/uenig-runde.",
    )
    assert response.status_code == 201
    data = response.get_json()
    assert data["name"] == "forenkling-var" and data["title"] == "Forenkling, vår versjon"
    assert data["proposals"] == 0
    saved = load_plan("forenkling-var")
    assert (saved_dir / "forenkling-var.toml").is_file()  # the data folder, not the shipped one
    assert not (plans / "forenkling-var.toml").exists() and saved.saved
    agenda = snapshot(api, ws)["steps"]
    assert [(s.kind, s.title, s.prompt) for s in saved.steps] == [
        (s["kind"], s["title"], s["prompt"]) for s in agenda
    ]
    assert data["steps"] == [{"kind": s["kind"], "title": s["title"]} for s in agenda]
    assert saved.title == "Forenkling, vår versjon"
    assert saved.description == "Med en enig/uenig-runde."
    added = saved.steps[3]
    assert added.kind == "agree" and "mode" not in added.config
    assert added.config["timer_seconds"] == 10  # plans ask for at least 10 seconds
    assert added.config["auto_advance"] is True
    rate = next(s for s in saved.steps if s.kind == "rate")
    assert rate.config["criteria"] == [dict(c) for c in DEFAULT_CRITERIA]
    assert rate.config["timer_seconds"] == 600
    assert saved.roles == snapshot(api, ws)["roles"]
    assert saved.settings == load_plan("plan-simplification").settings
    text = (saved_dir / "forenkling-var.toml").read_text(encoding="utf-8")
    assert text.startswith("# Øktplan lagret ") and ws.code in text.splitlines()[0]
    again = api.create(plan="forenkling-var")
    assert [s["title"] for s in again.data["steps"]] == [s["title"] for s in agenda]
    assert [a.action for a in audit(ws.code)][-1] == "plan_saved"


def test_visible_proposals_may_be_saved_with_the_plan(
    api: Api, client: FlaskClient, plans: Path
) -> None:
    ws = api.create(plan="planstrategi-kickoff")
    headers = Api.auth(ws.facilitator_key)
    client.post(
        f"/api/v1/workshops/{ws.code}/proposals",
        headers=headers,
        json={"title": "Kommunedelplan for kystsonen", "category": "lage ny"},
    )
    with db.session() as session:
        session.execute(
            update(Proposal).where(Proposal.title == "Landbruksplan").values(status="hidden")
        )
        session.commit()
    response = save(
        client, ws, name="strategi-2027", title="Planstrategi 2027", include_proposals=True
    )
    assert response.status_code == 201
    saved = load_plan("strategi-2027")
    titles = [p.title for p in saved.proposals]
    assert "Kommunedelplan for kystsonen" in titles and "Landbruksplan" not in titles
    assert response.get_json()["proposals"] == len(titles) == 14
    by_title = {p.title: p for p in saved.proposals}
    assert by_title["Kommunedelplan for kystsonen"].category == "lage ny"
    assert by_title["Boligplan"].change_level == "lokal"
    assert "lage ny" in saved.categories


def test_an_existing_plan_is_never_overwritten(
    client: FlaskClient, ws: Workshop, plans: Path, saved_dir: Path
) -> None:
    shipped = (plans / "plan-culture.toml").read_bytes()
    response = save(client, ws, name="plan-culture", title="Overskriver")
    assert_error(response, 409, "conflict")
    assert "plan-culture" in response.get_json()["error"]["message"]
    assert (plans / "plan-culture.toml").read_bytes() == shipped
    assert save(client, ws, name="min-plan", title="Første").status_code == 201
    first = (saved_dir / "min-plan.toml").read_bytes()
    assert_error(save(client, ws, name="min-plan", title="Andre"), 409, "conflict")
    assert (saved_dir / "min-plan.toml").read_bytes() == first
    assert not [p for p in saved_dir.iterdir() if p.name.startswith(".")]  # no drafts left behind
    assert not (saved_dir / "plan-culture.toml").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Uten navn"},
        {"name": "", "title": "T"},
        {"name": "Stor", "title": "T"},
        {"name": "med_understrek", "title": "T"},
        {"name": "../utenfor", "title": "T"},
        {"name": "-bindestrek", "title": "T"},
        {"name": "a" * 61, "title": "T"},
        {"name": "æøå", "title": "T"},
        {"name": "navn\n", "title": "T"},
        {"name": "navn\r\n", "title": "T"},
        {"name": " navn", "title": "T"},
        {"name": "navn.toml", "title": "T"},
        {"name": 5, "title": "T"},
        {"name": "ok"},
        {"name": "ok", "title": "  "},
        {"name": "ok", "title": "T", "description": 5},
        {"name": "ok", "title": "T", "include_proposals": "ja"},
    ],
)
def test_invalid_plan_names_and_fields_are_refused(
    client: FlaskClient, ws: Workshop, plans: Path, saved_dir: Path, body: dict[str, Any]
) -> None:
    before = sorted(p.name for p in plans.iterdir())
    response = save(client, ws, **body)
    assert_error(response, 422, "validation")
    if not isinstance(body.get("name"), str) or body["name"].strip("\r\n ") != body["name"]:
        assert "a–z" in response.get_json()["error"]["fields"].get("name", "a–z")
    assert sorted(p.name for p in plans.iterdir()) == before
    assert not saved_dir.exists() or not list(saved_dir.iterdir())
    assert not (plans.parent / "utenfor.toml").exists()


def test_only_the_facilitator_saves_a_plan(
    api: Api, client: FlaskClient, ws: Workshop, plans: Path
) -> None:
    for key in (api.join(ws.code), ws.projector_key):
        assert_error(save(client, ws, key, name="x", title="X"), 403, "forbidden")
    assert_error(save(client, ws, "not-a-key", name="x", title="X"), 401, "unauthorized")
    assert not (plans / "x.toml").exists()


def test_plan_text_survives_quotes_backslashes_and_newlines() -> None:
    data = {
        "title": 'Si "ja" \\ eller\nnei\t?',
        "settings": {"moderation": False},
        "steps": [
            {
                "kind": "rate",
                "title": "Æ ø å",
                "criteria": [{"key": "g", "label": 'G "x"', "low": "", "high": "høy"}],
            }
        ],
    }
    parsed = tomllib.loads(render_plan(data, comment="linje én\nlinje to"))
    assert parsed == data


def audit(code: str) -> list[AuditEntry]:
    with db.session() as session:
        workshop_id = session.scalar(select(WorkshopRow.id).where(WorkshopRow.code == code))
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.workshop_id == workshop_id)
                .order_by(AuditEntry.id)
            )
        )


# --- who decides the actions ----------------------------------------------------------------


def test_a_plan_names_its_deciding_bodies_and_actions_use_them(api: Api, plans: Path) -> None:
    bodies = '\n[settings]\ndecision_bodies = ["kommunestyret", " Planutvalget "]\n'
    write_plan(plans, "vedtak", VALID.replace("[[steps]]", bodies + "\n[[steps]]", 1))
    assert load_plan("vedtak", plans).settings["decision_bodies"] == [
        "kommunestyret",
        "Planutvalget",
    ]
    ws = api.create(plan="vedtak")
    assert snapshot(api, ws, ws.facilitator_key)["decision_bodies"] == [
        "kommunestyret",
        "Planutvalget",
    ]
    url = f"/api/v1/workshops/{ws.code}/actions"
    made = api.client.post(
        url,
        json={"what": "Ny rutine", "decided_by": "Planutvalget"},
        headers=api.auth(ws.facilitator_key),
    )
    assert made.status_code == 201, made.get_json()
    refused = api.client.post(
        url,
        json={"what": "Mer", "decided_by": "formannskapet"},
        headers=api.auth(ws.facilitator_key),
    )
    assert_error(refused, 422, "validation")
    # Saved again as a plan, the workshop keeps them.
    assert save(api.client, ws, name="vedtak-igjen", title="Igjen").status_code == 201
    assert load_plan("vedtak-igjen").settings["decision_bodies"][1] == "Planutvalget"


def test_a_plan_without_deciding_bodies_offers_the_usual_six(api: Api) -> None:
    ws = api.create(plan="plan-culture")
    assert "decision_bodies" not in load_plan("plan-culture", PLANS_DIR).settings
    assert len(snapshot(api, ws, ws.facilitator_key)["decision_bodies"]) == 6


@pytest.mark.parametrize("value", ["[]", '["ok", ""]', '"kommunestyret"', "[1]"])
def test_deciding_bodies_must_be_a_list_of_names(tmp_path: Path, value: str) -> None:
    text = VALID.replace("[[steps]]", f"\n[settings]\ndecision_bodies = {value}\n\n[[steps]]", 1)
    with pytest.raises(PlanError) as caught:
        load_plan_file(write_plan(tmp_path, "feil", text))
    assert "decision_bodies" in str(caught.value)


def test_a_saved_agenda_keeps_the_plans_other_languages_where_unchanged(
    api: Api, client: FlaskClient, plans: Path
) -> None:
    ws = api.create(plan="plan-simplification", language="nn")
    staff = snapshot(api, ws)
    collect = next(s for s in staff["steps"] if s["kind"] == "collect")
    edited = client.patch(
        f"/api/v1/workshops/{ws.code}/steps/{collect['id']}",
        json={"title": "Forslag frå Lierne"},
        headers=Api.auth(ws.facilitator_key),
    )
    assert edited.status_code == 200, edited.get_json()
    assert save(client, ws, name="lierne-nn", title="Lierne si økt").status_code == 201
    english = load_plan("lierne-nn", language="en")
    nynorsk = load_plan("lierne-nn", language="nn")
    shipped = load_plan("plan-simplification", PLANS_DIR, language="en")
    assert nynorsk.language == "nn" and english.steps[0].title == shipped.steps[0].title
    # the edited title exists only in nynorsk: the English reader sees the room's own words
    assert english.steps[collect["position"]].title == "Forslag frå Lierne"
    assert english.steps[-1].title == shipped.steps[-1].title == "Actions"
    assert english.roles == shipped.roles and english.categories == shipped.categories
    assert [s.title for s in nynorsk.steps] == [s["title"] for s in snapshot(api, ws)["steps"]]
