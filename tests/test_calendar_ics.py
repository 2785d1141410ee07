"""The calendar builders, on plain objects: RFC 5545 files and RFC 5546 messages."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import icalendar
import pytest

from workshop.platform.urls import webcal_url
import vobject

from tests.support.agenda import FIXED, SETTINGS_BASE, fake_item, fake_workshop
from tests.support.ics import parse_checked, unfold
from workshop.calendar.ics import (
    Attendee,
    CalendarSettings,
    build_cancel,
    build_feed,
    build_registrant_calendar,
    build_request,
    build_session_calendar,
)

SETTINGS = CalendarSettings(SETTINGS_BASE, "workshop@workshops.example.org")
ATTENDEE = Attendee("Amina Diallo", "amina@example.org")


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_holds_the_workshop_as_an_all_day_event_with_exclusive_end():
    workshop = fake_workshop()
    calendar = parse_checked(build_feed(workshop, [fake_item()], SETTINGS))
    event = events(calendar)["workshop-7@workshops.example.org"]
    assert event.decoded("DTSTART") == date(2030, 6, 1)
    assert event.decoded("DTEND") == date(2030, 6, 4)  # the day after the last day
    assert "VALUE=DATE" in build_feed(workshop, [], SETTINGS).decode()


def test_feed_announces_its_name_and_refresh_interval():
    text = unfold(build_feed(fake_workshop(title="Summer, Workshop; 2030"), [], SETTINGS))
    assert "X-WR-CALNAME:Summer\\, Workshop\\; 2030\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    assert "METHOD" not in text


def test_feed_leaves_out_cancelled_items_and_never_names_attendees():
    chair = SimpleNamespace(name="Kofi Mensah", email="kofi@private.example")
    items = [fake_item(11, chairs=[chair]), fake_item(12, status="cancelled")]
    data = build_feed(fake_workshop(), items, SETTINGS)
    calendar = parse_checked(data)
    assert set(events(calendar)) == {"workshop-7@workshops.example.org", "session-11@workshops.example.org"}
    assert b"ATTENDEE" not in data and b"ORGANIZER" not in data
    assert b"private.example" not in data


def test_uids_are_the_same_across_regenerations_and_every_kind_of_file():
    workshop, item = fake_workshop(), fake_item(11)
    uid = "session-11@workshops.example.org"
    files = [
        build_feed(workshop, [item], SETTINGS),
        build_feed(workshop, [item], SETTINGS),
        build_session_calendar(workshop, item, SETTINGS),
        build_registrant_calendar(workshop, [item], ATTENDEE.name, ATTENDEE.email, SETTINGS),
        build_request(workshop, [item], ATTENDEE, SETTINGS),
        build_cancel(workshop, [item], ATTENDEE, SETTINGS),
    ]
    for data in files:
        assert uid in events(parse_checked(data))
    workshop_files = [build_feed(workshop, [], SETTINGS), build_request(workshop, [], ATTENDEE, SETTINGS),
                      build_cancel(workshop, [], ATTENDEE, SETTINGS),
                      build_registrant_calendar(workshop, [], "A", "a@example.org", SETTINGS)]
    for data in workshop_files:
        assert "workshop-7@workshops.example.org" in events(parse_checked(data))


def test_unchanged_input_gives_byte_identical_files_with_dtstamp_of_the_last_change():
    workshop, items = fake_workshop(), [fake_item(11), fake_item(12, starts=(2030, 6, 2, 9, 0), ends=(2030, 6, 2, 10, 0))]
    first = build_feed(workshop, items, SETTINGS)
    assert first == build_feed(workshop, items, SETTINGS)
    stamps = {e.decoded("DTSTAMP") for e in parse_checked(first).walk("VEVENT")}
    assert stamps == {FIXED}
    changed = build_feed(workshop, [items[0], fake_item(12, starts=(2030, 6, 2, 9, 0), ends=(2030, 6, 2, 10, 0),
                                                   updated_at=FIXED + timedelta(minutes=5))], SETTINGS)
    assert changed != first


def test_london_summer_session_comes_back_at_plus_one_hour_in_both_parsers():
    item = fake_item(11, starts=(2030, 6, 1, 8, 0), ends=(2030, 6, 1, 9, 0))  # 09:00 BST
    data = build_session_calendar(fake_workshop(), item, SETTINGS)
    text = data.decode()
    assert "DTSTART;TZID=Europe/London:20300601T090000" in text
    calendar = parse_checked(data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    start = events(calendar)["session-11@workshops.example.org"].decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=1)
    parse_checked(data)  # clears vobject's zone cache before the direct use below
    parsed = vobject.readOne(text)
    assert parsed.vevent.dtstart.value.utcoffset() == timedelta(hours=1)
    assert parsed.vevent.dtstart.value.hour == 9


def test_vtimezone_is_limited_to_the_workshop_dates():
    data = build_feed(fake_workshop(timezone="America/New_York", start_date=date(2012, 2, 24),
                                    end_date=date(2012, 2, 26)),
                      [fake_item(1, starts=(2012, 2, 24, 14, 0), ends=(2012, 2, 24, 15, 0))], SETTINGS)
    calendar = parse_checked(data)
    (zone,) = calendar.walk("VTIMEZONE")
    starts = [sub.decoded("DTSTART") for sub in zone.subcomponents]
    assert starts and all(datetime(2012, 2, 24) <= s.replace(tzinfo=None) <= datetime(2012, 2, 28) for s in starts)
    assert b"RRULE" not in data


def test_a_workshop_spanning_a_clock_change_gets_both_offsets():
    workshop = fake_workshop(start_date=date(2030, 3, 30), end_date=date(2030, 3, 31))
    before = fake_item(1, starts=(2030, 3, 30, 9, 0), ends=(2030, 3, 30, 10, 0))  # 09:00 GMT
    after = fake_item(2, starts=(2030, 3, 31, 8, 0), ends=(2030, 3, 31, 9, 0))  # 09:00 BST
    calendar = parse_checked(build_feed(workshop, [before, after], SETTINGS))
    found = events(calendar)
    assert found["session-1@workshops.example.org"].decoded("DTSTART").utcoffset() == timedelta(0)
    assert found["session-2@workshops.example.org"].decoded("DTSTART").utcoffset() == timedelta(hours=1)


TRICKY = "Peace, security; justice\nالمسؤولية عن الحماية · 保护的责任 — \"quoted\" \\ backslash"


def test_text_with_commas_semicolons_newlines_and_non_latin_script_round_trips():
    item = fake_item(11, title="Prévention, alerte; 预警 — الإنذار المبكر", description=TRICKY,
                     room="Salle 2, aile B; étage 3")
    data = build_session_calendar(fake_workshop(), item, SETTINGS)
    event = events(parse_checked(data))["session-11@workshops.example.org"]
    assert str(event["SUMMARY"]) == item.title
    assert str(event["DESCRIPTION"]).startswith(TRICKY + "\n\n")
    assert str(event["LOCATION"]).startswith("Salle 2, aile B; étage 3, ")
    second = vobject.readOne(data.decode()).vevent
    assert second.summary.value == item.title
    assert second.description.value.startswith(TRICKY + "\n\n")
    assert "\\," in data.decode() and "\\;" in data.decode() and "\\n" in data.decode()


def test_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_characters():
    long_arabic = "المسؤولية عن الحماية " * 20
    data = build_session_calendar(fake_workshop(), fake_item(11, description=long_arabic, title="长" * 60), SETTINGS)
    lines = data.split(b"\r\n")
    assert any(line.startswith(b" ") for line in lines), "long lines must be folded"
    parse_checked(data)  # CRLF, <= 75 octets, whole characters per line
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "长" * 60


def test_description_is_plain_text_ending_with_the_page_url():
    item = fake_item(11, description="Opening.", guiding_questions="Why?\nHow?",
                     chairs=[SimpleNamespace(name="Chair One", email="c@x.org")])
    event = events(parse_checked(build_session_calendar(fake_workshop(), item, SETTINGS)))["session-11@workshops.example.org"]
    description = str(event["DESCRIPTION"])
    assert description.endswith("https://workshops.example.org/w/summer-session/agenda#item-11")
    assert "Why?\nHow?" in description and "Chair: Chair One" in description and "c@x.org" not in description
    assert str(event["URL"]) == "https://workshops.example.org/w/summer-session/agenda#item-11"


def test_request_invites_the_attendee_with_organizer_and_rsvp():
    data = build_request(fake_workshop(), [], ATTENDEE, SETTINGS)
    calendar = parse_checked(data)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:workshop@workshops.example.org"
    assert organizer.params["CN"] == "Global Centre for the Responsibility to Protect"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:amina@example.org"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert attendee.params["CN"] == "Amina Diallo"


def test_cancel_keeps_the_uid_and_the_events_own_sequence_and_says_cancelled():
    # The caller raises the event's SEQUENCE before a CANCEL (cancelling the item does): every
    # file, the feed included, then carries the same number.
    workshop, item = fake_workshop(), fake_item(11, sequence=3)
    request = events(parse_checked(build_request(workshop, [item], ATTENDEE, SETTINGS)))
    cancel_calendar = parse_checked(build_cancel(workshop, [item], ATTENDEE, SETTINGS))
    cancel = events(cancel_calendar)
    assert str(cancel_calendar["METHOD"]) == "CANCEL"
    assert set(cancel) == set(request) == {"session-11@workshops.example.org"}
    uid = "session-11@workshops.example.org"
    assert int(cancel[uid]["SEQUENCE"]) == int(request[uid]["SEQUENCE"]) == 3
    assert str(cancel[uid]["STATUS"]) == "CANCELLED"
    whole = events(parse_checked(build_cancel(workshop, [], ATTENDEE, SETTINGS)))
    feed = events(parse_checked(build_feed(workshop, [], SETTINGS)))
    key = "workshop-7@workshops.example.org"
    assert int(whole[key]["SEQUENCE"]) == int(feed[key]["SEQUENCE"])


def test_an_itip_message_carries_a_single_event():
    with pytest.raises(ValueError):
        build_request(fake_workshop(), [fake_item(1), fake_item(2)], ATTENDEE, SETTINGS)


def test_registrant_calendar_names_only_that_registrant():
    data = build_registrant_calendar(fake_workshop(), [fake_item(11)], "Li Wei", "li@example.org", SETTINGS)
    calendar = parse_checked(data)
    assert "METHOD" not in calendar
    attendees = {str(e["ATTENDEE"]) for e in calendar.walk("VEVENT")}
    assert attendees == {"mailto:li@example.org"}


def test_workshop_event_carries_the_workshops_own_sequence():
    before = events(parse_checked(build_feed(fake_workshop(), [], SETTINGS)))
    after = events(parse_checked(build_feed(fake_workshop(sequence=1, updated_at=FIXED + timedelta(hours=2)), [], SETTINGS)))
    key = "workshop-7@workshops.example.org"
    assert int(after[key]["SEQUENCE"]) > int(before[key]["SEQUENCE"])


def test_webcal_link_is_the_https_link_with_another_scheme():
    assert webcal_url("https://x.org/w/a/calendar.ics") == "webcal://x.org/w/a/calendar.ics"
    assert webcal_url("http://127.0.0.1:5000/w/a/calendar.ics") == "webcal://127.0.0.1:5000/w/a/calendar.ics"


def test_utc_workshops_write_utc_times():
    data = build_session_calendar(fake_workshop(timezone="UTC"), fake_item(11), SETTINGS)
    assert "DTSTART:20300601T080000Z" in data.decode()
    parse_checked(data)


@pytest.mark.parametrize("build, method", [(build_request, "REQUEST"), (build_cancel, "CANCEL")])
def test_the_mail_part_method_agrees_with_the_method_inside(app, db, build, method):
    """Through the outbox, the one place mail gets its calendar part."""
    from email import message_from_bytes, policy

    from workshop.platform.mail.models import OutboxMessage
    from workshop.platform.mail.outbox import queue_mail

    with app.test_request_context():
        queue_mail("ama@example.org", "test_message", subject="Your registration",
                   context={"name": "Ama", "slug": "w"},
                   calendar=build(fake_workshop(), [fake_item(11)], ATTENDEE, SETTINGS))
    raw = db.session.scalars(db.select(OutboxMessage)).one().raw
    parsed = message_from_bytes(raw, policy=policy.default)
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    inline = [p for p in parts if p.get_content_disposition() != "attachment"]
    assert inline and all(p.get_param("method") == method for p in inline)
    body = inline[0].get_content()
    body = body.encode() if isinstance(body, str) else body
    calendar = parse_checked(body)
    assert str(calendar["METHOD"]) == method


@pytest.mark.parametrize("typed", ["Panel \\N Two", "C:\\New folder", "back\\slash \\n \\\\N end", "ends in \\"])
def test_a_typed_backslash_n_stays_text_in_both_parsers(typed):
    item = fake_item(11, title=typed, description=f"About {typed}", room=f"Room {typed}")
    workshop = fake_workshop(title=f"Workshop {typed}", venue=f"Hall {typed}", description=f"About {typed}")
    data = build_feed(workshop, [item], SETTINGS)
    first = parse_checked(data).walk("VEVENT")
    second = vobject.readOne(data.decode()).vevent_list
    assert len(first) == len(second) == 2
    for summary, location, description in [(str(e["SUMMARY"]), str(e["LOCATION"]), str(e["DESCRIPTION"])) for e in first] + [
            (e.summary.value, e.location.value, e.description.value) for e in second]:
        assert summary.endswith(typed) and "\n" not in summary
        assert typed in location and "\n" not in location
        assert description.startswith(f"About {typed}\n\n")
