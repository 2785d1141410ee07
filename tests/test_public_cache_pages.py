"""The home page, the memo page and the registration form are replayed from memory too, and
follow every change to what they show; the replayed form carries each visitor's own CSRF token,
which the submission accepts; a form kept before registration opens is not replayed after."""

import time
from datetime import timedelta

import pytest

from tests.conftest import csrf_token_from
from tests.support.registration import form_data, taking_registrations  # noqa: F401
from workshop.platform.types import utcnow


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


def _same_twice(client, path: str) -> str:
    first = client.get(path)
    assert first.status_code == 200, path
    again = client.get(path)
    assert again.data == first.data
    return first.get_data(as_text=True)


def test_the_home_page_follows_titles_new_workshops_and_unpublishing(app, db, client, make_workshop):
    from workshop.workshops import service as workshops

    first = make_workshop(title="First Consultation")
    assert "First Consultation" in _same_twice(client, "/")
    workshops.update_workshop(first, title="Renamed Consultation")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Renamed Consultation" in page and "First Consultation" not in page
    second = make_workshop(title="Second Consultation")
    assert "Second Consultation" in client.get("/").get_data(as_text=True)
    workshops.set_status(second, "draft")
    db.session.commit()
    assert "Second Consultation" not in client.get("/").get_data(as_text=True)


def test_a_replayed_home_page_costs_one_query(app, db, client, make_workshop):
    from benchmarks.pages import count_queries

    make_workshop(title="First Consultation")
    client.get("/")
    with count_queries(db.engine) as replay:
        assert "First Consultation" in client.get("/").get_data(as_text=True)
    assert replay.count == 1


def _publish(workshop, text, user):
    from workshop.memos import service

    memo = service.memo_for(workshop)
    service.save(memo, text, user, memo.current.number if memo.current else None)
    service.submit_for_review(memo)
    service.approve(memo)
    return service.publish(memo, user)


def test_the_memo_page_follows_a_new_version_and_a_renamed_workshop(app, db, client, make_user, make_workshop):
    from workshop.workshops import service as workshops

    organizer = make_user()
    workshop = make_workshop(organizer, title="Memo Workshop", theme="Early Warning")
    _publish(workshop, "## Context\n\nThe first account.\n", organizer)
    db.session.commit()
    path = f"/w/{workshop.slug}/memo"
    assert "The first account." in _same_twice(client, path)
    workshops.update_workshop(workshop, title="Renamed Workshop")
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Renamed Workshop" in page and "Memo Workshop" not in page
    _publish(workshop, "## Context\n\nThe second account.\n", organizer)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "The second account." in page and "The first account." not in page


def test_each_visitor_gets_their_own_token_in_the_replayed_form_and_can_submit_it(
        app, db, taking_registrations):
    from workshop.registration.models import Registration

    from flask import g

    workshop = taking_registrations()
    path = f"/w/{workshop.slug}/register"
    ama, bo = app.test_client(), app.test_client()
    # Requests here share the test's application context, and Flask-WTF keeps a request's token
    # on ``g``: forget it between browsers, as a request of their own would.
    first = ama.get(path).get_data(as_text=True)
    g.pop("csrf_token", None)
    replayed = bo.get(path).get_data(as_text=True)
    g.pop("csrf_token", None)
    assert csrf_token_from(first) != csrf_token_from(replayed)
    assert "csrf-token-of-this-visitor" not in replayed
    # Apart from the token the replayed page is the page.
    assert first.replace(csrf_token_from(first), "T") == replayed.replace(csrf_token_from(replayed), "T")
    # The replayed token is the one the visitor's session holds: the submission is accepted.
    answer = bo.post(path, data={**form_data("bo@example.org", name="Bo Lindqvist"), "csrf_token": csrf_token_from(replayed)})
    assert answer.status_code == 200 and "Check your inbox" in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration.name)) == "Bo Lindqvist"
    # Someone else's token is refused, as it always was.
    g.pop("csrf_token", None)
    stolen = app.test_client().post(path, data={**form_data("eve@example.org"), "csrf_token": csrf_token_from(first)})
    assert stolen.status_code == 400


