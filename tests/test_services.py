"""The service layer: one transaction per use case, events only after the commit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.support.events import of_type
from workshop import session_plans
from workshop.extensions import use_publisher
from workshop.services import access, participants, proposals, snapshots, votes, workshops
from workshop.services.errors import (
    Forbidden,
    NotFound,
    OverBudget,
    Unauthorized,
    ValidationFailed,
    WrongStep,
)
from workshop.services.events import Event, RecordingPublisher

CAPPED_PLAN = """
name = "capped"
title = "Med tak"
roles = ["Folkevalgt", "Administrasjon"]
categories = ["arealdel"]

[settings]
votes_per_participant = 6
max_votes_per_proposal = 2

[[steps]]
kind = "collect"
title = "Forslag"

[[steps]]
kind = "vote"
title = "Stem"

[[steps]]
kind = "vote"
title = "Stem igjen, med tak på steget"
votes_per_participant = 4
max_votes_per_proposal = 1

[[steps]]
kind = "results"
title = "Resultater"
"""


class Created:
    """A workshop created through the service, with its keys."""

    def __init__(self, plan: str = "plan-simplification", **settings: Any) -> None:
        made = workshops.create_workshop("Tjenesteverksted", plan, None, settings or None)
        self.code = made.code
        self.facilitator = made.facilitator_key
        self.projector = made.projector_key
        self.steps = made.steps

    def go(self, kind: str, nth: int = 0) -> dict[str, Any]:
        position = [s["position"] for s in self.steps if s["kind"] == kind][nth]
        return workshops.change_step(self.code, self.facilitator, position=position)

    def view(self, key: str | None = None) -> dict[str, Any]:
        return snapshots.get_snapshot(self.code, key or self.facilitator)

    def join(self, role: str | None = None) -> str:
        return participants.join_workshop(self.code, role=role).key

    def add(self, title: str, key: str | None = None) -> int:
        submitted = proposals.submit_proposal(self.code, key or self.facilitator, title)
        return submitted.proposal["id"]


def test_joining_publishes_the_participant_count_to_staff(recorder: RecordingPublisher) -> None:
    ws = Created()
    joined = participants.join_workshop(ws.code, name="Kari", role="Folkevalgt")
    assert isinstance(joined.participant_id, int)
    events = of_type(recorder.events, "participants")
    assert len(events) == 1
    assert events[0].workshop_code == ws.code
    assert events[0].audience == "staff"
    assert events[0].data == {"participants": 1}
    assert events[0].version == ws.view()["version"]


def test_a_step_change_publishes_the_new_step(recorder: RecordingPublisher) -> None:
    ws = Created()
    step = ws.go("collect")
    events = of_type(recorder.events, "step_changed")
    assert len(events) == 1
    assert events[0].audience == "everyone"
    assert events[0].data["step"] == step
    assert events[0].data["step"]["kind"] == "collect"
    assert events[0].version == ws.view()["version"]
    assert recorder.tallies == []
    ws.go("vote")
    assert recorder.tallies == [ws.code]  # screens get a tally when voting opens


def test_a_proposal_is_published_to_everyone_unless_moderated(
    recorder: RecordingPublisher,
) -> None:
    ws = Created(moderation=True)
    ws.go("collect")
    phone = ws.join()
    ws.add("Fra fasilitator")
    ws.add("Fra telefon", phone)
    added = of_type(recorder.events, "proposal_added")
    assert [(e.data["proposal"]["title"], e.audience) for e in added] == [
        ("Fra fasilitator", "everyone"),
        ("Fra telefon", "facilitator"),
    ]
    assert added[1].data["proposal"]["status"] == "pending"


def test_a_vote_notes_a_tally_change_without_broadcasting_it(
    recorder: RecordingPublisher,
) -> None:
    ws = Created()
    ws.go("collect")
    pid = ws.add("Ett")
    ws.go("vote")
    key = ws.join()
    recorder.events.clear()
    recorder.tallies.clear()
    stored = votes.set_allocation(ws.code, key, {str(pid): 2})
    assert (stored.allocations, stored.remaining) == ({str(pid): 2}, 3)
    assert recorder.tallies == [ws.code]
    assert recorder.events == []  # no per-vote broadcast to every phone


@pytest.mark.parametrize(
    "refused",
    [
        "propose_on_info_step",
        "propose_unknown_category",
        "vote_over_budget",
        "vote_on_collect_step",
        "participant_steers",
        "join_unknown_role",
        "wrong_key",
    ],
)
def test_a_refused_action_publishes_nothing_and_stores_nothing(
    recorder: RecordingPublisher, refused: str
) -> None:
    ws = Created()
    phone = ws.join()
    pid = ws.add("Finnes")
    if refused.startswith("vote_over"):
        ws.go("vote")
    if refused == "propose_unknown_category":
        ws.go("collect")
    before = ws.view()
    recorder.events.clear()
    recorder.tallies.clear()
    attempts = {
        "propose_on_info_step": (WrongStep, lambda: ws.add("For tidlig", phone)),
        "propose_unknown_category": (
            ValidationFailed,
            lambda: proposals.submit_proposal(ws.code, phone, "X", category="skatt"),
        ),
        "vote_over_budget": (
            OverBudget,
            lambda: votes.set_allocation(ws.code, phone, {str(pid): 6}),
        ),
        "vote_on_collect_step": (
            WrongStep,
            lambda: votes.set_allocation(ws.code, phone, {str(pid): 1}),
        ),
        "participant_steers": (
            Forbidden,
            lambda: workshops.change_step(ws.code, phone, action="next"),
        ),
        "join_unknown_role": (
            ValidationFailed,
            lambda: participants.join_workshop(ws.code, role="Kongen"),
        ),
        "wrong_key": (Unauthorized, lambda: ws.add("Inntrenger", "feil-nøkkel")),
    }
    error, attempt = attempts[refused]
    with pytest.raises(error):
        attempt()
    assert recorder.events == []
    assert recorder.tallies == []
    after = ws.view()
    assert after["version"] == before["version"]
    assert after["proposals"] == before["proposals"]
    assert after["participants"] == before["participants"]
    assert after["step"] == before["step"]


def test_an_idempotent_retry_publishes_nothing_new(recorder: RecordingPublisher) -> None:
    ws = Created()
    ws.go("collect")
    phone = ws.join()
    first = proposals.submit_proposal(ws.code, phone, "Én gang", client_key="k1")
    version = ws.view()["version"]
    recorder.events.clear()
    again = proposals.submit_proposal(ws.code, phone, "Én gang", client_key="k1")
    assert (first.created, again.created) == (True, False)
    assert again.proposal == first.proposal
    assert recorder.events == []
    assert ws.view()["version"] == version


def test_versions_rise_by_one_with_every_committed_change(recorder: RecordingPublisher) -> None:
    ws = Created()
    versions = [ws.view()["version"]]
    ws.go("collect")
    versions.append(ws.view()["version"])
    phone = ws.join()
    versions.append(ws.view()["version"])
    pid = ws.add("Forslag", phone)
    versions.append(ws.view()["version"])
    ws.go("vote")
    versions.append(ws.view()["version"])
    votes.set_allocation(ws.code, phone, {str(pid): 1})
    versions.append(ws.view()["version"])
    votes.set_allocation(ws.code, phone, {str(pid): 2})
    versions.append(ws.view()["version"])
    assert versions == list(range(versions[0], versions[0] + 7))
    published = [e.version for e in recorder.events]
    assert published == sorted(published) and len(set(published)) == len(published)
    assert set(published) <= set(versions)


class CommitChecker:
    """A publisher that, on every publish, reads the database through a fresh unit of work."""

    def __init__(self, code: str, facilitator: str) -> None:
        self.code = code
        self.facilitator = facilitator
        self.seen: list[tuple[Event, dict[str, Any]]] = []

    def publish(self, events: list[Event]) -> None:
        view = snapshots.get_snapshot(self.code, self.facilitator)
        self.seen.extend((event, view) for event in events)

    def votes_changed(self, workshop_code: str) -> None:
        """Not needed here."""


@pytest.fixture
def restore_publisher(app: Flask) -> Iterator[Flask]:
    previous = use_publisher(app, RecordingPublisher())
    yield app
    use_publisher(app, previous)


def test_events_are_published_only_after_their_commit(restore_publisher: Flask) -> None:
    ws = Created()
    checker = CommitChecker(ws.code, ws.facilitator)
    use_publisher(restore_publisher, checker)
    ws.go("collect")
    phone = ws.join()
    ws.add("Synlig i databasen", phone)
    kinds = [event.type for event, _ in checker.seen]
    assert kinds == ["step_changed", "participants", "proposal_added"]
    for event, view in checker.seen:
        # what another connection reads at publish time already holds the change
        assert view["version"] == event.version
    step_view = checker.seen[0][1]
    assert step_view["step"]["kind"] == "collect"
    assert checker.seen[1][1]["participants"] == 1
    assert [p["title"] for p in checker.seen[2][1]["proposals"]] == ["Synlig i databasen"]


def test_snapshots_show_phones_visible_proposals_and_staff_everything(app: Flask) -> None:
    ws = Created(moderation=True)
    ws.go("collect")
    phone = ws.join()
    ws.add("Venter", phone)
    ws.add("Synlig")
    assert [p["title"] for p in ws.view(phone)["proposals"]] == ["Synlig"]
    staff = ws.view()["proposals"]
    assert [(p["title"], p["status"]) for p in staff] == [
        ("Venter", "pending"),
        ("Synlig", "visible"),
    ]
    assert ws.view(phone)["audience"] == "participant"
    assert "settings" not in ws.view(phone)


def test_unknown_workshops_and_foreign_keys(app: Flask) -> None:
    one, two = Created(), Created()
    with pytest.raises(NotFound):
        snapshots.get_snapshot("ZZZZZZ", one.facilitator)
    with pytest.raises(Unauthorized):
        snapshots.get_snapshot(two.code, one.facilitator)
    with pytest.raises(Unauthorized):
        snapshots.get_snapshot(two.code, one.join())


# --- A per-proposal cap, from a session plan in its own folder --------------------------


@pytest.fixture
def capped_plans(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plans folder with a plan that caps dots per proposal."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "capped.toml").write_text(CAPPED_PLAN, encoding="utf-8")
    monkeypatch.setattr(session_plans, "PLANS_DIR", folder)
    return folder


def test_a_plan_from_the_plans_folder_sets_roles_and_settings(capped_plans: Path) -> None:
    ws = Created("capped")
    view = ws.view()
    assert view["roles"] == ["Folkevalgt", "Administrasjon"]
    assert view["categories"] == ["arealdel"]
    assert view["settings"]["max_votes_per_proposal"] == 2
    step = ws.go("vote")
    assert (step["votes_per_participant"], step["max_votes_per_proposal"]) == (6, 2)


def test_the_per_proposal_cap_is_enforced(capped_plans: Path) -> None:
    ws = Created("capped")
    a, b, c = ws.add("A"), ws.add("B"), ws.add("C")
    ws.go("vote")
    phone = ws.join()
    votes.set_allocation(ws.code, phone, {str(a): 1})
    with pytest.raises(OverBudget):
        votes.set_allocation(ws.code, phone, {str(a): 3})
    with pytest.raises(OverBudget):
        votes.set_allocation(ws.code, phone, {str(a): 2, str(b): 3})
    assert ws.view(phone)["me"]["allocations"] == {str(a): 1}
    stored = votes.set_allocation(ws.code, phone, {str(a): 2, str(b): 2, str(c): 2})
    assert stored.remaining == 0


def test_a_step_may_set_its_own_budget_and_cap(capped_plans: Path) -> None:
    ws = Created("capped")
    a, b = ws.add("A"), ws.add("B")
    step = ws.go("vote", nth=1)
    assert (step["votes_per_participant"], step["max_votes_per_proposal"]) == (4, 1)
    phone = ws.join()
    with pytest.raises(OverBudget):
        votes.set_allocation(ws.code, phone, {str(a): 2})
    assert votes.set_allocation(ws.code, phone, {str(a): 1, str(b): 1}).remaining == 2


def test_the_cap_is_refused_over_http_with_the_over_budget_code(
    capped_plans: Path, app: Flask
) -> None:
    ws = Created("capped")
    a = ws.add("A")
    ws.go("vote")
    phone = ws.join()
    response = app.test_client().put(
        f"/api/v1/workshops/{ws.code}/votes",
        json={"allocations": {str(a): 3}},
        headers={"Authorization": f"Bearer {phone}"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "over_budget"


def test_votes_of_one_vote_step_do_not_count_in_another(capped_plans: Path) -> None:
    ws = Created("capped")
    a = ws.add("A")
    ws.go("vote")
    phone = ws.join()
    votes.set_allocation(ws.code, phone, {str(a): 2})
    ws.go("vote", nth=1)
    assert ws.view(phone)["me"]["allocations"] == {}
    assert ws.view(phone)["me"]["remaining"] == 4


@pytest.mark.parametrize("key", ["", "nøkkel"])
def test_empty_and_non_ascii_keys_are_refused(app: Flask, key: str) -> None:
    """Keys that are not of this workshop are refused, never a crash (JSON of other types never
    reaches the service: the socket handler refuses it, see test_realtime.py)."""
    ws = Created()
    with pytest.raises(Unauthorized):
        access.identify_key(ws.code, key)
