"""What the agenda-change notices need to remember: the changes still waiting for their quiet
period to end, which session events each registration was sent by email, and who asked for no
more optional mail."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.agenda.models import AgendaItem
from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow


class PendingSessionNotice(db.Model):
    """A session changed on a published workshop and its participants are to be told. One row
    per session however often it changes; the worker tells them once the workshop's agenda has
    been quiet for ``AGENDA_NOTICE_DELAY_SECONDS``."""

    __tablename__ = "pending_session_notices"
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    first_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Added to the agenda within this quiet period: cancelled again, it was never news.
    added: Mapped[bool] = mapped_column(default=False)

    item: Mapped[AgendaItem] = relationship()


class SessionEventSent(db.Model):
    """A registration was sent this session's calendar event (a REQUEST, later perhaps its
    CANCEL): only then is a later change an update or a cancellation for them."""

    __tablename__ = "session_events_sent"
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("registration_id", "agenda_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(sa.String(10))  # the last one sent: REQUEST or CANCEL
    sequence: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailUnsubscribe(db.Model):
    """An address (as a digest) that asked for no more optional mail from one workshop."""

    __tablename__ = "mail_unsubscribes"
    # Private: who opted out is nobody else's business.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    email_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
