"""The hostile corpus through every account form and link: a field error or inert output,
never a 500, and nothing changed."""

import pytest

from tests.conftest import TEST_PASSWORD, login
from tests.support.accounts import account_link
from tests.support.hostile import HOSTILE, path_segment
from tests.test_security_hostile_input import Findings, post
from workshop.auth import service

# Real addresses among the corpus: accepted where an address is asked for.
DELIVERABLE = {"sharp s domain", "email plus tag"}


def _other(value):
    """A repetition that never matches ``value``: the rules run, nothing can be accepted."""
    return value + (b"x" if isinstance(value, bytes) else "x")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def test_forgot_and_reset_forms(client, db, make_user):
    user = make_user("hostile-reset@example.org")
    client.post("/password/forgot", data={"email": user.email})
    link = account_link(db, user.email, "/password/reset/")
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, "/password/forgot", {"email": value}), label, value, "forgot",
                       allowed=(200, 422))
        findings.check(post(client, link, {"password": value, "confirm": _other(value)}),
                       label, value, "reset", allowed=(422,))
        for prefix in ("/password/reset/", "/team-invitations/", "/account/email/confirm/"):
            response = client.get(prefix + path_segment(value))
            if response.status_code not in (404, 308):
                findings.append(f"{label!r} at {prefix}: status {response.status_code}")
    assert service.find_user(user.email).check_password(TEST_PASSWORD)
    assert findings == []


def test_account_forms(client, make_user):
    user = make_user("hostile-account@example.org", "Plain Name")
    login(client, user)
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, "/account/name", {"name": value}), label, value, "name")
        findings.check(client.get("/account"), label, value, "account page", allowed=(200,))
        findings.check(post(client, "/account/email", {"email": value, "current_password": TEST_PASSWORD}),
                       label, value, "email", allowed=(302,) if label in DELIVERABLE else (422,))
        findings.check(post(client, "/account/email", {"email": "x@example.org", "current_password": value}),
                       label, value, "email password", allowed=(422,))
        findings.check(post(client, "/account/password", {"current_password": value, "password": value,
                                                          "confirm": _other(value)}), label, value, "password", allowed=(422,))
        findings.check(post(client, "/account/two-factor", {"code": value}), label, value, "two-factor",
                       allowed=(422,))
    assert service.find_user(user.email).check_password(TEST_PASSWORD)
    assert findings == []


def test_sign_in_code_and_account_search(app, client, db, make_user):
    import pyotp

    from workshop.auth import two_factor

    admin = make_user("hostile-admin2@example.org", admin=True)
    user = make_user("hostile-2fa@example.org")
    secret = two_factor.new_secret()
    two_factor.enable(user, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    findings = Findings()
    for label, value in HOSTILE.items():
        client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        findings.check(post(client, "/login/code", {"code": value}), label, value, "sign-in code",
                       allowed=(422,))
    login(app.test_client(), admin)
    browser = app.test_client()
    login(browser, admin)
    for label, value in HOSTILE.items():
        findings.check(browser.get(f"/manage/accounts/?q={path_segment(value)}"), label, value, "search",
                       allowed=(200, 400))
    assert findings == []


def test_team_join_form(app, client, db, make_user, make_workshop):
    organizer = make_user("hostile-team@example.org", can_create_workshops=True)
    workshop = make_workshop(organizer)
    login(client, organizer)
    client.post(f"/manage/w/{workshop.slug}/team", data={"email": "joiner@example.org", "role": "rapporteur"})
    link = account_link(db, "joiner@example.org", "/team-invitations/")
    invitee = app.test_client()
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(invitee, link, {"name": value, "password": "short", "confirm": "short"}),
                       label, value, "join name", allowed=(422,))
        findings.check(post(invitee, link, {"name": "Plain", "password": value, "confirm": _other(value)}),
                       label, value, "join password", allowed=(422,))
    assert service.find_user("joiner@example.org") is None
    findings.check(client.get(f"/manage/w/{workshop.slug}/team"), "-", "-", "team page", allowed=(200,))
    assert findings == []
