"""The public join URL (LAN address when serving a hall) and its QR code images."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import socket
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage

from workshop.config import Settings

ALL_INTERFACES = ("0.0.0.0", "::", "")


def public_base_url(settings: Settings, request_base: str) -> str:
    """The base URL phones must use: WORKSHOP_PUBLIC_URL, the LAN address, or the request's."""
    if settings.public_url:
        return settings.public_url
    if settings.host in ALL_INTERFACES:
        address = lan_address()
        if address:
            return f"http://{address}:{settings.port}"
    return request_base.rstrip("/")


def join_url(base_url: str, code: str) -> str:
    """The short URL a phone opens to join."""
    return f"{base_url}/j/{code}"


def reachable_from_phones(settings: Settings, base_url: str) -> bool:
    """False when the server listens only on this machine, so phones cannot reach it."""
    if settings.public_url:
        return True
    return settings.host not in ("127.0.0.1", "localhost", "::1") and "127.0.0.1" not in base_url


@lru_cache(maxsize=1)
def lan_address() -> str | None:
    """This machine's address on the local network, or None when it has none."""
    candidates: list[str] = []
    # A UDP "connect" only chooses a route; no packet is sent.
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        addresses = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        candidates += [str(info[4][0]) for info in addresses]
    for candidate in candidates:
        address = ipaddress.ip_address(candidate)
        if not (address.is_loopback or address.is_unspecified or address.is_link_local):
            return candidate
    return None


def _qr(data: str) -> qrcode.QRCode[PilImage]:
    # Pillow is a dependency, so PilImage is also what qrcode would choose by itself.
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=4, box_size=12, image_factory=PilImage
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str) -> bytes:
    """A crisp, scalable SVG of the QR code (dark on white, with its quiet zone)."""
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_png(data: str) -> bytes:
    """A PNG of the QR code, for printing or slides."""
    image = _qr(data).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
