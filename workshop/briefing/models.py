from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime
from workshop.registration.models import Registration


class BriefingPack(db.Model):
    """One confirmed participant's briefing pack: the PDF the worker built last, and whether it
    is still current.

    ``wanted`` goes up by one whenever something in the pack changes (a document, the agenda,
    the workshop's dates); ``built`` is the ``wanted`` the stored PDF was made from. A change
    made while the worker builds raises ``wanted`` again, so that build is stored and at once
    due again, and no change is lost. ``name`` and ``language`` are the participant's as the
    PDF has them: a participant who corrects their name gets a new pack too. Until the new one
    is built the participant keeps the previous PDF, unless a paper in it was withdrawn (removed,
    kept for the team, made confidential): then the stored PDF goes at once.
    """

    __tablename__ = "briefing_packs"
    # Private: a participant's own file, behind their registration link.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), unique=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    wanted: Mapped[int] = mapped_column(default=1)
    built: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    language: Mapped[str] = mapped_column(sa.String(8), default="")
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, nullable=True, deferred=True)
    size: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A worker building it holds it until then; a failed build waits until then to be tried again.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")

    registration: Mapped[Registration] = relationship()

    @property
    def has_file(self) -> bool:
        return self.built_at is not None

    def is_current_for(self, registration) -> bool:
        return (self.has_file and self.built >= self.wanted and self.name == registration.name
                and self.language == registration.language)
