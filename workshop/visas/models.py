"""Letters of invitation for visas: each workshop's template, and every letter issued."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow
from workshop.questions.models import Question
from workshop.registration.models import Registration


class LetterTemplate(db.Model):
    """How a workshop's letters read, and which questions hold what the letter needs."""

    __tablename__ = "letter_templates"
    # Private: organizers' page only.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    letterhead: Mapped[str] = mapped_column(sa.Text, default="")
    signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_title: Mapped[str] = mapped_column(sa.String(300), default="")
    # The yes/no question "Do you need a letter of invitation for a visa?": a yes may ask for one.
    visa_question_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questions.id", ondelete="SET NULL"), nullable=True)
    passport_question_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questions.id", ondelete="SET NULL"), nullable=True)
    nationality_question_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questions.id", ondelete="SET NULL"), nullable=True)
    embassy_question_id: Mapped[int | None] = mapped_column(sa.ForeignKey("questions.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    visa_question: Mapped[Question | None] = relationship(foreign_keys=[visa_question_id])


class VisaLetter(db.Model):
    """A letter as issued: its number and the very words, letterhead and signatory printed, so
    downloading it again gives the same letter whatever the template says since. The PDF is
    kept once written (by the mail worker)."""

    __tablename__ = "visa_letters"
    # Private: personal data (passport numbers).
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="SET NULL"), nullable=True, index=True)
    number: Mapped[int] = mapped_column()
    reference: Mapped[str] = mapped_column(sa.String(120))
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    addressee: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, placeholders filled in
    letterhead: Mapped[str] = mapped_column(sa.Text, default="")
    signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_title: Mapped[str] = mapped_column(sa.String(300), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "registrant" (asked from their page) or the organizer's email.
    requested_by: Mapped[str] = mapped_column(sa.String(254), default="")
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, nullable=True)
    # Set when the retention purge removed the letter's personal details.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    registration: Mapped[Registration | None] = relationship()
