"""The page cache's front layer answers anonymous replays before Flask builds a request
(workshop/platform/front_cache.py), and only those: its answer is byte for byte the one the
Flask path's replay sends, and every visitor whose page could differ (signed in, a message
waiting, another language, a draft's team, a query string) still gets Flask's answer.

Whether Flask answered is told by Flask's ``request_started`` signal, sent for every request
Flask handles and for none the front layer answers."""

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import request_started
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.conftest import csrf_token_from, login
from tests.support.agenda import add_item
from workshop.people.models import Contact
from workshop.platform import front_cache, public_cache
from workshop.workshops import service as workshops

PAGES = ["/w/cached/", "/w/cached/agenda", "/w/cached/agenda.json", "/w/cached/calendar.ics",
         "/w/cached/documents", "/"]
REQUEST_ID = "front-layer-test-0001"


@pytest.fixture
def workshop(make_workshop, db):
    workshop = make_workshop(slug="cached", title="Cached Workshop", conveners=["Stanley Center"])
    chair = Contact(name="Ada Chair", email="ada@example.org")
    db.session.add(chair)
    db.session.commit()
    add_item(workshop, title="Opening plenary", chairs=[chair])
    return workshop


@contextmanager
def flask_requests(app):
    """The paths Flask itself handled while the block ran."""
    seen: list[str] = []

    def started(sender, **extra):
        from flask import request

        seen.append(request.path)

    request_started.connect(started, app)
    try:
        yield seen
    finally:
        request_started.disconnect(started, app)


def call(wsgi_app, path, method="GET", **headers):
    """(status, headers in order, body) of one request to ``wsgi_app``, as a server gets them."""
    environ = EnvironBuilder(path=path, method=method, headers={"X-Request-ID": REQUEST_ID, **headers}).get_environ()
    app_iter, status, response_headers = run_wsgi_app(wsgi_app, environ, buffered=True)
    return status, list(response_headers.items()), b"".join(app_iter)


def front_answers(app, client, path, **headers) -> bool:
    with flask_requests(app) as seen:
        response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return not seen


def warm(app, client, path, **headers):
    """A render, then the page cache's replay (which the front layer keeps), then the front."""
    first = client.get(path, headers=headers)
    assert first.status_code == 200, path
    client.get(path, headers=headers)
    assert front_answers(app, client, path, **headers), f"{path} is not answered by the front layer"
    return first


@pytest.mark.parametrize("path", PAGES + ["/w/cached/memo"])
def test_the_front_answer_is_byte_for_byte_the_flask_replay(app, client, workshop, path, make_user):
    if path.endswith("/memo"):
        _publish_memo(workshop, make_user())
    warm(app, client, path)
    front, flask_path = app.wsgi_app, app.wsgi_app.wsgi_app
    assert isinstance(front, front_cache.FrontLayer)

    with flask_requests(app) as seen:
        ok = call(front, path)
    assert seen == [] and ok[0] == "200 OK"
    assert ok == call(flask_path, path)
    assert ("X-Request-ID", REQUEST_ID) in ok[1] and dict(ok[1])["Content-Security-Policy"]
    assert "Accept-Language" in dict(ok[1])["Vary"]

    # Each request has its own id, as on the Flask path (an ill-formed one is replaced).
    ids = {dict(call(front, path, **{"X-Request-ID": "not valid"})[1])["X-Request-ID"] for _ in range(2)}
    assert len(ids) == 2 and "not valid" not in ids

    # HEAD: the same headers, Content-Length included, and no body.
    with flask_requests(app) as seen:
        head = call(front, path, method="HEAD")
    assert seen == [] and head[2] == b""
    assert head == call(flask_path, path, method="HEAD")
    assert dict(head[1])["Content-Length"] == str(len(ok[2]))

    # If-None-Match: the first 304 comes from Flask's replay and is kept; the next from the front.
    etag = dict(ok[1]).get("ETag")
    if etag is None:
        assert path.endswith("/documents")  # the one cached page without an ETag
        return
    call(front, path, **{"If-None-Match": etag})
    with flask_requests(app) as seen:
        not_modified = call(front, path, **{"If-None-Match": etag})
    assert seen == [] and not_modified[0].startswith("304") and not_modified[2] == b""
    assert not_modified == call(flask_path, path, **{"If-None-Match": etag})
    assert call(front, path, method="HEAD", **{"If-None-Match": etag}) == call(
        flask_path, path, method="HEAD", **{"If-None-Match": etag})
    # Another ETag gets the page.
    assert call(front, path, **{"If-None-Match": '"something-else"'}) == ok


