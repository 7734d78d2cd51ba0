"""JSON API for moderation (beyond the version 1 contract, in the same style and error shape)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("api_moderation", __name__, url_prefix="/api/v1")
