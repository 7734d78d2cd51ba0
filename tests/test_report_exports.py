"""The council-ready report as files: export.html (self-contained), export.pdf (A4, numbered
pages) and export.docx (Word headings and tables), each in the workshop's language, holding every
step's results whatever step is current."""

from __future__ import annotations

import gc

import pytest
from flask.testing import FlaskClient

from tests.support import followup as support
from tests.support.api import Api
from tests.support.browser import axe_violations
from tests.support.followup import post
from tests.support.reports import (
    ACTION,
    download,
    headings,
    held_room,
    parse_html,
    pdf_text,
    word,
)
from workshop.reports.pdf import refuse_network

followup_plan = support.followup_plan  # fixture

TITLES = ("Felles plankontor", "Kortere planprogram", "Digitalt planregister")
LEVELS = ("lokal", "regional", "nasjonal")


def test_the_pdf_holds_every_step_with_totals_and_numbered_pages(
    api: Api, followup_plan: str
) -> None:
    room = held_room(api, TITLES, levels=LEVELS)
    pages = pdf_text(download(room, "pdf"))
    text = "\n".join(pages)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} av {len(pages)}" in page
    assert "Forenklingsverksted" in pages[0]
    for heading in ("Prikker", "Enig eller uenig", "Gevinst og innsats", "Tiltak"):
        assert heading in text
    for title in TITLES:
        assert title in text
    assert "9 deltakere." in pages[0]
    assert "27" in text  # nine participants gave «Felles plankontor» 3 dots each
    assert "Raske gevinster" in text
    assert "Det vi ber staten om" in text
    assert ACTION["owner"] in text and "01.03.2027" in text
    assert gc.isenabled()  # the collector paused for the layout runs again for everyone else


def test_the_word_summary_has_headings_top_proposals_actions_and_the_full_list(
    api: Api, followup_plan: str
) -> None:
    room = held_room(api, TITLES, levels=LEVELS)
    document = word(download(room, "docx"))
    found = headings(document)
    assert found[0] == ("Title", "Forenklingsverksted")
    level_one = [text for style, text in found if style == "Heading 1"]
    assert level_one[:2] == ["Formål", "Metode"]
    assert level_one[-3:] == ["Tiltak", "Resultater per steg", "Vedlegg: alle forslag"]
    level_two = [text for style, text in found if style == "Heading 2"]
    assert level_two[:3] == [
        "Det vi kan gjøre selv",
        "Det vi ber fylkeskommunen eller statsforvalteren om",
        "Det vi ber staten om",
    ]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    assert tables[0] == [["Nr.", "Forslag", "Prikker (prikker)"], ["1", "Felles plankontor", "27"]]
    rated = next(t for t in tables if t[0][-1] == "Gevinst og innsats (gevinst / innsats)")
    assert rated[1] == ["1", "Felles plankontor", "5,0 / 2,0"]  # results per step, top five
    actions = next(t for t in tables if t[0][0] == "Hva")
    assert actions[1] == [
        ACTION["what"],
        "Kortere planprogram",
        "Kommunedirektøren",
        "01.03.2027",
        "Kommunestyret",
    ]
    appendix = tables[-1]
    assert [row[1] for row in appendix[1:]] == list(TITLES)
    assert appendix[1][-3:] == ["27", "9 / 0 / 0", "5,0 / 2,0"]
    header = document.tables[0].rows[0]
    assert header._tr.trPr.xpath("./w:tblHeader")  # Word repeats it on each page
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert "9 deltakere." in "\n".join(p.text for p in document.paragraphs)


