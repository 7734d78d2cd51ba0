"""Serve Planverksted with gevent instead of threads (for bench/load.py --mode gevent).

Needs `pip install gevent` in the venv. WebSocket support then comes from simple-websocket,
which the project already depends on. The standard library is monkey-patched before anything
else is imported, as Flask-SocketIO requires for gevent. Reads the same WORKSHOP_* settings
as `planverksted serve`.

    WORKSHOP_PORT=5001 .venv/bin/python bench/serve_gevent.py [--nodelay]

Without --nodelay this is exactly what `socketio.run()` does in gevent mode. With --nodelay
every accepted connection gets TCP_NODELAY: pywsgi writes a response in more than one send,
and on a kept-alive connection Nagle's algorithm then holds the rest back until the client's
delayed ACK (back-to-back requests measured 48 ms each instead of 5 ms).
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from gevent import pywsgi  # noqa: E402

from workshop import create_app  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.extensions import socketio_of  # noqa: E402


class NoDelayHandler(pywsgi.WSGIHandler):
    """pywsgi's handler with Nagle's algorithm switched off on the connection."""

    def __init__(self, sock, address, server, rfile=None):  # type: ignore[no-untyped-def]
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().__init__(sock, address, server, rfile)


def main(argv: list[str] | None = None) -> int:
    """Build the app in gevent mode and serve it until interrupted."""
    parser = argparse.ArgumentParser(description="Planverksted on gevent")
    parser.add_argument("--nodelay", action="store_true", help="set TCP_NODELAY on connections")
    args = parser.parse_args(argv)
    settings = Settings.from_env(async_mode="gevent")
    app = create_app(settings)
    print(
        f"Planverksted (gevent{', TCP_NODELAY' if args.nodelay else ''}) kjører på "
        f"http://{settings.host}:{settings.port}",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        if args.nodelay:
            server = pywsgi.WSGIServer(
                (settings.host, settings.port), app, log=None, handler_class=NoDelayHandler
            )
            server.serve_forever()
        else:
            socketio_of(app).run(app, host=settings.host, port=settings.port, log_output=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
