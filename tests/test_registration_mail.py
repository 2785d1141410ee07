"""Every registration email reaches a real SMTP server (aiosmtpd on loopback), to the right
person, with a plain-text and an HTML part; a failed delivery stays queued for a later run."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.registration import body, details, links_in, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401
from workshop.platform.types import utcnow


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


def _received(smtp_server, app):
    deliver_outbox(app)
    return [(tuple(r.rcpt_tos), r.message) for r in smtp_server.received]


def _parts(message) -> set[str]:
    return {part.get_content_type() for part in message.walk() if not part.is_multipart()}


def test_every_registration_and_invitation_email_is_delivered_with_text_and_html(app, db, client, smtp_server, make_user, taking_registrations):
    from workshop.people import service as people
    from workshop.registration import invitations, service

    organizer = make_user()
    workshop = taking_registrations(capacity=1)
    contact = people.save_contact(None, name="Ina Invitee", email="ina@example.org")
    invitations.invite(workshop, contact)                                   # invitation
    invitations.send_reminders(workshop)                                    # reminder
    service.register(workshop, details(email="a@example.org"))              # confirmation
    service.register(workshop, details(email="b@example.org"))              # waitlisted
    service.withdraw(service.find_registration(workshop, "a@example.org"))  # withdrawn + promoted
    service.update_settings(workshop, capacity=2)
    service.register(workshop, details(email="c@example.org"))              # confirmation
    service.reject(service.find_registration(workshop, "c@example.org"), by=organizer, reason="Sorry, full.")
    service.resend_link("b@example.org")                                   # link re-sent
    service.update_settings(workshop, moderation=True)
    service.register(workshop, details(email="d@example.org"))              # received (pending)

    received = _received(smtp_server, app)
    summary = [(rcpts[0], message["Subject"].split(":")[0]) for rcpts, message in received]
    assert summary == [
        ("ina@example.org", "Invitation"),
        ("ina@example.org", "Reminder"),
        ("a@example.org", "Registration confirmed"),
        ("b@example.org", "You are on the waitlist"),
        ("a@example.org", "Registration withdrawn"),
        ("b@example.org", "A seat is yours"),
        ("c@example.org", "Registration confirmed"),
        ("c@example.org", "Your registration"),
        ("b@example.org", "Your registration link"),
        ("d@example.org", "Registration received"),
    ]
    for rcpts, message in received:
        assert len(rcpts) == 1 and message["To"] == rcpts[0]
        assert message["From"] == "workshop@workshop.test"
        assert {"text/plain", "text/html"} <= _parts(message)
        assert workshop.title in body(message) and workshop.title in body(message, "html")
    rejected = received[7][1]
    assert "Sorry, full." in body(rejected)
    waitlisted = received[3][1]
    assert "number 1" in body(waitlisted)


def test_the_confirmation_carries_the_self_service_link_that_opens_the_registration(app, db, client, smtp_server, taking_registrations):
    workshop = taking_registrations()
    client.post(f"/w/{workshop.slug}/register", data={
        "name": "Ama Mensah", "email": "ama@example.org", "consent": "public", "privacy": "y",
        "category_id": "None", "country": "GH"})
    [(rcpts, message)] = _received(smtp_server, app)
    assert rcpts == ("ama@example.org",)
    [link] = [link for link in links_in(body(message)) if link.startswith("/registrations/")]
    assert f'href="http://workshop.test{link}"' in body(message, "html")
    page = client.get(link).get_data(as_text=True)
    assert "Your registration" in page and "confirmed" in page and "ama@example.org" in page
    # The invitation for the calendar: test_registration_calendar_mail.py checks what it says.
    assert {"text/calendar", "application/ics"} <= _parts(message)


def test_a_rolled_back_registration_sends_nothing(app, db, smtp_server, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations()
    with pytest.raises(service.RegistrationError):
        service.register(workshop, details(email="a@example.org", consent="everyone"))
    assert _received(smtp_server, app) == []


def test_a_mail_the_smtp_server_refuses_stays_queued_and_goes_out_on_a_later_run(app, db, smtp_server, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage
    from workshop.registration import service

    workshop = taking_registrations()
    smtp_server.reject_with = "451 4.3.0 Try again later"
    service.register(workshop, details(email="a@example.org"))
    first = deliver_outbox(app)
    assert first.sent == 0
    message = db.session.scalar(sa.select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == "queued" and message.attempts == 1 and smtp_server.received == []

    smtp_server.reject_with = None
    later = deliver_outbox(app, clock=lambda: utcnow() + timedelta(days=1))
    assert later.sent == 1
    [received] = smtp_server.received
    assert received.rcpt_tos == ("a@example.org",)
    assert received.message["Subject"].startswith("Registration confirmed")
    db.session.refresh(message)
    assert message.status == "sent"
