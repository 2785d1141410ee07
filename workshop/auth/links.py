"""One-time links mailed to an account's owner: password resets and email-change confirmations.

A link is its token; only the token's SHA-256 is stored. Each link works once and expires:
a reset after an hour, an email confirmation after a day.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from workshop.auth.models import AccountToken, User
from workshop.platform.db import db
from workshop.platform.i18n import in_language
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.tokens import hash_token, new_token
from workshop.platform.types import utcnow
from workshop.platform.urls import absolute_url

PASSWORD_RESET = "password_reset"
EMAIL_CHANGE = "email_change"
LIFETIMES = {PASSWORD_RESET: timedelta(hours=1), EMAIL_CHANGE: timedelta(days=1)}

# Why a link does not work, as the page that answers it says.
UNKNOWN, USED, EXPIRED = "unknown", "used", "expired"


def issue(user: User, purpose: str, *, new_email: str | None = None) -> str:
    token = new_token()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=hash_token(token),
                                new_email=new_email, expires_at=utcnow() + LIFETIMES[purpose]))
    db.session.flush()
    return token


def find(token: str, purpose: str) -> tuple[AccountToken | None, str | None]:
    """The link's row and None when it still works; else None and why not."""
    row = db.session.scalar(sa.select(AccountToken).where(
        AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose))
    if row is None or not row.user.is_active:
        return None, UNKNOWN
    if row.used_at is not None:
        return None, USED
    if row.expires_at <= utcnow():
        return None, EXPIRED
    return row, None


def use_up(row: AccountToken) -> None:
    """This link, and every other open link of the same purpose for the account, stops working."""
    now = utcnow()
    db.session.execute(sa.update(AccountToken).where(
        AccountToken.user_id == row.user_id, AccountToken.purpose == row.purpose,
        AccountToken.used_at.is_(None)).values(used_at=now))
    db.session.flush()
    db.session.refresh(row)


def send_password_reset(user: User) -> None:
    token = issue(user, PASSWORD_RESET)
    with in_language(user.language):
        queue_mail(user.email, "password_reset", subject=_("Reset your password"),
                   context={"user": user, "link": absolute_url("password.reset", token=token),
                            "forgot_link": absolute_url("password.forgot")})


def send_email_confirmation(user: User, new_email: str) -> None:
    token = issue(user, EMAIL_CHANGE, new_email=new_email)
    with in_language(user.language):
        queue_mail(new_email, "email_change", subject=_("Confirm your new email address"),
                   context={"user": user, "new_email": new_email,
                            "link": absolute_url("account.confirm_email", token=token)})
