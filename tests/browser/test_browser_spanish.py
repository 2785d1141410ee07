"""The journeys of registering and of reading the memo, in Spanish: a visitor who opens the demo
with ?lang=es registers online for the open workshop, confirms from the Spanish mail, and reads
the published memo; every word of the site's own (not the workshop's data or the memo's text) is
Spanish. Screenshots at 390 and 1280 px go to test-artifacts/screens/."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.support.browser import DESK, PHONE, assert_no_horizontal_scroll, save_screen
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.demo import OPEN_SLUG, R2P_SLUG, load_demo

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def demo(app):
    return load_demo()


def english_phrases() -> list[str]:
    """The site's English messages that Spanish says otherwise, as they would show on a page:
    whole phrases of two words or more, without placeholders (the form a leftover would take)."""
    with open(TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="es")
    phrases = set()
    for message in catalog:
        english = message.id if isinstance(message.id, str) else None
        if not english or "%" in english or message.string == english or len(english.split()) < 2:
            continue
        phrases.add(english)
    return sorted(phrases, key=len, reverse=True)


# The page with the workshop's own data taken out, and the memo's own words (in the memo's
# language: every part of the article not marked with the reader's), and whatever is marked as
# written in another language (a document's title): what is left is the site.
CHROME_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('article.memo > header > :not([lang]), article.memo > footer > :not([lang]),'
    + ' article.memo > .memo-text, .breadcrumb, select option, script, style, body [lang]:not([lang="es"])')
    .forEach(node => node.remove());
  return copy.innerText;
}"""


def english_leftovers(page) -> list[str]:
    text = " ".join(page.evaluate(CHROME_TEXT).split())
    return [phrase for phrase in english_phrases() if re.search(r"(?<!\\w)" + re.escape(phrase) + r"(?!\\w)", text)]


def mail_to(smtp_server, address: str):
    found = [m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == address]
    assert found, f"no mail to {address}"
    return found[-1]


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_registering_online_in_spanish(app, live_server, smtp_server, new_context, demo, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto(f"/w/{OPEN_SLUG}/?lang=es")
    assert (page.locator("html").get_attribute("lang"), page.locator("html").get_attribute("dir")) == ("es", "ltr")
    page.get_by_role("link", name="Inscribirse").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscribirse en este taller")
    # The mail language is the page's, unless the registrant chooses another.
    expect(page.get_by_label("Idioma de los correos electrónicos que le enviaremos")).to_have_value("es")
    assert english_leftovers(page) == []
    save_screen(page, "register-es")
    assert_no_horizontal_scroll(page)

    email = f"lucia.{viewport['width']}@example.org"
    page.get_by_label("Nombre completo").fill("Lucía Fernández")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("País").select_option(label="Chile")
    # The demo's own question (the organizers wrote it in English); the choices are the app's words.
    page.get_by_role("group", name=re.compile("letter of invitation for a visa")).get_by_label("No").check()
    page.get_by_label("He leído el aviso de privacidad y lo acepto.").check()
    page.get_by_role("button", name="Inscribirse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su bandeja de entrada")
    assert english_leftovers(page) == []

    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    message = mail_to(smtp_server, email)
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(live_server.url) + r"/registrations/[A-Za-z0-9_-]+", text).group(0)
    assert '<html lang="es"' in message.get_body(preferencelist=("html",)).get_content()

    page.goto(link)
    page.get_by_role("button", name="Confirmar mi inscripción").click()
    expect(page.get_by_role("status")).to_contain_text("Gracias: su inscripción está confirmada.")
    expect(page.locator(".status")).to_have_text("confirmada")
    assert english_leftovers(page) == []
    save_screen(page, "registered-es")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_reading_the_memo_in_spanish(live_server, new_context, demo, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto(f"/w/{R2P_SLUG}/memo?lang=en")
    assert "Skip to content" in english_leftovers(page)  # the check sees English when it is there
    page.goto(f"/w/{R2P_SLUG}/?lang=es")
    page.get_by_role("link", name="Principales conclusiones").first.click()
    assert (page.locator("html").get_attribute("lang"), page.locator("html").get_attribute("dir")) == ("es", "ltr")
    # The memo is in its own language (the demo's is English); the page around it is Spanish.
    assert page.locator("article.memo").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Descargar la nota en PDF").first).to_be_visible()
    assert english_leftovers(page) == []
    save_screen(page, "memo-es")
    assert_no_horizontal_scroll(page)
    pdf = page.request.get(page.get_by_role("link", name=re.compile("Descargar")).first.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
