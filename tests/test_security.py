"""Security model: keys open only their own workshop, strict CSP, and the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.api import Api, Workshop
from tests.support.config import ADMIN_KEY
from tests.support.forms import csrf_of

# shared/ lies beside the repository (in CI: beside the fresh clone).
API_CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "API.md"
CONTRACT_ENDPOINTS = {
    ("post", "/api/v1/workshops"),
    ("get", "/api/v1/workshops/{code}"),
    ("post", "/api/v1/workshops/{code}/participants"),
    ("post", "/api/v1/workshops/{code}/proposals"),
    ("put", "/api/v1/workshops/{code}/votes"),
    ("post", "/api/v1/workshops/{code}/step"),
    ("get", "/api/v1/workshops/{code}/results"),
    ("get", "/api/v1/workshops/{code}/export.csv"),
    ("get", "/api/v1/workshops/{code}/export.xlsx"),
    ("get", "/api/v1/workshops/{code}/export.json"),
}


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.get_json() == {
        "error": {"code": "unauthorized", "message": response.get_json()["error"]["message"]}
    }


# --- A key of one workshop opens nothing in another ----------------------------------------


@pytest.fixture
def two(api: Api) -> tuple[Workshop, Workshop]:
    """Workshops A and B, both on their vote step with one proposal each."""
    made = []
    for title in ("A", "B"):
        ws = api.create(title)
        api.go_to(ws, "collect")
        api.propose(ws.code, ws.facilitator_key, f"Forslag i {title}")
        api.go_to(ws, "vote")
        made.append(ws)
    return made[0], made[1]


def test_staff_keys_of_one_workshop_open_nothing_in_another(
    api: Api, client: FlaskClient, two: tuple
) -> None:
    a, b = two
    for key in (a.facilitator_key, a.projector_key):
        auth = Api.auth(key)
        assert_unauthorized(api.get(b.code, key))
        assert_unauthorized(api.get(f"{b.code}/results", key))
        for fmt in ("csv", "xlsx", "json"):
            assert_unauthorized(api.get(f"{b.code}/export.{fmt}", key))
        assert_unauthorized(
            client.post(f"/api/v1/workshops/{b.code}/step", json={"action": "next"}, headers=auth)
        )
        assert_unauthorized(api.propose(b.code, key, "Inntrenger"))
    view = api.get(b.code, b.facilitator_key).get_json()
    assert view["step"]["kind"] == "vote"
    assert [p["title"] for p in view["proposals"]] == ["Forslag i B"]


def test_a_participant_key_of_one_workshop_opens_nothing_in_another(api: Api, two: tuple) -> None:
    a, b = two
    phone = api.join(a.code)
    b_proposal = api.get(b.code, b.facilitator_key).get_json()["proposals"][0]["id"]
    assert_unauthorized(api.get(b.code, phone))
    assert_unauthorized(api.propose(b.code, phone, "Inntrenger"))
    assert_unauthorized(api.vote(b.code, phone, {b_proposal: 1}))
    assert_unauthorized(api.get(f"{b.code}/results", phone))
    results = api.get(f"{b.code}/results", b.facilitator_key).get_json()
    assert results["voters"] == 0


def test_the_admin_key_is_not_a_workshop_key(api: Api, two: tuple) -> None:
    a, _b = two
    assert_unauthorized(api.get(a.code, ADMIN_KEY))


@pytest.mark.parametrize("key", ["nøkkel-med-æøå", "Bearer", " ", "x" * 5000])
def test_odd_keys_are_refused_not_crashed_on(client: FlaskClient, two: tuple, key: str) -> None:
    a, _b = two
    headers = {"Authorization": f"Bearer {key}"}
    response = client.get(f"/api/v1/workshops/{a.code}", headers=headers)
    assert_unauthorized(response)
    response = client.post("/api/v1/workshops", json={"title": "X"}, headers=headers)
    assert_unauthorized(response)


def test_phones_never_see_keys_or_facilitator_data(
    api: Api, client: FlaskClient, two: tuple
) -> None:
    a, _b = two
    phone = api.join(a.code)
    response = api.get(a.code, phone)
    text = response.get_data(as_text=True)
    assert a.facilitator_key not in text and a.projector_key not in text
    view = response.get_json()
    assert "settings" not in view and "steps" not in view
    for proposal in view["proposals"]:
        assert "source" not in proposal and "change_level" not in proposal
    joined = client.post(f"/api/v1/workshops/{a.code}/participants", json={}).get_data(as_text=True)
    assert a.facilitator_key not in joined


# --- Headers of every page ---------------------------------------------------------------


def visit_every_page(api: Api, client: FlaskClient) -> list[tuple[str, Any]]:
    """Open every HTML screen of a workshop, as each kind of user."""
    ws = api.create("Sikkerhet")
    visited: list[tuple[str, Any]] = []

    def get(path: str) -> Any:
        response = client.get(path)
        visited.append((path, response))
        return response

    get("/")
    get("/start")
    get(f"/start?key={ADMIN_KEY}")
    get("/start")
    get(f"/j/{ws.code}")
    get("/j/ZZZZZZ")
    get("/no-such-page")
    get(f"/f/{ws.code}?key={ws.facilitator_key}")
    get(f"/f/{ws.code}")
    get(f"/p/{ws.code}?key={ws.projector_key}")
    get(f"/p/{ws.code}")
    join_page = client.get(f"/j/{ws.code}").get_data(as_text=True)
    joined = client.post(f"/j/{ws.code}", data={"csrf": csrf_of(join_page), "name": "Per"})
    visited.append((f"POST /j/{ws.code}", joined))
    for kind in ("info", "collect", "vote", "results"):
        api.go_to(ws, kind)
        get(f"/j/{ws.code}")
        get(f"/j/{ws.code}/step")
        get(f"/p/{ws.code}")
        get(f"/f/{ws.code}")
    return visited


def test_every_html_response_has_a_strict_csp(api: Api, client: FlaskClient) -> None:
    visited = visit_every_page(api, client)
    html = [(path, r) for path, r in visited if r.mimetype == "text/html"]
    assert len(html) >= 20
    for path, response in html:
        policy = response.headers.get("Content-Security-Policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        sources = directives.get("script-src", directives.get("default-src"))
        assert sources == ["'self'"], (path, policy)
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
        assert directives.get("object-src") == ["'none'"], path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path


def test_pages_contain_no_inline_script(api: Api, client: FlaskClient) -> None:
    visited = visit_every_page(api, client)
    for path, response in visited:
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", page, flags=re.IGNORECASE):
            # a JSON data block is never executed; anything else must come from a file
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", page, flags=re.IGNORECASE), path
        assert "javascript:" not in page.lower(), path


def test_pages_load_nothing_from_elsewhere(api: Api, client: FlaskClient) -> None:
    visited = visit_every_page(api, client)
    for path, response in visited:
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', page):
            assert url.startswith("http://192.0.2.10:5000") or "localhost" in url, (path, url)


def test_a_key_in_a_link_becomes_an_httponly_cookie(api: Api, client: FlaskClient) -> None:
    ws = api.create()
    response = client.get(f"/p/{ws.code}?key={ws.projector_key}")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(f"/p/{ws.code}")
    assert ws.projector_key not in response.headers["Location"]
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- The OpenAPI document ----------------------------------------------------------------


def contract_endpoints_from_api_md() -> set[tuple[str, str]]:
    """The endpoints written in API.md (export's `.xlsx`, `.json` siblings expanded)."""
    text = API_CONTRACT.read_text(encoding="utf-8").split("## Endpoints", 1)[1].split("\n## ")[0]
    found: set[tuple[str, str]] = set()
    for method, path in re.findall(r"`(GET|POST|PUT|DELETE|PATCH) (/api/v1/[^`\s]+)`", text):
        found.add((method.lower(), path))
        if path.endswith(".csv"):
            for sibling in re.findall(r"`\.(\w+)`", text.split(path, 1)[1].split("\n", 1)[0]):
                found.add((method.lower(), path[: -len("csv")] + sibling))
    return found


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        refs = [node["$ref"]] if "$ref" in node else []
        return refs + [r for value in node.values() for r in all_refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in all_refs(value)]
    return []


def test_openapi_document_describes_every_endpoint(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert re.match(r"^3\.\d+\.\d+$", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]
    described = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "delete", "patch")
    }
    assert described >= CONTRACT_ENDPOINTS
    if API_CONTRACT.exists():
        assert contract_endpoints_from_api_md() == CONTRACT_ENDPOINTS
    for ref in all_refs(document):
        resolve(document, ref)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("responses"), (method, path)
            for status in operation["responses"]:
                assert re.fullmatch(r"[1-5]\d\d|default", status), (method, path, status)
            names = {
                p["name"] for p in operation.get("parameters", []) + item.get("parameters", [])
            }
            for variable in re.findall(r"{(\w+)}", path):
                assert variable in names, f"{method} {path} does not declare {variable}"


def test_openapi_states_the_success_and_error_statuses(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        ("post", "/api/v1/workshops"): {"201", "401", "404", "422"},
        ("get", "/api/v1/workshops/{code}"): {"200", "401", "404"},
        ("post", "/api/v1/workshops/{code}/participants"): {"201", "404", "422", "429"},
        ("post", "/api/v1/workshops/{code}/proposals"): {
            "200",
            "201",
            "401",
            "403",
            "404",
            "409",
            "422",
        },
        ("put", "/api/v1/workshops/{code}/votes"): {"200", "401", "404", "409", "422"},
        ("post", "/api/v1/workshops/{code}/step"): {"200", "401", "403", "404", "422"},
        ("get", "/api/v1/workshops/{code}/results"): {"200", "401", "403", "404"},
        ("get", "/api/v1/workshops/{code}/export.xlsx"): {"200", "401", "403", "404"},
    }
    for (method, path), statuses in expected.items():
        assert statuses <= set(paths[path][method]["responses"]), (method, path)
    join = paths["/api/v1/workshops/{code}/participants"]["post"]
    assert join.get("security") == []  # joining needs no key


def test_openapi_is_served_without_a_key_and_with_a_csp(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
