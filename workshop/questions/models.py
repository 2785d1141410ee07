"""Questions an organizer adds to a workshop's registration form or to its follow-up form, and
each registrant's answers to them."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE, PublicOwner
from workshop.platform.types import UTCDateTime, utcnow
from workshop.registration.models import Registration


class Kind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"
    COUNTRY = "country"


# The kinds whose answers are one of a fixed list: they can be counted in a chart, used in a
# condition and in the message filters.
COUNTABLE = (Kind.SINGLE, Kind.MULTIPLE, Kind.YES_NO, Kind.COUNTRY)


class Stage(StrEnum):
    REGISTRATION = "registration"  # on the registration form
    FOLLOW_UP = "follow_up"        # asked of confirmed participants later, through their link


class Question(db.Model):
    """One question of one workshop. Its choices are stored as their words: an answer keeps the
    words chosen, so a choice removed later still reads in the answers given before."""

    __tablename__ = "questions"
    # The public registration form shows questions: changing one renews its workshop's cached pages.
    __public_owner__ = PublicOwner("workshop_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(sa.String(20), default=Stage.REGISTRATION)
    kind: Mapped[str] = mapped_column(sa.String(20))
    label: Mapped[str] = mapped_column(sa.String(300))
    help_text: Mapped[str] = mapped_column(sa.Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    # Sensitive answers (a passport number): organizers alone see them; never in mail, in an
    # export only when chosen, removed by the retention purge.
    sensitive: Mapped[bool] = mapped_column(default=False)
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The participant categories it is asked of; empty: everyone.
    category_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Shown only when the answer to another question is this value.
    condition_question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="SET NULL"), nullable=True)
    condition_value: Mapped[str] = mapped_column(sa.String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    condition_question: Mapped["Question | None"] = relationship(remote_side="Question.id")

    def __repr__(self) -> str:
        return f"<Question {self.label!r}>"


class Answer(db.Model):
    """One registrant's answer to one question: a string, or a list of strings for multiple
    choice (dates as ISO text, numbers as written once checked, countries as ISO codes)."""

    __tablename__ = "answers"
    # Private: personal data.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[object] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    question: Mapped[Question] = relationship()
    registration: Mapped[Registration] = relationship()


class FollowUpRequest(db.Model):
    """When a confirmed participant was sent the follow-up form, and reminded of it."""

    __tablename__ = "follow_up_requests"
    # Private: who was asked what.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
