from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow


class User(UserMixin, db.Model):
    """An account: organizers and rapporteurs sign in; participants never need one."""

    __tablename__ = "users"
    # Private: accounts; public pages name contacts, never users.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Granted by a site admin (WORKSHOP_CREATION = "everyone" gives it to every account): creating
    # a workshop makes one its organizer, and organizers reach the contacts their workshops use.
    can_create_workshops: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Granted by a site admin: read every contact, not only those of one's own workshops.
    sees_all_contacts: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The language its owner last chose (workshop.platform.i18n); None until they choose.
    language: Mapped[str | None] = mapped_column(sa.String(8), nullable=True)
    # Part of the id Flask-Login keeps in the session and remember-me cookies: raising it (sign
    # out, a new password, "sign out everywhere", disabling) makes every such cookie worthless.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The shared secret of time-based two-factor codes; None while two-factor is off.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this account stops working."""
        self.session_version = (self.session_version or 1) + 1

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def set_password(self, password: str) -> None:
        # The test suite lowers scrypt's cost (PASSWORD_HASH_METHOD); production keeps the default.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AccountToken(db.Model):
    """A one-time link mailed to an account's owner: a password reset, or the confirmation of
    a new email address. Only the SHA-256 of the token is stored."""

    __tablename__ = "account_tokens"
    # Private: token hashes.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))  # "password_reset" or "email_change"
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The address an email change moves to; None for a password reset.
    new_email: Mapped[str | None] = mapped_column(sa.String(254), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class RecoveryCode(db.Model):
    """A one-time two-factor recovery code, stored hashed like a password."""

    __tablename__ = "recovery_codes"
    # Private: code hashes.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
