"""Pages with forms, as a phone without JavaScript uses them."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def csrf_of(html: str) -> str:
    """The form token in a page (name before or after value)."""
    match = re.search(r'name="csrf"\s+value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"\s+name="csrf"', html
    )
    assert match, "page has no form token"
    return match.group(1)


def join_by_form(client: FlaskClient, code: str, name: str = "", role: str = "") -> str:
    """Join through the join page and return the page that follows."""
    page = client.get(f"/j/{code}").get_data(as_text=True)
    response = client.post(f"/j/{code}", data={"csrf": csrf_of(page), "name": name, "role": role})
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)
