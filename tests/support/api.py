"""The JSON API as an integration calls it, through Flask's test client (plugin: ``api``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.config import ADMIN_KEY


@dataclass
class Workshop:
    """A created workshop as a test sees it."""

    code: str
    facilitator_key: str
    projector_key: str
    data: dict[str, Any]


class Api:
    """Calls the JSON API the way an integration would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    @staticmethod
    def auth(key: str | None) -> dict[str, str]:
        """The Authorization header for a key."""
        return {"Authorization": f"Bearer {key}"} if key else {}

    def create(self, title: str = "Forenklingsverksted", **body: Any) -> Workshop:
        """Create a workshop with the admin key."""
        response = self.client.post(
            "/api/v1/workshops", json={"title": title, **body}, headers=self.auth(ADMIN_KEY)
        )
        assert response.status_code == 201, response.get_json()
        data = response.get_json()
        return Workshop(data["code"], data["facilitator_key"], data["projector_key"], data)

    def join(self, code: str, **body: Any) -> str:
        """Join and return the participant key."""
        response = self.client.post(f"/api/v1/workshops/{code}/participants", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["key"]

    def step(self, workshop: Workshop, **body: Any) -> Any:
        """Move the workshop as its facilitator."""
        return self.client.post(
            f"/api/v1/workshops/{workshop.code}/step",
            json=body,
            headers=self.auth(workshop.facilitator_key),
        )

    def go_to(self, workshop: Workshop, kind: str) -> None:
        """Move to the first step of a kind."""
        position = next(s["position"] for s in workshop.data["steps"] if s["kind"] == kind)
        response = self.step(workshop, position=position)
        assert response.status_code == 200, response.get_json()

    def propose(self, code: str, key: str, title: str, **body: Any) -> Any:
        """Submit a proposal."""
        return self.client.post(
            f"/api/v1/workshops/{code}/proposals",
            json={"title": title, **body},
            headers=self.auth(key),
        )

    def vote(self, code: str, key: str, allocations: dict[Any, int]) -> Any:
        """Replace a participant's allocation."""
        return self.client.put(
            f"/api/v1/workshops/{code}/votes",
            json={"allocations": {str(k): v for k, v in allocations.items()}},
            headers=self.auth(key),
        )

    def get(self, path: str, key: str | None) -> Any:
        """GET an API path with a key."""
        return self.client.get(f"/api/v1/workshops/{path}", headers=self.auth(key))


@pytest.fixture
def api(client: FlaskClient) -> Api:
    """The API helper."""
    return Api(client)


def snapshot(api: Api, ws: Workshop, key: str | None = None) -> dict[str, Any]:
    """The snapshot a key sees (the facilitator's by default); it must be there."""
    response = api.get(ws.code, key or ws.facilitator_key)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
