from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One complete email waiting for, or done with, delivery.

    ``raw`` is the whole message built at queue time, so a retry re-sends exactly the same bytes
    (and the same Message-ID). Bulk sends queue ``pending`` instead (a renderer's name and
    arguments, see ``outbox.queue_mail_later``): the worker writes ``raw`` from it when it
    first takes the message and clears it. ``locked_until`` is a worker's lease on the message: while it lies
    in the future no other worker takes the message; when a worker dies, the lease runs out and
    the message is delivered by the next one.
    """

    __tablename__ = "outbox_messages"
    # Private: mail queue.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Envelope addresses (addr-spec only), comma separated; the To header keeps display names.
    recipients: Mapped[str] = mapped_column(sa.Text)
    subject: Mapped[str] = mapped_column(sa.Text)
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    raw: Mapped[bytes | None] = mapped_column(sa.LargeBinary, nullable=True)
    pending: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The edited letter text the message was written from (a feature's version id; no foreign
    # key, the platform knows no feature's tables): what its reader got can always be shown.
    letter_version_id: Mapped[int | None] = mapped_column(nullable=True, index=True)
    # The workshop the message is about (None: account mail such as a password reset). The
    # retention purge of one workshop deletes only that workshop's mail: the same person's mail
    # from another workshop is not its to delete. A foreign key by the table's name (the
    # platform imports no feature): a deleted workshop leaves its mail unattached, and mail
    # queued as it went (its cancellation notices) still goes out.
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshops.id", ondelete="SET NULL"),
                                                    nullable=True, index=True)

    @property
    def recipient_list(self) -> list[str]:
        return [address for address in self.recipients.split(",") if address]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status} {self.message_id}>"
