"""Two-factor sign-in: set up with a code from the secret, sign-in asks for a code after the
password, recovery codes work once, and REQUIRE_2FA_FOR_ADMINS makes site admins set it up."""

import re

import pyotp
import pytest
import sqlalchemy as sa

from tests.conftest import TEST_PASSWORD, login
from workshop.auth import two_factor
from workshop.auth.models import RecoveryCode, User


def _set_up(client):
    """Turn two-factor on from the account page; the secret and the recovery codes shown."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post("/account/two-factor", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert wrong.status_code == 422 and "That code is not right" in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{8}-[0-9a-f]{8})</code></li>", done.get_data(as_text=True))
    return secret, codes


def test_setting_up_two_factor_then_signing_in_with_a_code(app, client, db, make_user):
    user = make_user()
    login(client, user)
    secret, codes = _set_up(client)
    assert len(codes) == 10 and db.session.get(User, user.id).totp_secret == secret
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert not set(codes) & set(stored)  # stored hashed
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login/code")
    assert browser.get("/manage/").status_code == 302  # the password alone is not enough
    wrong = browser.post("/login/code", data={"code": "12345"})
    assert wrong.status_code == 422 and "That code is not right" in wrong.get_data(as_text=True)
    right = browser.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert browser.get("/manage/").status_code == 200


def test_a_recovery_code_signs_in_once(app, client, db, make_user):
    user = make_user()
    login(client, user)
    _secret, codes = _set_up(client)
    for expected in (302, 422):
        browser = app.test_client()
        browser.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert browser.post("/login/code", data={"code": codes[0].upper()}).status_code == expected
    assert two_factor.recovery_codes_left(db.session.get(User, user.id)) == 9


def test_the_code_page_without_a_password_first_sends_to_sign_in(client):
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_turning_two_factor_off_needs_a_code(client, db, make_user):
    user = make_user()
    login(client, user)
    secret, _codes = _set_up(client)
    refused = client.post("/account/two-factor/disable", data={"code": "not a code"})
    assert refused.status_code == 422 and db.session.get(User, user.id).totp_secret == secret
    assert client.post("/account/two-factor/disable", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert db.session.get(User, user.id).totp_secret is None
    assert db.session.scalars(sa.select(RecoveryCode)).all() == []


@pytest.fixture
def app_config(app_config):
    return {**app_config, "REQUIRE_2FA_FOR_ADMINS": "1"}


def test_site_admins_must_set_up_two_factor_when_required(client, db, make_user, make_workshop):
    admin = make_user(admin=True)
    organizer = make_user(can_create_workshops=True)
    login(client, admin)
    for path in ("/manage/", "/manage/accounts/", "/account"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor")
    assert "must use two-factor" in client.get("/account/two-factor?required=1").get_data(as_text=True)
    _set_up(client)
    assert client.get("/manage/accounts/").status_code == 200
    other = client.application.test_client()
    login(other, organizer)  # not an admin: two-factor stays a choice
    assert other.get("/manage/").status_code == 200
