from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow
from workshop.workshops.models import Workshop


class ComposedMessage(db.Model):
    """A message an organizer wrote to a chosen group of a workshop's people.

    ``idempotency_key`` comes from the compose form: the same form sent twice (a double click,
    a reload after the answer was lost) finds the first message instead of queuing a second."""

    __tablename__ = "composed_messages"
    # Private: organizers' correspondence, shown on organizer pages only.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # Kept as written: the sender's account may be renamed or removed later.
    sender_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # The filter as the organizer chose it, in words for the history page.
    audience: Mapped[str] = mapped_column(sa.Text, default="")
    idempotency_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    recipients: Mapped[list["MessageRecipient"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MessageRecipient.id")


class MessageRecipient(db.Model):
    """One person a composed message was for, and the outbox row that carries it to them
    (none when the address had unsubscribed from the workshop's optional mail)."""

    __tablename__ = "message_recipients"
    # Private: who received what.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("composed_messages.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), nullable=True)
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    unsubscribed: Mapped[bool] = mapped_column(default=False)
    outbox_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="SET NULL"), nullable=True, index=True)

    message: Mapped[ComposedMessage] = relationship(back_populates="recipients")


class TeamNoticePreference(db.Model):
    """How one organizer hears of new registrations, withdrawals and declines: at once, or in a
    daily digest; ``last_digest_on`` is the day the last digest went (one a day at most)."""

    __tablename__ = "team_notice_preferences"
    # Private: a team member's own setting.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    daily_digest: Mapped[bool] = mapped_column(default=True)
    last_digest_on: Mapped[date | None] = mapped_column(nullable=True)


class TeamNotice(db.Model):
    """Something the next daily digest tells one team member (written in their language then)."""

    __tablename__ = "team_notices"
    # Private: team mail waiting for its digest.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Whom or what it is about, as it was then: a person's name, a session's title.
    about: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageDocument(db.Model):
    """A workshop document a composed message carries: attached to each mail (a small file) or
    linked. ``title`` is kept as it was sent, should the document be removed later."""

    __tablename__ = "message_documents"
    # Private: organizers' correspondence.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("composed_messages.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id", ondelete="SET NULL"), nullable=True)
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    attached: Mapped[bool] = mapped_column(default=False)
