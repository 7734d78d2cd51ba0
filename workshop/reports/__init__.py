"""The council-ready report of a workshop as HTML, PDF and Word: content gathered once, then drawn.

``content.gather`` collects what the report says (every prioritising step, the change levels, the
actions and the follow-up notes); ``html``, ``pdf`` and ``docx`` each expose
``render_<fmt>(session, workshop) -> bytes`` in the workshop's language.
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy.orm import Session

from workshop.models import Workshop

FORMATS = ("html", "pdf", "docx")


def render(fmt: str, session: Session, workshop: Workshop) -> bytes:
    """The report in one of FORMATS; WeasyPrint and python-docx load on the first such report."""
    module = import_module(f"workshop.reports.{fmt}")
    content: bytes = getattr(module, f"render_{fmt}")(session, workshop)
    return content
