from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow
from workshop.workshops.models import Workshop


class ReminderRule(db.Model):
    """A message that goes out by itself: ``days`` before the start to confirmed participants,
    ``days`` after each invitation to invitees who have not answered, or ``days`` after the end
    (a thank-you, once the memo is published). It goes at ``hour`` o'clock in the workshop's
    time zone; the worker's job runner sends it (``reminders.service.run_rule``)."""

    __tablename__ = "reminder_rules"
    # Private: organizers' settings.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    days: Mapped[int]
    hour: Mapped[int] = mapped_column(default=9)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()


class ReminderDelivery(db.Model):
    """That a rule reached one person: unique per rule and person, so whichever worker, however
    often the rule runs, each person gets it once. ``outbox_message_id`` is the mail (none when
    the address had unsubscribed from the workshop's optional mail)."""

    __tablename__ = "reminder_deliveries"
    # Private: who received what.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("rule_id", "person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_rules.id", ondelete="CASCADE"))
    # "registration-12" or "invitation-7": whom the rule reached.
    person: Mapped[str] = mapped_column(sa.String(40))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), nullable=True)
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    unsubscribed: Mapped[bool] = mapped_column(default=False)
    outbox_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
