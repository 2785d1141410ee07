"""What every calendar client must read the same way, checked by two parsers besides icalendar:
vobject and Mozilla's ical.js (run by node). The refresh hint of the personal calendar, the
ORGANIZER address, DTSTAMP of scheduling messages, one SEQUENCE per event in every file, and
names with double quotes."""

from datetime import datetime, timedelta, timezone

import pytest
import vobject

from tests.support import icaljs
from tests.support.agenda import FIXED, SETTINGS_BASE, add_item, fake_item, fake_workshop
from tests.support.ics import parse_checked, unfold
from tests.support.itip import itip_of
from tests.support.registration import details, link_from_outbox, taking_registrations  # noqa: F401
from tests.support.smtp import delivered, smtp_server  # noqa: F401
from workshop.calendar.ics import Attendee, CalendarSettings, build_cancel, build_feed, build_request

SETTINGS = CalendarSettings(SETTINGS_BASE, "workshop@workshops.example.org")


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url, "AGENDA_NOTICE_DELAY_SECONDS": 0}


def vobject_calendar(data: bytes):
    return vobject.readOne(data.decode("utf-8"))


def vobject_events(data: bytes) -> dict:
    return {event.uid.value: event for event in vobject_calendar(data).vevent_list}


def icaljs_events(data: bytes) -> dict:
    return {event["uid"]: event for event in icaljs.parse(data)["events"]}


def workshop_mail_calendar(messages) -> bytes:
    """The calendar part of the one message about the workshop event itself."""
    [part] = [p for p in (itip_of(m) for m in messages)
              if p is not None and str(p.event["UID"]).startswith("workshop-")]
    return part.raw


def subjects(messages) -> list[str]:
    return [str(m["Subject"]) for m in messages]


# The personal calendar's refresh hint ------------------------------------------------------------


