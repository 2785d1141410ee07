"""Cancelling a published workshop: the page says so, registration closes, confirmed participants
get METHOD:CANCEL for the event their confirmation created, and the public feed marks it cancelled."""

import pytest

from tests.support.ics import parse_checked
from tests.support.itip import itip_of
from tests.support.registration import details, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, delivered, smtp_server  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url, "RATELIMIT_ENABLED": False}




def test_cancelling_sends_confirmed_participants_a_cancel_above_their_invitation(
        app, db, client, smtp_server, make_user, login_as, taking_registrations):
    from workshop.registration import service
    from workshop.workshops.models import WorkshopMember

    workshop = taking_registrations(capacity=1)
    service.register(workshop, details(email="seated@example.org", name="Seated Person"))
    service.register(workshop, details(email="waiting@example.org", name="Waiting Person"))
    invitation = itip_of(delivered(app, smtp_server)["seated@example.org"][0])
    organizer = db.session.get(WorkshopMember, workshop.members[0].id).user
    login_as(organizer)

    response = client.post(f"/manage/w/{workshop.slug}/status/cancel", follow_redirects=True)
    assert "The workshop is cancelled" in response.get_data(as_text=True)

    mail = delivered(app, smtp_server)
    assert "waiting@example.org" not in mail  # the waitlist never had the event
    [message] = mail["seated@example.org"]
    cancel = itip_of(message)
    assert cancel.method == "CANCEL"
    assert str(cancel.event["STATUS"]) == "CANCELLED"
    assert str(cancel.event["UID"]) == str(invitation.event["UID"])
    assert int(cancel.event["SEQUENCE"]) > int(invitation.event["SEQUENCE"])
    assert "has been cancelled" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_cancelled_workshop_page_says_so_and_registration_is_closed(app, db, client, taking_registrations):
    from workshop.registration import service as registrations
    from workshop.workshops import service

    workshop = taking_registrations()
    service.set_status(workshop, "cancelled")
    page = client.get(f"/w/{workshop.slug}/").get_data(as_text=True)
    assert "This workshop has been cancelled." in page
    register = client.get(f"/w/{workshop.slug}/register")
    assert "This workshop has been cancelled" in register.get_data(as_text=True)
    assert 'name="email"' not in register.get_data(as_text=True)
    with pytest.raises(registrations.RegistrationClosed):
        registrations.register(workshop, details(email="late@example.org"))
    index = client.get("/").get_data(as_text=True)
    assert workshop.title in index and ">Cancelled<" in index


def test_the_public_feed_keeps_the_events_and_marks_them_cancelled(app, db, client, make_workshop):
    from datetime import datetime, timezone

    from workshop.agenda import service as agenda
    from workshop.workshops import service

    workshop = make_workshop()
    agenda.create_item(workshop, title="Opening", kind="plenary",
                       starts_at=datetime(2030, 6, 1, 9, tzinfo=timezone.utc),
                       ends_at=datetime(2030, 6, 1, 10, tzinfo=timezone.utc))
    before = parse_checked(client.get(f"/w/{workshop.slug}/calendar.ics").data)
    service.set_status(workshop, "cancelled")
    after = parse_checked(client.get(f"/w/{workshop.slug}/calendar.ics").data)
    events_before = {str(e["UID"]): e for e in before.walk("VEVENT")}
    events_after = {str(e["UID"]): e for e in after.walk("VEVENT")}
    assert events_after.keys() == events_before.keys() and len(events_after) == 2
    for uid, event in events_after.items():
        assert str(event["STATUS"]) == "CANCELLED"
    workshop_uid = f"workshop-{workshop.id}@workshop.test"
    assert int(events_after[workshop_uid]["SEQUENCE"]) > int(events_before[workshop_uid]["SEQUENCE"])


def test_cancelling_is_final_and_a_draft_cannot_be_cancelled(app, db, make_workshop):
    from workshop.workshops import service

    draft = make_workshop(status="draft")
    with pytest.raises(service.WorkshopError):
        service.set_status(draft, "cancelled")
    published = make_workshop()
    service.set_status(published, "cancelled")
    with pytest.raises(service.WorkshopError):
        service.set_status(published, "published")
    assert published.status == "cancelled"
