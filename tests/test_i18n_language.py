"""Which language a page is in: `?lang=` (remembered in a cookie, and on the account of someone
signed in), Accept-Language on a first visit, English otherwise; `<html lang dir>` always; a
switcher on every page; the page cache never answers in another language than asked."""

import re
from email import policy
from email.parser import BytesParser

import pytest

from tests.conftest import login
from tests.support.registration import body, form_data, outbox, taking_registrations  # noqa: F401
from workshop.platform import public_cache


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group()


def test_english_without_any_choice(client):
    response = client.get("/")
    assert _html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Workshops" in response.get_data(as_text=True)


def test_lang_parameter_renders_the_page_and_remembers_the_choice(client):
    response = client.get("/?lang=fr")
    assert _html_tag(response) == '<html lang="fr" dir="ltr">'
    assert "Ateliers" in response.get_data(as_text=True)
    assert "lang=fr" in response.headers["Set-Cookie"]
    again = client.get("/")  # no parameter: the cookie speaks
    assert _html_tag(again) == '<html lang="fr" dir="ltr">'


def test_arabic_is_right_to_left(client):
    text = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in text and "حلقات العمل" in text


def test_accept_language_on_a_first_visit_only(client):
    first = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert _html_tag(first) == '<html lang="ru" dir="ltr">'
    client.get("/?lang=es")
    chosen = client.get("/", headers={"Accept-Language": "ru"})
    assert _html_tag(chosen) == '<html lang="es" dir="ltr">'


def test_an_unknown_language_falls_back(client):
    assert _html_tag(client.get("/?lang=xx", headers={"Accept-Language": "de"})) == '<html lang="en" dir="ltr">'
    assert _html_tag(client.get("/?lang=zh-Hans")) == '<html lang="zh" dir="ltr">'


def test_every_page_has_a_switcher_of_plain_links_keeping_the_other_arguments(client, make_workshop):
    make_workshop(slug="nyc")
    text = client.get("/w/nyc/?lang=fr&x=1").get_data(as_text=True)
    nav = re.search(r'<nav class="language-switcher".*?</nav>', text, re.S).group()
    for code, name in [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"),
                       ("zh", "中文"), ("ru", "Русский")]:
        assert f'href="/w/nyc/?lang={code}&amp;x=1"' in nav.replace("x=1&amp;lang", "lang") or \
            f'href="/w/nyc/?x=1&amp;lang={code}"' in nav
        assert f'lang="{code}"' in nav and name in nav
    assert 'aria-current="true">Français' in nav


def test_responses_vary_on_language_and_cookie(client):
    vary = client.get("/").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_a_cached_public_page_is_never_served_in_another_language(app, client, make_workshop):
    make_workshop(slug="nyc")
    public_cache.clear()
    english = client.get("/w/nyc/", headers={"Accept-Language": "en"})
    french = client.get("/w/nyc/", headers={"Accept-Language": "fr"})
    arabic = client.get("/w/nyc/?lang=ar")  # a query string: rendered, not cached
    back = client.get("/w/nyc/", headers={"Accept-Language": "en"})  # the cookie now says ar
    assert _html_tag(english) == '<html lang="en" dir="ltr">'
    assert _html_tag(french) == '<html lang="fr" dir="ltr">'
    assert _html_tag(arabic) == _html_tag(back) == '<html lang="ar" dir="rtl">'
    assert "Vary" in back.headers and "Cookie" in back.headers["Vary"]


def test_the_account_follows_the_choice_at_its_next_post(app, client, make_user, db):
    from workshop.auth.models import User

    user = make_user()
    client.get("/?lang=ru")
    login(client, user)  # a POST: the account takes the cookie's language
    assert db.session.get(User, user.id).language == "ru"
    other = app.test_client()  # another browser, no cookie
    login(other, user)
    assert _html_tag(other.get("/")) == '<html lang="ru" dir="ltr">'


def test_a_registration_made_in_french_is_answered_in_french(client, db, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    response = client.post(f"/w/{workshop.slug}/register?lang=fr", data=form_data("ama@example.org"))
    # The public form answers "check your inbox" for every address (it must not tell who is registered).
    assert response.status_code == 200 and "Consultez votre boîte de réception" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration.language)) == "fr"
    (row,) = outbox(db)
    message = BytesParser(policy=policy.default).parsebytes(row.raw)
    assert message["Subject"].startswith("Inscription confirmée : ")
    assert "Votre inscription à" in body(message) and '<html lang="fr" dir="ltr">' in body(message, "html")
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    assert "SUMMARY" in calendar.get_content()


def test_invitations_use_the_contacts_language_or_the_workshops(db, make_workshop):
    from workshop.people import service as people
    from workshop.registration import invitations

    workshop = make_workshop(default_language="es")
    ana = people.save_contact(None, name="Ana", email="ana@example.org")
    li = people.save_contact(None, name="Li", email="li@example.org")
    li.language = "zh"
    invitations.invite(workshop, ana)
    invitations.invite(workshop, li)
    db.session.commit()
    subjects = {row.recipients: BytesParser(policy=policy.default).parsebytes(row.raw)["Subject"]
                for row in outbox(db)}
    assert subjects["ana@example.org"].startswith("Invitación: ")
    assert subjects["li@example.org"].startswith("邀请：")
