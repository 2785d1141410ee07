"""Public pages replayed from memory follow every change to what they show (benchmark figure 2).

Each test warms the cache with a first request, changes one kind of row through the app's own
services, and checks the next anonymous request shows the change (a stale replay would not).
"""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from workshop.platform import public_cache
from workshop.agenda import service as agenda
from workshop.platform.db import db as database
from workshop.people.models import Contact
from workshop.registration import service as registration
from workshop.workshops import service as workshops
from workshop.workshops.models import Workshop

from tests.conftest import csrf_token_from, login
from tests.support.agenda import add_item
from tests.support.registration import details

PAGES = ["/w/{slug}/", "/w/{slug}/agenda", "/w/{slug}/agenda.json", "/w/{slug}/calendar.ics"]


@pytest.fixture
def workshop(make_workshop, db):
    workshop = make_workshop(slug="cached", title="Cached Workshop", conveners=["Stanley Center"])
    chair = Contact(name="Ada Chair", email="ada@example.org")
    db.session.add(chair)
    db.session.commit()
    add_item(workshop, title="Opening plenary", chairs=[chair])
    return workshop


def version(slug="cached") -> str:
    return database.session.execute(sa.select(Workshop.public_version).filter_by(slug=slug)).scalar_one()


def get(client, path: str, **headers):
    return client.get(path.format(slug="cached"), headers=headers)


def warm(client, path: str) -> bytes:
    first = get(client, path)
    assert first.status_code == 200
    assert get(client, path).data == first.data
    return first.data


def test_every_model_says_itself_whether_public_pages_show_it_and_which_workshop_owns_it(app):
    undeclared, unknown_columns = [], []
    for mapper in database.Model.registry.mappers:
        model = mapper.class_
        owner = model.__dict__.get("__public_owner__")  # on the class itself, never inherited
        if not isinstance(owner, public_cache.PublicOwner):
            undeclared.append(model.__name__)
        elif owner is not public_cache.PRIVATE and owner.attribute not in mapper.columns:
            unknown_columns.append(f"{model.__name__}.{owner.attribute}")
    assert undeclared == [] and unknown_columns == []


def test_a_model_that_declares_nothing_is_refused_when_written(app):
    class Undeclared:
        pass

    with pytest.raises(LookupError, match="declares no __public_owner__"):
        public_cache.owner_of(Undeclared)


