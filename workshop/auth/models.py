from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
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
