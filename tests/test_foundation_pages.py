"""Error pages in words, CSRF on every form, the health check, and the demo loader."""

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_PASSWORD, csrf_token_from
from workshop.auth.models import User
from workshop.workshops.models import Organization, Workshop, WorkshopMember


@pytest.fixture
def app_config(app_config):
    return dict(app_config, WTF_CSRF_ENABLED=True)


def test_a_post_without_a_csrf_token_says_the_form_expired(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form has expired" in html
    assert "Traceback" not in html


def test_a_stale_csrf_token_says_the_form_expired(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": "stale"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_the_csrf_token_from_the_page_signs_in(client, make_user):
    user = make_user()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_unknown_pages_answer_404_in_words(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)


def test_an_unexpected_error_shows_no_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/__boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = client.get("/__boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def _counts(db):
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Workshop, Organization, WorkshopMember)}


def test_the_demo_loads_both_workshops_and_running_it_twice_changes_nothing(runner, db, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "organizer@demo.example" in first.output and "password:" in first.output
    after_first = _counts(db)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert _counts(db) == after_first
    # The same passwords are printed again, and they work.
    assert first.output.split("Demo accounts")[1] == second.output.split("Demo accounts")[1]
    r2p = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "r2p-focal-points-2012"))
    assert r2p.theme == "Mass Violence and Atrocities"
    assert (r2p.start_date.isoformat(), r2p.end_date.isoformat()) == ("2012-02-24", "2012-02-26")
    assert r2p.conference == "43rd United Nations Issues Conference"
    assert [o.name for o in r2p.conveners] == ["Global Centre for the Responsibility to Protect", "Stanley Center"]
    assert {"Government of Denmark", "Government of Ghana", "Government of Costa Rica",
            "Government of Australia"} <= {o.name for o in r2p.co_organizers}
    assert "illustrative" in r2p.venue
    assert db.session.scalar(sa.select(Workshop).where(Workshop.slug == "demo-open-workshop")) is not None


def test_the_demo_never_overwrites_what_a_user_changed(runner, db, app):
    runner.invoke(args=["demo"])
    r2p = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "r2p-focal-points-2012"))
    r2p.city = "Changed by the organizer"
    db.session.commit()
    runner.invoke(args=["demo"])
    db.session.expire_all()
    assert db.session.get(Workshop, r2p.id).city == "Changed by the organizer"


def test_demo_passwords_printed_are_the_real_ones(runner, db, client, app):
    output = runner.invoke(args=["demo"]).output
    line = next(l for l in output.splitlines() if "organizer@demo.example" in l)
    password = line.split("password:")[1].strip()
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/login", data={"email": "organizer@demo.example", "password": password})
    assert response.status_code == 302
