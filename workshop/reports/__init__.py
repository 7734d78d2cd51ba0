"""The council-ready report of a workshop as HTML, PDF and Word: content gathered once, then drawn.

``content.gather`` collects what the report says (every prioritising step, the change levels, the
actions and the follow-up notes); ``html``, ``pdf`` and ``docx`` each expose
``render_<fmt>(session, workshop) -> bytes`` in the workshop's language.
"""

from workshop.reports.docx import render_docx
from workshop.reports.html import render_html
from workshop.reports.pdf import render_pdf

RENDERERS = {"html": render_html, "pdf": render_pdf, "docx": render_docx}

__all__ = ["RENDERERS", "render_docx", "render_html", "render_pdf"]
