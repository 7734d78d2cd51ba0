"""Sockets go uncompressed by default: per-message compression costs the server about 100 KiB
of memory per phone (docs/benchmarks.md); a host can turn it on for a slow line."""

from __future__ import annotations

import base64
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.servers import LiveServer, ServerProcess

OFFER = "permessage-deflate; client_max_window_bits"
RSV1 = 0x40  # set on a compressed frame


def open_socket(url: str) -> tuple[dict[str, str], int]:
    """A browser's WebSocket handshake offering compression: the answer's headers and the first
    byte of the first frame (Engine.IO's open packet)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Sec-WebSocket-Extensions: {OFFER}\r\n\r\n"
            ).encode()
        )
        received = b""
        while b"\r\n\r\n" not in received or len(received.split(b"\r\n\r\n", 1)[1]) < 1:
            chunk = sock.recv(4096)
            assert chunk, f"connection closed during the handshake: {received!r}"
            received += chunk
    head, body = received.split(b"\r\n\r\n", 1)
    status, *lines = head.decode("latin-1").split("\r\n")
    assert " 101 " in status, status
    pairs = (line.split(":", 1) for line in lines)
    headers = {name.lower(): value.strip() for name, value in pairs}
    return headers, body[0]


def test_the_server_declines_compression_and_sends_plain_frames(live_server: LiveServer) -> None:
    headers, first = open_socket(live_server.url)
    assert "sec-websocket-extensions" not in headers
    assert first & RSV1 == 0 and first & 0x0F == 0x1  # a whole, uncompressed text frame


@pytest.mark.parametrize("compression", ["", "on"])
def test_the_gevent_server_compresses_only_when_the_host_turns_it_on(
    tmp_path: Path, compression: str
) -> None:
    server = ServerProcess(tmp_path, WORKSHOP_WEBSOCKET_COMPRESSION=compression)
    server.start()
    try:
        headers, first = open_socket(server.url)
    finally:
        server.stop()
    if compression:
        assert headers["sec-websocket-extensions"].startswith("permessage-deflate")
        assert first & RSV1
    else:
        assert "sec-websocket-extensions" not in headers
        assert first & RSV1 == 0