def test_the_personal_calendar_says_how_often_to_refresh_like_the_public_feed(app, db, client, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations()
    add_item(workshop, start="09:00", end="10:00")
    service.register(workshop, details(email="ama@example.org"))
    personal = client.get(link_from_outbox(db, "ama@example.org") + "/calendar.ics").data
    public = client.get(f"/w/{workshop.slug}/calendar.ics").data
    for data in (personal, public):
        parse_checked(data)
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in unfold(data)
        calendar = vobject_calendar(data)
        assert calendar.contents["refresh-interval"][0].value == "PT1H"
        assert calendar.contents["refresh-interval"][0].params["VALUE"] == ["DURATION"]
        assert calendar.contents["x-published-ttl"][0].value == "PT1H"
        read = icaljs.parse(data)
        assert (read["refresh_interval"], read["refresh_interval_type"], read["published_ttl"]) == \
            ("PT1H", "duration", "PT1H")


# ORGANIZER ----------------------------------------------------------------------------------------


def organizers(data: bytes) -> set[tuple[str, str]]:
    """(address, CN) of every ORGANIZER, as vobject and ical.js read them; they must agree."""
    by_vobject = {(event.organizer.value.lower(), event.organizer.params["CN"][0])
                  for event in vobject_events(data).values()}
    by_icaljs = {(event["organizer"]["value"].lower(), event["organizer"]["cn"])
                 for event in icaljs_events(data).values()}
    assert by_vobject == by_icaljs
    return by_vobject


def test_a_mail_from_with_a_display_name_gives_a_calendar_address_and_a_name(app, db, client, smtp_server,
                                                                               taking_registrations):
    from workshop.registration import service

    app.config["MAIL_FROM"] = "Workshops Team <workshops@example.org>"
    workshop = taking_registrations()
    service.register(workshop, details(email="ama@example.org"))
    [confirmation] = delivered(app, smtp_server)["ama@example.org"]
    invitation = workshop_mail_calendar([confirmation])
    assert 'ORGANIZER;CN="Workshops Team":mailto:workshops@example.org\r\n' in unfold(invitation)
    assert organizers(invitation) == {("mailto:workshops@example.org", "Workshops Team")}
    assert confirmation["Reply-To"] is None  # no contact address set: replies go to From
    personal = client.get(link_from_outbox(db, "ama@example.org") + "/calendar.ics").data
    assert organizers(personal) == {("mailto:workshops@example.org", "Workshops Team")}


def test_the_workshops_contact_address_is_organizer_and_reply_to(app, db, client, smtp_server, taking_registrations):
    from workshop.registration import service
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    workshops.update_workshop(workshop, contact_email="focal.points@example.org")
    service.register(workshop, details(email="ama@example.org"))
    [confirmation] = delivered(app, smtp_server)["ama@example.org"]
    assert confirmation["Reply-To"] == "focal.points@example.org"
    expected = {("mailto:focal.points@example.org", workshop.conveners[0].name if workshop.conveners
                 else workshop.title)}
    assert organizers(workshop_mail_calendar([confirmation])) == expected
    assert organizers(client.get(link_from_outbox(db, "ama@example.org") + "/calendar.ics").data) == expected
    assert b"workshop@workshop.test" not in workshop_mail_calendar([confirmation])


# DTSTAMP --------------------------------------------------------------------------------------------


def test_scheduling_messages_are_stamped_when_written_and_feeds_when_the_event_changed():
    workshop, item = fake_workshop(), fake_item(11, updated_at=FIXED - timedelta(days=400))
    attendee = Attendee("Amina Diallo", "amina@example.org")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    messages = [build_request(workshop, [item], attendee, SETTINGS), build_cancel(workshop, [], attendee, SETTINGS)]
    after = datetime.now(timezone.utc)
    for data in messages:
        [(uid, event)] = vobject_events(data).items()
        stamp = event.dtstamp.value
        assert before <= stamp <= after, (uid, stamp)
        assert stamp != FIXED and stamp != item.updated_at
        [(_, read)] = icaljs_events(data).items()
        assert read["dtstamp"] == stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    given = datetime(2031, 5, 4, 3, 2, 1, tzinfo=timezone.utc)
    stamped = build_request(workshop, [item], attendee, SETTINGS, stamp=given)
    assert vobject_events(stamped)[f"session-{item.id}@workshops.example.org"].dtstamp.value == given
    # The feed keeps the moment each event last changed: the same bytes for the same agenda.
    feed = build_feed(workshop, [item], SETTINGS)
    assert feed == build_feed(workshop, [item], SETTINGS)
    stamps = {uid: event["dtstamp"] for uid, event in icaljs_events(feed).items()}
    assert stamps == {"workshop-7@workshops.example.org": "2030-01-15T12:00:00Z",
                      "session-11@workshops.example.org": (FIXED - timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")}


# SEQUENCE -----------------------------------------------------------------------------------------


def sequences(data: bytes) -> dict[str, int]:
    """UID -> SEQUENCE as vobject and ical.js read them; they must agree."""
    by_vobject = {uid: int(event.sequence.value) for uid, event in vobject_events(data).items()}
    by_icaljs = {uid: event["sequence"] for uid, event in icaljs_events(data).items()}
    assert by_vobject == by_icaljs
    return by_vobject


def test_a_registrant_who_comes_back_holds_each_event_at_the_feeds_sequence(app, db, client, smtp_server,
                                                                            taking_registrations):
    from workshop.registration import confirmation, service

    workshop = taking_registrations()
    item = add_item(workshop, start="09:00", end="10:00")
    workshop_uid, session_uid = f"workshop-{workshop.id}@workshop.test", f"session-{item.id}@workshop.test"
    service.register(workshop, details(email="ama@example.org"))
    first = sequences(workshop_mail_calendar(delivered(app, smtp_server)["ama@example.org"]))
    service.withdraw(service.find_registration(workshop, "ama@example.org"))
    cancels = [itip_of(m) for m in delivered(app, smtp_server)["ama@example.org"]]
    cancelled = {}
    for part in cancels:
        assert part.method == "CANCEL"
        cancelled.update(sequences(part.raw))
    assert cancelled[workshop_uid] > first[workshop_uid]
    confirmation.confirm(service.find_registration(workshop, "ama@example.org"))
    back = delivered(app, smtp_server)["ama@example.org"]
    again = sequences(workshop_mail_calendar(back))
    assert again[workshop_uid] > cancelled[workshop_uid]

    feed = sequences(client.get(f"/w/{workshop.slug}/calendar.ics").data)
    personal = sequences(client.get(link_from_outbox(db, "ama@example.org") + "/calendar.ics").data)
    # One number per event, whichever file it is read from.
    assert again[workshop_uid] == feed[workshop_uid] == personal[workshop_uid]
    assert feed[session_uid] == personal[session_uid] > cancelled[session_uid]


# Names with double quotes ------------------------------------------------------------------------


def test_names_with_double_quotes_need_no_rfc6868_escape():
    workshop = fake_workshop(conveners=[type("Org", (), {"name": 'Centre "R2P" ^ Asia'})()])
    attendee = Attendee('Ama "Kofi" Mensah', "ama@example.org")
    for data in (build_request(workshop, [], attendee, SETTINGS), build_cancel(workshop, [], attendee, SETTINGS)):
        assert b"^'" not in data and b"^^" not in data
        parse_checked(data)
        [event] = vobject_events(data).values()
        assert event.attendee.params["CN"] == ["Ama 'Kofi' Mensah"]
        assert event.organizer.params["CN"] == ["Centre 'R2P' Asia"]
        [read] = icaljs_events(data).values()
        assert [a["cn"] for a in read["attendees"]] == ["Ama 'Kofi' Mensah"]
        assert read["organizer"]["cn"] == "Centre 'R2P' Asia"
