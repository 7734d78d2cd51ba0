"""The printable report: method, rules, ranked results by role, numbers in the reader's language."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.support.api import Api, Workshop


def held_workshop(api: Api) -> tuple[Workshop, list[int]]:
    """Three elected, three from the administration and two residents have voted."""
    ws = api.create("Rapportverksted")
    roles = ["Folkevalgt"] * 3 + ["Administrasjon"] * 3 + ["Innbygger"] * 2
    keys = [api.join(ws.code, role=role) for role in roles]
    api.go_to(ws, "collect")
    ids = [
        api.propose(ws.code, keys[0], title).get_json()["id"]
        for title in ("Slå sammen handlingsdel og økonomiplan", "Felles plankontor")
    ]
    api.go_to(ws, "vote")
    for key in keys:
        assert api.vote(ws.code, key, {ids[0]: 2}).status_code == 200
    return ws, ids


def open_report(client: FlaskClient, ws: Workshop, lang: str = "nb") -> str:
    client.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    response = client.get(f"/f/{ws.code}/rapport?lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_report_ranks_by_role_and_hides_small_groups(api: Api, client: FlaskClient) -> None:
    ws, _ = held_workshop(api)
    page = open_report(client, ws)
    assert "Metode og regler" in page
    assert page.index("Slå sammen handlingsdel og økonomiplan") < page.index("Felles plankontor")
    assert '<th scope="col">Folkevalgt</th>' in page
    assert '<th scope="col">Administrasjon</th>' in page
    assert "Innbygger" not in page.split("<table>", 1)[1]
    assert "Felles grunn" in page
    assert "Resultatene er ikke vist for rommet ennå." in page


def test_report_numbers_follow_the_language(api: Api, client: FlaskClient) -> None:
    ws, _ = held_workshop(api)
    assert "<td>0,80</td>" in open_report(client, ws, "nb")
    assert "<td>0.80</td>" in open_report(client, ws, "en")


def test_only_the_facilitator_opens_the_report(api: Api, client: FlaskClient) -> None:
    ws, _ = held_workshop(api)
    assert client.get(f"/f/{ws.code}/rapport").status_code == 401
    client.get(f"/p/{ws.code}?key={ws.projector_key}")
    assert client.get(f"/f/{ws.code}/rapport").status_code == 403
