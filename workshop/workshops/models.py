from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.auth.models import User  # noqa: F401  (named by a relationship)
from workshop.platform.db import db
from workshop.workshops.attribution_rules import DEFAULT_RULE
from workshop.platform.public_cache import PRIVATE, PublicOwner
from workshop.platform.states import name_states
from workshop.platform.types import UTCDateTime, utcnow


class WorkshopStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    # Called off after publication: the page stays up to say so, calendars get CANCEL, nobody
    # can register. Final: a new date is a new workshop.
    CANCELLED = "cancelled"


name_states("workshop", {
    WorkshopStatus.DRAFT: lazy_pgettext("workshop status", "draft"),
    WorkshopStatus.PUBLISHED: lazy_pgettext("workshop status", "published"),
    WorkshopStatus.ARCHIVED: lazy_pgettext("workshop status", "archived"),
    WorkshopStatus.CANCELLED: lazy_pgettext("workshop status", "cancelled"),
})


# What the public sees: a cancelled workshop's page stays up to say so.
PUBLIC_STATUSES = (WorkshopStatus.PUBLISHED, WorkshopStatus.ARCHIVED, WorkshopStatus.CANCELLED)


class Role(StrEnum):
    ORGANIZER = "organizer"
    RAPPORTEUR = "rapporteur"


class OrganizerKind(StrEnum):
    CONVENER = "convener"
    CO_ORGANIZER = "co_organizer"


class Organization(db.Model):
    """An institution that convenes or co-organizes workshops; reused across workshops."""

    __tablename__ = "organizations"
    # Public pages: conveners and co-organizers on the workshop page.
    __public_owner__ = PublicOwner("id", lambda ids: sa.select(WorkshopOrganization.workshop_id)
                                .where(WorkshopOrganization.organization_id.in_(ids)).scalar_subquery())

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(60), default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    # Logos live in the database (PNG or JPEG, small): the PDF renderer embeds them as data: URLs
    # and never has to read a file the user chose.
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, nullable=True, deferred=True)
    logo_mimetype: Mapped[str] = mapped_column(sa.String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_mimetype)

    def __repr__(self) -> str:
        return f"<Organization {self.name}>"


class Series(db.Model):
    """A series or network of workshops: each prepares the next, so its page follows what
    became of the recommendations from one workshop to the next."""

    __tablename__ = "series"
    # Public pages: the workshop page names its series.
    __public_owner__ = PublicOwner("id", lambda ids: sa.select(Workshop.id)
                                   .where(Workshop.series_id.in_(ids)).scalar_subquery())

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Series {self.slug}>"


class Workshop(db.Model):
    __tablename__ = "workshops"
    # Public pages: the workshop page itself.
    __public_owner__ = PublicOwner("id")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    theme: Mapped[str] = mapped_column(sa.String(200), default="")
    # The series or network the workshop belongs to (the R2P Focal Points Network): a record of
    # its own, so its page can gather the workshops, their memos and their recommendations.
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("series.id", ondelete="SET NULL"), nullable=True, index=True)
    prepares_meeting: Mapped[str] = mapped_column(sa.String(300), default="")
    conference: Mapped[str] = mapped_column(sa.String(300), default="")
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    start_date: Mapped[date]
    end_date: Mapped[date]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Where participants write to: the Reply-To of the workshop's mail and the ORGANIZER of its
    # calendar invitations (so an Accept goes to a person); empty: the site's MAIL_FROM.
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    # An online or hybrid meeting: shown to confirmed participants only, never on public pages.
    online_link: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    online_details: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=WorkshopStatus.DRAFT)
    # iCalendar SEQUENCE of the workshop's all-day event: raised when its dates or place change.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # A fresh random token whenever anything the public pages show changes (workshop/platform/public_cache.py
    # sets it on flush); the public pages' caches are keyed by it. Never set by hand.
    # The language of mail to people who chose none, and the languages offered to participants
    # (codes separated by spaces, from workshop.platform.i18n.LANGUAGES).
    default_language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    languages: Mapped[str] = mapped_column(sa.String(64), default="en fr es ar zh ru",
                                           server_default="en fr es ar zh ru")
    public_version: Mapped[str] = mapped_column(sa.String(32), default="", server_default="")
    # On the record, Chatham House Rule or closed: see attribution_rules. A session may differ.
    attribution_rule: Mapped[str] = mapped_column(sa.String(20), default=DEFAULT_RULE,
                                                  server_default=DEFAULT_RULE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organizations: Mapped[list["WorkshopOrganization"]] = relationship(
        back_populates="workshop",
        order_by="(WorkshopOrganization.kind, WorkshopOrganization.position)",
        cascade="all, delete-orphan",
    )
    members: Mapped[list["WorkshopMember"]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan"
    )
    series: Mapped["Series | None"] = relationship(lazy="joined")

    @property
    def network(self) -> str:
        """The series' name, as the workshop form and the pages show it ("" when none)."""
        return self.series.name if self.series is not None else ""

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status == WorkshopStatus.CANCELLED

    def organizations_of(self, kind: str) -> list[Organization]:
        return [link.organization for link in self.organizations if link.kind == kind]

    @property
    def conveners(self) -> list[Organization]:
        return self.organizations_of(OrganizerKind.CONVENER)

    @property
    def co_organizers(self) -> list[Organization]:
        return self.organizations_of(OrganizerKind.CO_ORGANIZER)

    def __repr__(self) -> str:
        return f"<Workshop {self.slug}>"


class WorkshopOrganization(db.Model):
    """An organization's place, in order, among a workshop's conveners or co-organizers."""

    __tablename__ = "workshop_organizations"
    # Public pages: who convenes, on the workshop page.
    __public_owner__ = PublicOwner("workshop_id")
    __table_args__ = (sa.UniqueConstraint("workshop_id", "organization_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="organizations")
    organization: Mapped[Organization] = relationship(lazy="joined")


class WorkshopMember(db.Model):
    """An account's role on one workshop: organizer or rapporteur."""

    __tablename__ = "workshop_members"
    # Private: who organizes: shown to members only.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="members")
    user: Mapped["User"] = relationship(lazy="joined")  # noqa: F821


class TeamInvitation(db.Model):
    """An email invitation to join a workshop's team, for a person without an account yet.
    Only the SHA-256 of its link token is stored; re-sending replaces the token."""

    __tablename__ = "team_invitations"
    # Private: who is invited to the team, and token hashes.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # "pending", "accepted" or "revoked".
    state: Mapped[str] = mapped_column(sa.String(20), default="pending")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    workshop: Mapped[Workshop] = relationship()
