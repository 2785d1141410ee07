"""What follows a memo: its recommendations and their follow-up, and the two outputs besides
the public memo (the team's internal record, the participants' read-out), frozen and numbered."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE, PublicOwner
from workshop.platform.states import name_states
from workshop.platform.types import UTCDateTime, utcnow
from workshop.workshops.models import Workshop


def _with_series(workshop_ids):
    """The workshops whose pages show these workshops' recommendations: themselves, and every
    workshop of their series (the next one lists the previous one's)."""
    series = sa.select(Workshop.series_id).where(Workshop.id.in_(workshop_ids), Workshop.series_id.is_not(None))
    return sa.select(Workshop.id).where(sa.or_(Workshop.id.in_(workshop_ids),
                                               Workshop.series_id.in_(series))).scalar_subquery()


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


name_states("recommendation", {
    RecommendationStatus.OPEN: lazy_pgettext("recommendation status", "open"),
    RecommendationStatus.IN_PROGRESS: lazy_pgettext("recommendation status", "in progress"),
    RecommendationStatus.DONE: lazy_pgettext("recommendation status", "done"),
    RecommendationStatus.DROPPED: lazy_pgettext("recommendation status", "dropped"),
})

# Any status may follow any other: follow-up is a record of what happened, not a workflow.
# Staying at the same status is a dated update without a change of status.
STATUS_MOVES = {status: set(RecommendationStatus) for status in RecommendationStatus}


class Recommendation(db.Model):
    """One recommendation of a workshop's published memo. Its number stays the same when the
    memo is published again (matched by its text), so "recommendation 3" means one thing."""

    __tablename__ = "recommendations"
    # Public pages: the recommendations page and the series page.
    __public_owner__ = PublicOwner("workshop_id", _with_series)
    __table_args__ = (sa.UniqueConstraint("workshop_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)
    # False once a later published version no longer has it: it keeps its number, and its
    # number is never given to another.
    in_memo: Mapped[bool] = mapped_column(default=True)
    first_version: Mapped[int]
    last_version: Mapped[int]
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    # The meeting it is meant for: the meeting the workshop prepares, unless an organizer says otherwise.
    meant_for: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=RecommendationStatus.OPEN)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updates: Mapped[list["RecommendationUpdate"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan",
        order_by="(RecommendationUpdate.on.desc(), RecommendationUpdate.id.desc())")


class RecommendationUpdate(db.Model):
    """A dated note on a recommendation's follow-up, with the status it left it in."""

    __tablename__ = "recommendation_updates"
    __public_owner__ = PublicOwner("recommendation_id", lambda ids: _with_series(
        sa.select(Recommendation.workshop_id).where(Recommendation.id.in_(ids))))

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(sa.ForeignKey("recommendations.id", ondelete="CASCADE"),
                                                   index=True)
    on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    recommendation: Mapped[Recommendation] = relationship(back_populates="updates")


class RecordKind(StrEnum):
    # For the team only; may name who said what.
    INTERNAL = "internal"
    # For the confirmed participants, through their links: the memo and who spoke in each session.
    READOUT = "readout"


class RecordVersion(db.Model):
    """A frozen, numbered output of the workshop's record: its page and PDF never change."""

    __tablename__ = "record_versions"
    # Private: the team's and the participants' outputs; the public memo is MemoVersion.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(400))
    html: Mapped[str] = mapped_column(sa.Text)
    # Its PDF is kept by ``workshop.platform.stored_pdfs`` (key ``record:<id>``).
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
