"""Settings read from WORKSHOP_* environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from workshop.private_files import private_folder, write_private_text

# The servers Flask-SocketIO can run on; it refuses any other WORKSHOP_ASYNC_MODE at start.
AsyncMode = Literal["threading", "eventlet", "gevent", "gevent_uwsgi"]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"WORKSHOP_{name}")
    return value if value not in (None, "") else default


@dataclass
class Settings:
    """Everything the server needs to know before it starts."""

    host: str = "127.0.0.1"
    port: int = 5000
    data_dir: Path = field(default_factory=lambda: Path("instance").resolve())
    database_url: str = ""
    admin_key: str = ""
    public_url: str | None = None
    message_queue: str | None = None
    async_mode: AsyncMode = "threading"
    secret_key: str = ""
    join_rate_per_minute: int = 3000  # joins per workshop per minute
    wrong_code_rate_per_minute: int = 30  # wrong join codes per address per minute
    contact: str | None = None
    testing: bool = False
    plans_dir: Path | None = None  # shipped session plans are read here (default: sessions/)
    secure_cookies: bool | None = None  # None: on when public_url starts with https
    offload_budget: float = 10.0  # seconds heavy work may take before a request answers 503
    websocket_compression: bool = False  # permessage-deflate: ~100 KiB of memory per socket

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from the environment, then apply explicit overrides."""
        values: dict[str, object] = {
            "host": _env("HOST", "127.0.0.1"),
            "port": int(_env("PORT", "5000") or 5000),
            "data_dir": Path(_env("DATA_DIR", "instance") or "instance").resolve(),
            "database_url": _env("DATABASE_URL", ""),
            "admin_key": _env("ADMIN_KEY", ""),
            "public_url": _env("PUBLIC_URL"),
            "message_queue": _env("MESSAGE_QUEUE"),
            "async_mode": _env("ASYNC_MODE", "threading"),
            "join_rate_per_minute": int(_env("JOIN_RATE_PER_MINUTE", "3000") or 3000),
            "wrong_code_rate_per_minute": int(_env("WRONG_CODE_RATE_PER_MINUTE", "30") or 30),
            "plans_dir": _env("PLANS_DIR"),
            "contact": _env("CONTACT"),
            "secure_cookies": _flag(_env("SECURE_COOKIES")),
            "offload_budget": float(_env("OFFLOAD_BUDGET", "10") or 10),
            "websocket_compression": bool(_flag(_env("WEBSOCKET_COMPRESSION"))),
        }
        values.update(overrides)
        settings = cls(**values)  # type: ignore[arg-type]
        settings.finish()
        return settings

    def finish(self) -> None:
        """Fill in derived defaults: the database path and the keys kept in the data folder."""
        self.data_dir = private_folder(Path(self.data_dir))
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'planverksted.sqlite3'}"
        if not self.admin_key:
            self.admin_key = _kept_secret(self.data_dir / "admin-key")
        if not self.secret_key:
            self.secret_key = _kept_secret(self.data_dir / "secret-key")
        if self.public_url:
            self.public_url = self.public_url.rstrip("/")
        if self.plans_dir:
            self.plans_dir = Path(self.plans_dir).resolve()
        if self.secure_cookies is None:
            self.secure_cookies = bool(self.public_url and self.public_url.startswith("https:"))

    @property
    def saved_plans_dir(self) -> Path:
        """Where agendas saved as session plans go: the data folder, never the program's own."""
        return self.data_dir / "plans"


def _flag(value: str | None) -> bool | None:
    """An on/off environment value (1/true/on/yes, 0/false/off/no); None when not set."""
    if value is None:
        return None
    return value.strip().lower() in ("1", "true", "on", "yes")


def _kept_secret(path: Path) -> str:
    """Read a secret from the data folder (0600), creating it on first start."""
    if path.exists():
        path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(24)
    write_private_text(path, value + "\n")
    return value
