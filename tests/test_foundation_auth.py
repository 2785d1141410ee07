"""Accounts: creation from the command line, sign-in, sign-out."""

import pytest

from tests.conftest import TEST_PASSWORD
from workshop.auth import service
from workshop.auth.models import User


def test_create_user_reads_the_password_from_stdin(runner, db):
    result = runner.invoke(
        args=["create-user", "Ada@Example.org", "--name", "Ada Admin", "--admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = service.find_user("ada@example.org")
    assert user.is_admin and user.name == "Ada Admin"
    assert user.check_password("a long enough password")
    assert user.password_hash.startswith("scrypt:")


def test_create_user_prompts_for_the_password_twice(runner, db):
    result = runner.invoke(
        args=["create-user", "bo@example.org", "--name", "Bo"],
        input="another long password\nanother long password\n",
    )
    assert result.exit_code == 0, result.output
    assert service.find_user("bo@example.org").check_password("another long password")


def test_create_user_refuses_a_duplicate_and_a_short_password(runner, db):
    runner.invoke(args=["create-user", "cy@example.org", "--name", "Cy", "--password-stdin"],
                  input="long enough password\n")
    duplicate = runner.invoke(args=["create-user", "CY@example.org", "--name", "Cy", "--password-stdin"],
                              input="long enough password\n")
    short = runner.invoke(args=["create-user", "dee@example.org", "--name", "Dee", "--password-stdin"],
                          input="short\n")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    assert short.exit_code != 0 and "at least" in short.output
    assert db.session.query(User).count() == 1


def test_sign_in_with_the_right_password(client, make_user):
    user = make_user("e@example.org")
    response = client.post("/login", data={"email": "E@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user("f@example.org")
    wrong = client.post("/login", data={"email": "f@example.org", "password": "not the password"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 422
    message = "That email and password do not match an account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/manage/").status_code == 302


def test_login_form_errors_are_in_words(client, db):
    response = client.post("/login", data={"email": "not-an-email", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a valid email address." in html
    assert "Enter your password." in html
    assert 'role="alert"' in html


def test_sign_out_needs_a_post(client, make_user, login_as):
    login_as(make_user())
    assert client.get("/logout").status_code == 200
    assert client.get("/manage/").status_code == 200
    client.post("/logout")
    assert client.get("/manage/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_sign_in_never_redirects_to_another_site(client, make_user, target):
    user = make_user()
    response = client.post(f"/login?next={target}", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"


def test_sign_in_returns_to_the_page_asked_for(client, make_user):
    user = make_user()
    response = client.post("/login?next=/manage/organizations/", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/manage/organizations/"
