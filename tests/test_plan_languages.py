"""Plans in the municipality's form (nb, nn, en), their content, and the proposal bank."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.support.api import Api, snapshot
from tests.support.config import ADMIN_KEY, write_plan
from tests.support.errors import assert_error
from tests.support.forms import csrf_of
from workshop.models import CHANGE_LEVELS
from workshop.session_plans import PLANS_DIR, PlanError, list_plans, load_plan, load_plan_file

LANGS = ("nb", "nn", "en")
SHIPPED = ["plan-culture", "plan-igp", "plan-simplification", "planstrategi-kickoff"]

TWO_LANGUAGES = """
language = "nn"
title = { nn = "Kort plan", en = "Short plan" }
roles = [{ nn = "Folkevald", en = "Elected member" }, "Anna"]
categories = [{ nn = "arealdel", en = "land use" }]

[[steps]]
kind = "collect"
title.nn = "Forslag"
prompt.nn = "Kva kan gjerast enklare?"

[[steps]]
kind = "rate"
title = "Vurder"
criteria = [{ key = "nytte", label = { nn = "Nytte", en = "Benefit" } }]

[[proposals]]
title = { nn = "Eitt forslag", en = "A proposal" }
category = "arealdel"
"""


# --- every shipped plan in three languages ----------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_plan_has_all_three_languages(name: str) -> None:
    plans = {lang: load_plan(name, PLANS_DIR, language=lang) for lang in LANGS}
    assert all(plan.languages == LANGS for plan in plans.values())
    nb, nn, en = plans["nb"], plans["nn"], plans["en"]
    for other in (nn, en):  # the same plan: structure and settings, only the words differ
        assert [s.kind for s in other.steps] == [s.kind for s in nb.steps]
        assert other.settings == nb.settings
        assert len(other.roles) == len(nb.roles) and len(other.categories) == len(nb.categories)
        assert [p.change_level for p in other.proposals] == [p.change_level for p in nb.proposals]
        assert all(p.category in other.categories for p in other.proposals if p.category)
    # Every step's title and prompt is translated into English.
    assert all(e.title != b.title or e.title == "" for e, b in zip(en.steps, nb.steps, strict=True))
    assert all(e.prompt != b.prompt for e, b in zip(en.steps, nb.steps, strict=True))
    assert "Folkevald" in nn.roles and "Folkevalgt" not in nn.roles
    assert "Elected member" in en.roles
    assert len(set(nn.categories)) == len(nn.categories)


def test_a_plan_loads_in_its_own_language_without_one_asked() -> None:
    assert load_plan("plan-culture", PLANS_DIR).roles[0] == "Folkevalgt"
    assert load_plan("plan-culture", PLANS_DIR, language="xx").roles[0] == "Folkevalgt"


def test_criteria_labels_and_themes_follow_the_language() -> None:
    en = load_plan("plan-simplification", PLANS_DIR, language="en")
    rate = next(s for s in en.steps if s.kind == "rate")
    assert [c["label"] for c in rate.config["criteria"]] == ["Benefit", "Effort"]
    assert "regional guidance" in en.categories
    nn = load_plan("plan-simplification", PLANS_DIR, language="nn")
    assert "medverknad" in nn.categories and "temaplanar" in nn.categories


def test_a_missing_translation_falls_back_to_the_plans_own_language(tmp_path: Path) -> None:
    path = write_plan(tmp_path, "kort", TWO_LANGUAGES)
    nb = load_plan_file(path, "nb")  # no bokmål at all: nynorsk, the plan's own
    assert nb.title == "Kort plan" and nb.roles == ["Folkevald", "Anna"]
    en = load_plan_file(path, "en")
    assert en.title == "Short plan" and en.roles == ["Elected member", "Anna"]
    assert en.steps[0].title == "Forslag" and en.steps[0].prompt == "Kva kan gjerast enklare?"
    assert en.steps[1].config["criteria"][0]["label"] == "Benefit"
    # A proposal names its theme in the plan's own language; it lands on the same theme.
    assert en.proposals[0].category == "land use" and en.proposals[0].title == "A proposal"
    assert en.languages == ("nn", "en")


def test_a_text_without_the_plans_own_language_is_refused(tmp_path: Path) -> None:
    broken = TWO_LANGUAGES.replace('title.nn = "Forslag"', 'title.en = "Proposals"')
    with pytest.raises(PlanError, match=r"kort\.toml.*steps\.0\.title.*\(nn\)"):
        load_plan_file(write_plan(tmp_path, "kort", broken))


def test_a_broken_translation_names_the_language(tmp_path: Path) -> None:
    broken = TWO_LANGUAGES.replace(
        'label = { nn = "Nytte", en = "Benefit" }', 'label = { nn = "Nytte", en = "" }'
    )
    with pytest.raises(PlanError, match=r"\[en\].*steg 2"):
        load_plan_file(write_plan(tmp_path, "kort", broken))


def test_a_plan_in_one_language_still_loads(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        "enkel",
        'title = "Enkel"\nroles = ["Folkevalgt"]\n[[steps]]\nkind = "info"\ntitle = "Hei"\n',
    )
    assert load_plan_file(path, "nn").roles == ["Folkevalgt"]
    assert load_plan_file(path).languages == ("nb",)


# --- a workshop gets the plan in its language -------------------------------------------------


def test_a_nynorsk_workshop_gets_nynorsk_steps_roles_and_themes(api: Api) -> None:
    ws = api.create(plan="plan-simplification", language="nn")
    assert [s["title"] for s in ws.data["steps"]][:4] == [
        "Velkomen",
        "Forslag",
        "Prikkestemming",
        "Resultat",
    ]
    staff = snapshot(api, ws)
    assert staff["language"] == "nn"
    assert staff["roles"][0] == "Folkevald" and "Innbyggjar" in staff["roles"]
    assert "regional rettleiing" in staff["categories"]
    phone = api.join(ws.code, role="Folkevald")  # the phone picks the nynorsk role
    assert snapshot(api, ws, phone)["roles"][0] == "Folkevald"
    api.go_to(ws, "collect")
    assert api.propose(ws.code, phone, "Færre planar", category="medverknad").status_code == 201


def test_an_english_workshop_of_the_culture_plan_gets_english_statements(api: Api) -> None:
    ws = api.create(plan="plan-culture", language="en")
    staff = snapshot(api, ws)
    titles = [p["title"] for p in staff["proposals"]]
    assert "Case documents refer to the plans the case builds on." in titles
    assert {p["category"] for p in staff["proposals"]} <= set(staff["categories"])
    assert staff["roles"][0] == "Elected member"


def test_a_workshop_without_a_language_keeps_the_plans_own(api: Api) -> None:
    ws = api.create(plan="plan-culture")
    staff = snapshot(api, ws)
    assert staff["language"] == "nb" and staff["roles"][0] == "Folkevalgt"


# --- the content a planner would write --------------------------------------------------------


def test_planstrategi_plans_all_carry_who_decides_the_change() -> None:
    for lang in LANGS:
        plan = load_plan("planstrategi-kickoff", PLANS_DIR, language=lang)
        assert all(p.change_level in CHANGE_LEVELS for p in plan.proposals)
    nb = {p.title: p for p in load_plan("planstrategi-kickoff", PLANS_DIR).proposals}
    # Whether and when to revise them is the council's own decision in the planning strategy.
    assert nb["Kommuneplanens samfunnsdel"].change_level == "lokal"
    assert nb["Kommuneplanens arealdel"].change_level == "lokal"
    # Only plans a law requires are national; a grant condition is not law.
    assert nb["Alkoholpolitisk handlingsplan"].change_level == "nasjonal"
    sport = nb["Kommunedelplan for idrett og fysisk aktivitet"]
    assert "ikke et lovkrav" in sport.body.lower() and sport.change_level == "lokal"


def _all_text(name: str, lang: str) -> str:
    plan = load_plan(name, PLANS_DIR, language=lang)
    parts = [plan.title, plan.description, *plan.roles, *plan.categories]
    parts += [s.title + " " + s.prompt for s in plan.steps]
    parts += [p.title + " " + p.body for p in plan.proposals]
    parts += [b.title + " " + b.body for b in plan.bank]
    return " ".join(parts)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_bodies_are_named_as_they_are(name: str) -> None:
    text = _all_text(name, "nb")
    assert "fylket" not in text.lower() and "planområde" not in text.lower()


def test_the_culture_plan_asks_about_awareness_youth_councils_capacity_and_planforum() -> None:
    plan = load_plan("plan-culture", PLANS_DIR)
    text = " ".join(p.title for p in plan.proposals)
    for phrase in (
        "Saksframleggene viser til planene",
        "Folkevalgte får opplæring i planene",
        "Barn og unge",
        "kommuneloven § 5-12",
        "kapasitet",
        "regionalt planforum",
    ):
        assert phrase in text


def test_the_interface_says_tema_and_star_over(client: object) -> None:
    root = Path(__file__).resolve().parent.parent / "templates"
    html = " ".join(p.read_text(encoding="utf-8") for p in root.rglob("*.html"))
    assert "Planområde" not in html and "Pass på" not in html
    assert "_('Tema" in html and "_('Står over" in html


# --- the proposal bank ------------------------------------------------------------------------


def test_the_simplification_plan_ships_a_bank_in_three_languages() -> None:
    for lang in LANGS:
        plan = load_plan("plan-simplification", PLANS_DIR, language=lang)
        assert 8 <= len(plan.bank) <= 15
        assert all(item.category in plan.categories for item in plan.bank)
        assert all(item.change_level in CHANGE_LEVELS for item in plan.bank)
        assert all(item.plan_type for item in plan.bank)
    nb = load_plan("plan-simplification", PLANS_DIR)
    assert {item.change_level for item in nb.bank} == set(CHANGE_LEVELS)
    assert any(item.law == "pbl § 10-1" for item in nb.bank)
    ids = [item.id for item in nb.bank]
    assert ids == [i.id for i in load_plan("plan-simplification", PLANS_DIR, language="en").bank]
    assert all(not p.bank for p in list_plans(PLANS_DIR) if p.name != "plan-simplification")


def test_bank_ids_must_be_unique(tmp_path: Path) -> None:
    entry = '\n[[bank]]\nid = "a"\ntitle = "A"\n'
    with pytest.raises(PlanError, match="samme «id»"):
        load_plan_file(write_plan(tmp_path, "kort", TWO_LANGUAGES + entry + entry))


def test_the_facilitator_lists_and_adds_bank_proposals_once(api: Api) -> None:
    ws = api.create(plan="plan-simplification", language="nn")
    key = api.auth(ws.facilitator_key)
    listed = api.client.get(f"/api/v1/workshops/{ws.code}/bank", headers=key).get_json()["bank"]
    assert len(listed) >= 8 and all(item["proposal_id"] is None for item in listed)
    first = listed[0]
    assert first["law"] == "pbl § 10-1" and first["category"] == "planstrategi"
    assert first["title"].startswith("Slå saman")  # in the workshop's language
    url = f"/api/v1/workshops/{ws.code}/bank"
    once = api.client.post(url, json={"ids": [first["id"], listed[1]["id"]]}, headers=key)
    assert once.status_code == 200, once.get_json()
    added = once.get_json()
    assert added["added"] == 2
    proposal = added["proposals"][0]
    assert proposal["source"] == "bank" and proposal["status"] == "visible"
    assert proposal["change_level"] == first["change_level"]
    assert "pbl § 10-1" in proposal["body"]
    twice = api.client.post(url, json={"ids": [first["id"]]}, headers=key).get_json()
    assert twice["added"] == 0 and twice["proposals"][0]["id"] == proposal["id"]
    staff = snapshot(api, ws)["proposals"]
    assert [p["source"] for p in staff].count("bank") == 2
    again = api.client.get(url, headers=key).get_json()["bank"]
    assert again[0]["proposal_id"] == proposal["id"] and again[2]["proposal_id"] is None
    phone = api.join(ws.code)
    assert proposal["id"] in [p["id"] for p in snapshot(api, ws, phone)["proposals"]]


def test_bank_proposals_are_marked_in_the_export(api: Api) -> None:
    ws = api.create(plan="plan-simplification")
    key = api.auth(ws.facilitator_key)
    first = api.client.get(f"/api/v1/workshops/{ws.code}/bank", headers=key).get_json()["bank"][0]
    api.client.post(f"/api/v1/workshops/{ws.code}/bank", json={"ids": [first["id"]]}, headers=key)
    exported = api.client.get(
        f"/api/v1/workshops/{ws.code}/export.csv?dialect=rfc4180", headers=key
    )
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["source"] for row in rows if row["title"] == first["title"]] == ["bank"]


def test_only_the_facilitator_uses_the_bank_and_unknown_ids_are_refused(api: Api) -> None:
    ws = api.create(plan="plan-simplification")
    url = f"/api/v1/workshops/{ws.code}/bank"
    phone = api.join(ws.code)
    assert_error(api.client.get(url, headers=api.auth(phone)), 403, "forbidden")
    assert_error(
        api.client.post(url, json={"ids": ["delegering"]}, headers=api.auth(ws.projector_key)),
        403,
        "forbidden",
    )
    key = api.auth(ws.facilitator_key)
    assert_error(api.client.post(url, json={"ids": ["finnes-ikke"]}, headers=key), 404, "not_found")
    assert_error(api.client.post(url, json={"ids": []}, headers=key), 422, "validation")
    assert snapshot(api, ws)["proposals"] == []


def test_a_plan_without_a_bank_lists_none(api: Api) -> None:
    ws = api.create(plan="plan-culture")
    bank = api.client.get(f"/api/v1/workshops/{ws.code}/bank", headers=api.auth(ws.facilitator_key))
    assert bank.get_json() == {"bank": []}


def test_the_facilitator_screen_has_a_labelled_bank_form_that_adds_once(api: Api) -> None:
    ws = api.create(plan="plan-simplification", language="nn")
    client = api.client
    client.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    html = client.get(f"/f/{ws.code}").get_data(as_text=True)
    assert 'id="bank-heading">Forslagsbanken</h2>' in html
    assert '<label for="bank-delegering">Deleger kurante plansaker' in html  # nynorsk titles
    assert 'name="bank_id" value="delegering"' in html
    assert "Tema" in html and "Planområde" not in html
    form = {"csrf": csrf_of(html), "bank_id": ["delegering"]}
    for _ in range(2):  # a second post (a double click, a reload) adds nothing
        assert client.post(f"/f/{ws.code}/bank", data=form).status_code == 302
    staff = snapshot(api, ws)["proposals"]
    assert [p["source"] for p in staff] == ["bank"]
    html = client.get(f"/f/{ws.code}").get_data(as_text=True)
    assert re.search(r'value="delegering"\s+checked disabled', html)
    assert '<span class="source">Frå forslagsbanken</span>' in html  # marked for the staff


def test_a_plan_without_a_bank_shows_no_bank_form(api: Api) -> None:
    ws = api.create(plan="plan-culture")
    api.client.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    assert 'id="bank-form"' not in api.client.get(f"/f/{ws.code}").get_data(as_text=True)


def test_the_start_page_names_the_plans_in_the_readers_language(client: FlaskClient) -> None:
    assert client.get(f"/start?key={ADMIN_KEY}").status_code == 302
    english = client.get("/start?lang=en").get_data(as_text=True)
    assert "Simplifying the planning work – individual, group, plenary" in english
    assert "Forenkling av planarbeidet – individ" not in english
    nynorsk = client.get("/start?lang=nn").get_data(as_text=True)
    assert load_plan("plan-igp", PLANS_DIR, language="nn").description in nynorsk
