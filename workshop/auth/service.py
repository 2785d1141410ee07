"""Accounts: creation, sign-in checks, passwords, sessions that end, and Flask-Login's loader."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from workshop.auth.models import User
from workshop.auth.passwords import MIN_PASSWORD_LENGTH, password_problem  # noqa: F401  (re-exported)
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.types import normalize_email
from workshop.platform.errors import N_, UserError

# Checked against when the email is unknown, so a failed sign-in costs the same time either way
# and the answer does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(UserError):
    pass


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def _checked_password(password: str) -> str:
    problem = password_problem(password)
    if problem is not None:
        raise AccountError(problem.message, **problem.params)
    return password


def create_user(email: str, name: str, password: str, *, is_admin: bool = False,
                can_create_workshops: bool = False) -> User:
    email = normalize_email(email)
    if not email or "@" not in email:
        raise AccountError(N_("Enter a valid email address."))
    if not name.strip():
        raise AccountError(N_("Enter a name."))
    _checked_password(password)
    if find_user(email) is not None:
        raise AccountError(N_("An account for %(email)s already exists."), email=email)
    user = User(email=email, name=name.strip(), is_admin=is_admin, can_create_workshops=can_create_workshops)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def all_accounts(search: str = "") -> list[User]:
    query = sa.select(User).order_by(User.name, User.email)
    search = search.strip()
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"),
                                   User.email.like(pattern, escape="\\")))
    return list(db.session.scalars(query.limit(500)))


def set_rights(user: User, *, can_create_workshops: bool | None = None, sees_all_contacts: bool | None = None,
               is_admin: bool | None = None, by=None) -> list[str]:
    """A site admin grants or withdraws an account's rights; each change is in the audit log."""
    wanted = {"can_create_workshops": can_create_workshops, "sees_all_contacts": sees_all_contacts,
              "is_admin": is_admin}
    changed = sorted(name for name, value in wanted.items()
                     if value is not None and bool(getattr(user, name)) != value)
    if "is_admin" in changed and not is_admin and isinstance(by, User) and by.id == user.id:
        raise AccountError(N_("You cannot remove your own site admin right: ask another site admin."))
    for name in changed:
        setattr(user, name, wanted[name])
    if changed:
        audit.record("account.rights_changed", actor=by, target=user, email=user.email,
                     **{name: wanted[name] for name in changed})
    db.session.flush()
    return changed


def authenticate(email: str, password: str) -> User | None:
    """The account when the password is right, enabled or not (the caller refuses a disabled
    one in words); None otherwise."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password):
        return None
    return user


def sign_out_everywhere(user: User, *, by=None) -> None:
    user.end_sessions()
    audit.record("account.sessions_ended", actor=by, target=user, email=user.email)
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    """The owner's change: the current password is checked first; nothing changes otherwise."""
    if not user.check_password(current):
        raise AccountError(N_("That is not your current password."))
    set_password(user, new, by=user)


def set_password(user: User, password: str, *, by=None) -> None:
    """A new password ends every session of the account (the caller signs the owner in again)."""
    user.set_password(_checked_password(password))
    user.end_sessions()
    audit.record("account.password_changed", actor=by, target=user, email=user.email)
    db.session.flush()


def change_name(user: User, name: str) -> None:
    name = name.strip()
    if not name:
        raise AccountError(N_("Enter a name."))
    user.name = name
    db.session.flush()


def set_enabled(user: User, enabled: bool, *, by=None) -> bool:
    """Disable (sessions end, sign-in refused) or enable an account; False if it already was."""
    if user.is_active_account == enabled:
        return False
    if not enabled and isinstance(by, User) and by.id == user.id:
        raise AccountError(N_("You cannot disable your own account."))
    user.is_active_account = enabled
    if not enabled:
        user.end_sessions()
    audit.record("account.enabled" if enabled else "account.disabled", actor=by, target=user, email=user.email)
    db.session.flush()
    return True


def user_for_session(user_id: str) -> User | None:
    """The account a session or remember-me cookie names, if that cookie still counts: the
    id must carry the account's current session version, and the account must be enabled."""
    number, _, version = (user_id or "").partition(":")
    if not (number.isdigit() and version.isdigit()) or len(number) > 10 or len(version) > 10 \
            or int(number) > 2**31 - 1:
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.is_active or str(user.session_version) != version:
        return None
    return user


def init_login(login_manager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(user_for_session)


def change_email(user: User, new_email: str) -> None:
    """The owner opened the link sent to ``new_email``: the account takes it."""
    new_email = normalize_email(new_email)
    other = find_user(new_email)
    if other is not None and other.id != user.id:
        raise AccountError(N_("Another account uses %(email)s already."), email=new_email)
    old = user.email
    user.email = new_email
    audit.record("account.email_changed", actor=user, target=user, email=new_email, previous=old)
    db.session.flush()
