"""The start page reads an archive back in; the facilitator's screen sets the deletion date and
deletes the workshop after a confirmation page."""

from __future__ import annotations

import io
from datetime import timedelta

from flask.testing import FlaskClient

from tests.support.api import Api
from tests.support.archive import archive_of, row_counts
from tests.support.config import ADMIN_KEY
from tests.support.forms import csrf_of
from workshop.services.deletion import today


def test_an_archive_uploaded_on_the_start_page_opens_as_a_new_workshop(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create("Arkivert verksted")
    archive = archive_of(api, ws.code, ws.facilitator_key)
    client.get(f"/start?key={ADMIN_KEY}")
    page = client.get("/start").get_data(as_text=True)
    assert 'for="archive"' in page and 'enctype="multipart/form-data"' in page
    before = row_counts()
    broken = client.post(
        "/start/import",
        data={"csrf": csrf_of(page), "archive": (io.BytesIO(b'{"format": "planv'), "a.json")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422
    assert "ødelagt eller ufullstendig" in broken.get_data(as_text=True)
    assert row_counts() == before
    content = io.BytesIO(api.get(f"{ws.code}/export.json", ws.facilitator_key).data)
    response = client.post(
        "/start/import",
        data={"csrf": csrf_of(page), "archive": (content, "arkiv.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    code = response.headers["Location"].rsplit("/", 1)[-1]
    assert code != ws.code and code != archive["workshop"]["code"]
    screen = client.get(f"/f/{code}")
    assert screen.status_code == 200 and "Arkivert verksted" in screen.get_data(as_text=True)


def test_the_facilitator_sets_the_date_and_deletes_after_confirming(
    api: Api, client: FlaskClient
) -> None:
    ws = api.create("Skal slettes")
    client.get(f"/f/{ws.code}?key={ws.facilitator_key}")
    screen = client.get(f"/f/{ws.code}").get_data(as_text=True)
    assert 'for="deletion-date"' in screen and 'id="delete-link"' in screen
    later = (today() + timedelta(days=30)).isoformat()
    saved = client.post(
        f"/f/{ws.code}/deletion-date", data={"csrf": csrf_of(screen), "deletion_date": later}
    )
    assert saved.status_code == 302
    assert f'value="{later}"' in client.get(f"/f/{ws.code}").get_data(as_text=True)
    confirm = client.get(f"/f/{ws.code}/slett")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Skal slettes" in text and 'id="delete-confirm"' in text
    assert api.get(ws.code, ws.facilitator_key).status_code == 200  # nothing deleted yet
    done = client.post(f"/f/{ws.code}/slett", data={"csrf": csrf_of(text)})
    assert done.status_code == 200 and "er slettet" in done.get_data(as_text=True)
    assert api.get(ws.code, ws.facilitator_key).status_code == 404
    assert client.get(f"/f/{ws.code}").status_code == 404
