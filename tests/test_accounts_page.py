"""The account page: name, email confirmed by a link to the new address, password change
with the current password, the workshops one belongs to."""

import sqlalchemy as sa

from tests.conftest import TEST_PASSWORD, login
from tests.support.accounts import account_link, mails_to
from workshop.auth import service
from workshop.auth.models import User
from workshop.platform.audit.models import AuditEntry
from workshop.workshops import service as workshops
from workshop.workshops.models import Role

NEW = "a brand new passphrase"


def test_the_account_page_lists_the_workshops_one_belongs_to(client, db, make_user, make_workshop):
    me = make_user(can_create_workshops=True)
    mine = make_workshop(me, title="Early Warning")
    other = make_workshop(title="Someone Else's")
    workshops.add_member(other, me.email, Role.RAPPORTEUR)
    make_workshop(title="Not Mine")
    db.session.commit()
    login(client, me)
    page = client.get("/account").get_data(as_text=True)
    assert f"/manage/w/{mine.slug}/" in page and f"/manage/w/{other.slug}/" in page
    assert "Not Mine" not in page
    assert "rapporteur" in page and "organizer" in page


def test_the_account_page_needs_a_signed_in_person(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_changing_the_name(client, make_user):
    me = make_user()
    login(client, me)
    assert client.post("/account/name", data={"name": "  Ama Mensah  "}).status_code == 302
    assert service.find_user(me.email).name == "Ama Mensah"
    response = client.post("/account/name", data={"name": ""})
    assert response.status_code == 422 and "Enter a name." in response.get_data(as_text=True)


def test_a_wrong_current_password_changes_nothing(client, make_user):
    me = make_user()
    login(client, me)
    response = client.post("/account/password", data={"current_password": "not my password",
                                                      "password": NEW, "confirm": NEW})
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    assert service.find_user(me.email).check_password(TEST_PASSWORD)
    assert service.find_user(me.email).session_version == 1


def test_a_weak_new_password_is_a_field_error(client, make_user):
    me = make_user()
    login(client, me)
    response = client.post("/account/password", data={"current_password": TEST_PASSWORD,
                                                      "password": "1234567890", "confirm": "1234567890"})
    assert response.status_code == 422 and "most commonly used" in response.get_data(as_text=True)
    assert service.find_user(me.email).check_password(TEST_PASSWORD)


def test_an_email_change_waits_for_the_link_sent_to_the_new_address(client, db, make_user):
    me = make_user("old@example.org")
    login(client, me)
    response = client.post("/account/email", data={"email": "New@Example.org", "current_password": TEST_PASSWORD})
    assert response.status_code == 302
    assert service.find_user("old@example.org") is not None  # nothing changed yet
    assert mails_to(db, "old@example.org") == []
    link = account_link(db, "new@example.org", "/account/email/confirm/")
    assert client.get(link).status_code == 200
    assert service.find_user("old@example.org") is not None  # a GET never changes it
    assert client.post(link).status_code == 302
    assert db.session.get(User, me.id).email == "new@example.org"
    assert client.post(link).status_code == 404  # one time only
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.email_changed"))


def test_an_email_change_needs_the_password_and_a_free_address(client, db, make_user):
    me = make_user("me@example.org")
    make_user("taken@example.org")
    login(client, me)
    wrong = client.post("/account/email", data={"email": "fresh@example.org", "current_password": "nope nope nope"})
    assert wrong.status_code == 422 and "That is not your current password." in wrong.get_data(as_text=True)
    taken = client.post("/account/email", data={"email": "taken@example.org", "current_password": TEST_PASSWORD})
    assert taken.status_code == 422 and "Another account uses this address" in taken.get_data(as_text=True)
    assert mails_to(db, "fresh@example.org") == [] and mails_to(db, "taken@example.org") == []


def test_an_address_taken_before_the_link_is_opened_is_refused_in_words(client, db, make_user):
    me = make_user("me@example.org")
    login(client, me)
    client.post("/account/email", data={"email": "later@example.org", "current_password": TEST_PASSWORD})
    link = account_link(db, "later@example.org", "/account/email/confirm/")
    make_user("later@example.org")
    response = client.post(link, follow_redirects=True)
    assert "Another account uses later@example.org already." in response.get_data(as_text=True)
    assert db.session.get(User, me.id).email == "me@example.org"
