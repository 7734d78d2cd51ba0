"""Planverksted: realtime workshops for simpler municipal planning."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from workshop.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build the Flask application: database, Socket.IO, translations, blueprints."""
    from workshop import i18n, migrate, session_plans
    from workshop.extensions import db, socketio
    from workshop.realtime.broadcast import SocketPublisher
    from workshop.realtime.handlers import register_handlers
    from workshop.realtime.timers import start_timer_loop
    from workshop.services.events import set_publisher
    from workshop.web import register_blueprints
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
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
        MAX_CONTENT_LENGTH=256 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(hours=1),
        TESTING=settings.testing,
    )
    app.extensions["planverksted.settings"] = settings
    session_plans.use_plans_dir(settings.plans_dir)

    db.configure(settings.database_url)
    migrate.upgrade(db)
    i18n.init_app(app)
    socketio.init_app(
        app,
        async_mode=settings.async_mode,
        message_queue=settings.message_queue,
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
    )
    publisher = SocketPublisher(socketio)
    set_publisher(publisher)
    app.extensions["planverksted.publisher"] = publisher
    register_handlers(socketio, publisher)
    start_timer_loop(socketio)
    install_security_headers(app)
    register_blueprints(app)
    return app
