"""WebSocket messages go uncompressed unless the host turns compression on.

simple-websocket accepts permessage-deflate whenever a browser offers it, and each connection
then keeps its own zlib state: about 100 KiB of server memory per phone, for messages of a few
hundred bytes (1,000 phones peaked at 417 MiB with it and 237 MiB without; docs/benchmarks.md).
The server declines the offer by not passing the browser's ``Sec-WebSocket-Extensions`` on.
``WORKSHOP_WEBSOCKET_COMPRESSION=on`` keeps it, for staff screens on a slow line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

OFFER = "HTTP_SEC_WEBSOCKET_EXTENSIONS"


def decline_compression(app: Flask) -> None:
    """Wrap the app (after Socket.IO has) so that socket requests arrive without the offer."""
    app.wsgi_app = without_offer(app.wsgi_app)  # type: ignore[method-assign,assignment]


def without_offer(inner: WSGIApplication) -> WSGIApplication:
    """A WSGI app that drops the browser's WebSocket extension offer on /socket.io."""

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if str(environ.get("PATH_INFO", "")).startswith("/socket.io"):
            environ.pop(OFFER, None)
        return inner(environ, start_response)

    return wsgi
