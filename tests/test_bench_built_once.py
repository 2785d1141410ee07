"""The calendar feed is built once per version of its rows, and follows every change to them;
the public HTML pages answer If-None-Match with 304 when nothing changed (benchmark figure 2)."""

from datetime import datetime, timezone

import pytest

from workshop.platform import built_once
from workshop.agenda import service as agenda
from workshop.people.models import Contact
from workshop.workshops import service as workshops


@pytest.fixture
def workshop(make_workshop, db):
    workshop = make_workshop(slug="feed", title="Feed Workshop")
    chair = Contact(name="Ada Chair", email="ada@example.org")
    db.session.add(chair)
    db.session.commit()
    for hour in (9, 11):
        agenda.create_item(
            workshop, title=f"Session at {hour}", starts_at=datetime(2030, 6, 1, hour, tzinfo=timezone.utc),
            ends_at=datetime(2030, 6, 1, hour + 1, tzinfo=timezone.utc), room="Room A", chairs=[chair],
        )
    built_once.clear()
    return workshop


def feed(client) -> bytes:
    response = client.get("/w/feed/calendar.ics")
    assert response.status_code == 200
    return response.data


def test_an_unchanged_feed_is_built_once_and_is_byte_identical(client, workshop):
    first = feed(client)
    cached = len(built_once._cache)
    assert feed(client) == first
    assert len(built_once._cache) == cached == 1


def test_the_feed_follows_a_renamed_session(client, workshop, db):
    feed(client)
    item = agenda.items_for(workshop)[0]
    agenda.update_item(item, title="Renamed session")
    db.session.expire_all()
    assert b"Renamed session" in feed(client)


def test_the_feed_follows_a_cancelled_session(client, workshop, db):
    assert b"Session at 11" in feed(client)
    agenda.cancel_item(agenda.items_for(workshop)[1])
    db.session.expire_all()
    assert b"Session at 11" not in feed(client)


def test_the_feed_follows_a_renamed_contact_and_a_renamed_workshop(client, workshop, db):
    assert b"Ada Chair" in feed(client)
    contact = db.session.query(Contact).filter_by(email="ada@example.org").one()
    contact.name = "Ada Renamed"
    db.session.commit()
    db.session.expire_all()
    assert b"Ada Renamed" in feed(client)
    workshops.update_workshop(workshop, title="Feed Workshop Renamed")
    db.session.expire_all()
    assert b"Feed Workshop Renamed" in feed(client)


def test_the_feed_follows_a_new_session(client, workshop, db):
    feed(client)
    agenda.create_item(workshop, title="Late addition", room="Room B",
                       starts_at=datetime(2030, 6, 2, 9, tzinfo=timezone.utc),
                       ends_at=datetime(2030, 6, 2, 10, tzinfo=timezone.utc))
    db.session.expire_all()
    assert b"Late addition" in feed(client)


@pytest.mark.parametrize("path", ["/w/feed/", "/w/feed/agenda", "/w/feed/calendar.ics"])
def test_an_unchanged_public_page_answers_if_none_match_with_304(client, workshop, db, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    workshops.update_workshop(workshop, title="Changed title")
    db.session.expire_all()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_kept_values_stay_within_their_byte_budget_dropping_the_least_recently_used():
    from workshop.platform.built_once import Kept

    kept = Kept(100, max_bytes=10, weigh=len)
    kept.put("a", b"aaaa")
    kept.put("b", b"bbbb")
    assert kept.get("a") == b"aaaa"  # now the most recently used
    kept.put("c", b"cccc")  # 12 bytes: "b", the least recently used, goes
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (b"aaaa", None, b"cccc")
    assert kept.bytes == 8
    kept.put("a", b"a")  # replacing a value counts its new size only
    assert kept.bytes == 5
    kept.put("huge", b"x" * 11)  # more than the whole budget: not kept, nothing dropped for it
    assert kept.get("huge") is None and len(kept) == 2
    kept.clear()
    assert kept.bytes == 0 and len(kept) == 0
