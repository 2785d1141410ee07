"""Sessions that end: a copied session or remember-me cookie stops working when its account
signs out, changes or resets its password, signs out everywhere, or is disabled."""

import pytest

from tests.conftest import TEST_PASSWORD, login
from tests.support.accounts import account_link, copy_cookies
from workshop.auth import service

NEW_PASSWORD = "a brand new passphrase"


def _signed_in_copy(app, client, user, *, remember=False):
    """``client`` signed in as ``user``; a second browser holding a copy of its cookies."""
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           "remember": "y" if remember else ""})
    assert response.status_code == 302
    thief = app.test_client()
    copy_cookies(client, thief)
    assert thief.get("/manage/").status_code == 200
    return thief


def _remember_only(app, client):
    """A browser with only the remember-me cookie (its session cookie gone, as after a restart)."""
    browser = app.test_client()
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    browser.set_cookie("remember_token", cookie.value)
    return browser


def test_the_session_id_carries_the_account_version(app, make_user):
    user = make_user()
    assert user.get_id() == f"{user.id}:1"
    assert service.user_for_session(f"{user.id}:1") is user
    assert service.user_for_session(str(user.id)) is None  # an id without a version counts for nothing
    for hostile in ("", ":", "x:1", f"{user.id}:x", "99999999999:1", f"{user.id}:1:1"):
        assert service.user_for_session(hostile) is None


def test_a_copied_session_cookie_stops_working_after_logout(app, client, make_user):
    user = make_user()
    thief = _signed_in_copy(app, client, user)
    client.post("/logout")
    response = thief.get("/manage/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_copied_remember_me_cookie_stops_working_after_logout(app, client, make_user):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "remember": "y"})
    remembered = _remember_only(app, client)
    assert remembered.get("/manage/").status_code == 200  # the cookie alone signs in
    copy = _remember_only(app, client)
    client.post("/logout")
    assert copy.get("/manage/").status_code == 302


def test_changing_the_password_ends_copied_cookies_but_keeps_this_browser(app, client, make_user):
    user = make_user()
    thief = _signed_in_copy(app, client, user, remember=True)
    remembered = _remember_only(app, client)
    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert thief.get("/manage/").status_code == 302
    assert remembered.get("/manage/").status_code == 302
    assert client.get("/manage/").status_code == 200  # the browser that changed it stays in
    assert service.find_user(user.email).check_password(NEW_PASSWORD)


def test_a_password_reset_ends_every_session(app, client, db, make_user):
    user = make_user()
    thief = _signed_in_copy(app, client, user, remember=True)
    anonymous = app.test_client()
    anonymous.post("/password/forgot", data={"email": user.email})
    link = account_link(db, user.email, "/password/reset/")
    response = anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert thief.get("/manage/").status_code == 302
    assert client.get("/manage/").status_code == 302


def test_sign_out_everywhere_ends_every_session(app, client, make_user):
    user = make_user()
    thief = _signed_in_copy(app, client, user, remember=True)
    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert thief.get("/manage/").status_code == 302
    assert client.get("/manage/").status_code == 302


def test_disabling_an_account_ends_its_sessions_and_refuses_sign_in(app, client, db, make_user):
    admin = make_user(admin=True)
    user = make_user()
    thief = _signed_in_copy(app, client, user, remember=True)
    admin_browser = app.test_client()
    login(admin_browser, admin)
    assert admin_browser.post(f"/manage/accounts/{user.id}/disable").status_code == 302
    assert thief.get("/manage/").status_code == 302
    response = app.test_client().post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 422
    assert "This account is disabled" in response.get_data(as_text=True)
    assert admin_browser.post(f"/manage/accounts/{user.id}/enable").status_code == 302
    login(app.test_client(), user)


@pytest.mark.parametrize("command", ["disable-user", "set-password"])
def test_the_command_line_ends_sessions_too(app, client, runner, make_user, command):
    user = make_user()
    thief = _signed_in_copy(app, client, user)
    args = [command, user.email] + (["--password-stdin"] if command == "set-password" else [])
    result = runner.invoke(args=args, input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert thief.get("/manage/").status_code == 302
    if command == "set-password":
        assert service.find_user(user.email).check_password(NEW_PASSWORD)
        assert runner.invoke(args=["set-password", user.email, "--password-stdin"], input="short\n").exit_code != 0
    else:
        assert runner.invoke(args=["enable-user", user.email]).exit_code == 0
        login(app.test_client(), user)
