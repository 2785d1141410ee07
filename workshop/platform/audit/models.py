from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """Who did what to which object, written in the same transaction as the change itself.

    Entries outlive what they describe: the workshop and the acting account are kept as nullable
    references, and ``actor_label`` keeps the actor's name as it was at the time.
    """

    __tablename__ = "audit_entries"
    # Private: organizers' audit log.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.Index("ix_audit_entries_workshop_id_id", "workshop_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="SET NULL"), nullable=True
    )
    actor_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_label: Mapped[str] = mapped_column(sa.String(300), default="")
    action: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str] = mapped_column(sa.String(60), default="")
    object_id: Mapped[int | None] = mapped_column(nullable=True)
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.object_type}:{self.object_id}>"
