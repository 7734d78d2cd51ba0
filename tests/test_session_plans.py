"""Session plans: the shipped plan, and broken plan files explained by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.config import write_plan
from workshop.session_plans import PLANS_DIR, PlanError, list_plans, load_plan, load_plan_file

VALID = """
title = "Kort plan"

[[steps]]
kind = "collect"
title = "Forslag"
prompt = "Hva kan gjøres enklere?"

[[steps]]
kind = "vote"
title = "Stem"
"""


def test_the_shipped_plan_is_valid_and_runs_a_whole_workshop() -> None:
    plan = load_plan("plan-simplification")
    assert plan.name == "plan-simplification"
    assert plan.title == "Forenkling av planarbeidet"
    assert plan.language == "nb"
    assert [step.kind for step in plan.steps] == [
        "info",
        "collect",
        "vote",
        "results",
        "review",
        "rate",
        "results",
        "actions",
    ]
    collect = plan.steps[1]
    assert collect.prompt == "Hva i planarbeidet kan gjøres enklere?"
    vote = plan.steps[2]
    assert vote.config["votes_per_participant"] == 5
    assert plan.settings["votes_per_participant"] == 5
    assert plan.settings["moderation"] is False
    assert plan.settings["min_group_size"] == 3
    assert all(step.title for step in plan.steps)


def test_the_shipped_plan_has_the_roles_and_plan_areas_of_the_design() -> None:
    plan = load_plan("plan-simplification")
    assert plan.roles == [
        "Folkevalgt",
        "Administrasjon",
        "Innbygger",
        "Næringsliv og frivillighet",
        "Regional aktør",
        "Annet",
    ]
    for area in (
        "planstrategi",
        "samfunnsdel",
        "arealdel",
        "reguleringsplan",
        "medvirkning",
        "handlingsdel og økonomiplan",
        "interkommunalt samarbeid",
    ):
        assert area in plan.categories


def test_every_shipped_plan_loads() -> None:
    plans = list_plans()
    assert "plan-simplification" in [plan.name for plan in plans]
    assert len(plans) == len(list(PLANS_DIR.glob("*.toml")))


def test_a_minimal_plan_gets_the_default_settings(tmp_path: Path) -> None:
    plan = load_plan_file(write_plan(tmp_path, "kort", VALID))
    assert plan.name == "kort"
    assert plan.settings == {
        "moderation": False,
        "votes_per_participant": 5,
        "max_votes_per_proposal": 0,
        "min_group_size": 3,
    }
    assert plan.steps[0].prompt == "Hva kan gjøres enklere?"
    assert plan.steps[1].prompt == ""
    assert [p.name for p in list_plans(tmp_path)] == ["kort"]


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ('title = "Uavsluttet\n[[steps]]\nkind = "info"', "TOML"),
        (VALID.replace('kind = "vote"', 'kind = "quiz"'), "kind"),
        (VALID.replace('title = "Kort plan"', ""), "title"),
        (VALID.replace('title = "Kort plan"', 'title = "   "'), "title"),
        (VALID.replace('title = "Stem"', ""), "title"),
        ('title = "Ingen steg"\n', "steg"),
        ('title = "Tom liste"\nsteps = []\n', "steg"),
        (VALID + '\n[settings]\nvotes_per_participant = "fem"\n', "votes_per_participant"),
        (VALID + "\n[settings]\nmoderation = 1\n", "moderation"),
        (VALID + "\n[settings]\nvotes_per_participant = 0\n", "votes_per_participant"),
        (VALID + "\n[settings]\nmax_votes_per_proposal = -1\n", "max_votes_per_proposal"),
        (VALID + "\n[settings]\nmin_group_size = 0\n", "min_group_size"),
        (VALID + "\n[settings]\nsecret = true\n", "secret"),
        ('settings = "nei"\n' + VALID, "settings"),
        ('language = "sv"\n' + VALID, "language"),
        ('roles = ["A", "A"]\n' + VALID, "roles"),
        ('categories = "arealdel"\n' + VALID, "categories"),
        (VALID + "votes_per_participant = 0\n", "votes_per_participant"),
        (VALID + "votes_per_participant = true\n", "votes_per_participant"),
        (VALID + 'max_votes_per_proposal = "to"\n', "max_votes_per_proposal"),
        (VALID.replace('prompt = "Hva kan gjøres enklere?"', "prompt = 3"), "prompt"),
    ],
)
def test_a_broken_plan_names_the_file_and_the_problem(
    tmp_path: Path, text: str, explains: str
) -> None:
    path = write_plan(tmp_path, "odelagt", text)
    with pytest.raises(PlanError) as caught:
        load_plan_file(path)
    message = str(caught.value)
    assert "odelagt.toml" in message
    assert explains in message
    with pytest.raises(PlanError, match="odelagt.toml"):
        list_plans(tmp_path)


@pytest.mark.parametrize("name", ["finnes-ikke", "../sessions/plan-simplification", ".skjult", ""])
def test_unknown_or_unsafe_plan_names_are_refused(name: str) -> None:
    with pytest.raises(PlanError):
        load_plan(name)


def test_a_plan_from_another_folder(tmp_path: Path) -> None:
    write_plan(tmp_path, "kort", VALID)
    assert load_plan("kort", tmp_path).title == "Kort plan"
    with pytest.raises(PlanError):
        load_plan("plan-simplification", tmp_path)
