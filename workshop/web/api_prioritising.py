"""JSON API for prioritising (beyond the version 1 contract, in the same style and error shape)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("api_prioritising", __name__, url_prefix="/api/v1")
