"""The registrant's own calendar at /registrations/<token>/calendar.ics, and the public feed
that never names anyone."""

import pytest

from tests.support.agenda import add_item
from tests.support.ics import parse_checked
from tests.support.registration import details, link_from_outbox, taking_registrations  # noqa: F401


@pytest.fixture
def confirmed(app, db, client, taking_registrations):
    """A published workshop with a session, one confirmed and one waitlisted registrant."""
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    item = add_item(workshop, start="09:00", end="10:30", title="Opening, plenary; 1")
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    service.register(workshop, details(email="li@example.org", name="Li Wei"))
    return workshop, item, link_from_outbox(db, "ama@example.org")


def test_a_confirmed_registrant_gets_their_calendar_with_an_etag_and_304(client, confirmed):
    workshop, item, link = confirmed
    response = client.get(f"{link}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["ETag"]
    calendar = parse_checked(response.data)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"workshop-{workshop.id}@workshop.test", f"session-{item.id}@workshop.test"}
    assert {str(e["ATTENDEE"]).lower() for e in calendar.walk("VEVENT")} == {"mailto:ama@example.org"}
    assert b"li@example.org" not in response.data
    again = client.get(f"{link}/calendar.ics", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_personal_calendar_is_never_stored_by_a_cache(client, confirmed):
    # It names the registrant and sits behind their link, like the other token pages.
    workshop, _, link = confirmed
    assert client.get(f"{link}/calendar.ics").headers["Cache-Control"] == "no-store"
    assert client.get(link).headers["Cache-Control"] == "no-store"
    # The public feed names nobody: caches may keep it and revalidate.
    assert client.get(f"/w/{workshop.slug}/calendar.ics").headers["Cache-Control"] == "no-cache"


def test_the_calendar_follows_a_moved_session(client, confirmed):
    from datetime import timedelta

    from workshop.agenda import service as agenda

    workshop, item, link = confirmed
    before = client.get(f"{link}/calendar.ics")
    agenda.update_item(item, starts_at=item.starts_at + timedelta(hours=2),
                       ends_at=item.ends_at + timedelta(hours=2))
    after = client.get(f"{link}/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    event = {str(e["UID"]): e for e in parse_checked(after.data).walk("VEVENT")}[f"session-{item.id}@workshop.test"]
    assert int(event["SEQUENCE"]) == 1


def test_an_unknown_token_is_a_404_in_words(client, confirmed):
    response = client.get("/registrations/not-a-real-token/calendar.ics")
    assert response.status_code == 404
    assert "text/html" in response.content_type
    assert "link" in response.get_data(as_text=True).lower()


def test_a_waitlisted_registrant_has_no_calendar_yet(client, db, confirmed):
    link = link_from_outbox(db, "li@example.org")
    response = client.get(f"{link}/calendar.ics")
    assert response.status_code == 404
    assert "Only a confirmed registration has a personal calendar" in response.get_data(as_text=True)


def test_the_self_service_page_links_the_calendar_for_confirmed_registrants_only(client, db, confirmed):
    workshop, item, link = confirmed
    page = client.get(link).get_data(as_text=True)
    assert f'href="{link}/calendar.ics"' in page
    assert f'href="webcal://workshop.test{link}/calendar.ics"' in page
    waiting = link_from_outbox(db, "li@example.org")
    assert "calendar.ics" not in client.get(waiting).get_data(as_text=True)


def test_the_public_feed_never_names_attendees_or_registrants(client, confirmed):
    workshop, item, link = confirmed
    response = client.get(f"/w/{workshop.slug}/calendar.ics")
    assert response.status_code == 200
    parse_checked(response.data)
    for secret in (b"ATTENDEE", b"ORGANIZER", b"ama@example.org", b"li@example.org", b"Ama Mensah"):
        assert secret not in response.data
    session = client.get(f"/w/{workshop.slug}/sessions/{item.id}.ics")
    assert session.status_code == 200 and b"ATTENDEE" not in session.data


def test_a_withdrawn_registrant_has_no_calendar_any_more(client, db, confirmed):
    from workshop.registration import service

    workshop, item, link = confirmed
    assert client.get(f"{link}/calendar.ics").status_code == 200
    service.withdraw(service.find_registration(workshop, "ama@example.org"))
    response = client.get(f"{link}/calendar.ics")
    assert response.status_code == 404
    assert "text/html" in response.content_type
    assert "Only a confirmed registration has a personal calendar" in response.get_data(as_text=True)
