from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workshop.platform.db import db
from workshop.platform.public_cache import PublicOwner
from workshop.platform.types import UTCDateTime, utcnow


class Contact(db.Model):
    """A person in the directory, reused across workshops (invitees, speakers, chairs)."""

    __tablename__ = "contacts"
    # Public pages: chairs and speakers on public agendas.
    __public_owner__ = PublicOwner("id", lambda ids: workshops_naming(ids))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Stored lower-cased, so uniqueness is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    # A code of people.honorifics ("ambassador", "dr", ...), "" for none: letters address the
    # person by it ("Dear Ambassador Okafor,") in each language.
    honorific: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")  # ISO 3166-1 alpha-2
    # Kept in the directory when a workshop's personal data is purged (a regular speaker, say);
    # otherwise a purge deletes the contact once no other workshop uses it.
    keep: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Who added it: until a workshop uses the contact, only they (and site admins) see it.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"),
                                                      nullable=True)
    # Preferred language for invitations; empty: the workshop's default language.
    language: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Contact {self.email}>"


def workshops_naming(contact_ids):
    """The workshops whose public agenda names these contacts (as chairs or speakers).

    The agenda feature is built on this one, so its tables are looked up by name when a contact
    is written rather than imported here."""
    tables = db.metadata.tables
    people, items = tables["agenda_item_people"], tables["agenda_items"]
    return (sa.select(items.c.workshop_id)
            .where(items.c.id.in_(sa.select(people.c.agenda_item_id).where(people.c.contact_id.in_(contact_ids))))
            .scalar_subquery())
