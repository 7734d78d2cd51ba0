"""Serve Planverksted with gevent instead of threads (for bench/load.py --mode gevent).

Needs `pip install gevent` in the venv. WebSocket support then comes from simple-websocket,
which the project already depends on. The standard library is monkey-patched before anything
else is imported, as Flask-SocketIO requires for gevent. Reads the same WORKSHOP_* settings
as `planverksted serve`.

    WORKSHOP_PORT=5001 .venv/bin/python bench/serve_gevent.py
"""

from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from workshop import create_app  # noqa: E402
from workshop.config import Settings  # noqa: E402
from workshop.extensions import socketio  # noqa: E402


def main() -> int:
    """Build the app in gevent mode and serve it until interrupted."""
    settings = Settings.from_env(async_mode="gevent")
    app = create_app(settings)
    print(
        f"Planverksted (gevent) kjører på http://{settings.host}:{settings.port}",
        flush=True,
    )
    try:
        socketio.run(app, host=settings.host, port=settings.port, log_output=False)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
