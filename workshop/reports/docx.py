"""The report as a Word document a case officer pastes into a saksframlegg: purpose, method in
plain language, the top proposals per change level, the actions, and every proposal appended."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workshop.models import Workshop
from workshop.reports.content import TOP_PER_LEVEL, ReportContent, gather, result_text
from workshop.reports.formatting import day_text

WORD_LANGUAGES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # Word cannot hold them


def xml_safe(text: str) -> str:
    """Text without the control characters an XML document cannot hold (pasted from elsewhere)."""
    return NOT_IN_XML.sub("", text)


def _paragraph(document: WordDocument, text: str = "", style: str | None = None) -> None:
    document.add_paragraph(xml_safe(text), style=style)


def _heading(document: WordDocument, text: str, level: int) -> None:
    document.add_heading(xml_safe(text), level=level)


def render_docx(session: Session, workshop: Workshop) -> bytes:
    """export.docx: the summary in the workshop's language, with Word's own headings."""
    with force_locale(workshop.language):
        content = gather(session, workshop)
        document = summary_document(content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def summary_document(content: ReportContent) -> WordDocument:
    """The Word document of a gathered report (texts in the current language)."""
    document = Document()
    _set_language(document, WORD_LANGUAGES.get(content.language, "nb-NO"))
    document.core_properties.title = xml_safe(content.title)
    document.core_properties.subject = _("Rapport fra verksted %(code)s", code=content.code)
    _heading(document, content.title, level=0)
    _paragraph(
        document,
        " ".join(
            [
                _("Rapport fra verksted %(code)s", code=content.code) + ".",
                _("Holdt %(date)s.", date=day_text(content.held)),
                ngettext("%(num)d deltaker.", "%(num)d deltakere.", content.participants),
            ]
        ),
    )
    _purpose(document, content)
    _method(document, content)
    _levels(document, content)
    _actions(document, content)
    if content.closed_at:
        _followup(document, content)
    if content.steps:
        _steps(document, content)
    _appendix(document, content)
    return document


def _purpose(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("Formål"), level=1)
    _paragraph(
        document,
        _(
            "Verkstedet «%(title)s» samlet forslag fra deltakerne og prioriterte dem i "
            "fellesskap, slik at det går fram hva kommunen kan gjøre selv og hva den må be "
            "fylkeskommunen, statsforvalteren eller staten om.",
            title=content.title,
        ),
    )
    for prompt in content.prompts:
        _paragraph(document, _("Spørsmålet til rommet: «%(prompt)s»", prompt=prompt))


def _method(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("Metode"), level=1)
    _paragraph(
        document,
        _(
            "Deltakerne ble med anonymt fra egen mobil. De kunne oppgi en eller flere roller. "
            "Resultatene under er slik de var da rapporten ble skrevet ut."
        ),
    )
    for sentence in content.method:
        _paragraph(document, sentence, style="List Number")
    if content.steps:
        _paragraph(document, str(content.steps[0].payload["suppressed_note"]))


def _levels(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("De viktigste forslagene etter endringsnivå"), level=1)
    if not content.levels:
        _paragraph(document, _("Ingen forslag er registrert."))
        return
    first = content.steps[0] if content.steps else None
    if content.levels_step:
        _paragraph(
            document,
            _(
                "De øverste forslagene fra «%(step)s» for hvert endringsnivå; alle står i "
                "vedlegget.",
                step=content.levels_step,
            ),
        )
    for group in content.levels:
        _heading(document, group.label, level=2)
        headers = [_("Nr."), _("Forslag")] + ([content.appendix_columns[0]] if first else [])
        rows = [
            [str(row["rank"]), row["title"]] + ([result_text(first, row)] if first else [])
            for row in group.top
        ]
        _table(document, headers, rows)


def _steps(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("Resultater per steg"), level=1)
    for step, column in zip(content.steps, content.appendix_columns, strict=True):
        _heading(document, step.title, level=2)
        voters = int(step.payload["voters"])
        _paragraph(
            document, ngettext("%(num)d deltaker svarte.", "%(num)d deltakere svarte.", voters)
        )
        rows = [
            [str(rank), row["title"], result_text(step, row)]
            for rank, row in enumerate(step.proposals[:TOP_PER_LEVEL], start=1)
        ]
        _table(document, [_("Nr."), _("Forslag"), column], rows)


def _actions(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("Tiltak"), level=1)
    if not content.actions:
        _paragraph(document, _("Ingen tiltak er registrert."))
        return
    unsettled = _("Ikke avklart")
    _table(
        document,
        [_("Hva"), _("Gjelder forslag"), _("Ansvarlig"), _("Frist"), _("Vedtas av")],
        [
            [
                action["what"],
                action["proposal_title"] or "–",
                action["owner"] or unsettled,
                action["due_text"] or unsettled,
                action["decided_by_text"] or unsettled,
            ]
            for action in content.actions
        ],
    )


def _followup(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("Oppfølging"), level=1)
    _paragraph(document, _("Verkstedet ble avsluttet %(date)s.", date=day_text(content.closed_at)))
    for note in content.notes:
        _paragraph(document, f"{day_text(note['at'])}: {note['text']}", style="List Bullet")


def _appendix(document: WordDocument, content: ReportContent) -> None:
    _heading(document, _("Vedlegg: alle forslag"), level=1)
    if not content.appendix:
        _paragraph(document, _("Ingen forslag er registrert."))
        return
    _table(
        document,
        [_("Nr."), _("Forslag"), _("Endringsnivå"), *content.appendix_columns],
        [
            [str(row["rank"]), row["title"], row["change_level_text"], *row["results"]]
            for row in content.appendix
        ],
    )


def _table(document: WordDocument, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table whose first row is a header row Word repeats on every page."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(_on("w:tblHeader"))
    for cell, text in zip(header.cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(xml_safe(text))
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = xml_safe(text)
    _paragraph(document)


def _on(tag: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    return element


def _set_language(document: WordDocument, language: str) -> None:
    """Word's spelling and hyphenation follow the workshop's language."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    properties.append(lang)
