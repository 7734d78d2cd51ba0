"""The QR code on the projector carries the public join URL, read back by a real decoder (zbar)."""

from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlparse

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from tests.support.api import Api
from tests.support.config import ADMIN_KEY, PUBLIC_URL
from workshop import create_app
from workshop.config import Settings
from workshop.qr import lan_address


def decoded(png: bytes) -> list[str]:
    """Every QR payload zbar finds in an image."""
    return [symbol.data.decode("utf-8") for symbol in decode(Image.open(io.BytesIO(png)))]


def test_qr_png_decodes_to_the_public_join_url(api: Api) -> None:
    workshop = api.create()
    response = api.client.get(f"/qr/{workshop.code}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert decoded(response.data) == [f"{PUBLIC_URL}/j/{workshop.code}"]
    assert workshop.data["join_url"] == f"{PUBLIC_URL}/j/{workshop.code}"


def test_qr_svg_is_served_for_the_projector(api: Api) -> None:
    workshop = api.create()
    response = api.client.get(f"/qr/{workshop.code}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def test_unknown_workshop_has_no_qr_code(api: Api) -> None:
    assert api.client.get("/qr/ZZZZZZ.png").status_code == 404


def test_serving_the_hall_puts_the_lan_address_in_the_qr_code(tmp_path) -> None:
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no network interface besides loopback")
    settings = Settings.from_env(
        data_dir=tmp_path,
        admin_key=ADMIN_KEY,
        host="0.0.0.0",
        port=5123,
        public_url=None,
        database_url="",
        message_queue=None,
    )
    client = create_app(settings).test_client()
    workshop = Api(client).create()
    url = decoded(client.get(f"/qr/{workshop.code}.png", base_url="http://localhost:5123").data)[0]
    host = urlparse(url).hostname
    assert url == f"http://{address}:5123/j/{workshop.code}"
    assert host not in ("localhost", "127.0.0.1")
    assert not ipaddress.ip_address(host).is_loopback
