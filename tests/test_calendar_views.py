"""The calendar files over HTTP: feed and session files, ETag/304, 404 rather than empty."""

from datetime import timedelta

import pytest

from tests.support.agenda import add_item
from tests.support.ics import parse_checked
from workshop.agenda import service


@pytest.fixture
def workshop(make_workshop):
    return make_workshop(slug="london", title="London, Summer; 2030", timezone="Europe/London")


def uids(data):
    return {str(e["UID"]) for e in parse_checked(data).walk("VEVENT")}


def test_the_feed_is_a_calendar_with_the_workshop_and_its_scheduled_sessions(client, workshop):
    first = add_item(workshop, start="09:00", end="10:00")
    dropped = add_item(workshop, start="11:00", end="12:00", title="Dropped")
    service.cancel_item(dropped)
    response = client.get("/w/london/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids(response.data) == {f"workshop-{workshop.id}@workshop.test", f"session-{first.id}@workshop.test"}


def test_an_unchanged_agenda_gives_the_same_bytes_and_a_304(client, workshop):
    add_item(workshop)
    first = client.get("/w/london/calendar.ics")
    again = client.get("/w/london/calendar.ics")
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    cached = client.get("/w/london/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert cached.status_code == 304 and cached.data == b""


def test_a_move_changes_the_file_its_etag_and_raises_the_sequence(client, workshop):
    item = add_item(workshop)
    before = client.get("/w/london/calendar.ics")
    service.update_item(item, starts_at=item.starts_at + timedelta(hours=2), ends_at=item.ends_at + timedelta(hours=2))
    after = client.get("/w/london/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    event = next(e for e in parse_checked(after.data).walk("VEVENT") if str(e["UID"]).startswith("session-"))
    assert int(event["SEQUENCE"]) == 1


def test_a_description_change_keeps_the_sequence_but_updates_the_stamp(client, workshop):
    item = add_item(workshop)
    before = parse_checked(client.get(f"/w/london/sessions/{item.id}.ics").data).walk("VEVENT")[0]
    service.update_item(item, description="More detail.")
    after = parse_checked(client.get(f"/w/london/sessions/{item.id}.ics").data).walk("VEVENT")[0]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) == 0
    assert after.decoded("DTSTAMP") >= before.decoded("DTSTAMP")
    assert str(after["DESCRIPTION"]).startswith("More detail.")


def test_a_session_file_holds_that_session_with_the_feed_uid(client, workshop):
    item = add_item(workshop, title="Early warning, regional; 预警")
    response = client.get(f"/w/london/sessions/{item.id}.ics")
    assert response.status_code == 200
    assert uids(response.data) == {f"session-{item.id}@workshop.test"}
    assert f"session-{item.id}@workshop.test" in uids(client.get("/w/london/calendar.ics").data)
    assert client.get(f"/w/london/sessions/{item.id}.ics",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_cancelled_sessions_unknown_sessions_and_other_workshops_sessions_are_not_found(client, workshop, make_workshop):
    item = add_item(workshop)
    service.cancel_item(item)
    other = add_item(make_workshop(slug="elsewhere"))
    assert client.get(f"/w/london/sessions/{item.id}.ics").status_code == 404
    assert client.get("/w/london/sessions/99999.ics").status_code == 404
    assert client.get(f"/w/london/sessions/{other.id}.ics").status_code == 404


@pytest.mark.parametrize("status", ["draft"])
def test_unpublished_or_unknown_workshops_get_404_never_an_empty_calendar(client, make_workshop, status):
    hidden = make_workshop(slug="hidden", status=status)
    item = add_item(hidden)
    for url in ["/w/hidden/calendar.ics", f"/w/hidden/sessions/{item.id}.ics", "/w/unknown/calendar.ics"]:
        response = client.get(url)
        assert response.status_code == 404
        assert b"BEGIN:VCALENDAR" not in response.data


def test_an_archived_workshop_keeps_its_feed(client, make_workshop):
    make_workshop(slug="old", status="archived")
    assert client.get("/w/old/calendar.ics").status_code == 200


def test_a_workshop_without_sessions_still_has_its_all_day_event(client, workshop):
    assert uids(client.get("/w/london/calendar.ics").data) == {f"workshop-{workshop.id}@workshop.test"}


def test_the_workshop_page_offers_the_calendar_subscription(client, workshop):
    assert 'href="webcal://workshop.test/w/london/calendar.ics"' in client.get("/w/london/").get_data(as_text=True)