@pytest.mark.parametrize("path", PAGES)
def test_a_warm_page_is_replayed_byte_for_byte_and_answers_if_none_match_with_304(client, workshop, path, monkeypatch):
    body = warm(client, path)
    calls = []
    monkeypatch.setattr(workshops, "get_public_workshop", lambda slug, **options: calls.append(slug))
    again = get(client, path)
    assert again.status_code == 200 and again.data == body and calls == []  # nothing loaded
    assert again.headers["Content-Security-Policy"]  # the app's headers still apply
    not_modified = get(client, path, **{"If-None-Match": again.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == again.headers["ETag"]
    assert not_modified.headers.get("Cache-Control") == again.headers.get("Cache-Control")
    other = get(client, path, **{"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data == body


def test_a_replayed_page_costs_one_query(client, workshop, db):
    from benchmarks.pages import queries_when_kept

    for path in PAGES:
        assert queries_when_kept(client, db.engine, path.format(slug="cached")) == 1


@pytest.mark.parametrize("path", PAGES)
def test_a_renamed_workshop_shows_at_once(client, workshop, path):
    warm(client, path)
    workshops.update_workshop(workshop, title="Renamed Workshop")
    assert b"Renamed Workshop" in get(client, path).data


@pytest.mark.parametrize("path", PAGES[1:])
def test_agenda_changes_show_at_once(client, workshop, path, db):
    warm(client, path)
    item = agenda.items_for(workshop)[0]
    agenda.update_item(item, title="Renamed plenary")
    assert b"Renamed plenary" in get(client, path).data
    add_item(workshop, title="Late addition", start="14:00", end="15:00")
    assert b"Late addition" in get(client, path).data
    agenda.cancel_item(agenda.items_for(workshop)[1])
    # The feed drops a cancelled session; the agenda page and JSON mark it.
    body = get(client, path).data
    assert (b"Late addition" not in body) if path.endswith(".ics") else (b"cancelled" in body.lower())


@pytest.mark.parametrize("path", PAGES[1:])
def test_a_renamed_contact_shows_on_every_agenda_it_is_on(client, workshop, path, db):
    assert b"Ada Chair" in warm(client, path)
    contact = db.session.scalars(sa.select(Contact).filter_by(name="Ada Chair")).one()
    contact.name = "Ada Renamed"
    db.session.commit()
    assert b"Ada Renamed" in get(client, path).data


def test_a_renamed_organization_shows_on_the_workshop_page(client, workshop, db):
    assert b"Stanley Center" in warm(client, "/w/{slug}/")
    organization = workshop.conveners[0]
    workshops.save_organization(organization, name="Stanley Center for Peace and Security")
    assert b"Stanley Center for Peace and Security" in get(client, "/w/{slug}/").data


def test_registration_settings_replace_the_token_and_registrations_do_not(client, workshop, db):
    assert b"Register" not in warm(client, "/w/{slug}/")
    before = version()
    registration.update_settings(workshop, mode="open")
    assert b"Register" in get(client, "/w/{slug}/").data
    assert version() != before
    # No cached page shows registrations: a registration must not lock its workshop's row.
    before = version()
    registration.register(workshop, details(email="new@example.org"))
    assert version() == before


def test_a_query_string_gets_a_fresh_render(client, workshop, monkeypatch):
    warm(client, "/w/{slug}/agenda")
    calls = []
    real = workshops.get_public_workshop
    monkeypatch.setattr(workshops, "get_public_workshop", lambda slug, **options: calls.append(slug) or real(slug, **options))
    for n in range(3):
        assert get(client, f"/w/{{slug}}/agenda?utm={n}").status_code == 200
    assert calls == ["cached"] * 3
    before = len(public_cache._cache)
    get(client, "/w/{slug}/agenda?utm=other")
    assert len(public_cache._cache) == before, "random query strings do not fill the cache"


def test_private_rows_leave_the_token_alone(client, workshop, db, make_user):
    from workshop.platform.mail.outbox import queue_mail

    before = version()
    workshops.add_member(workshop, make_user().email, "rapporteur")
    queue_mail("someone@example.org", "test_message", subject="Hello", context={"name": "A", "slug": "w"})
    db.session.commit()
    assert version() == before


def test_an_unpublished_workshop_is_not_replayed(client, workshop):
    warm(client, "/w/{slug}/")
    workshops.set_status(workshop, "draft")
    assert get(client, "/w/{slug}/").status_code == 404
    assert get(client, "/w/{slug}/calendar.ics").status_code == 404


def test_a_bulk_statement_on_a_public_table_replaces_every_token(client, workshop, db):
    before = version()
    db.session.execute(sa.update(Contact).values(organization="Bulk"))
    db.session.commit()
    assert version() != before


def test_signed_in_visitors_and_pending_messages_get_their_own_page(client, workshop, make_user):
    anonymous = warm(client, "/w/{slug}/")
    assert b"Sign in" in anonymous
    login(client, make_user())
    personal = get(client, "/w/{slug}/").data
    assert b"Sign out" in personal and b"Sign in" not in personal
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/logout").get_data(as_text=True))})
    flashed = get(client, "/w/{slug}/").data  # the "signed out" message is this visitor's alone
    assert b"You are signed out." in flashed and b"Sign in" in flashed
    assert get(client, "/w/{slug}/").data == anonymous


def test_entries_expire_so_the_registration_window_closing_shows(client, workshop, monkeypatch):
    closes = datetime.now(timezone.utc) + timedelta(seconds=2)
    registration.update_settings(workshop, mode="open", closes_at=closes)
    assert b"Register" in warm(client, "/w/{slug}/")
    now = public_cache.clock()
    monkeypatch.setattr("workshop.registration.links.utcnow", lambda: closes + timedelta(seconds=1))
    assert b"Register" in get(client, "/w/{slug}/").data  # replayed: the window is not in the token
    monkeypatch.setattr(public_cache, "clock", lambda: now + 31)
    assert b"Register" not in get(client, "/w/{slug}/").data


def test_the_cache_can_be_turned_off(client, workshop, app, monkeypatch):
    app.config["PUBLIC_CACHE_SECONDS"] = 0
    warm(client, "/w/{slug}/")
    calls = []
    real = workshops.get_public_workshop
    monkeypatch.setattr(workshops, "get_public_workshop", lambda slug, **options: calls.append(slug) or real(slug, **options))
    assert get(client, "/w/{slug}/").status_code == 200 and calls == ["cached"]


def test_only_the_replayed_pages_skip_the_rate_limiter(app, workshop):
    """The cached views carry no limit on reads; the limiter's request filter skips working that
    out for their GETs and for nothing else: the registration form's POST keeps its limit.
    (Checked on the filter itself: a site-wide default limit set in one test would stay on the
    process-wide limiter for every test after it.)"""
    from workshop.platform.security import limiter

    assert public_cache._replayed_view in limiter._request_filters
    for path in PAGES + ["/", "/w/{slug}/register", "/w/{slug}/memo"]:
        with app.test_request_context(path.format(slug="cached")):
            assert public_cache._replayed_view(), path
    for path in ("/login", "/links/resend", "/w/cached/participants"):
        with app.test_request_context(path):
            assert not public_cache._replayed_view(), path
    with app.test_request_context("/w/cached/register", method="POST"):
        assert not public_cache._replayed_view()
