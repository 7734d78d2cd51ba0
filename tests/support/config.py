"""Keys, URLs and settings every test shares."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from workshop.config import Settings

ADMIN_KEY = "test-admin-key"
PUBLIC_URL = "http://192.0.2.10:5000"
REQUIRE_SERVICES = os.environ.get("WORKSHOP_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, unless CI demands that it runs."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required but unavailable: {reason}")
    pytest.skip(reason)


def test_settings(tmp_path: Any, **overrides: Any) -> Settings:
    """Settings for a fresh SQLite file in a temporary data folder, with overrides."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": "",
        "admin_key": ADMIN_KEY,
        "public_url": PUBLIC_URL,
        "message_queue": None,
        "testing": True,
    }
    values.update(overrides)
    return Settings.from_env(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def write_plan(folder: Path, name: str, text: str) -> Path:
    """Write a session plan ``name.toml`` into a plans folder."""
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path
