"""JSON API for comparisons across workshops (admin key): create, read, decide matches, XLSX."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, session, url_for

from workshop.i18n import LANGUAGES
from workshop.schemas import comparison as shapes
from workshop.schemas import parse_body
from workshop.services import comparisons
from workshop.services.access import check_admin_key
from workshop.services.errors import Unauthorized
from workshop.web.apidoc import documented
from workshop.web.auth import is_admin
from workshop.web.context import base_url, settings

blueprint = Blueprint("api_comparisons", __name__, url_prefix="/api/v1")
ADMIN = (401, 404)


def require_admin() -> None:
    """The admin key as a Bearer header; for reading, also the browser's from the start page."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        check_admin_key(settings().admin_key, header[7:].strip())
    elif request.method != "GET" or not is_admin():  # writes never ride on the cookie alone
        raise Unauthorized()


def chosen_language() -> str | None:
    """The interface language this browser chose (?lang=, kept in its cookie), if any."""
    chosen = session.get("lang")
    return chosen if isinstance(chosen, str) and chosen in LANGUAGES else None


def links(comparison_id: int) -> dict[str, object]:
    """The comparison's page and workbook as absolute URLs."""
    base = base_url()
    page = url_for("comparison_pages.page", comparison_id=comparison_id)
    xlsx = url_for("api_comparisons.workbook", comparison_id=comparison_id)
    return {"id": comparison_id, "url": f"{base}{page}", "xlsx_url": f"{base}{xlsx}"}


@blueprint.post("/comparisons")
@documented(
    "Compare two or more workshops (admin key)",
    body=shapes.CreateComparison,
    responses={201: shapes.ComparisonCreated},
    errors=(401,),
)
def create() -> tuple[Response, int]:
    """Store a comparison of two or more workshops; 422 and nothing stored for a bad list."""
    require_admin()
    body = parse_body(shapes.CreateComparison, request.get_json(silent=True))
    created = comparisons.create_comparison(body.workshops, body.language or chosen_language())
    return jsonify(links(created)), 201


@blueprint.get("/comparisons/<int:comparison_id>")
@documented(
    "Rows of matched proposals, suggested matches, recurring themes and levels (admin key)",
    responses={200: shapes.ComparisonAnswer},
    errors=ADMIN,
)
def read(comparison_id: int) -> Response:
    """The comparison as JSON."""
    require_admin()
    from workshop.analytics import comparison  # pandas: loaded on the first comparison

    return jsonify(comparison.get_comparison(comparison_id))


@blueprint.post("/comparisons/<int:comparison_id>/matches")
@documented(
    "Accept two proposals of different workshops as the same, or reject the pair (admin key)",
    body=shapes.DecideMatch,
    responses={200: shapes.MatchDecided},
    errors=ADMIN,
)
def decide(comparison_id: int) -> Response:
    """Accept or reject a pair of proposals."""
    require_admin()
    body = parse_body(shapes.DecideMatch, request.get_json(silent=True))
    return jsonify(comparisons.decide_match(comparison_id, body.proposals, body.accepted))


@blueprint.get("/comparisons/<int:comparison_id>/export.xlsx")
@documented(
    "The comparison as an XLSX workbook (admin key)",
    responses={200: (shapes.XLSX, "The workbook")},
    errors=ADMIN,
)
def workbook(comparison_id: int) -> Response:
    """Download the comparison's workbook."""
    require_admin()
    from workshop.analytics.comparison_workbook import comparison_workbook

    made = comparison_workbook(comparison_id)
    return Response(
        made.content,
        mimetype=made.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )
