"""The participants' review of a memo draft (a silence procedure): the review, its reviewers
with their personal links, and their comments on the draft's paragraphs."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.memos.models import Memo  # noqa: F401  (named by a relationship)
from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.states import name_states
from workshop.platform.types import UTCDateTime, utcnow


class ReviewState(StrEnum):
    OPEN = "open"
    # The deadline passed and nobody objected: silence counts as acceptance.
    ACCEPTED = "accepted"
    # The deadline passed with an objection standing: the draft is not accepted.
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class CommentState(StrEnum):
    PENDING = "pending"
    TAKEN = "taken"
    DECLINED = "declined"


name_states("review", {
    ReviewState.OPEN: lazy_pgettext("review state", "open"),
    ReviewState.ACCEPTED: lazy_pgettext("review state", "accepted by silence"),
    ReviewState.BLOCKED: lazy_pgettext("review state", "blocked by an objection"),
    ReviewState.CANCELLED: lazy_pgettext("review state", "withdrawn"),
})
name_states("review comment", {
    CommentState.PENDING: lazy_pgettext("review comment state", "to resolve"),
    CommentState.TAKEN: lazy_pgettext("review comment state", "taken"),
    CommentState.DECLINED: lazy_pgettext("review comment state", "declined"),
})

# The moves each state allows; everything else is refused by ``transition``.
REVIEW_MOVES = {
    ReviewState.OPEN: {ReviewState.ACCEPTED, ReviewState.BLOCKED, ReviewState.CANCELLED},
    ReviewState.ACCEPTED: set(),
    ReviewState.BLOCKED: set(),
    ReviewState.CANCELLED: set(),
}
COMMENT_MOVES = {
    CommentState.PENDING: {CommentState.TAKEN, CommentState.DECLINED},
    # A rapporteur may change their mind: back to pending, then resolved again.
    CommentState.TAKEN: {CommentState.PENDING, CommentState.DECLINED},
    CommentState.DECLINED: {CommentState.PENDING, CommentState.TAKEN},
}


class MemoReview(db.Model):
    """One round of review of a memo draft: the text as it was opened (frozen, so paragraph
    numbers mean the same to everyone), the deadline, and the outcome."""

    __tablename__ = "memo_reviews"
    # Private: drafts and who reviews them.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    memo_id: Mapped[int] = mapped_column(sa.ForeignKey("memos.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int]
    source: Mapped[str] = mapped_column(sa.Text)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(sa.String(20), default=ReviewState.OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    memo: Mapped[Memo] = relationship()
    reviewers: Mapped[list["Reviewer"]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Reviewer.id")
    comments: Mapped[list["ReviewComment"]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="(ReviewComment.paragraph, ReviewComment.id)")

    @property
    def objections(self) -> list["Reviewer"]:
        return [reviewer for reviewer in self.reviewers if reviewer.objected_at is not None]


class Reviewer(db.Model):
    """A participant asked to review: their personal link (only its SHA-256 is stored), and
    their objection if they made one."""

    __tablename__ = "memo_reviewers"
    # Private: who reviews and their link hashes.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("review_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("memo_reviews.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The reminder carries a link of its own (only hashes are kept, so the first link cannot
    # be sent again); both open the same page.
    reminder_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True, nullable=True)
    objection: Mapped[str] = mapped_column(sa.Text, default="")
    objected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The one reminder before the deadline; never sent twice.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    review: Mapped[MemoReview] = relationship(back_populates="reviewers")


class ReviewComment(db.Model):
    """A reviewer's comment on one paragraph of the draft, and how the rapporteurs resolved it.
    Organizers and rapporteurs read it; the memo never names its author."""

    __tablename__ = "memo_review_comments"
    # Private: read by the team only.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("memo_reviews.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("memo_reviewers.id", ondelete="CASCADE"), index=True)
    # The paragraph's place in the review's frozen text, counted from 1.
    paragraph: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(20), default=CommentState.PENDING)
    # Why a comment was declined (required then), or a note on how it was taken.
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    review: Mapped[MemoReview] = relationship(back_populates="comments")
    reviewer: Mapped[Reviewer] = relationship()
