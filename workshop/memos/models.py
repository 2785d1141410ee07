from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.workshops.models import Workshop  # noqa: F401  (named by a relationship)
from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE, PublicOwner
from workshop.platform.revisions import RevisionMixin
from workshop.platform.states import name_states
from workshop.platform.types import UTCDateTime, utcnow

DEFAULT_DISCLAIMER = (
    "This memo is the rapporteur's summary of the discussion. It has not been reviewed or "
    "endorsed by the participants, and it does not necessarily reflect the views of any of them "
    "or of their governments and institutions. The discussion was held under the Chatham House "
    "Rule: observations are reported without attribution."
)


class MemoState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"


name_states("memo", {
    MemoState.DRAFT: lazy_pgettext("memo state", "draft"),
    MemoState.IN_REVIEW: lazy_pgettext("memo state", "in review"),
    MemoState.APPROVED: lazy_pgettext("memo state", "approved"),
    MemoState.PUBLISHED: lazy_pgettext("memo state", "published"),
})


class MemoRevision(RevisionMixin, db.Model):
    __tablename__ = "memo_revisions"
    # Private: drafts.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("memo_id", "number"),)

    memo_id: Mapped[int] = mapped_column(sa.ForeignKey("memos.id", ondelete="CASCADE"), index=True)


class Memo(db.Model):
    """The takeaways memo of one workshop: a revisioned Markdown body plus its front matter."""

    __tablename__ = "memos"
    # Private: draft state and front matter; the public reads MemoVersion only.
    __public_owner__ = PRIVATE
    # One memo per language: the original and the versions that translate it.
    __table_args__ = (sa.UniqueConstraint("workshop_id", "language", name="uq_memos_workshop_id_language"),)

    revision_class = MemoRevision

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    # The language the memo is written in: its page and PDF say so, whatever the reader's.
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    # The memo of the same workshop this one translates; None for an original.
    translation_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("memos.id", ondelete="SET NULL"), nullable=True)
    state: Mapped[str] = mapped_column(sa.String(20), default=MemoState.DRAFT)
    disclaimer: Mapped[str] = mapped_column(sa.Text, default=DEFAULT_DISCLAIMER)
    credit: Mapped[str] = mapped_column(sa.Text, default="")
    # The month shown on the memo; the publication day when left empty.
    dated: Mapped[date | None] = mapped_column(nullable=True)
    # Names the non-attribution check found that an organizer accepted (e.g. a convener named
    # in the context); a JSON list of strings, checked again at every approval.
    accepted_names: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Why each accepted name may stay, as the organizer wrote it: {name: reason}. None: no reason
    # given (names accepted by ticking them at approval).
    accepted_reasons: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last "compile from notes": the revision it produced, when, and which notes it took in.
    # A current revision other than that one means someone edited the text since, so the next
    # compile shows what it would replace and asks first.
    compiled_revision_number: Mapped[int | None] = mapped_column(nullable=True)
    compiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    compiled_note_ids: Mapped[list | None] = mapped_column(sa.JSON, nullable=True)

    workshop: Mapped["Workshop"] = relationship()  # noqa: F821
    translation_of: Mapped["Memo | None"] = relationship(remote_side=[id])
    revisions: Mapped[list[MemoRevision]] = relationship(
        order_by=MemoRevision.number, cascade="all, delete-orphan"
    )
    versions: Mapped[list["MemoVersion"]] = relationship(
        order_by="MemoVersion.number", cascade="all, delete-orphan", back_populates="memo"
    )

    @property
    def current(self) -> MemoRevision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def latest_version(self) -> "MemoVersion | None":
        return self.versions[-1] if self.versions else None

    @property
    def edited_since_compile(self) -> bool:
        """Text exists that no compile produced (or that was changed after one)."""
        head = self.current
        return head is not None and head.number != self.compiled_revision_number

    @property
    def is_locked(self) -> bool:
        return self.state == MemoState.APPROVED


class MemoVersion(db.Model):
    """A published memo, frozen: what the public sees does not change until the next publish."""

    __tablename__ = "memo_versions"
    # Public pages: the published memo and its PDF.
    __public_owner__ = PublicOwner("memo_id", lambda ids: sa.select(Memo.workshop_id)
                                .where(Memo.id.in_(ids)).scalar_subquery())
    __table_args__ = (sa.UniqueConstraint("memo_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    memo_id: Mapped[int] = mapped_column(sa.ForeignKey("memos.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    revision_number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(400))
    dated: Mapped[date]
    source: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    disclaimer: Mapped[str] = mapped_column(sa.Text)
    credit: Mapped[str] = mapped_column(sa.Text, default="")
    # The memo's language when this version was published (the memo's may change later).
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    # Empty (None) from publishing until the mail worker has rendered it (memos.rendering).
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True, nullable=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    memo: Mapped[Memo] = relationship(back_populates="versions")
