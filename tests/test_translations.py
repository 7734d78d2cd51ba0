"""Translation catalogues: in step with the source, complete in nynorsk and English, and used.

When a test here fails after you changed interface text: run `make messages`, translate the new
entries in workshop/translations/nn/LC_MESSAGES/messages.po and .../en/..., then
`make translations` (docs/translations.md).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from markupsafe import escape

from tests.support.api import Api
from tests.support.forms import csrf_of
from workshop.extensions import babel

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "workshop" / "translations"
TEMPLATE = CATALOGUES / "messages.pot"
LOCALES = ("nn", "en")
HOW_TO = (
    "Run `make messages`, translate the new entries in "
    "workshop/translations/{nn,en}/LC_MESSAGES/messages.po, then `make translations` "
    "(see docs/translations.md)."
)
# %(name)s, %d, %% and {name}: what a translation must carry over unchanged.
PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
    r"|\{[A-Za-z_]\w*\}"
)


# --- helpers ----------------------------------------------------------------------------------


def po_path(locale: str) -> Path:
    """The catalogue of one language."""
    return CATALOGUES / locale / "LC_MESSAGES" / "messages.po"


def load(path: Path, locale: str | None = None) -> Catalog:
    """A .po or .pot file as a babel Catalog."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def key_of(message: Message) -> tuple[object, str | None]:
    """A message's identity: msgid (with msgid_plural) and context."""
    ident = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
    return ident, message.context


def show(key: tuple[object, str | None]) -> str:
    """A message key as a developer recognises it."""
    ident, context = key
    text = " | ".join(ident) if isinstance(ident, tuple) else str(ident)
    return f"{text!r}" + (f" (context {context!r})" if context else "")


def make_keywords() -> dict[str, object]:
    """Babel's default keywords plus the -k options of `make messages`."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extra = re.findall(r"(?:-k|--keyword)[ =](\S+)", makefile)
    assert extra, "the Makefile's messages target no longer passes -k keywords"
    return {**DEFAULT_KEYWORDS, **parse_keywords(extra)}


def fresh_extraction() -> Catalog:
    """What `pybabel extract -F babel.cfg` finds in the source right now."""
    config = ROOT / "babel.cfg"
    with config.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(config))
    catalog = Catalog()
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=make_keywords())
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def placeholders(text: str) -> set[str]:
    """The format placeholders in a string."""
    return set(PLACEHOLDER.findall(text))


def compile_catalogues() -> None:
    """Build a .mo next to each .po that has none or an older one (as `make translations`)."""
    for locale in LOCALES:
        source = po_path(locale)
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        catalog = load(source, locale)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog)
        os.replace(temporary, target)
    # Flask-Babel keeps loaded catalogues on the shared Babel object, across apps: forget any
    # catalogue an earlier test loaded before the .mo files existed.
    domain = babel.__dict__.get("domain_instance")
    if domain is not None:
        domain.cache.clear()


@pytest.fixture(scope="module", autouse=True)
def compiled() -> Iterator[None]:
    """Compiled catalogues, also when pytest runs without `make translations`."""
    compile_catalogues()
    yield


def translated(app: Flask, locale: str, msgid: str, **variables: object) -> str:
    """What the interface says for a source string in a language (which must differ from it)."""
    with app.test_request_context(), force_locale(locale):
        text = gettext(msgid, **variables)
    source = msgid % variables if variables else msgid
    assert text != source, f"{msgid!r} reads the same in {locale}: the test needs another string"
    return text


def html_lang(page: str) -> str:
    """The page's <html lang>."""
    match = re.search(r'<html[^>]*\blang="([^"]*)"', page)
    assert match, "page has no <html lang>"
    return match.group(1)


