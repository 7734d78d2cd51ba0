"""Interface language: bokmål by default; each browser may choose nynorsk or English."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, has_request_context, request, session
from flask_babel import get_locale

from workshop.extensions import babel
from workshop.services.access import workshop_language

LANGUAGES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
DEFAULT = "nb"


def select_locale() -> str:
    """The browser's own choice (?lang= remembered in the cookie), the workshop's, or bokmål.

    Outside a request (the CLI, background loops, tests calling services) it is bokmål.
    """
    if not has_request_context():
        return DEFAULT
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    remembered = session.get("lang")
    if isinstance(remembered, str) and remembered in LANGUAGES:
        return remembered
    workshop_language = getattr(g, "workshop_language", None) or _language_of_url_workshop()
    if workshop_language in LANGUAGES:
        return workshop_language
    return DEFAULT


def _language_of_url_workshop() -> str | None:
    """The language of the workshop named in the URL (pages and API alike), if any."""
    code = (request.view_args or {}).get("code")
    if not isinstance(code, str) or not code:
        return None
    return workshop_language(code)


def init_app(app: Flask) -> None:
    """Set up Flask-Babel with the package's catalogues."""
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Oslo"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(
        Path(__file__).resolve().parent / "translations"
    )
    # Flask-Babel leaves init_app's parameters unannotated.
    babel.init_app(app, locale_selector=select_locale)  # type: ignore[no-untyped-call]

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"languages": LANGUAGES, "current_language": str(get_locale() or DEFAULT)}
