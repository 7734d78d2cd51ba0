"""Response headers every page gets: a strict CSP with no inline script, no referrer, no caching
of anything that may carry a key or results."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def install_security_headers(app: Flask) -> None:
    """Add the headers to every response (call it after Socket.IO has wrapped the app)."""
    app.wsgi_app = never_cached_sockets(app.wsgi_app)  # type: ignore[method-assign,assignment]

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if private(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def private(response: Response) -> bool:
    """Pages and API answers (keys, snapshots, results, exports) are never kept by a cache.

    Only the OpenAPI document and files the app serves unchanged to anyone (static assets, the
    guide's pictures, QR images) may be cached.
    """
    if request.path.startswith("/api/"):
        return request.path != "/api/v1/openapi.json"
    return response.mimetype == "text/html" or "Set-Cookie" in response.headers


def never_cached_sockets(inner: WSGIApplication) -> WSGIApplication:
    """Socket.IO's long-polling answers (snapshots, tallies) bypass Flask: mark them no-store."""

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not str(environ.get("PATH_INFO", "")).startswith("/socket.io"):
            return inner(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            if not any(name.lower() == "cache-control" for name, _ in headers):
                headers = [*headers, ("Cache-Control", "no-store")]
            return start_response(status, headers, *exc_info)

        return inner(environ, start)

    return wsgi
