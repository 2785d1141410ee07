"""One-click unsubscribe (RFC 8058) from a workshop's invitations and reminders: the headers of
bulk mail, the confirm page, the POST a mail client sends without a form token, and what stops
(invitations, reminders) and what never does (a registration's confirmation and calendar)."""

import re

import pytest
import sqlalchemy as sa

from tests.support.itip import itip_of
from tests.support.registration import details, taking_registrations  # noqa: F401
from tests.support.smtp import delivered, smtp_server  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp_server):
    # The real CSRF check, so that the exemption of this one route is what is tested.
    return {**app_config, "MAIL_URL": smtp_server.url, "WTF_CSRF_ENABLED": True}


def _contact(email, name):
    from workshop.people import service as people

    return people.save_contact(None, name=name, email=email, organization="Mission", country="GH")


@pytest.fixture
def invited(app, db, smtp_server, taking_registrations):
    """Two contacts of one category invited in bulk (the worker writes their messages)."""
    from workshop.registration import invitations, service

    workshop = taking_registrations(mode="invitation")
    focal = {c.name: c for c in service.categories_for(workshop)}["R2P Focal Point"]
    for email, name in (("ama@example.org", "Ama Mensah"), ("kofi@example.org", "Kofi Annan")):
        invitations.set_contact_category(workshop, _contact(email, name), focal)
    db.session.commit()
    assert invitations.invite_category(workshop, focal) == 2
    db.session.commit()
    return workshop, delivered(app, smtp_server)


def unsubscribe_path(message) -> str:
    header = str(message["List-Unsubscribe"])
    [url] = re.findall(r"<(https?://[^>]+)>", header)
    assert url.startswith("http://workshop.test/unsubscribe/")
    return url.removeprefix("http://workshop.test")


def test_bulk_invitations_and_reminders_carry_one_click_unsubscribe(app, db, smtp_server, invited):
    from workshop.registration import invitations

    workshop, received = invited
    [ama], [kofi] = received["ama@example.org"], received["kofi@example.org"]
    for message in (ama, kofi):
        assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(ama) != unsubscribe_path(kofi)  # each address its own link
    invitations.send_reminders(workshop)
    db.session.commit()
    [reminder] = delivered(app, smtp_server)["ama@example.org"]
    assert unsubscribe_path(reminder) == unsubscribe_path(ama)
    assert str(reminder["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"


def test_a_get_shows_a_button_and_writes_nothing(app, db, client, invited):
    from workshop.registration.notice_models import MailUnsubscribe

    _workshop, received = invited
    path = unsubscribe_path(received["ama@example.org"][0])
    page = client.get(path)
    assert page.status_code == 200
    assert b"<form method=\"post\"" in page.data and b"Unsubscribe</button>" in page.data
    assert db.session.scalar(sa.select(sa.func.count(MailUnsubscribe.id))) == 0


def test_the_one_click_post_stops_invitations_and_reminders_but_not_a_registrations_mail(
        app, db, client, smtp_server, invited):
    from workshop.registration import invitations, service
    from workshop.registration.models import Invitation

    workshop, received = invited
    path = unsubscribe_path(received["ama@example.org"][0])
    # What a mail client sends (RFC 8058): no cookie, no form token.
    response = client.post(path, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and b"You are unsubscribed" in response.data
    assert client.post(path).status_code == 200  # a second click changes nothing

    assert invitations.send_reminders(workshop) == 1
    db.session.commit()
    after = delivered(app, smtp_server)
    assert "ama@example.org" not in after and len(after["kofi@example.org"]) == 1

    # Registering after all: the confirmation and its calendar invitation still come.
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.email == "ama@example.org"))
    service.register(workshop, details(email="ama@example.org"), invitation=invitation)
    db.session.commit()
    [confirmation] = delivered(app, smtp_server)["ama@example.org"]
    assert itip_of(confirmation).method == "REQUEST"
    assert confirmation["List-Unsubscribe"] is None  # not optional mail: nothing to opt out of


def test_only_the_unsubscribe_route_does_without_the_form_token(app, db, client, invited):
    _workshop, received = invited
    # Any other POST without a token is refused as before.
    assert client.post("/links/resend", data={"email": "ama@example.org"}).status_code == 400
    assert client.post(unsubscribe_path(received["ama@example.org"][0])).status_code == 200


def test_unsubscribing_from_one_workshop_leaves_the_others(app, db, client, smtp_server, invited,
                                                          taking_registrations):
    from workshop.registration.unsubscribe import is_unsubscribed

    workshop, received = invited
    other = taking_registrations(mode="invitation")
    client.post(unsubscribe_path(received["ama@example.org"][0]))
    assert is_unsubscribed(workshop.id, "AMA@example.org")
    assert not is_unsubscribed(other.id, "ama@example.org")
    assert not is_unsubscribed(workshop.id, "kofi@example.org")


def test_a_bulk_invitation_does_not_mail_an_address_that_opted_out(app, db, smtp_server, taking_registrations):
    """Who opted out is read once for the whole batch: each address must still be checked."""
    from workshop.registration import invitations, service
    from workshop.registration.unsubscribe import email_digest, unsubscribe

    workshop = taking_registrations(mode="invitation")
    focal = {c.name: c for c in service.categories_for(workshop)}["R2P Focal Point"]
    for email, name in (("ama@example.org", "Ama Mensah"), ("kofi@example.org", "Kofi Annan"),
                        ("Lena@Example.org", "Lena Berg")):
        invitations.set_contact_category(workshop, _contact(email, name), focal)
    unsubscribe(workshop, email_digest("kofi@example.org"))
    unsubscribe(workshop, email_digest("lena@example.org"))
    db.session.commit()
    assert invitations.invite_category(workshop, focal) == 3  # invited all the same
    db.session.commit()
    received = delivered(app, smtp_server)
    assert sorted(received) == ["ama@example.org"]
