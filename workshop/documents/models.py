from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.agenda.models import AgendaItem  # noqa: F401  (named by a relationship)
from workshop.platform.db import db
from workshop.platform.public_cache import PublicOwner
from workshop.platform.types import UTCDateTime, utcnow


class Kind(StrEnum):
    CONCEPT_NOTE = "concept_note"
    BACKGROUND_PAPER = "background_paper"
    PRESENTATION = "presentation"
    OTHER = "other"


KIND_LABELS = {
    Kind.CONCEPT_NOTE: lazy_pgettext("document kind", "Concept note"),
    Kind.BACKGROUND_PAPER: lazy_pgettext("document kind", "Background paper"),
    Kind.PRESENTATION: lazy_pgettext("document kind", "Presentation"),
    Kind.OTHER: lazy_pgettext("document kind", "Other"),
}


class Visibility(StrEnum):
    PUBLIC = "public"
    PARTICIPANTS = "participants"  # confirmed participants and the team
    TEAM = "team"


VISIBILITY_LABELS = {
    Visibility.PUBLIC: lazy_pgettext("document visibility", "Public"),
    Visibility.PARTICIPANTS: lazy_pgettext("document visibility", "Confirmed participants"),
    Visibility.TEAM: lazy_pgettext("document visibility", "Team only"),
}


class Document(db.Model):
    """One version of a file an organizer attached to a workshop or to one of its agenda items.

    Replacing a document adds a new row and points the old one at it (``superseded_by_id``): the
    old version stays listed, marked superseded, until the document is removed. The bytes live in
    the database, so every app host and every backup has them with nothing else to run; they are
    loaded only when someone downloads the file.
    """

    __tablename__ = "documents"
    # Public pages list the public ones (workshop page, agenda, agenda.json, documents page).
    __public_owner__ = PublicOwner("workshop_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    kind: Mapped[str] = mapped_column(sa.String(30), default=Kind.OTHER)
    visibility: Mapped[str] = mapped_column(sa.String(20), default=Visibility.TEAM)
    # A team decision per document: in a participant's briefing pack every page of it carries
    # that participant's name in the margin, so a copy passed on says whose it was.
    confidential: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    filename: Mapped[str] = mapped_column(sa.String(255))
    mimetype: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.Integer)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)

    agenda_item: Mapped["AgendaItem | None"] = relationship()

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def visibility_label(self) -> str:
        return str(VISIBILITY_LABELS.get(self.visibility, self.visibility))
