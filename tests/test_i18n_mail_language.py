"""The online registration form asks which language the participant's mail comes in: the page's
language first, among the workshop's offered languages only. The registration keeps the choice
and every mail to the person uses it, whatever language the page was in."""

import re

import pytest

from tests.support.registration import body, form_data, taking_registrations  # noqa: F401
from tests.support.smtp import delivered, smtp_server  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp_server):
    # Without the link's rate limit: one test posts the whole hostile corpus through one link.
    return {**app_config, "MAIL_URL": smtp_server.url, "RATELIMIT_ENABLED": False}


def _offered(html: str) -> dict[str, bool]:
    select = re.search(r'<select[^>]*name="mail_language".*?</select>', html, re.S).group()
    return {re.search(r'value="(\w+)"', option).group(1): "selected" in option
            for option in re.findall(r"<option[^>]*>", select)}


def test_the_choice_defaults_to_the_page_language_among_the_offered_ones(client, db, taking_registrations):
    workshop = taking_registrations()
    workshop.languages, workshop.default_language = "en fr ar", "en"
    db.session.commit()
    assert _offered(client.get(f"/w/{workshop.slug}/register?lang=fr").get_data(as_text=True)) == {
        "en": False, "fr": True, "ar": False}
    # Spanish is not offered: the workshop's default language is chosen instead.
    assert _offered(client.get(f"/w/{workshop.slug}/register?lang=es").get_data(as_text=True)) == {
        "en": True, "fr": False, "ar": False}


def test_a_language_the_workshop_does_not_offer_is_refused(client, db, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    workshop.languages = "en fr"
    db.session.commit()
    response = client.post(f"/w/{workshop.slug}/register?lang=en",
                           data=form_data("ru@example.org", mail_language="ru"))
    assert response.status_code == 422
    assert db.session.scalar(db.select(Registration.id)) is None


def test_french_chosen_on_an_english_page_gives_french_mail(app, client, db, smtp_server, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    page = client.get(f"/w/{workshop.slug}/register?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in page and "Language of the emails we send you" in page
    response = client.post(f"/w/{workshop.slug}/register?lang=en",
                           data=form_data("ama@example.org", mail_language="fr"))
    assert response.status_code == 200 and "Check your inbox" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration.language)) == "fr"
    (message,) = delivered(app, smtp_server)["ama@example.org"]
    assert message["Subject"].startswith("Inscription confirmée : ")
    assert "Votre inscription à" in body(message) and '<html lang="fr" dir="ltr">' in body(message, "html")


def test_a_participant_changes_the_language_of_their_later_mail_on_their_own_page(
        app, client, db, smtp_server, taking_registrations):
    from tests.support.hostile import HOSTILE, active_markup, form_body
    from tests.support.registration import link_from_outbox
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    client.post(f"/w/{workshop.slug}/register?lang=en", data=form_data("kemal@example.org", mail_language="en"))
    delivered(app, smtp_server)
    link = link_from_outbox(db, "kemal@example.org")
    page = client.get(f"{link}?lang=en").get_data(as_text=True)
    assert _offered(page) == {"en": True, "fr": False, "es": False, "ar": False, "zh": False, "ru": False}

    saved = client.post(f"{link}/language", data={"mail_language": "es"})
    assert saved.status_code == 302
    assert "Español" in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(Registration.language)) == "es"
    assert _offered(client.get(link).get_data(as_text=True))["es"] is True
    # The next mail (withdrawing) comes in Spanish, on an English page.
    assert client.post(f"{link}/withdraw?lang=en", data={}).status_code in (200, 302)
    (message,) = delivered(app, smtp_server)["kemal@example.org"]
    assert '<html lang="es" dir="ltr">' in body(message, "html")

    # Anything but one of the languages is refused, in words, and changes nothing.
    for label, value in {**HOSTILE, "unknown code": "xx", "empty": ""}.items():
        answer = client.post(f"{link}/language", data=form_body({"mail_language": value}),
                             content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 302, label
        shown = client.get(answer.headers["Location"]).get_data(as_text=True)
        assert "Choose a language from the list." in shown and not active_markup(shown), label
        assert db.session.scalar(db.select(Registration.language)) == "es", label
