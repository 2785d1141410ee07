"""A memo has its own language, and a workshop publishes its memo in several languages as linked
versions: each version's page and PDF are in the version's language whatever the reader's, and
each public page lists the other languages with hreflang links."""

import io
import re

import pytest
from pypdf import PdfReader

from workshop.memos import service
from workshop.memos.models import Memo
from workshop.platform.db import db


@pytest.fixture
def setting(make_user, make_workshop):
    organizer = make_user(name="Olga Organizer")
    workshop = make_workshop(organizer, theme="Mass Violence and Atrocities", title="Preparatory Workshop")
    return workshop, organizer


def _publish(memo, user, text):
    service.save(memo, text, user, memo.current.number if memo.current else None)
    service.submit_for_review(memo)
    service.approve(memo)
    return service.publish(memo, user)


def _article(html: str) -> str:
    return re.search(r'<article class="memo"[^>]*>', html).group()


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_memo_language_is_chosen_in_its_settings_from_the_offered_languages(client, login_as, setting):
    workshop, organizer = setting
    workshop.languages = "en fr"
    db.session.commit()
    login_as(organizer)
    form = client.get(f"/manage/w/{workshop.slug}/memo/settings").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="language".*?</select>', form, re.S).group()
    assert re.findall(r'value="(\w+)"', select) == ["en", "fr"]
    fields = {"disclaimer": "Avertissement.", "credit": "", "dated": "", "language": "ru"}
    assert client.post(f"/manage/w/{workshop.slug}/memo/settings", data=fields).status_code == 422
    fields["language"] = "fr"
    assert client.post(f"/manage/w/{workshop.slug}/memo/settings", data=fields).status_code == 302
    assert service.get_memo(workshop).language == "fr"
    editor = client.get(f"/manage/w/{workshop.slug}/memo/edit?lang=en").get_data(as_text=True)
    assert "Written in Français." in editor
    assert re.search(r'<textarea[^>]*\bdir="ltr"[^>]*\blang="fr"|<textarea[^>]*\blang="fr"', editor)


def test_a_french_memo_is_shown_and_printed_in_french_to_an_english_reader(client, setting):
    workshop, organizer = setting
    memo = service.memo_for(workshop)
    service.update_front_matter(memo, disclaimer=service.default_disclaimer("fr"), credit="", dated=None,
                                language="fr")
    version = _publish(memo, organizer, "## Contexte\n\nNous nous sommes réunis.\n")
    assert (version.language, version.title) == ("fr", "Mass Violence and Atrocities | Principaux enseignements des débats")
    page = client.get(f"/w/{workshop.slug}/memo?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert _article(page) == '<article class="memo" lang="fr" dir="ltr">'
    assert "selon la règle de Chatham House" in page  # the French default disclaimer
    text = _pdf_text(client.get(f"/w/{workshop.slug}/memo.pdf?lang=en").data)
    assert "Principaux enseignements des débats" in text and "Discussion Takeaways" not in text


def test_translations_are_linked_versions_each_with_its_page_and_pdf(client, login_as, setting):
    workshop, organizer = setting
    english = service.memo_for(workshop)
    _publish(english, organizer, "## Context\n\nWe met.\n")
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/memo/translations", data={"language": "ar"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/manage/w/{workshop.slug}/memo/ar/")
    arabic = service.memo_in(workshop, "ar")
    assert arabic.translation_of_id == english.id
    manage = client.get(f"/manage/w/{workshop.slug}/memo/ar/").get_data(as_text=True)
    assert f'href="/manage/w/{workshop.slug}/memo/ar/edit"' in manage  # its pages stay on the Arabic memo
    _publish(arabic, organizer, "## السياق\n\nاجتمعنا.\n")
    french = service.add_translation(english, "fr", organizer)
    _publish(french, organizer, "## Contexte\n\nNous nous sommes réunis.\n")
    db.session.commit()

    page = client.get(f"/w/{workshop.slug}/memo?lang=en").get_data(as_text=True)
    also = re.search(r'<nav class="memo-languages".*?</nav>', page, re.S).group()
    assert "Also available in:" in also
    assert re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+" dir="(\w+)">([^<]+)</a>', also) == [
        (f"/w/{workshop.slug}/memo/fr", "fr", "ltr", "Français"),
        (f"/w/{workshop.slug}/memo/ar", "ar", "rtl", "العربية")]
    assert f'<link rel="alternate" hreflang="ar" href="/w/{workshop.slug}/memo/ar">' in page

    arabic_page = client.get(f"/w/{workshop.slug}/memo/ar?lang=en").get_data(as_text=True)
    assert _article(arabic_page) == '<article class="memo" lang="ar" dir="rtl">'
    assert "اجتمعنا" in arabic_page and f'href="/w/{workshop.slug}/memo/en"' in arabic_page
    assert f'href="/w/{workshop.slug}/memo/ar.pdf"' in arabic_page
    pdfs = {code: client.get(f"/w/{workshop.slug}/memo/{code}.pdf") for code in ("en", "fr", "ar")}
    assert all(r.status_code == 200 and r.mimetype == "application/pdf" for r in pdfs.values())
    assert len({r.headers["ETag"] for r in pdfs.values()}) == 3
    assert "الاستنتاجات الرئيسية للمناقشة" in _pdf_text(pdfs["ar"].data)
    assert client.get(f"/w/{workshop.slug}/memo/ru").status_code == 404
    assert client.get(f"/w/{workshop.slug}/memo/ru.pdf").status_code == 404


def test_languages_and_links_that_cannot_be(setting):
    workshop, organizer = setting
    workshop.languages = "en fr es"
    english = service.memo_for(workshop)
    with pytest.raises(service.MemoError):
        service.add_translation(english, "zh")  # not offered
    french = service.add_translation(english, "fr")
    with pytest.raises(service.MemoError):
        service.add_translation(english, "fr")  # already there
    with pytest.raises(service.MemoError):
        service.update_front_matter(french, disclaimer="x", credit="", dated=None, language="en")
    spanish = service.add_translation(french, "es")  # a translation of the original, not a chain
    assert spanish.translation_of_id == english.id
    with pytest.raises(service.MemoError):
        service.update_front_matter(spanish, disclaimer="x", credit="", dated=None, translation_of_id=french.id)
    with pytest.raises(service.MemoError):  # others translate it
        service.update_front_matter(english, disclaimer="x", credit="", dated=None, translation_of_id=french.id)
    with pytest.raises(service.MemoError):
        service.update_front_matter(french, disclaimer="x", credit="", dated=None, translation_of_id=french.id)
    assert db.session.scalar(db.select(db.func.count(Memo.id))) == 3
