from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.auth.models import User  # noqa: F401  (named by a relationship)
from workshop.workshops.models import Workshop  # noqa: F401  (named by a relationship)
from workshop.platform.db import db
from workshop.platform.public_cache import PublicOwner
from workshop.people.models import Contact
from workshop.platform.types import UTCDateTime, utcnow


class ItemKind(StrEnum):
    PLENARY = "plenary"
    WORKING_SESSION = "working_session"
    BREAKOUT = "breakout"
    BREAK = "break"
    MEAL = "meal"
    RECEPTION = "reception"


class ItemStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class PersonRole(StrEnum):
    CHAIR = "chair"
    SPEAKER = "speaker"


agenda_item_rapporteurs = sa.Table(
    "agenda_item_rapporteurs",
    db.metadata,
    sa.Column("agenda_item_id", sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class AgendaItem(db.Model):
    """One slot of a workshop's agenda. Times are stored in UTC and shown in the workshop's zone.

    ``sequence`` is the iCalendar SEQUENCE: it goes up whenever start, end or place change, so
    calendar clients replace the copy they hold.
    """

    __tablename__ = "agenda_items"
    # Public pages: the agenda, its feed and JSON.
    __public_owner__ = PublicOwner("workshop_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20), default=ItemKind.PLENARY)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    guiding_questions: Mapped[str] = mapped_column(sa.Text, default="")
    # Its own online meeting (else the workshop's): for confirmed participants only.
    online_link: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    online_details: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=ItemStatus.SCHEDULED)
    sequence: Mapped[int] = mapped_column(default=0)
    # None: the workshop's attribution rule; else this session's own (e.g. one closed session).
    attribution_rule: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped["Workshop"] = relationship()  # noqa: F821
    people: Mapped[list["AgendaItemPerson"]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        order_by="(AgendaItemPerson.role, AgendaItemPerson.position)",
    )
    rapporteurs: Mapped[list["User"]] = relationship(secondary=agenda_item_rapporteurs)  # noqa: F821

    def people_with_role(self, role: str) -> list[Contact]:
        return [link.contact for link in self.people if link.role == role]

    @property
    def rule(self) -> str:
        """The attribution rule the session is held under: its own, or the workshop's."""
        return self.attribution_rule or self.workshop.attribution_rule

    @property
    def chairs(self) -> list[Contact]:
        return self.people_with_role(PersonRole.CHAIR)

    @property
    def speakers(self) -> list[Contact]:
        return self.people_with_role(PersonRole.SPEAKER)

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} {self.title!r}>"


class AgendaItemPerson(db.Model):
    """A contact chairing or speaking in an agenda item."""

    __tablename__ = "agenda_item_people"
    # Public pages: chairs and speakers on the agenda.
    __public_owner__ = PublicOwner("agenda_item_id", lambda ids: sa.select(AgendaItem.workshop_id)
                                .where(AgendaItem.id.in_(ids)).scalar_subquery())
    __table_args__ = (sa.UniqueConstraint("agenda_item_id", "contact_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id"))
    role: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[AgendaItem] = relationship(back_populates="people")
    contact: Mapped[Contact] = relationship(lazy="joined")
