"""The real forms, with CSRF protection on, as a browser submits them."""

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token_from
from tests.support.registration import form_data, link_from_outbox, taking_registrations  # noqa: F401


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_register_then_withdraw_through_the_protected_forms(app, db, client, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    page = client.get(f"/w/{workshop.slug}/register").get_data(as_text=True)
    forged = client.post(f"/w/{workshop.slug}/register", data=form_data("ama@example.org"))
    assert forged.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0

    done = client.post(f"/w/{workshop.slug}/register",
                       data={**form_data("ama@example.org"), "csrf_token": csrf_token_from(page)})
    assert "Check your inbox" in done.get_data(as_text=True)
    link = link_from_outbox(db, "ama@example.org")
    confirm = client.get(link + "/withdraw").get_data(as_text=True)
    assert client.post(link + "/withdraw", data={}).status_code == 400  # forged: refused, no change
    assert db.session.scalar(sa.select(Registration.state)) == "confirmed"
    client.post(link + "/withdraw", data={"csrf_token": csrf_token_from(confirm)})
    db.session.expire_all()
    assert db.session.scalar(sa.select(Registration.state)) == "withdrawn"


def test_an_organizer_approves_through_the_dashboard_button(app, db, client, make_user, taking_registrations):
    from tests.conftest import TEST_PASSWORD

    from workshop.registration import service
    from workshop.workshops import service as workshops

    organizer = make_user()
    workshop = taking_registrations(moderation=True)
    workshops.add_member(workshop, organizer.email, "organizer")
    service.register(workshop, {"name": "Ama", "email": "ama@example.org", "consent": "nobody"})
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": organizer.email, "password": TEST_PASSWORD,
                                "csrf_token": csrf_token_from(login_page)})
    page = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    registration = service.find_registration(workshop, "ama@example.org")
    assert client.post(f"/manage/w/{workshop.slug}/registrations/{registration.id}/approve").status_code == 400
    client.post(f"/manage/w/{workshop.slug}/registrations/{registration.id}/approve",
                data={"csrf_token": csrf_token_from(page)})
    db.session.expire_all()
    assert service.find_registration(workshop, "ama@example.org").state == "confirmed"
