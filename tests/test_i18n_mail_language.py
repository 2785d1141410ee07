"""The online registration form asks which language the participant's mail comes in: the page's
language first, among the workshop's offered languages only. The registration keeps the choice
and every mail to the person uses it, whatever language the page was in."""

import re

import pytest

from tests.support.registration import body, form_data, taking_registrations  # noqa: F401
from tests.support.smtp import delivered, smtp_server  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


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
