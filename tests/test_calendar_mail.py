"""Calendar messages in the emails, delivered through a real SMTP server (aiosmtpd): the workshop
invitation on confirmation and promotion, its cancellation when the seat goes, and session
updates to confirmed participants when the agenda moves or cancels something."""

from datetime import date, timedelta

import pytest

from tests.support.agenda import add_item
from tests.support.itip import itip_of, itip_parts
from tests.support.registration import body, details, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, delivered, smtp_server  # noqa: F401


@pytest.fixture
def app_config(app_config, smtp_server):
    # Agenda-change notices at the worker's next round (their quiet period is tested on its own).
    return {**app_config, "MAIL_URL": smtp_server.url, "AGENDA_NOTICE_DELAY_SECONDS": 0}




def address(prop) -> str:
    return str(prop).lower()


def test_a_confirmation_invites_the_registrant_to_the_workshop(app, db, smtp_server, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations()
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    [message] = delivered(app, smtp_server)["ama@example.org"]
    part = itip_of(message)
    assert part is not None and part.method == "REQUEST"
    assert 'method="REQUEST"' in message.as_string() or "method=REQUEST" in message.as_string()
    event = part.event
    assert str(event["UID"]) == f"workshop-{workshop.id}@workshop.test"
    assert event.decoded("DTSTART") == date(2030, 6, 1)
    assert address(event["ORGANIZER"]) == "mailto:workshop@workshop.test"
    attendee = event["ATTENDEE"]
    assert address(attendee) == "mailto:ama@example.org"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert str(attendee.params["CN"]) == "Ama Mensah"
    # ... and the link to the registrant's own calendar, in both bodies.
    assert "/calendar.ics" in body(message) and "/calendar.ics" in body(message, "html")


def test_a_waitlisted_registrant_gets_no_calendar_and_a_promotion_gets_the_invitation(app, db, smtp_server, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    service.register(workshop, details(email="a@example.org"))
    service.register(workshop, details(email="b@example.org"))
    first = delivered(app, smtp_server)
    [request_to_a] = first["a@example.org"]
    [waitlisted] = first["b@example.org"]
    assert itip_of(waitlisted) is None

    service.withdraw(service.find_registration(workshop, "a@example.org"))
    second = delivered(app, smtp_server)
    [promoted] = second["b@example.org"]
    invitation = itip_of(promoted)
    assert invitation.method == "REQUEST"
    assert address(invitation.event["ATTENDEE"]) == "mailto:b@example.org"
    assert invitation.event["ATTENDEE"].params["RSVP"] == "TRUE"

    # The withdrawal takes the event out of a's calendar: same UID, higher SEQUENCE, cancelled.
    [withdrawn] = second["a@example.org"]
    cancel, request = itip_of(withdrawn), itip_of(request_to_a)
    assert cancel.method == "CANCEL"
    assert str(cancel.event["UID"]) == str(request.event["UID"])
    assert int(cancel.event["SEQUENCE"]) > int(request.event["SEQUENCE"])
    assert str(cancel.event["STATUS"]) == "CANCELLED"
    assert address(cancel.event["ATTENDEE"]) == "mailto:a@example.org"
    assert "calendar" in body(withdrawn)


@pytest.mark.parametrize("action", ["reject", "move_to_waitlist"])
def test_losing_a_confirmed_seat_cancels_the_workshop_event(app, db, smtp_server, make_user, taking_registrations, action):
    from workshop.registration import service

    organizer = make_user()
    workshop = taking_registrations()
    service.register(workshop, details(email="a@example.org"))
    delivered(app, smtp_server)
    registration = service.find_registration(workshop, "a@example.org")
    getattr(service, action)(registration, by=organizer)
    [message] = delivered(app, smtp_server)["a@example.org"]
    cancel = itip_of(message)
    assert cancel.method == "CANCEL" and str(cancel.event["STATUS"]) == "CANCELLED"
    assert str(cancel.event["UID"]) == f"workshop-{workshop.id}@workshop.test"


def test_withdrawing_from_the_waitlist_sends_no_cancellation(app, db, smtp_server, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    service.register(workshop, details(email="a@example.org"))
    service.register(workshop, details(email="b@example.org"))
    delivered(app, smtp_server)
    service.withdraw(service.find_registration(workshop, "b@example.org"))
    [message] = delivered(app, smtp_server)["b@example.org"]
    assert itip_of(message) is None


def test_new_dates_or_place_raise_the_workshop_sequence_a_new_description_does_not(app, db, smtp_server, taking_registrations):
    from workshop.registration import service
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    assert workshop.sequence == 0
    workshops.update_workshop(workshop, description="Other words.")
    assert workshop.sequence == 0
    workshops.update_workshop(workshop, end_date=date(2030, 6, 4))
    assert workshop.sequence == 1
    workshops.update_workshop(workshop, venue="Palais des Nations", city="Geneva")
    assert workshop.sequence == 2
    service.register(workshop, details(email="a@example.org"))
    [message] = delivered(app, smtp_server)["a@example.org"]
    event = itip_of(message).event
    assert int(event["SEQUENCE"]) == 2
    assert event.decoded("DTEND") == date(2030, 6, 5)


@pytest.fixture
def audience(app, db, smtp_server, taking_registrations):
    """A workshop with one session and three registrants: confirmed, waitlisted, withdrawn."""
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    item = add_item(workshop, start="09:00", end="10:00", room="Room A")
    service.register(workshop, details(email="confirmed@example.org"))
    service.register(workshop, details(email="waiting@example.org"))
    service.register(workshop, details(email="gone@example.org"))
    service.withdraw(service.find_registration(workshop, "gone@example.org"))
    delivered(app, smtp_server)
    return workshop, item


def test_moving_a_session_sends_a_request_with_a_higher_sequence_to_confirmed_participants_only(app, db, smtp_server, audience):
    from workshop.agenda import service as agenda

    workshop, item = audience
    before = item.sequence
    agenda.update_item(item, starts_at=item.starts_at + timedelta(hours=1),
                       ends_at=item.ends_at + timedelta(hours=1))
    received = delivered(app, smtp_server)
    assert set(received) == {"confirmed@example.org"}
    [message] = received["confirmed@example.org"]
    update = itip_of(message)
    assert update.method == "REQUEST"
    event = update.event
    assert str(event["UID"]) == f"session-{item.id}@workshop.test"
    assert int(event["SEQUENCE"]) == item.sequence > before
    assert event.decoded("DTSTART").hour == 10 and str(event["DTSTART"].params["TZID"]) == "Europe/London"
    assert address(event["ATTENDEE"]) == "mailto:confirmed@example.org"
    assert "10:00" in body(message) and "Room A" in body(message)


def test_a_new_room_is_news_too(app, db, smtp_server, audience):
    from workshop.agenda import service as agenda

    workshop, item = audience
    agenda.update_item(item, room="Room B")
    [message] = delivered(app, smtp_server)["confirmed@example.org"]
    assert "Room B" in str(itip_of(message).event["LOCATION"])


def test_a_description_change_sends_nothing(app, db, smtp_server, audience):
    from workshop.agenda import service as agenda

    workshop, item = audience
    agenda.update_item(item, description="New words, same time and place.")
    assert delivered(app, smtp_server) == {}


def test_cancelling_a_session_sends_a_cancel_and_reinstating_it_a_newer_request(app, db, smtp_server, audience):
    from workshop.agenda import service as agenda

    workshop, item = audience
    agenda.cancel_item(item)
    received = delivered(app, smtp_server)
    assert set(received) == {"confirmed@example.org"}
    cancel = itip_of(received["confirmed@example.org"][0])
    assert cancel.method == "CANCEL"
    assert str(cancel.event["UID"]) == f"session-{item.id}@workshop.test"
    assert str(cancel.event["STATUS"]) == "CANCELLED" and int(cancel.event["SEQUENCE"]) > 0

    agenda.reinstate_item(item)
    [message] = delivered(app, smtp_server)["confirmed@example.org"]
    request = itip_of(message)
    assert request.method == "REQUEST" and str(request.event["STATUS"]) == "CONFIRMED"
    assert int(request.event["SEQUENCE"]) > int(cancel.event["SEQUENCE"])


def test_draft_workshops_send_no_session_updates(app, db, smtp_server, audience):
    from workshop.agenda import service as agenda
    from workshop.workshops import service as workshops

    workshop, item = audience
    workshops.set_status(workshop, "draft")
    agenda.update_item(item, room="Room C")
    agenda.cancel_item(item)
    assert delivered(app, smtp_server) == {}


def test_a_rolled_back_move_sends_nothing(app, db, smtp_server, audience):
    from workshop.agenda import service as agenda

    workshop, item = audience
    with pytest.raises(agenda.AgendaError):
        agenda.update_item(item, ends_at=item.starts_at - timedelta(hours=1))
    db.session.rollback()
    assert delivered(app, smtp_server) == {}


def test_new_workshop_dates_send_the_workshop_event_again_to_confirmed_registrants(app, db, smtp_server, audience):
    from workshop.workshops import service as workshops

    workshop, item = audience
    workshops.update_workshop(workshop, description="Only words.")
    assert delivered(app, smtp_server) == {}
    workshops.update_workshop(workshop, end_date=date(2030, 6, 4), city="Geneva")
    received = delivered(app, smtp_server)
    assert set(received) == {"confirmed@example.org"}
    [message] = received["confirmed@example.org"]
    update = itip_of(message)
    assert update.method == "REQUEST"
    assert str(update.event["UID"]) == f"workshop-{workshop.id}@workshop.test"
    assert int(update.event["SEQUENCE"]) == 1
    assert update.event.decoded("DTEND") == date(2030, 6, 5)
    assert "Geneva" in body(message)


def register_or_again(workshop, email):
    """A first registration by the form; after a withdrawal, again through the person's own link
    (the form changes no existing registration)."""
    from workshop.registration import confirmation, service

    existing = service.find_registration(workshop, email)
    if existing is None:
        return service.register(workshop, details(email=email))
    return confirmation.confirm(existing)


def test_registering_again_after_a_withdrawal_invites_above_the_cancel(app, db, smtp_server, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations()
    sequences = []
    for _ in range(2):
        register_or_again(workshop, "a@example.org")
        service.withdraw(service.find_registration(workshop, "a@example.org"))
    register_or_again(workshop, "a@example.org")
    for message in delivered(app, smtp_server)["a@example.org"]:
        part = itip_of(message)
        sequences.append((part.method, int(part.event["SEQUENCE"])))
    assert [m for m, _ in sequences] == ["REQUEST", "CANCEL"] * 2 + ["REQUEST"]
    numbers = [n for _, n in sequences]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers


def calendar_history(messages) -> list[tuple[str, str, int]]:
    """(METHOD, UID, SEQUENCE) of every calendar part, read a second time with vobject."""
    import vobject

    history = []
    for message in messages:
        for part in itip_parts(message):  # icalendar and vobject must agree on the events
            parsed = vobject.readOne(part.raw.decode("utf-8"))
            [event] = parsed.vevent_list
            assert parsed.method.value == part.method
            history.append((part.method, event.uid.value, int(event.sequence.value)))
    return history


def last_request_and_cancel(history, uid: str) -> tuple[int | None, int | None]:
    """The SEQUENCE of the last REQUEST for ``uid`` and of the CANCEL that follows it."""
    last_request = cancel = None
    for method, found, sequence in history:
        if found != uid:
            continue
        if method == "REQUEST":
            last_request, cancel = sequence, None
        elif method == "CANCEL":
            cancel = sequence
    return last_request, cancel


@pytest.mark.parametrize("action", ["withdraw", "reject", "move_to_waitlist"])
def test_losing_a_seat_cancels_every_session_too_above_the_last_request(app, db, smtp_server, make_user, taking_registrations, action):
    from workshop.agenda import service as agenda
    from workshop.registration import service

    organizer = make_user()
    workshop = taking_registrations()
    moved = add_item(workshop, start="09:00", end="10:00", title="Opening")
    kept = add_item(workshop, start="11:00", end="12:00", title="Dialogue")
    dropped = add_item(workshop, start="14:00", end="15:00", title="Closing")
    service.register(workshop, details(email="a@example.org"))
    for _ in range(2):  # two moves: the REQUEST to beat is the second one
        agenda.update_item(moved, starts_at=moved.starts_at + timedelta(minutes=30),
                           ends_at=moved.ends_at + timedelta(minutes=30))
    agenda.cancel_item(dropped)
    before = delivered(app, smtp_server)["a@example.org"]

    registration = service.find_registration(workshop, "a@example.org")
    shown = kept.sequence  # what the personal calendar and the feed showed
    options = {} if action == "withdraw" else {"by": organizer}
    getattr(service, action)(registration, **options)
    after = delivered(app, smtp_server)["a@example.org"]

    history = calendar_history(before + after)
    cancels = calendar_history(after)
    assert all(method == "CANCEL" for method, _, _ in cancels)
    workshop_uid, moved_uid, kept_uid = (f"workshop-{workshop.id}@workshop.test",
                                         f"session-{moved.id}@workshop.test",
                                         f"session-{kept.id}@workshop.test")
    # One message per event; a session the agenda already cancelled is not cancelled again.
    assert sorted(uid for _, uid, _ in cancels) == sorted([workshop_uid, moved_uid, kept_uid])
    for uid in (workshop_uid, moved_uid):
        request, cancel = last_request_and_cancel(history, uid)
        assert request is not None and cancel is not None and cancel > request, (uid, history)
    [kept_cancel] = [sequence for _, uid, sequence in cancels if uid == kept_uid]
    assert kept_cancel > shown  # above the copy the personal calendar showed
    assert kept_cancel == kept.sequence  # and the feed's own number from now on
    removed = [m for m in after if kept_uid.encode() in itip_of(m).raw]
    assert "Dialogue" in body(removed[0]) and "Dialogue" in str(removed[0]["Subject"])


def test_coming_back_after_a_lost_seat_updates_and_cancels_sessions_above_the_last_cancel(app, db, smtp_server, taking_registrations):
    from workshop.agenda import service as agenda
    from workshop.registration import service

    workshop = taking_registrations()
    item = add_item(workshop, start="09:00", end="10:00")
    uid = f"session-{item.id}@workshop.test"
    messages = []

    def deliver():  # each change told before the next: the quiet period passes in between
        messages.extend(delivered(app, smtp_server).get("a@example.org", []))

    for _ in range(2):
        register_or_again(workshop, "a@example.org")
        agenda.update_item(item, room=f"Room {item.sequence}")
        deliver()
        service.withdraw(service.find_registration(workshop, "a@example.org"))
        deliver()
    register_or_again(workshop, "a@example.org")
    agenda.update_item(item, room="Room Z")
    deliver()
    agenda.cancel_item(item)
    deliver()
    history = [(method, sequence) for method, found, sequence
               in calendar_history(messages) if found == uid]
    assert [method for method, _ in history] == ["REQUEST", "CANCEL"] * 3
    numbers = [sequence for _, sequence in history]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), history
