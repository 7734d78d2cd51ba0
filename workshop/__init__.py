"""Planverksted: realtime workshops for simpler municipal planning."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from workshop.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the Flask application: database, Socket.IO, translations, blueprints.

    Everything the app needs at run time hangs off ``app.extensions`` (see extensions.py), so two
    apps in one process never share an engine, publisher, plans folder, clock or limiter.
    ``extensions.dispose_app(app)`` stops its background loops and closes its database.
    """
    from flask_socketio import SocketIO

    from workshop import extensions, i18n, migrate, offload
    from workshop.analytics import shared_results
    from workshop.realtime import frames
    from workshop.realtime.broadcast import SocketPublisher
    from workshop.realtime.compression import decline_compression
    from workshop.realtime.handlers import register_handlers
    from workshop.realtime.timers import TimerLoop
    from workshop.web import register_blueprints
    from workshop.web.limits import JoinLimits
    from workshop.web.security import install_security_headers

    settings = settings or Settings.from_env(**overrides)
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
        instance_path=str(settings.data_dir),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="planverksted",
        SESSION_COOKIE_SECURE=bool(settings.secure_cookies),
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
        MAX_CONTENT_LENGTH=256 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(hours=1),
        TESTING=settings.testing,
    )
    app.extensions[extensions.SETTINGS] = settings
    app.extensions[extensions.PLANS_DIR] = settings.plans_dir
    app.extensions[extensions.JOIN_LIMITER] = JoinLimits(app, settings)

    migrate.upgrade(extensions.db.init_app(app, settings.database_url))
    i18n.init_app(app)
    frames.install()  # whole WebSocket frames on slow connections (see realtime/frames.py)
    socketio = SocketIO(
        app,
        async_mode=settings.async_mode,
        message_queue=settings.message_queue,
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
    )
    app.extensions[extensions.SOCKETIO] = socketio
    publisher = SocketPublisher(app, socketio)
    extensions.use_publisher(app, publisher)
    extensions.add_worker(app, publisher)
    register_handlers(socketio, publisher)
    timer_loop = TimerLoop(app, socketio)
    app.extensions[extensions.TIMER_LOOP] = timer_loop
    extensions.add_worker(app, timer_loop)
    timer_loop.start()
    offloader = offload.init_app(app, settings.async_mode, settings.offload_budget)
    shared_results.init_app(app, offloader)
    if not settings.websocket_compression:
        decline_compression(app)
    install_security_headers(app)
    register_blueprints(app)
    return app
