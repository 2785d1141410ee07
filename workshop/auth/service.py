"""Accounts: creation, sign-in checks, and the loader Flask-Login calls."""

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from workshop.auth.models import User
from workshop.platform.db import db
from workshop.platform.types import normalize_email
from workshop.platform.errors import N_, UserError

MIN_PASSWORD_LENGTH = 10

# Checked against when the email is unknown, so a failed sign-in costs the same time either way
# and the answer does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(UserError):
    pass


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    email = normalize_email(email)
    if not email or "@" not in email:
        raise AccountError(N_("Enter a valid email address."))
    if not name.strip():
        raise AccountError(N_("Enter a name."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("The password must have at least %(count)d characters."), count=MIN_PASSWORD_LENGTH)
    if find_user(email) is not None:
        raise AccountError(N_("An account for %(email)s already exists."), email=email)
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        from werkzeug.security import check_password_hash

        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def init_login(login_manager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))
