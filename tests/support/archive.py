"""Shared by the archive, deletion and purge tests: a workshop that used every kind of input, the
rows each table holds, and archives compared without their ids, codes and export times."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from tests.support.api import Api
from tests.support.followup import ACTIONS, AGREE, COLLECT, DOTS, PLAN_NAME, RATE, post
from tests.support.prioritising import Room
from workshop.extensions import db
from workshop.models import Base

TABLES = ["Bord 1", "Bord 2"]


def held_workshop(api: Api) -> tuple[Room, list[str]]:
    """A closed workshop of the follow-up plan with tables, phones' proposals, a merge, dots
    (also on paper), stances, ratings, actions with a phone's suggestion, and a note."""
    ws = api.create(plan=PLAN_NAME, settings={"tables": TABLES})
    room = Room(api, ws, [])
    keys = [
        api.join(ws.code, name="Kari Nordmann", roles=["Folkevalgt"], table="Bord 1"),
        api.join(ws.code, roles=["Administrasjon"], table="Bord 2"),
        api.join(ws.code, roles=["Innbygger", "Folkevalgt"], table="Bord 1"),
    ]
    room.go(COLLECT)
    for key, title, level in zip(
        keys + [keys[0]],
        ["Felles planressurs", "Kortere planprogram", "Digitalt planregister", "Planressurs"],
        ["regional", None, "lokal", None],
        strict=True,
    ):
        body = {"category": "arealdel", "body": f"Om {title.lower()}."}
        response = api.propose(
            ws.code, key, title, **body, **({"change_level": level} if level else {})
        )
        assert response.status_code == 201, response.get_json()
        room.ids.append(response.get_json()["id"])
    a, b, c, d = room.ids
    merged = post(room, "merges", room.facilitator, {"survivor_id": a, "merged_ids": [d]})
    assert merged.status_code in (200, 201), merged.get_json()
    room.go(DOTS)
    for key, allocation in zip(keys, [{a: 3, b: 2}, {b: 5}, {a: 1, c: 4}], strict=True):
        assert room.vote(key, allocation).status_code == 200
    room.paper_dots(DOTS, c, 4)
    room.go(AGREE)
    for key, stances in zip(
        keys, [{a: "agree", b: "disagree"}, {a: "agree"}, {c: "pass"}], strict=True
    ):
        assert room.answer(key, stances).status_code == 200
    room.go(RATE)
    for key, score in zip(keys, [5, 4, 2], strict=True):
        ratings = {a: {"gevinst": score, "innsats": 2}, b: {"gevinst": 3}}
        assert room.rate(key, ratings).status_code == 200
    room.go(ACTIONS)
    action = {"what": "Felles plankontor", "proposal_id": a, "owner": "Rådmannen"}
    created = post(room, "actions", room.facilitator, {**action, "due": "2027-03-01"})
    assert created.status_code == 201, created.get_json()
    suggestion = {"owner": "Plansjefen", "due": "2027-02-01"}
    suggested = post(room, f"actions/{created.get_json()['id']}/suggestions", keys[1], suggestion)
    assert suggested.status_code == 201, suggested.get_json()
    assert post(room, "actions", room.facilitator, {"what": "Ring fylket"}).status_code == 201
    assert post(room, "close", room.facilitator).status_code == 200
    note = post(room, "notes", room.facilitator, {"text": "Saken går til kommunestyret."})
    assert note.status_code == 201, note.get_json()
    return room, keys


def archive_of(api: Api, code: str, key: str) -> dict[str, Any]:
    """The workshop's export.json, parsed."""
    response = api.get(f"{code}/export.json", key)
    assert response.status_code == 200, response.get_data(as_text=True)
    return dict(json.loads(response.data))


def row_counts() -> dict[str, int]:
    """How many rows every table of the database holds (the deletion log included)."""
    with db.session() as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


PROPOSAL_KEYS = {"proposal", "proposal_id", "survivor", "merged", "merged_into", "shortlist_ids"}
OWN_IDS = {"actions": "id", "notes": "id"}


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """The archive with proposal, action and note ids numbered in order, without the codes and
    the export time: two archives of the same content compare equal."""
    ids = {p["id"]: n for n, p in enumerate(document["proposals"], start=1)}
    actions = {a["id"]: n for n, a in enumerate(document["actions"], start=1)}

    def mapped(value: Any) -> Any:
        if isinstance(value, list):
            return [ids.get(v, v) if isinstance(v, int) else v for v in value]
        return ids.get(value, value) if isinstance(value, int) else value

    def walk(value: Any, section: str) -> Any:
        if isinstance(value, list):
            return [walk(item, section) for item in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("code", "exported_at", "step_id"):
                continue
            if key == "step" and isinstance(item, dict):
                out[key] = {k: v for k, v in item.items() if k != "id"}
                continue
            if section in OWN_IDS and key == "id":
                out[key] = actions.get(item, item) if section == "actions" else "note"
            elif section == "suggestions" and key == "action":
                out[key] = actions.get(item, item)
            elif key in PROPOSAL_KEYS or (key == "id" and section not in OWN_IDS):
                out[key] = mapped(item)
            elif key == "proposals" and isinstance(item, list) and section != "audit":
                out[key] = [walk(p, section) if isinstance(p, dict) else mapped(p) for p in item]
            else:
                out[key] = walk(item, section)
        return out

    return {
        key: value if key == "audit" else walk(value, key)
        for key, value in document.items()
        if key != "about"
    } | {"about": walk(document["about"], "about")}