def test_the_html_file_is_self_contained_with_described_charts(
    api: Api, followup_plan: str
) -> None:
    room = held_room(api, TITLES, levels=LEVELS)
    html = download(room, "html").decode("utf-8")
    markup = parse_html(html)
    tags = [tag for tag, _ in markup.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _tag, attributes in markup.tags:
        for name in ("src", "href", "action"):
            assert not attributes.get(name), (name, attributes.get(name))
    assert "style" in tags  # the CSS is inlined
    charts = [a for tag, a in markup.tags if tag == "svg"]
    assert len(charts) == 6  # dots, agree and the matrix, each with a by-role chart
    assert all(a.get("role") == "img" and a.get("aria-describedby") for a in charts)
    titles, descriptions = markup.texts["title"], markup.texts["desc"]
    assert any("Gevinst og innsats" in t for t in titles)
    assert any("Felles plankontor: 27 prikker" in d for d in descriptions)
    assert tags.count("figcaption") == 6
    assert '<th scope="col"' in html and 'id="report-appendix"' in html


def test_markup_formulas_and_control_characters_in_titles_show_as_text(
    api: Api, followup_plan: str
) -> None:
    hostile = ("<script>alert(1)</script>", "=SUM(A1:A9)", "Tre\x0bfire")  # a pasted tab
    room = held_room(api, hostile, title='Plan "</style><script>x()</script>')
    html = download(room, "html").decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=SUM(A1:A9)" in html
    cells = [c.text for t in word(download(room, "docx")).tables for r in t.rows for c in r.cells]
    assert hostile[0] in cells and hostile[1] in cells
    assert "Trefire" in cells  # Word cannot hold the control character; the text stays
    pages = pdf_text(download(room, "pdf"))
    text = "\n".join(pages)
    assert "<script>alert(1)</script>" in text and "=SUM(A1:A9)" in text
    assert 'Plan "</style><script>x()</script>' in pages[0]  # the heading
    assert 'Plan "</style><script>x()</script>' in pages[-1]  # and every page's footer


def test_closing_notes_reach_every_format(api: Api, followup_plan: str) -> None:
    room = held_room(api, TITLES)
    assert post(room, "close", room.facilitator).status_code == 200
    note = {"text": "Saken går til kommunestyret i mars."}
    assert post(room, "notes", room.facilitator, note).status_code == 201
    assert note["text"] in "\n".join(pdf_text(download(room, "pdf")))
    assert note["text"] in download(room, "html").decode("utf-8")
    document = word(download(room, "docx"))
    assert ("Heading 1", "Oppfølging") in headings(document)
    assert any(note["text"] in p.text for p in document.paragraphs)


@pytest.mark.parametrize(
    ("language", "page", "heading", "date", "mean"),
    [
        ("nn", "Side 1 av", "Føremål", "01.03.2027", "5,0 / 2,0"),
        ("en", "Page 1 of", "Purpose", "1 March 2027", "5.0 / 2.0"),
    ],
)
def test_the_report_speaks_the_workshops_language(
    api: Api, followup_plan: str, language: str, page: str, heading: str, date: str, mean: str
) -> None:
    room = held_room(api, TITLES, language=language)
    pages = pdf_text(download(room, "pdf"))
    assert pages[0].count(page) == 1
    text = "\n".join(pages)
    assert date in text and mean in text
    assert "Metode og regler" not in text
    document = word(download(room, "docx"))
    assert ("Heading 1", heading) in headings(document)
    html = download(room, "html").decode("utf-8")
    assert f'<html lang="{language}">' in html


def test_the_page_and_the_file_are_the_same_report(
    api: Api, followup_plan: str, client: FlaskClient
) -> None:
    room = held_room(api, TITLES, levels=LEVELS)
    client.get(f"/f/{room.code}?key={room.facilitator}")
    page = client.get(f"/f/{room.code}/rapport").get_data(as_text=True)
    file = download(room, "html").decode("utf-8")
    start = '<section aria-labelledby="method-title">'
    body = start + page.split(start)[1].split("</main>")[0]
    assert body in file
    assert 'id="report-appendix"' in body and "<svg" in body


def test_the_pdf_renderer_fetches_nothing_but_inline_data() -> None:
    fetcher = refuse_network()
    for url in ("http://127.0.0.1:9/x.css", "https://example.org/font.woff", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed"):
            fetcher(url)
    assert fetcher("data:text/plain,ok").read() == b"ok"


@pytest.mark.browser
def test_the_html_file_opens_offline_in_chromium_without_axe_violations(
    api: Api,
    followup_plan: str,
    browser,  # noqa: ANN001
) -> None:
    room = held_room(api, TITLES, levels=LEVELS)
    html = download(room, "html").decode("utf-8")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    requested: list[str] = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.abort()))
    page.set_content(html)
    assert page.get_by_role("heading", name="Forenklingsverksted", level=1).is_visible()
    assert page.get_by_role("img", name="Prikker per forslag i «Prikker»").is_visible()
    assert requested == []  # nothing is fetched: the file works without the network
    page.unroute("**/*")
    assert axe_violations(page) == []
    page.context.close()