def test_a_front_answer_costs_one_query(app, client, workshop, db):
    from benchmarks.pages import count_queries

    for path in PAGES:
        warm(app, client, path)
        with count_queries(db.engine) as counter, flask_requests(app) as seen:
            assert client.get(path).status_code == 200
        assert seen == [] and counter.count == 1, path


def test_a_signed_in_organizer_gets_their_own_page(app, client, workshop, make_user):
    anonymous = warm(app, client, "/w/cached/").data
    assert b"Sign in" in anonymous
    login(client, make_user())
    with flask_requests(app) as seen:
        personal = client.get("/w/cached/").data
    assert seen == ["/w/cached/"]
    assert b"Sign out" in personal and b"Sign in" not in personal
    # Even for pages that do not change with the visitor, a session cookie goes to Flask.
    with flask_requests(app) as seen:
        client.get("/w/cached/calendar.ics")
    assert seen == ["/w/cached/calendar.ics"]


def test_a_visitor_with_a_message_waiting_sees_it(app, client, workshop, make_user):
    login(client, make_user())
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/logout").get_data(as_text=True))})
    visitor = app.test_client()  # another browser, anonymous, warms the front layer meanwhile
    warm(app, visitor, "/w/cached/")
    flashed = client.get("/w/cached/").data
    assert b"You are signed out." in flashed


def test_the_remember_cookie_goes_to_flask(app, client, workshop):
    warm(app, client, "/w/cached/")
    client.set_cookie("remember_token", "1|whatever")
    with flask_requests(app) as seen:
        client.get("/w/cached/")
    assert seen == ["/w/cached/"]


@pytest.mark.parametrize("headers,cookie,language", [
    ({"Accept-Language": "fr-FR,fr;q=0.9"}, None, "fr"),
    ({}, "ar", "ar"),
    ({"Accept-Language": "en"}, "es", "es"),  # the cookie wins, as in the locale selector
    ({"Accept-Language": "ru"}, "klingon", "ru"),  # an unknown cookie value counts for nothing
])
def test_a_visitor_with_another_language_gets_their_language(app, client, workshop, headers, cookie, language):
    english = warm(app, client, "/w/cached/").get_data(as_text=True)
    assert '<html lang="en"' in english
    other = app.test_client()
    if cookie:
        other.set_cookie("lang", cookie)
    page = other.get("/w/cached/", headers=headers).get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    # Kept per language: each gets its own from the front layer afterwards.
    warm(app, other, "/w/cached/", **headers)
    assert f'<html lang="{language}"' in other.get("/w/cached/", headers=headers).get_data(as_text=True)
    assert client.get("/w/cached/").get_data(as_text=True) == english


def test_a_draft_is_never_replayed_and_its_preview_never_kept(app, client, workshop, make_user, db):
    from workshop.workshops.models import Role, WorkshopMember

    warm(app, client, "/w/cached/")
    member = make_user()
    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=member.id, role=Role.ORGANIZER))
    workshops.set_status(workshop, "draft")
    db.session.commit()
    assert client.get("/w/cached/").status_code == 404
    team = app.test_client()
    login(team, member)
    for _ in range(3):
        preview = team.get("/w/cached/")
        assert b"Draft preview, not public." in preview.data
    with flask_requests(app) as seen:
        assert client.get("/w/cached/").status_code == 404
        assert client.get("/w/cached/").status_code == 404
    assert seen == ["/w/cached/"] * 2