def get(client: FlaskClient, url: str) -> str:
    """A page that must answer 200 (an absolute URL is reduced to its path and query)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def says(page: str, text: str) -> bool:
    """Whether the page shows a text (HTML-escaped as Jinja does)."""
    return str(escape(text)) in page


def join_by_form(client: FlaskClient, code: str) -> str:
    """Join through the join page, as a phone without JavaScript does; the page that follows."""
    page = get(client, f"/j/{code}")
    response = client.post(f"/j/{code}", data={"csrf": csrf_of(page), "name": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return get(client, response.headers["Location"])


def step_title(page: str) -> str:
    """The text of the step heading."""
    match = re.search(r'id="step-title"[^>]*>(.*?)</h1>', page, re.S)
    assert match, "page has no step heading"
    return match.group(1).strip()


# --- the catalogues ---------------------------------------------------------------------------


def test_template_holds_exactly_the_strings_in_the_source() -> None:
    fresh = {key_of(m) for m in fresh_extraction() if m.id}
    committed = {key_of(m) for m in load(TEMPLATE) if m.id}
    new = sorted(fresh - committed, key=show)
    gone = sorted(committed - fresh, key=show)
    problems = []
    if new:
        problems.append(
            f"{len(new)} string(s) in the source are missing from messages.pot:\n  "
            + "\n  ".join(map(show, new))
        )
    if gone:
        problems.append(
            f"{len(gone)} string(s) in messages.pot are no longer in the source:\n  "
            + "\n  ".join(map(show, gone))
        )
    assert not problems, "\n".join(problems) + "\n" + HOW_TO


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_is_translated(locale: str) -> None:
    template = load(TEMPLATE)
    catalog = load(po_path(locale), locale)
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None:
            missing.append(f"{show(key_of(message))}: not in the catalogue")
        elif key_of(entry) != key_of(message):
            missing.append(f"{show(key_of(message))}: catalogue has {show(key_of(entry))}")
        elif entry.fuzzy:
            missing.append(f"{show(key_of(message))}: fuzzy")
        elif message.pluralizable and len(entry.string) != catalog.num_plurals:
            missing.append(f"{show(key_of(message))}: needs {catalog.num_plurals} plural forms")
        elif not all(entry.string if message.pluralizable else [entry.string]):
            missing.append(f"{show(key_of(message))}: empty")
    assert not missing, (
        f"{len(missing)} string(s) lack a {locale} translation:\n  "
        + "\n  ".join(missing)
        + "\n"
        + HOW_TO
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    catalog = load(po_path(locale), locale)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        sources = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        expected = set().union(*(placeholders(s) for s in sources))
        forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for form in forms:
            if form and placeholders(form) != expected:
                wrong.append(
                    f"{show(key_of(message))} -> {form!r}: has {sorted(placeholders(form))}, "
                    f"needs {sorted(expected)}"
                )
    for message, errors in catalog.check():
        wrong.extend(f"{show(key_of(message))}: {error}" for error in errors)
    assert not wrong, f"{locale} translations with wrong placeholders:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("locale", LOCALES)
def test_make_translations_compiles_the_catalogue(locale: str) -> None:
    catalog = load(po_path(locale), locale)
    assert not catalog.fuzzy, (
        f"the {locale} catalogue has no header or a '#, fuzzy' one, so `pybabel compile` "
        '(`make translations`) skips all of it: keep its msgid "" header, without the fuzzy '
        "flag (`make messages` keeps it)"
    )
    assert catalog.num_plurals == 2, catalog.plural_forms


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_a_browser_chooses_its_language_and_keeps_it(
    app: Flask, client: FlaskClient, locale: str
) -> None:
    skip = translated(app, locale, "Hopp til innholdet")
    heading = translated(app, locale, "Bli med i et verksted")

    chosen = get(client, f"/?lang={locale}")
    assert html_lang(chosen) == locale
    assert says(chosen, skip) and says(chosen, heading)
    assert not says(chosen, "Bli med i et verksted")

    later = get(client, "/")  # no ?lang: the cookie remembers
    assert html_lang(later) == locale
    assert says(later, heading)

    statement = get(client, "/tilgjengelighet")
    assert html_lang(statement) == locale
    assert says(statement, translated(app, locale, "Tilgjengelighetserklæring"))

    back = get(client, "/?lang=nb")
    assert html_lang(back) == "nb"
    assert says(back, "Bli med i et verksted")
    assert html_lang(get(client, "/")) == "nb"


def test_an_unknown_language_falls_back_to_bokmal(client: FlaskClient) -> None:
    page = get(client, "/?lang=sv")
    assert html_lang(page) == "nb"
    assert says(page, "Bli med i et verksted")


@pytest.mark.parametrize("locale", LOCALES)
def test_participant_pages_follow_the_choice(
    app: Flask, client: FlaskClient, api: Api, locale: str
) -> None:
    workshop = api.create("Forenklingsverksted i Småvik")
    join_page = get(client, f"/j/{workshop.code}?lang={locale}")
    assert html_lang(join_page) == locale
    assert says(join_page, translated(app, locale, "Verksted %(code)s", code=workshop.code))
    assert says(join_page, "Forenklingsverksted i Småvik")  # the workshop's own title

    step_page = join_by_form(client, workshop.code)  # no ?lang on these requests
    assert html_lang(step_page) == locale
    assert says(step_page, translated(app, locale, "Hopp til innholdet"))
    assert says(step_page, translated(app, locale, "Uten direkte oppdatering"))

    other = "en" if locale == "nn" else "nn"
    switched = get(client, f"/j/{workshop.code}?lang={other}")
    assert html_lang(switched) == other
    assert says(switched, translated(app, other, "Uten direkte oppdatering"))


@pytest.mark.parametrize("locale", LOCALES)
def test_api_errors_come_in_the_chosen_language(
    app: Flask, client: FlaskClient, api: Api, locale: str
) -> None:
    workshop = api.create()
    key = api.join(workshop.code)
    api.go_to(workshop, "collect")
    expected = translated(app, locale, "Skriv en tittel på forslaget.")

    get(client, f"/?lang={locale}")  # chosen on a page, remembered for the API
    response = api.propose(workshop.code, key, "")
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == expected

    client.get("/?lang=nb")
    response = client.post(
        f"/api/v1/workshops/{workshop.code}/proposals?lang={locale}",
        json={"title": "   "},
        headers=api.auth(key),
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == expected


def test_a_nynorsk_workshop_speaks_nynorsk_but_keeps_its_own_words(app: Flask, api: Api) -> None:
    workshop = api.create("Planverkstad for Fjordvik", language="nn")
    steps = workshop.data["steps"]
    phone = app.test_client()  # a phone that has not chosen a language

    join_page = get(phone, f"/j/{workshop.code}")
    assert html_lang(join_page) == "nn"
    assert says(join_page, translated(app, "nn", "Verksted %(code)s", code=workshop.code))
    assert says(join_page, "Planverkstad for Fjordvik")

    step_page = join_by_form(phone, workshop.code)
    assert html_lang(step_page) == "nn"
    assert says(step_page, translated(app, "nn", "Uten direkte oppdatering"))
    for step in steps:
        response = api.step(workshop, position=step["position"])
        assert response.status_code == 200, response.get_json()
        page = get(phone, f"/j/{workshop.code}")
        assert html_lang(page) == "nn"
        assert step_title(page) == str(escape(step["title"])), "step titles stay as written"
        if step.get("prompt"):
            assert says(page, step["prompt"])

    projector = get(app.test_client(), workshop.data["projector_url"])
    assert html_lang(projector) == "nn"
    assert says(projector, "Planverkstad for Fjordvik")
    assert says(projector, translated(app, "nn", "Kobler til …"))

    facilitator = get(app.test_client(), workshop.data["facilitator_url"])
    assert html_lang(facilitator) == "nn"
    assert says(facilitator, translated(app, "nn", "Tilrettelegger"))

    # The phone's own choice beats the workshop's language, and sticks.
    assert html_lang(get(phone, f"/j/{workshop.code}?lang=en")) == "en"
    english = get(phone, f"/j/{workshop.code}")
    assert html_lang(english) == "en"
    assert says(english, translated(app, "en", "Uten direkte oppdatering"))

    bokmal = api.create("Vanlig verksted")
    assert html_lang(get(app.test_client(), f"/j/{bokmal.code}")) == "nb"


def test_api_errors_follow_the_workshop_language_when_no_language_was_chosen(
    api: Api,
) -> None:
    ws = api.create(language="nn")
    key = api.join(ws.code)
    api.go_to(ws, "collect")
    refused = api.propose(ws.code, key, "")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "Skriv ein tittel på forslaget."
