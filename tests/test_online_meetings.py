"""An online or hybrid meeting's link reaches confirmed participants (their page, their calendar,
their invitations) and nowhere public."""

import pytest

from tests.support.agenda import add_item
from tests.support.ics import parse_checked
from tests.support.registration import details, link_from_outbox, outbox, taking_registrations  # noqa: F401

WORKSHOP_LINK = "https://meet.example.org/j/r2p-workshop-4417"
SESSION_LINK = "https://video.example.net/room/breakout-b?pwd=x9"


@pytest.fixture
def hybrid(app, db, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    workshop.online_link, workshop.online_details = WORKSHOP_LINK, "Meeting ID 4417 9921\nPasscode: atrocity-prevention"
    plenary = add_item(workshop, start="09:00", end="10:30", title="Opening plenary")
    breakout = add_item(workshop, start="11:00", end="12:00", title="Breakout B",
                        online_link=SESSION_LINK, online_details="Dial in: +41 22 000 0000")
    db.session.commit()
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    service.register(workshop, details(email="li@example.org", name="Li Wei"))  # waitlisted
    db.session.commit()
    return workshop, plenary, breakout


def test_a_confirmed_participant_sees_the_links_on_their_page(client, db, hybrid):
    page = client.get(link_from_outbox(db, "ama@example.org")).get_data(as_text=True)
    assert WORKSHOP_LINK in page and "Passcode: atrocity-prevention" in page
    assert SESSION_LINK.replace("&", "&amp;") in page and "Dial in: +41 22 000 0000" in page


def test_a_waitlisted_registrant_does_not(client, db, hybrid):
    page = client.get(link_from_outbox(db, "li@example.org")).get_data(as_text=True)
    assert WORKSHOP_LINK not in page and SESSION_LINK not in page and "atrocity-prevention" not in page


def test_the_personal_calendar_carries_conference_and_the_description(client, db, hybrid):
    workshop, plenary, breakout = hybrid
    body = client.get(f"{link_from_outbox(db, 'ama@example.org')}/calendar.ics").data
    events = {str(event["SUMMARY"]): event for event in parse_checked(body).walk("VEVENT")}
    assert str(events[workshop.title]["CONFERENCE"]) == WORKSHOP_LINK
    assert events[workshop.title]["CONFERENCE"].params["FEATURE"] == "AUDIO,VIDEO"
    # A session without its own link uses the workshop's; one with its own, that one.
    assert str(events["Opening plenary"]["CONFERENCE"]) == WORKSHOP_LINK
    assert str(events["Breakout B"]["CONFERENCE"]) == SESSION_LINK
    assert SESSION_LINK in str(events["Breakout B"]["DESCRIPTION"])
    assert "Dial in: +41 22 000 0000" in str(events["Breakout B"]["DESCRIPTION"])
    assert "Passcode: atrocity-prevention" in str(events[workshop.title]["DESCRIPTION"])


def calendars_in(raw: bytes) -> list[bytes]:
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(raw)
    return [part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "text/calendar"]


def test_the_confirmation_invitation_carries_the_link(db, hybrid):
    [row] = [row for row in outbox(db) if "ama@example.org" in row.recipients]
    [calendar] = calendars_in(row.raw)
    [event] = parse_checked(calendar).walk("VEVENT")
    assert str(event["CONFERENCE"]) == WORKSHOP_LINK
    # The waitlisted registrant's mail carries no calendar and no link.
    [waitlisted] = [row for row in outbox(db) if "li@example.org" in row.recipients]
    assert WORKSHOP_LINK.encode() not in waitlisted.raw


def test_a_moved_session_notice_carries_its_link(app, db, hybrid):
    from datetime import timedelta

    from workshop.agenda import service as agenda
    from workshop.registration import session_notices

    app.config["AGENDA_NOTICE_DELAY_SECONDS"] = 0
    workshop, _, breakout = hybrid
    agenda.update_item(breakout, starts_at=breakout.starts_at + timedelta(hours=2),
                       ends_at=breakout.ends_at + timedelta(hours=2), tell_participants=True)
    db.session.commit()
    session_notices.send_due_notices()
    db.session.commit()
    raw = [row.raw for row in outbox(db) if "ama@example.org" in row.recipients][-1]
    events = [event for calendar in calendars_in(raw) for event in parse_checked(calendar).walk("VEVENT")]
    links = {str(event["SUMMARY"]): str(event["CONFERENCE"]) for event in events}
    assert links["Breakout B"] == SESSION_LINK


def test_no_public_page_feed_or_data_carries_a_link(client, db, hybrid):
    workshop, plenary, breakout = hybrid
    for path in (f"/w/{workshop.slug}/", f"/w/{workshop.slug}/agenda", f"/w/{workshop.slug}/agenda.json",
                 f"/w/{workshop.slug}/calendar.ics", f"/w/{workshop.slug}/sessions/{breakout.id}.ics",
                 f"/w/{workshop.slug}/sessions/{plenary.id}.ics", f"/w/{workshop.slug}/documents",
                 f"/w/{workshop.slug}/register", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.data
        for secret in (b"meet.example.org", b"video.example.net", b"atrocity-prevention", b"+41 22 000 0000"):
            assert secret not in body, (path, secret)


@pytest.mark.parametrize("link,accepted", [
    ("javascript:alert(1)", False), ("ftp://files.example.org/x", False), ("meet.example.org/x", False),
    ("https://", False), ("https://exa mple.org/", False), ("https://meet.example.org/j/1?pwd=a", True),
    ("  http://intranet.example.org/room  ", True),
])
def test_the_forms_take_web_addresses_only(app, make_workshop, link, accepted):
    from werkzeug.datastructures import MultiDict

    from workshop.agenda.forms import AgendaItemForm
    from workshop.workshops.forms import WorkshopForm

    workshop = make_workshop()
    with app.test_request_context(method="POST"):
        for form in (AgendaItemForm(formdata=MultiDict({"online_link": link}), workshop=workshop),
                     WorkshopForm(formdata=MultiDict({"online_link": link}))):
            assert form.online_link.validate(form) is accepted, (form, link, form.online_link.errors)
