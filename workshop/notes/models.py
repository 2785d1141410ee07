from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.agenda.models import AgendaItem  # noqa: F401  (named by a relationship)
from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.revisions import RevisionMixin
from workshop.platform.states import name_states
from workshop.platform.types import UTCDateTime, utcnow


class NoteState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # the rapporteur is done; an organizer reviews
    APPROVED = "approved"  # locked; feeds the memo


name_states("note", {
    NoteState.DRAFT: lazy_pgettext("note state", "draft"),
    NoteState.SUBMITTED: lazy_pgettext("note state", "submitted for approval"),
    NoteState.APPROVED: lazy_pgettext("note state", "approved"),
})


class NoteRevision(RevisionMixin, db.Model):
    __tablename__ = "note_revisions"
    # Private: rapporteurs' notes.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("note_id", "number"),)

    note_id: Mapped[int] = mapped_column(sa.ForeignKey("notes.id", ondelete="CASCADE"), index=True)


class Note(db.Model):
    """The rapporteurs' notes on one agenda item. Internal: may name speakers, never public."""

    __tablename__ = "notes"
    # Private: rapporteurs' notes.
    __public_owner__ = PRIVATE

    revision_class = NoteRevision

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True
    )
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(sa.String(20), default=NoteState.DRAFT)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state_changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agenda_item: Mapped["AgendaItem"] = relationship()  # noqa: F821
    revisions: Mapped[list[NoteRevision]] = relationship(
        order_by=NoteRevision.number, cascade="all, delete-orphan"
    )

    @property
    def current(self) -> NoteRevision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def is_locked(self) -> bool:
        return self.state == NoteState.APPROVED
