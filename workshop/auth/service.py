"""Accounts: creation, sign-in checks, and the loader Flask-Login calls."""

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from workshop.auth.models import User
from workshop.platform import audit
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


def create_user(email: str, name: str, password: str, *, is_admin: bool = False,
                can_create_workshops: bool = False) -> User:
    email = normalize_email(email)
    if not email or "@" not in email:
        raise AccountError(N_("Enter a valid email address."))
    if not name.strip():
        raise AccountError(N_("Enter a name."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("The password must have at least %(count)d characters."), count=MIN_PASSWORD_LENGTH)
    if find_user(email) is not None:
        raise AccountError(N_("An account for %(email)s already exists."), email=email)
    user = User(email=email, name=name.strip(), is_admin=is_admin, can_create_workshops=can_create_workshops)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def all_accounts() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.name, User.email)))


def set_rights(user: User, *, can_create_workshops: bool | None = None, sees_all_contacts: bool | None = None,
               by=None) -> list[str]:
    """A site admin grants or withdraws an account's rights; each change is in the audit log."""
    wanted = {"can_create_workshops": can_create_workshops, "sees_all_contacts": sees_all_contacts}
    changed = sorted(name for name, value in wanted.items()
                     if value is not None and bool(getattr(user, name)) != value)
    for name in changed:
        setattr(user, name, wanted[name])
    if changed:
        audit.record("account.rights_changed", actor=by, target=user, email=user.email,
                     **{name: wanted[name] for name in changed})
    db.session.flush()
    return changed


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