def test_the_form_follows_a_new_category_and_new_settings(app, db, client, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations()
    path = f"/w/{workshop.slug}/register"
    assert "Civil society" not in _same_twice(client, path)
    from workshop.registration import settings

    settings.add_category(workshop, "Civil society")
    db.session.commit()
    assert "Civil society" in _same_twice(client, path)
    service.update_settings(workshop, opens_at=utcnow() + timedelta(days=3))
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Registration is not open yet" in page and 'name="email"' not in page


def test_registrations_arriving_leave_the_kept_form_alone_and_a_change_it_shows_replaces_it(
        app, db, taking_registrations):
    """The form shows the settings, the categories, the questions and the window, never the seats
    left: during the opening rush, submissions (a seat taken, then the waitlist) must not make
    each worker render it again, while an organizer's change to what it shows is shown at once."""
    from flask import g, template_rendered

    from workshop.registration import settings
    from workshop.registration.models import Registration, State

    workshop = taking_registrations(capacity=1)
    path = f"/w/{workshop.slug}/register"
    renders = []

    def rendered(_sender, template, context, **_extra):
        renders.append(template.name)

    template_rendered.connect(rendered, app)

    def visit_and_submit(n: int) -> str:
        g.pop("csrf_token", None)  # each its own browser (see the test above)
        visitor = app.test_client()
        page = visitor.get(path).get_data(as_text=True)
        answer = visitor.post(path, data={**form_data(f"rush{n}@example.org", name=f"Rush {n}"),
                                          "csrf_token": csrf_token_from(page)})
        assert answer.status_code == 200 and "Check your inbox" in answer.get_data(as_text=True)
        return page

    for n in range(4):
        visit_and_submit(n)
    states = db.session.scalars(db.select(Registration.state).order_by(Registration.id)).all()
    assert states == [State.CONFIRMED] + [State.WAITLISTED] * 3
    assert renders.count("registration/form.html") == 1, renders  # the first visitor's alone

    settings.add_category(workshop, "Civil society")
    db.session.commit()
    assert "Civil society" in visit_and_submit(4)
    assert renders.count("registration/form.html") == 2


def test_a_form_kept_before_registration_opens_is_not_replayed_after(app, db, client, taking_registrations):
    workshop = taking_registrations(opens_at=utcnow() + timedelta(seconds=1.5))
    path = f"/w/{workshop.slug}/register"
    closed = _same_twice(client, path)
    assert 'name="email"' not in closed
    time.sleep(1.7)
    assert 'name="email"' in client.get(path).get_data(as_text=True)


def test_a_replayed_form_and_memo_page_cost_one_query(app, db, client, make_user, make_workshop,
                                                       taking_registrations):
    from benchmarks.pages import count_queries

    workshop = taking_registrations()
    _publish(workshop, "## Context\n\nWe met.\n", make_user())
    db.session.commit()
    for path in (f"/w/{workshop.slug}/register", f"/w/{workshop.slug}/memo"):
        client.get(path)
        with count_queries(db.engine) as replay:
            assert client.get(path).status_code == 200
        assert replay.count == 1, (path, replay.statements)


def test_a_form_that_shows_rows_declared_private_is_rendered_every_time(app, db, client, monkeypatch,
                                                                       taking_registrations):
    """What another feature adds to the form (a question of its own) under a model declared
    PRIVATE is never shown stale: the page is simply not kept."""
    from workshop.platform.public_cache import PRIVATE
    from workshop.registration import settings
    from workshop.registration.models import Category

    monkeypatch.setattr(Category, "__public_owner__", PRIVATE)
    workshop = taking_registrations()
    path = f"/w/{workshop.slug}/register"
    assert "Civil society" not in _same_twice(client, path)
    settings.add_category(workshop, "Civil society")  # a private row: the token stays
    db.session.commit()
    assert "Civil society" in client.get(path).get_data(as_text=True)


def test_the_home_page_answers_a_revalidation_with_304(app, db, client, make_workshop):
    make_workshop(title="First Consultation")
    first = client.get("/")
    assert first.headers.get("ETag")
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
