"""Password reset: the same answer for known and unknown addresses, one-time links that
expire, the password rules, and limits per address and per client."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_PASSWORD, login
from tests.support.accounts import account_link, mails_to
from workshop.auth import service
from workshop.auth.models import AccountToken
from workshop.platform.types import utcnow

NEW = "a brand new passphrase"


def _normalized(html: str, email: str) -> str:
    return html.replace(email, "EMAIL")


def test_known_and_unknown_addresses_get_the_same_page_and_only_the_known_one_mail(client, db, make_user):
    user = make_user("known@example.org")
    known = client.post("/password/forgot", data={"email": "known@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _normalized(known.get_data(as_text=True), "known@example.org") == \
        _normalized(unknown.get_data(as_text=True), "nobody@example.org")
    assert len(mails_to(db, user.email)) == 1
    assert mails_to(db, "nobody@example.org") == []
    [token] = db.session.scalars(sa.select(AccountToken)).all()
    link = account_link(db, user.email, "/password/reset/")
    assert link.rsplit("/", 1)[1] not in token.token_hash  # only the hash is stored


def test_a_reset_link_sets_the_password_once(client, db, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = account_link(db, user.email, "/password/reset/")
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert service.find_user(user.email).check_password(NEW)
    again = client.post(link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert again.status_code == 404
    assert "has been used already" in again.get_data(as_text=True)
    assert "/password/forgot" in again.get_data(as_text=True)
    assert service.find_user(user.email).check_password(NEW)


def test_an_expired_or_unknown_link_says_what_to_do(client, db, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = account_link(db, user.email, "/password/reset/")
    db.session.execute(sa.update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    expired = client.get(link)
    assert expired.status_code == 404 and "This link has expired" in expired.get_data(as_text=True)
    unknown = client.get("/password/reset/not-a-real-token")
    assert unknown.status_code == 404 and "This link is unknown" in unknown.get_data(as_text=True)
    assert service.find_user(user.email).check_password(TEST_PASSWORD)


def test_a_newer_reset_makes_older_links_useless_once_one_is_used(client, db, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    first = account_link(db, user.email, "/password/reset/")
    client.post("/password/forgot", data={"email": user.email})
    second = account_link(db, user.email, "/password/reset/")
    assert first != second
    assert client.post(second, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert client.get(first).status_code == 404


@pytest.mark.parametrize("password, words", [
    ("short", "at least 10 characters"),
    ("password123", "most commonly used"),
    ("QWERTYUIOP", "most commonly used"),
])
def test_weak_passwords_get_a_field_error_and_change_nothing(client, db, make_user, password, words):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = account_link(db, user.email, "/password/reset/")
    response = client.post(link, data={"password": password, "confirm": password})
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert service.find_user(user.email).check_password(TEST_PASSWORD)
    assert client.get(link).status_code == 200  # the link still works for a better try


def test_mismatched_repetition_is_a_field_error(client, db, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = account_link(db, user.email, "/password/reset/")
    response = client.post(link, data={"password": NEW, "confirm": NEW + "x"})
    assert response.status_code == 422 and "not the same" in response.get_data(as_text=True)


def test_a_disabled_account_gets_no_reset_mail(client, db, make_user):
    user = make_user()
    service.set_enabled(user, False, by="test")
    client.post("/password/forgot", data={"email": user.email})
    assert mails_to(db, user.email) == []


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True,
            "RATELIMITS": {"password_forgot": "4 per minute", "password_email": "2 per hour"}}


def test_reset_mail_is_limited_per_address_without_the_page_saying_so(client, db, make_user):
    user = make_user()
    pages = [client.post("/password/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
             for n in range(4)]
    assert {p.status_code for p in pages} == {200}
    assert len({_normalized(p.get_data(as_text=True), user.email) for p in pages}) == 1
    assert len(mails_to(db, user.email)) == 2


def test_the_forgot_form_is_limited_per_client(client, make_user):
    codes = [client.post("/password/forgot", data={"email": f"a{n}@example.org"}).status_code for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]


def test_signing_in_after_a_reset_uses_the_new_password(client, db, make_user):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    client.post(account_link(db, user.email, "/password/reset/"), data={"password": NEW, "confirm": NEW})
    login(client, user, NEW)
