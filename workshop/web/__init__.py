"""HTTP adapters: blueprints that parse input, call one service and shape the output."""

from __future__ import annotations

from flask import Flask, Response, render_template, request

from workshop.services.errors import ServiceError


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint to the app."""
    from workshop.web import (
        api,
        api_agenda,
        api_archive,
        api_comparisons,
        api_followup,
        api_limits,
        api_moderation,
        api_prioritising,
        archive_pages,
        auth,
        comparison_pages,
        facilitator,
        followup_pages,
        guide,
        participant,
        projector,
        report,
    )
    from workshop.web.apidoc import StoredIdConverter
    from workshop.web.assets import install_assets
    from workshop.web.forms import install_forms
    from workshop.web.json_bodies import install_json_bodies
    from workshop.web.keys import install_key_cookies

    app.url_map.converters["int"] = StoredIdConverter
    app.register_blueprint(api.blueprint)
    for extra in (
        api_agenda,
        api_archive,
        api_comparisons,
        api_followup,
        api_limits,
        api_moderation,
        api_prioritising,
    ):
        app.register_blueprint(extra.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(archive_pages.blueprint)
    app.register_blueprint(comparison_pages.blueprint)
    app.register_blueprint(facilitator.blueprint)
    app.register_blueprint(followup_pages.blueprint)
    followup_pages.install_followup_helpers(app)
    app.register_blueprint(guide.blueprint)
    app.register_blueprint(participant.blueprint)
    app.register_blueprint(projector.blueprint)
    app.register_blueprint(report.blueprint)
    report.install_report_filters(app)
    install_forms(app)
    install_json_bodies(app)
    install_key_cookies(app)
    install_assets(app)
    install_error_pages(app)


def install_error_pages(app: Flask) -> None:
    """Service refusals: JSON under /api/, otherwise a page in the user's language."""
    from workshop.web.api import error_response

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError) -> tuple[Response | str, int, dict[str, str]]:
        if request.path.startswith("/api/"):
            return error_response(error), error.status, {}
        page = render_template("error.html", message=error.message)
        return page, error.status, error.headers()
