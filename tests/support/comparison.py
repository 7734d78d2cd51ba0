"""Three runs of the simplification plan, seeded through the services, for comparison tests.

Ålvik and Bøvika work in bokmål, Cleng in nynorsk; their proposals say the same things in
different words. Each room has three elected members and three from the administration, so both
roles are shown, and each of them gives their five dots by a fixed pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient

from tests.support.config import ADMIN_KEY
from workshop.services import participants, proposals, votes, workshops

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
# Per workshop: (language, [(title, theme, change level)], votes of the elected, of the staff).
ROOMS: dict[str, tuple[str, list[tuple[str, str, str]], list[int], list[int]]] = {
    "Ålvik": (
        "nb",
        [
            ("Felles planressurs med nabokommunene", "interkommunalt samarbeid", "lokal"),
            ("Kortere planprogram", "reguleringsplan", "lokal"),
            ("Færre temaplaner", "temaplaner", "lokal"),
            ("Digital medvirkning for unge", "medvirkning", "lokal"),
        ],
        [3, 0, 2, 0],
        [2, 3, 0, 0],
    ),
    "Bøvika": (
        "nb",
        [
            ("Felles planressurs i regionen med nabokommuner", "interkommunalt samarbeid", "lokal"),
            ("Planprogrammet bør bli kortere", "reguleringsplan", "lokal"),
            ("Bedre veiledning fra statsforvalteren", "regional veiledning", "regional"),
        ],
        [1, 1, 3],
        [4, 1, 0],
    ),
    "Cleng": (
        "nn",
        [
            ("Felles planressurs med nabokommunane", "interkommunalt samarbeid", "lokal"),
            ("Slå saman temaplanane til éin plan", "temaplanar", "lokal"),
            ("Digitale verktøy i medverknad med ungdom", "medverknad", "lokal"),
        ],
        [0, 5, 0],
        [5, 0, 0],
    ),
}
ROLES = {"nb": ("Folkevalgt", "Administrasjon"), "nn": ("Folkevald", "Administrasjon")}


@dataclass
class Seeded:
    """A seeded workshop: its code, facilitator key and proposal ids in the order of ROOMS."""

    name: str
    code: str
    facilitator_key: str
    ids: list[int] = field(default_factory=list)


def seed_room(name: str) -> Seeded:
    """Create one run of the plan, collect its proposals and let six people vote."""
    language, texts, elected, staff = ROOMS[name]
    created = workshops.create_workshop(f"Forenkling – {name}", language=language)
    seeded = Seeded(name, created.code, created.facilitator_key)
    for title, theme, level in texts:
        submitted = proposals.submit_proposal(
            created.code, created.facilitator_key, title, category=theme, change_level=level
        )
        seeded.ids.append(int(submitted.proposal["id"]))
    vote = next(s["position"] for s in created.steps if s["kind"] == "vote")
    workshops.change_step(created.code, created.facilitator_key, position=vote)
    for role, pattern in zip(ROLES[language], (elected, staff), strict=True):
        for _person in range(3):
            key = participants.join_workshop(created.code, role=role).key
            allocation = {
                str(pid): dots for pid, dots in zip(seeded.ids, pattern, strict=True) if dots
            }
            votes.set_allocation(created.code, key, allocation)
    return seeded


def seed_rooms() -> dict[str, Seeded]:
    """Ålvik, Bøvika and Cleng, in that order (call inside the app's context)."""
    return {name: seed_room(name) for name in ROOMS}


def compare(client: FlaskClient, *codes: str, **extra: Any) -> Any:
    """POST /api/v1/comparisons with the admin key."""
    return client.post(
        "/api/v1/comparisons", json={"workshops": list(codes), **extra}, headers=ADMIN
    )


def decide(client: FlaskClient, comparison_id: int, first: int, second: int, accepted: bool) -> Any:
    """Accept or reject a pair with the admin key."""
    return client.post(
        f"/api/v1/comparisons/{comparison_id}/matches",
        json={"proposals": [first, second], "accepted": accepted},
        headers=ADMIN,
    )


def read(client: FlaskClient, comparison_id: int) -> dict[str, Any]:
    """GET the comparison as JSON with the admin key."""
    response = client.get(f"/api/v1/comparisons/{comparison_id}", headers=ADMIN)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def row_of(comparison: dict[str, Any], proposal_id: int) -> dict[str, Any]:
    """The row holding a proposal."""
    return next(
        row
        for row in comparison["rows"]
        if any(e["proposal_id"] == proposal_id for e in row["entries"].values())
    )


def suggested(comparison: dict[str, Any]) -> set[tuple[int, int]]:
    """The pairs suggested, lower id first."""
    return {(s["proposals"][0], s["proposals"][1]) for s in comparison["suggestions"]}
