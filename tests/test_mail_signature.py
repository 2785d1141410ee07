"""Every email to a participant says who writes and where to answer: the conveners, the venue
and city, a sign-off with the workshop's contact address (also its Reply-To), and a footer that
names the organization rather than the site's address."""

import pytest

from tests.support.registration import body, details, taking_registrations  # noqa: F401
from tests.support.smtp import delivered, smtp_server  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop(db, taking_registrations):
    from workshop.workshops import service

    workshop = taking_registrations()
    service.update_workshop(workshop, venue="Palais des Nations", city="Geneva",
                            contact_email="focal.points@example.org",
                            conveners=["Global Centre for the Responsibility to Protect", "Stanley Center"])
    db.session.commit()
    return workshop


def test_a_confirmation_names_conveners_place_and_contact_and_signs_off(app, db, smtp_server, workshop):
    from workshop.registration import service

    service.register(workshop, details(email="ama@example.org"))
    [message] = delivered(app, smtp_server)["ama@example.org"]
    assert message["Reply-To"] == "focal.points@example.org"
    for text in (body(message), body(message, "html")):
        flat = " ".join(text.split())
        assert "Convened by Global Centre for the Responsibility to Protect, Stanley Center." in flat
        assert "Place: Palais des Nations, Geneva." in flat
        assert "With kind regards," in flat and f"The organizers of {workshop.title}" in flat
        assert "focal.points@example.org" in flat
        assert ("This message comes from Global Centre for the Responsibility to Protect, Stanley Center, "
                f"the organizers of {workshop.title}.") in flat
        assert "sent automatically" not in flat and "http://workshop.test." not in flat


def test_without_a_contact_address_replies_go_to_the_sender(app, db, smtp_server, taking_registrations):
    from workshop.registration import service

    plain = taking_registrations()
    service.register(plain, details(email="ama@example.org"))
    [message] = delivered(app, smtp_server)["ama@example.org"]
    assert message["Reply-To"] is None
    flat = " ".join(body(message).split())
    assert "With kind regards," in flat and f"This message comes from the organizers of {plain.title}." in flat
    assert "Questions?" not in flat


def test_markup_in_the_workshops_names_is_escaped_in_the_html_part(app, db, smtp_server, taking_registrations):
    from workshop.registration import service
    from workshop.workshops import service as workshops

    hostile = taking_registrations()
    workshops.update_workshop(hostile, title='Title <b id="t">x</b>', venue="<i>Venue</i>", city="<u>City</u>",
                              conveners=['<script>alert("c")</script>'], contact_email="team@example.org")
    service.register(hostile, details(email="ama@example.org"))
    [message] = delivered(app, smtp_server)["ama@example.org"]
    html = body(message, "html")
    for raw in ('<b id="t">', "<i>Venue", "<u>City", "<script>"):
        assert raw not in html, raw
    assert "&lt;script&gt;" in html and "&lt;i&gt;Venue&lt;/i&gt;" in html
    assert '<a href="mailto:team@example.org">team@example.org</a>' in html