def test_an_answer_that_sets_a_cookie_or_says_private_is_never_kept(app, client, workshop):
    # What the front layer checks on the answer itself, whichever hook added it.
    state = {"header": None}

    @app.after_request
    def personal(response):
        if state["header"]:
            response.headers.add(*state["header"])
        return response

    for header in (("Set-Cookie", "seen=1; Path=/"), ("Cache-Control", "private, no-store")):
        public_cache.clear()
        state["header"] = header
        with flask_requests(app) as seen:
            for _ in range(4):
                assert client.get("/w/cached/agenda.json").status_code == 200
        assert len(seen) == 4, header


def test_an_expired_entry_goes_to_flask(app, client, workshop, monkeypatch):
    warm(app, client, "/w/cached/")
    now = public_cache.clock()
    monkeypatch.setattr(public_cache, "clock", lambda: now + 31)
    calls = []
    real = workshops.get_public_workshop
    monkeypatch.setattr(workshops, "get_public_workshop", lambda slug, **options: calls.append(slug) or real(slug, **options))
    with flask_requests(app) as seen:
        assert client.get("/w/cached/").status_code == 200
    assert seen == ["/w/cached/"] and calls == ["cached"]  # rendered afresh


@pytest.mark.parametrize("path", PAGES)
def test_a_changed_version_shows_at_once(app, client, workshop, path):
    warm(app, client, path)
    workshops.update_workshop(workshop, title="Renamed Workshop")
    with flask_requests(app) as seen:
        assert b"Renamed Workshop" in client.get(path).data
    assert seen == [path]


def test_a_token_replaced_by_another_server_shows_at_once(app, client, workshop, db):
    """Another app server's edit reaches this one only through the database."""
    warm(app, client, "/w/cached/")
    with db.engine.begin() as connection:  # as another process would: no flush hook of ours
        connection.execute(sa.text("UPDATE workshops SET title = 'Edited Elsewhere', public_version = 'elsewhere'"))
    with flask_requests(app) as seen:
        assert b"Edited Elsewhere" in client.get("/w/cached/").data
    assert seen == ["/w/cached/"]


@pytest.mark.parametrize("path,headers", [
    ("/w/cached/?utm=1", {}),
    ("/w/cached/?lang=fr", {}),
    ("/w/cached/", {"Range": "bytes=0-10"}),
    ("/w/cached/", {"If-Modified-Since": "Tue, 01 Dec 2026 00:00:00 GMT"}),
])
def test_query_strings_and_other_conditions_go_to_flask(app, client, workshop, path, headers):
    warm(app, client, "/w/cached/")
    with flask_requests(app) as seen:
        client.get(path, headers=headers)
    assert seen == ["/w/cached/"]


def test_the_registration_form_stays_on_the_flask_path(app, client, workshop):
    from workshop.registration import service as registration

    registration.update_settings(workshop, mode="open")
    with flask_requests(app) as seen:
        for _ in range(4):
            assert client.get("/w/cached/register").status_code == 200
    assert len(seen) == 4


def test_turning_the_cache_off_turns_the_front_layer_off(app, client, workshop):
    warm(app, client, "/w/cached/")
    app.config["PUBLIC_CACHE_SECONDS"] = 0
    with flask_requests(app) as seen:
        client.get("/w/cached/")
    assert seen == ["/w/cached/"]


def _publish_memo(workshop, user):
    from workshop.memos import service

    memo = service.memo_for(workshop)
    service.save(memo, "## Context\n\nThe first account.\n", user, None)
    service.submit_for_review(memo)
    service.approve(memo)
    service.publish(memo, user)
    from workshop.platform.db import db

    db.session.commit()


def test_the_front_layer_holds_no_more_bytes_than_its_limit(app):
    """The key has the Host header, which the visitor chooses: pages under many hosts must not
    fill the worker's memory. Past the limit the oldest pages go."""
    front = app.wsgi_app
    assert isinstance(front, front_cache.FrontLayer)
    kept, limit = front.kept, front.kept.max_bytes
    assert limit is not None
    big = b"x" * (limit // 4 + 1)
    for n in range(8):
        kept.put(("GET", f"host{n}.example", "/w/x"), front_cache.Entry("x", "v", None, 1e18, None, big))
    assert kept.bytes <= limit
    assert kept.get(("GET", "host7.example", "/w/x")) is not None
    assert kept.get(("GET", "host0.example", "/w/x")) is None
