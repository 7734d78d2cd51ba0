"""Moderation: the queue, approve, hide and show, edit (original kept), recategorise, change level.

Services and the JSON API on a real SQLite file, and the realtime behaviour over real sockets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from tests.support.api import Api
from tests.support.errors import assert_error
from tests.support.moderation import Room, audit_actions, plan, room, stored_proposal
from tests.support.realtime import Hall, events_of, proposals_received
from workshop.schemas import parse_body
from workshop.schemas.requests import PatchProposal
from workshop.services import moderation, proposals
from workshop.services.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from workshop.services.events import RecordingPublisher
from workshop.services.moderation import Changes, moderate_proposal, validate_changes

__all__ = ["plan", "room"]  # the fixtures, imported for the tests below

CHANGE_LEVEL_REFUSED = "Endringsnivået må være lokal, regional eller nasjonal."
STAFF_FIELDS = {
    "change_level",
    "classification_settled",
    "source",
    "merged_into_id",
    "original_title",
    "original_body",
}


def ids(view: dict[str, Any]) -> list[int]:
    return [p["id"] for p in view["proposals"]]


@pytest.fixture
def moderated(plan: str) -> Room:
    """A workshop on its collect step, moderation on."""
    made = Room(plan, moderation=True)
    made.go("collect")
    return made


# --- the queue: moderation off by default, on when chosen ----------------------------------


def test_moderation_is_off_by_default(room: Room) -> None:
    phone = room.join()
    pid = room.add("Kortere planprogram", phone)
    assert room.proposal(pid)["status"] == "visible"
    assert pid in ids(room.view(phone))
    assert moderation.moderation_queue(room.code, room.facilitator) == []


def test_a_pending_proposal_waits_in_the_queue_until_approved(
    moderated: Room, recorder: RecordingPublisher
) -> None:
    phone, other = moderated.join(), moderated.join()
    pid = moderated.add("Felles planlegger med nabokommunene", phone)
    facilitator_added = moderated.add("Skrevet inn av fasilitator")
    queue = moderation.moderation_queue(moderated.code, moderated.facilitator)
    assert [p["id"] for p in queue] == [pid]
    assert queue[0]["status"] == "pending" and queue[0]["source"] == "phone"
    assert pid not in ids(moderated.view(other))
    assert pid not in ids(moderated.view(moderated.projector))
    assert facilitator_added in ids(moderated.view(other))

    version = moderated.view()["version"]
    recorder.events.clear()
    approved = moderation.approve_proposal(moderated.code, moderated.facilitator, pid)

    assert approved["status"] == "visible"
    assert pid in ids(moderated.view(other))
    assert moderation.moderation_queue(moderated.code, moderated.facilitator) == []
    assert moderated.view()["version"] == version + 1
    [event] = recorder.events
    assert (event.type, event.audience, event.version) == (
        "proposal_updated",
        "everyone",
        version + 1,
    )
    assert event.data["proposal"] == {
        "id": pid,
        "title": "Felles planlegger med nabokommunene",
        "body": "",
        "category": None,
        "status": "visible",
    }
    assert event.data["meta"] == {
        "change_level": None,
        "suggested_change_level": None,
        "classification_settled": False,
        "source": "phone",
    }
    assert ("proposal_approved", {"proposal_id": pid, "from": "pending", "to": "visible"}) in (
        audit_actions(moderated.code)
    )


def test_rejecting_a_pending_proposal_tells_only_the_facilitator(
    moderated: Room, recorder: RecordingPublisher
) -> None:
    pid = moderated.add("Noe upassende", moderated.join())
    recorder.events.clear()
    hidden = moderation.hide_proposal(moderated.code, moderated.facilitator, pid)
    assert hidden["status"] == "hidden"
    [event] = recorder.events
    assert (event.type, event.audience) == ("proposal_updated", "facilitator")
    assert event.data["proposal"]["status"] == "hidden"
    assert set(event.data["proposal"]) >= STAFF_FIELDS
    assert audit_actions(moderated.code)[-1][0] == "proposal_rejected"


# --- hide and show ---------------------------------------------------------------------------


def test_hiding_a_visible_proposal_removes_it_from_phones_and_projector(
    room: Room, recorder: RecordingPublisher
) -> None:
    phone = room.join()
    pid = room.add("Bruk planstrategien aktivt", phone)
    recorder.events.clear()
    recorder.tallies.clear()
    moderation.hide_proposal(room.code, room.facilitator, pid)

    assert pid not in ids(room.view(phone))
    assert pid not in ids(room.view(room.projector))
    assert room.proposal(pid)["status"] == "hidden"
    removed, update = recorder.events
    assert (removed.type, removed.audience, removed.data) == (
        "proposal_removed",
        "everyone",
        {"id": pid, "reason": "hidden"},
    )
    assert (update.type, update.audience) == ("proposal_updated", "facilitator")
    assert update.data["proposal"]["status"] == "hidden"
    assert removed.version == update.version == room.view()["version"]
    assert recorder.tallies == [room.code]
    assert audit_actions(room.code)[-1] == (
        "proposal_hidden",
        {"proposal_id": pid, "from": "visible", "to": "hidden"},
    )


def test_a_hidden_proposal_can_be_shown_again(room: Room, recorder: RecordingPublisher) -> None:
    phone = room.join()
    pid = room.add("Kortere samfunnsdel", phone)
    moderation.hide_proposal(room.code, room.facilitator, pid)
    recorder.events.clear()
    shown = moderation.show_proposal(room.code, room.facilitator, pid)
    assert shown["status"] == "visible"
    assert pid in ids(room.view(phone))
    [event] = recorder.events
    assert (event.type, event.audience) == ("proposal_updated", "everyone")
    assert event.data["proposal"]["status"] == "visible"
    assert audit_actions(room.code)[-1][0] == "proposal_shown"


def test_hidden_proposals_cannot_get_dots(room: Room) -> None:
    from workshop.services import votes

    phone = room.join()
    pid = room.add("Skjult forslag")
    moderation.hide_proposal(room.code, room.facilitator, pid)
    room.go("vote")
    with pytest.raises(ValidationFailed):
        votes.set_allocation(room.code, phone, {str(pid): 1})


# --- edit: the original text is kept ---------------------------------------------------------


def test_the_first_edit_keeps_the_original_and_later_edits_never_overwrite_it(
    room: Room,
) -> None:
    pid = room.add(
        "Slå samen handlingsdel og økonomiplan", room.join(), body="Ring meg på 99 99 99 99"
    )
    first = moderation.edit_proposal(
        room.code, room.facilitator, pid, title="Slå sammen handlingsdel og økonomiplan"
    )
    assert first["title"] == "Slå sammen handlingsdel og økonomiplan"
    assert first["body"] == "Ring meg på 99 99 99 99"
    assert first["original_title"] == "Slå samen handlingsdel og økonomiplan"
    assert first["original_body"] == "Ring meg på 99 99 99 99"

    second = moderation.edit_proposal(room.code, room.facilitator, pid, body="")
    assert (second["title"], second["body"]) == ("Slå sammen handlingsdel og økonomiplan", "")
    assert second["original_title"] == "Slå samen handlingsdel og økonomiplan"
    assert second["original_body"] == "Ring meg på 99 99 99 99"
    assert [a for a, _ in audit_actions(room.code) if a == "proposal_edited"] == [
        "proposal_edited",
        "proposal_edited",
    ]
    assert audit_actions(room.code)[-1][1] == {"proposal_id": pid, "fields": ["body"]}


def test_an_edit_back_to_the_original_is_still_an_edit(room: Room) -> None:
    pid = room.add("Original tittel")
    moderation.edit_proposal(room.code, room.facilitator, pid, title="Endret tittel")
    back = moderation.edit_proposal(room.code, room.facilitator, pid, title="Original tittel")
    assert back["title"] == back["original_title"] == "Original tittel"
    assert back["original_body"] == ""
    stored = stored_proposal(pid)
    assert stored.original_title == "Original tittel"
    assert [a for a, _ in audit_actions(room.code)].count("proposal_edited") == 2


def test_phones_never_receive_the_original_text(room: Room, recorder: RecordingPublisher) -> None:
    phone = room.join()
    pid = room.add("Kari Nordmann i nabohuset bygger ulovlig", phone)
    recorder.events.clear()
    moderation.edit_proposal(room.code, room.facilitator, pid, title="Ulovlig bygging")
    event, staff_view = recorder.events  # staff snapshots hold the original wording too
    assert event.audience == "everyone"
    assert "Kari" not in repr(event.data)
    assert staff_view.audience == "staff" and "Kari" in repr(staff_view.data)
    phone_view = next(p for p in room.view(phone)["proposals"] if p["id"] == pid)
    assert not STAFF_FIELDS & set(phone_view)
    assert "Kari" not in repr(room.view(phone))
    assert room.proposal(pid)["original_title"] == "Kari Nordmann i nabohuset bygger ulovlig"


def test_editing_a_pending_proposal_tells_only_the_facilitator(
    moderated: Room, recorder: RecordingPublisher
) -> None:
    pid = moderated.add("Vent litt", moderated.join())
    recorder.events.clear()
    moderation.edit_proposal(moderated.code, moderated.facilitator, pid, title="Venter")
    [event] = recorder.events
    assert (event.type, event.audience) == ("proposal_updated", "facilitator")
    assert event.data["proposal"]["original_title"] == "Vent litt"
    assert stored_proposal(pid).status == "pending"


def test_a_change_to_the_same_value_changes_nothing(
    room: Room, recorder: RecordingPublisher
) -> None:
    pid = room.add("Uendret", category="arealdel")
    version = room.view()["version"]
    recorder.events.clear()
    same = moderate_proposal(
        room.code,
        room.facilitator,
        pid,
        validate_changes(status="visible", title="Uendret", category="arealdel"),
    )
    assert same["original_title"] is None
    assert room.view()["version"] == version
    assert recorder.events == []


# --- category and change level --------------------------------------------------------------


def test_recategorise_to_a_category_of_the_workshop_or_none(room: Room) -> None:
    pid = room.add("Planforum tidlig", category="planstrategi")
    moved = moderation.recategorise_proposal(room.code, room.facilitator, pid, "arealdel")
    assert moved["category"] == "arealdel"
    assert audit_actions(room.code)[-1] == (
        "proposal_recategorised",
        {"proposal_id": pid, "from": "planstrategi", "to": "arealdel"},
    )
    cleared = moderation.recategorise_proposal(room.code, room.facilitator, pid, None)
    assert cleared["category"] is None
    with pytest.raises(ValidationFailed):
        moderation.recategorise_proposal(room.code, room.facilitator, pid, "skatt")
    assert stored_proposal(pid).category is None


def test_a_participant_suggests_a_change_level_and_the_facilitator_settles_it(
    room: Room,
) -> None:
    phone = room.join()
    submitted = proposals.submit_proposal(
        room.code, phone, "Færre planplikter i særlovene", change_level="lokal"
    )
    pid = submitted.proposal["id"]
    stored = stored_proposal(pid)
    # A participant only suggests: change_level is the facilitator's to settle (API.md).
    assert (stored.suggested_change_level, stored.change_level) == ("lokal", None)
    assert stored.classification_settled is False
    assert room.proposal(pid)["classification_settled"] is False
    assert room.proposal(pid)["suggested_change_level"] == "lokal"

    settled = moderation.settle_change_level(room.code, room.facilitator, pid, "nasjonal")
    assert (settled["change_level"], settled["classification_settled"]) == ("nasjonal", True)
    assert stored_proposal(pid).suggested_change_level == "lokal"  # the suggestion stays
    assert audit_actions(room.code)[-1] == (
        "change_level_settled",
        {"proposal_id": pid, "from": None, "to": "nasjonal", "settled": True},
    )


def test_settling_the_suggested_level_unchanged_still_settles_it(room: Room) -> None:
    pid = room.add("Kortere planprogram", room.join(), change_level="lokal")
    settled = moderation.settle_change_level(room.code, room.facilitator, pid, "lokal")
    assert (settled["change_level"], settled["classification_settled"]) == ("lokal", True)


def test_clearing_the_change_level_unsettles_it(room: Room) -> None:
    pid = room.add("Veileder fra staten", change_level="nasjonal")
    assert room.proposal(pid)["classification_settled"] is True  # the facilitator's own word
    cleared = moderation.settle_change_level(room.code, room.facilitator, pid, None)
    assert (cleared["change_level"], cleared["classification_settled"]) == (None, False)


@pytest.mark.parametrize("level", ["kommunal", "", "LOKAL ", 1, ["lokal"], True])
def test_an_unknown_change_level_is_refused_on_submit_and_settle(
    client: FlaskClient, room: Room, level: Any
) -> None:
    phone = room.join()
    before = room.view()
    submitted = client.post(
        f"/api/v1/workshops/{room.code}/proposals",
        json={"title": "Med feil nivå", "change_level": level},
        headers=Api.auth(phone),
    )
    assert assert_error(submitted, 422, "validation")["message"] == CHANGE_LEVEL_REFUSED
    assert room.view()["proposals"] == before["proposals"]
    pid = room.add("Riktig")
    settled = patch(client, room, pid, {"change_level": level})
    assert assert_error(settled, 422, "validation")["message"] == CHANGE_LEVEL_REFUSED
    assert stored_proposal(pid).change_level is None


# --- refusals store nothing and publish nothing ----------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        "participant",
        "projector",
        "wrong_key",
        "unknown_proposal",
        "other_workshop",
        "status_merged",
        "status_pending",
        "empty_title",
        "long_title",
        "long_body",
        "unknown_category",
        "nothing",
        "bad_in_one_field",
    ],
)
def test_a_refused_change_stores_and_publishes_nothing(
    room: Room, plan: str, recorder: RecordingPublisher, attempt: str
) -> None:
    phone = room.join()
    pid = room.add("Et forslag", phone)
    other = Room(plan)
    other_pid = other.add("I et annet verksted")
    before = room.view()
    audit_before = audit_actions(room.code)
    recorder.events.clear()
    recorder.tallies.clear()
    hide = Changes(status="hidden")

    def patched(body: dict[str, Any]) -> Changes:
        """What PATCH does with a body: the model checks it, the service normalises it."""
        typed = parse_body(PatchProposal, body)
        return validate_changes(**typed.model_dump(include=typed.model_fields_set))

    cases: dict[str, tuple[type[Exception], Any]] = {
        "participant": (Forbidden, lambda: moderate_proposal(room.code, phone, pid, hide)),
        "projector": (Forbidden, lambda: moderate_proposal(room.code, room.projector, pid, hide)),
        "wrong_key": (Unauthorized, lambda: moderate_proposal(room.code, "feil", pid, hide)),
        "unknown_proposal": (
            NotFound,
            lambda: moderate_proposal(room.code, room.facilitator, 999_999, hide),
        ),
        "other_workshop": (
            NotFound,
            lambda: moderate_proposal(room.code, room.facilitator, other_pid, hide),
        ),
        "status_merged": (ValidationFailed, lambda: patched({"status": "merged"})),
        "status_pending": (ValidationFailed, lambda: patched({"status": "pending"})),
        "empty_title": (ValidationFailed, lambda: patched({"title": "   "})),
        "long_title": (ValidationFailed, lambda: patched({"title": "x" * 201})),
        "long_body": (ValidationFailed, lambda: patched({"body": "x" * 2001})),
        "unknown_category": (
            ValidationFailed,
            lambda: moderate_proposal(
                room.code, room.facilitator, pid, validate_changes(category="skatt")
            ),
        ),
        "nothing": (
            ValidationFailed,
            lambda: moderate_proposal(room.code, room.facilitator, pid, Changes()),
        ),
        "bad_in_one_field": (
            ValidationFailed,
            lambda: moderate_proposal(
                room.code,
                room.facilitator,
                pid,
                validate_changes(title="Ny tittel", status="hidden", category="skatt"),
            ),
        ),
    }
    error, call = cases[attempt]
    with pytest.raises(error):
        call()
    assert room.view() == before
    assert stored_proposal(pid).original_title is None
    assert audit_actions(room.code) == audit_before
    assert recorder.events == [] and recorder.tallies == []


def test_a_merged_proposal_cannot_be_moderated(room: Room) -> None:
    from workshop.services import merging

    survivor, merged = room.add("Felles planlegger"), room.add("Felles planlegger i regionen")
    merging.merge_proposals(room.code, room.facilitator, survivor, [merged])
    for changes in (Changes(status="visible"), validate_changes(title="Gjenoppliv")):
        with pytest.raises(ValidationFailed) as refused:
            moderate_proposal(room.code, room.facilitator, merged, changes)
        assert f"slått sammen med forslag {survivor}" in str(refused.value.message)
    assert stored_proposal(merged).status == "merged"


# --- the JSON API -----------------------------------------------------------------------------


def patch(client: FlaskClient, room: Room, pid: Any, body: Any, key: str | None = None) -> Any:
    return client.patch(
        f"/api/v1/workshops/{room.code}/proposals/{pid}",
        json=body,
        headers=Api.auth(room.facilitator if key is None else key),
    )


def test_patch_changes_several_fields_at_once(client: FlaskClient, moderated: Room) -> None:
    pid = moderated.add("Mal for planstrategi", moderated.join(), change_level="regional")
    response = patch(
        client,
        moderated,
        pid,
        {
            "status": "visible",
            "title": "Maler for planstrategi",
            "body": "Hyllevare",
            "category": "planstrategi",
            "change_level": "regional",
        },
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "id": pid,
        "title": "Maler for planstrategi",
        "body": "Hyllevare",
        "category": "planstrategi",
        "status": "visible",
        "change_level": "regional",
        "suggested_change_level": "regional",
        "classification_settled": True,
        "source": "phone",
        "merged_into_id": None,
        "original_title": "Mal for planstrategi",
        "original_body": "",
    }
    actions = [a for a, _ in audit_actions(moderated.code)][-4:]
    assert actions == [
        "proposal_approved",
        "proposal_edited",
        "proposal_recategorised",
        "change_level_settled",
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "validation"),
        ({"status": "merged"}, 422, "validation"),
        ({"status": "gone"}, 422, "validation"),
        ({"title": ""}, 422, "validation"),
        ({"title": 5}, 422, "validation"),
        ({"title": "   "}, 422, "validation"),
        ({"title": None}, 422, "validation"),
        ({"status": None}, 422, "validation"),
        ({"body": ["x"]}, 422, "validation"),
        ({"category": "skatt"}, 422, "validation"),
        ({"category": 3}, 422, "validation"),
        ({"change_level": "kommunal"}, 422, "validation"),
        ({"titel": "skrivefeil"}, 422, "validation"),
        (["status", "hidden"], 422, "validation"),
    ],
)
def test_patch_refuses_bad_input(
    client: FlaskClient, room: Room, body: Any, status: int, code: str
) -> None:
    pid = room.add("Urørt")
    before = room.view()
    assert_error(patch(client, room, pid, body), status, code)
    assert room.view() == before


def test_patch_refuses_other_keys_and_unknown_proposals(
    client: FlaskClient, room: Room, plan: str
) -> None:
    phone = room.join()
    pid = room.add("Mitt forslag", phone)
    other = Room(plan)
    before = room.view()
    assert_error(patch(client, room, pid, {"status": "hidden"}, phone), 403, "forbidden")
    assert_error(patch(client, room, pid, {"status": "hidden"}, room.projector), 403, "forbidden")
    assert_error(
        patch(client, room, pid, {"status": "hidden"}, other.facilitator), 401, "unauthorized"
    )
    assert_error(patch(client, room, pid, {"status": "hidden"}, ""), 401, "unauthorized")
    assert_error(patch(client, room, 999_999, {"status": "hidden"}), 404, "not_found")
    assert_error(patch(client, room, "abc", {"status": "hidden"}), 404, "not_found")
    assert_error(
        client.patch(
            f"/api/v1/workshops/ZZZZZZ/proposals/{pid}",
            json={"status": "hidden"},
            headers=Api.auth(room.facilitator),
        ),
        404,
        "not_found",
    )
    assert room.view() == before


def test_post_proposal_takes_a_suggested_change_level(
    api: Api, client: FlaskClient, room: Room
) -> None:
    phone = room.join()
    response = api.propose(room.code, phone, "Lengre rulleringsfrist", change_level="nasjonal")
    assert response.status_code == 201
    assert "change_level" not in response.get_json()  # phones see the public shape
    stored = stored_proposal(response.get_json()["id"])
    assert (stored.suggested_change_level, stored.change_level) == ("nasjonal", None)
    assert stored.classification_settled is False
    assert_error(api.propose(room.code, phone, "Feil", change_level="fylke"), 422, "validation")
    by_facilitator = api.propose(
        room.code, room.facilitator, "Fra lapp", source="paper", change_level="lokal"
    ).get_json()
    assert by_facilitator["source"] == "paper"
    assert (by_facilitator["change_level"], by_facilitator["classification_settled"]) == (
        "lokal",
        True,
    )


def test_queue_endpoint_lists_pending_for_the_facilitator_only(
    client: FlaskClient, moderated: Room
) -> None:
    phone = moderated.join()
    pid = moderated.add("I kø", phone)
    response = client.get(
        f"/api/v1/workshops/{moderated.code}/queue", headers=Api.auth(moderated.facilitator)
    )
    assert response.status_code == 200
    assert [p["id"] for p in response.get_json()["proposals"]] == [pid]
    assert_error(
        client.get(f"/api/v1/workshops/{moderated.code}/queue", headers=Api.auth(phone)),
        403,
        "forbidden",
    )


def test_similar_endpoint_groups_duplicates_for_the_facilitator(
    client: FlaskClient, moderated: Room
) -> None:
    phone = moderated.join()
    a = moderated.add("Slå sammen handlingsdel og økonomiplan")
    b = moderated.add("Handlingsdelen og økonomiplanen bør slås sammen", phone)  # pending
    hidden = moderated.add("Slå sammen handlingsdelen og økonomiplanen!")
    moderation.hide_proposal(moderated.code, moderated.facilitator, hidden)
    moderated.add("Ungdomsrådet involveres tidlig i alle planer")
    url = f"/api/v1/workshops/{moderated.code}/similar"
    response = client.get(url, headers=Api.auth(moderated.facilitator))
    assert response.status_code == 200
    groups = response.get_json()["groups"]
    assert [g["ids"] for g in groups] == [[a, b]]
    assert groups[0]["score"] >= 90
    strict = client.get(url + "?threshold=100", headers=Api.auth(moderated.facilitator))
    assert strict.get_json()["threshold"] == 100
    assert_error(client.get(url, headers=Api.auth(phone)), 403, "forbidden")
    assert_error(client.get(url, headers=Api.auth(moderated.projector)), 403, "forbidden")
    for bad in ("abc", "-1", "101", "nan"):
        assert_error(
            client.get(f"{url}?threshold={bad}", headers=Api.auth(moderated.facilitator)),
            422,
            "validation",
        )


# --- realtime: real server, real sockets ------------------------------------------------------


def test_a_pending_proposal_reaches_everyone_only_once_approved(
    halls: Callable[..., Hall],
) -> None:
    hall = halls(moderation=True)
    key = hall.join()
    phone, projector = hall.screen(key), hall.screen(hall.projector)
    facilitator = hall.screen(hall.facilitator)
    for screen in (phone, projector, facilitator):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    hall.go(1)
    pid = hall.propose(key, "Tidlig dialog i planforum")["id"]
    facilitator.wait_for(lambda: events_of(facilitator, "proposal_added"))
    hall.barrier(phone, projector)
    for screen in (phone, projector):
        assert not proposals_received(screen)

    response = http_patch(hall, pid, {"status": "visible"})
    assert response.status_code == 200, response.text
    for screen in (phone, projector, facilitator):
        updated = screen.wait_for(lambda s=screen: proposals_received(s))
        assert updated[-1]["id"] == pid
        assert updated[-1]["status"] == "visible"
        assert "original_title" not in updated[-1]


def test_phone_and_projector_drop_a_hidden_proposal(hall: Hall) -> None:
    key = hall.join()
    hall.go(1)
    pid = hall.propose(key, "Kan skjules")["id"]
    phone, projector = hall.screen(key), hall.screen(hall.projector)
    facilitator = hall.screen(hall.facilitator)
    for screen in (phone, projector, facilitator):
        screen.wait_for(lambda s=screen: s.of("snapshot"))
    assert http_patch(hall, pid, {"status": "hidden"}).status_code == 200
    for screen in (phone, projector, facilitator):
        removed = screen.wait_for(lambda s=screen: events_of(s, "proposal_removed"))
        assert removed[0]["data"] == {"id": pid, "reason": "hidden"}
    staff = facilitator.wait_for(lambda: events_of(facilitator, "proposal_updated"))
    assert staff[0]["data"]["proposal"]["status"] == "hidden"
    hall.barrier(phone, projector)
    assert not proposals_received(phone)  # neither one by one nor in a batch
    assert not proposals_received(projector)


def http_patch(hall: Hall, pid: int, body: dict[str, Any]) -> requests.Response:
    """PATCH a proposal as the hall's facilitator."""
    return requests.patch(
        f"{hall.url}/api/v1/workshops/{hall.code}/proposals/{pid}",
        json=body,
        headers={"Authorization": f"Bearer {hall.facilitator}"},
        timeout=10,
    )


def test_openapi_describes_every_moderation_endpoint(app: Any, client: FlaskClient) -> None:
    import re

    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    routes = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api_moderation.")]
    assert len(routes) >= 8
    for rule in routes:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = paths[path][method.lower()]
            assert operation["responses"], (method, path)
    proposal_post = paths["/api/v1/workshops/{code}/proposals"]["post"]
    properties = proposal_post["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert properties["change_level"]["enum"] == ["lokal", "regional", "nasjonal"]
