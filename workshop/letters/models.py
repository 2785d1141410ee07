from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow


class LetterVersion(db.Model):
    """One saved text of one letter (a confirmation, an invitation, ...) of a workshop, in one
    language. Every save is a new version and none is ever changed, so the version a message was
    written from (``outbox_messages.letter_version_id``) shows what its reader got. A version
    with ``is_default`` set is a reset: from then on the default text goes out again."""

    __tablename__ = "letter_versions"
    # Private: organizers' drafts of their mail.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "kind", "language", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    language: Mapped[str] = mapped_column(sa.String(8))
    number: Mapped[int]
    is_default: Mapped[bool] = mapped_column(default=False)
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_title: Mapped[str] = mapped_column(sa.String(200), default="")
    reply_by: Mapped[date | None] = mapped_column(nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # Kept as written: the account may be renamed or removed later.
    created_by_name: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
