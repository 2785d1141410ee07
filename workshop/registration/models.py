"""Invitations, registrations, their audit trail, participant categories and per-workshop settings."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.people.countries import country_name
from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE, PublicOwner
from workshop.platform.states import name_states
from workshop.people.models import Contact
from workshop.platform.types import UTCDateTime, utcnow
from workshop.workshops.models import Workshop

DEFAULT_CATEGORIES = (
    "R2P Focal Point",
    "National representative",
    "UN mission",
    "UN official",
    "Expert/specialist",
)


class Mode(StrEnum):
    OPEN = "open"
    INVITATION = "invitation"


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


name_states("invitation", {
    InvitationState.PENDING: lazy_pgettext("invitation state", "awaiting a reply"),
    InvitationState.ACCEPTED: lazy_pgettext("invitation state", "accepted"),
    InvitationState.DECLINED: lazy_pgettext("invitation state", "declined"),
    InvitationState.EXPIRED: lazy_pgettext("invitation state", "expired"),
})


# The moves an invitation may make, all through ``invitations.transition``.
INVITATION_TRANSITIONS: dict[str, set[str]] = {
    InvitationState.PENDING: {InvitationState.ACCEPTED, InvitationState.DECLINED, InvitationState.EXPIRED},
    InvitationState.ACCEPTED: set(),
    # Someone who declined may change their mind while registration is open.
    InvitationState.DECLINED: {InvitationState.ACCEPTED},
    InvitationState.EXPIRED: set(),
}


class State(StrEnum):
    UNCONFIRMED = "unconfirmed"  # open registration: waits for the person to confirm their address; no seat, no place
    EXPIRED = "expired"          # was never confirmed; the address may register afresh
    PENDING = "pending"          # waits for an organizer (moderation)
    CONFIRMED = "confirmed"      # holds a seat
    WAITLISTED = "waitlisted"    # waits for a seat, in order of waitlist_position
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# Read in "your registration is %(state)s" as well as alone in a table.
name_states("registration", {
    State.UNCONFIRMED: lazy_pgettext("registration state", "awaiting address confirmation"),
    State.EXPIRED: lazy_pgettext("registration state", "expired (never confirmed)"),
    State.PENDING: lazy_pgettext("registration state", "pending approval"),
    State.CONFIRMED: lazy_pgettext("registration state", "confirmed"),
    State.WAITLISTED: lazy_pgettext("registration state", "on the waitlist"),
    State.REJECTED: lazy_pgettext("registration state", "not accepted"),
    State.WITHDRAWN: lazy_pgettext("registration state", "withdrawn"),
})


# Which states a registration may move to from each state; None is "not yet registered".
TRANSITIONS: dict[str | None, set[str]] = {
    None: {State.UNCONFIRMED, State.PENDING, State.CONFIRMED, State.WAITLISTED},
    # Confirmed by the link sent to the address: then as any new registration.
    State.UNCONFIRMED: {State.PENDING, State.CONFIRMED, State.WAITLISTED, State.EXPIRED, State.WITHDRAWN},
    # Never confirmed, so nothing of the person's is lost when the address registers afresh.
    State.EXPIRED: {State.UNCONFIRMED},
    State.PENDING: {State.CONFIRMED, State.WAITLISTED, State.REJECTED, State.WITHDRAWN},
    State.CONFIRMED: {State.WAITLISTED, State.REJECTED, State.WITHDRAWN},
    State.WAITLISTED: {State.CONFIRMED, State.REJECTED, State.WITHDRAWN},
    State.REJECTED: {State.PENDING},
    # Registered again, through the registration's own link only.
    State.WITHDRAWN: {State.PENDING, State.CONFIRMED, State.WAITLISTED},
}
ACTIVE_STATES = (State.PENDING, State.CONFIRMED, State.WAITLISTED)


class Consent(StrEnum):
    NOBODY = "nobody"
    PARTICIPANTS = "participants"
    PUBLIC = "public"


class RegistrationSettings(db.Model):
    """How a workshop takes registrations. One row per workshop, made on first use."""

    __tablename__ = "registration_settings"
    # Public pages: the Register button on the workshop page.
    __public_owner__ = PublicOwner("workshop_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), unique=True)
    mode: Mapped[str] = mapped_column(sa.String(20), default=Mode.INVITATION)
    capacity: Mapped[int | None] = mapped_column(nullable=True)  # None: no limit
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moderation: Mapped[bool] = mapped_column(default=False)
    # Open registration: the person confirms their address by the emailed link before the
    # request takes a seat or a place in line (invitation links prove the address already).
    confirm_email: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    edit_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    participants_published: Mapped[bool] = mapped_column(default=False)
    privacy_notice: Mapped[str] = mapped_column(sa.Text, default="")
    # Days after the workshop's last day that participants' personal data is kept; None: until
    # an organizer sets a period. ``flask purge`` (and the mail worker, hourly) removes it after.
    retention_days: Mapped[int | None] = mapped_column(nullable=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    workshop: Mapped[Workshop] = relationship()

    def window_state(self, now: datetime) -> str:
        """'cancelled', 'not_open', 'open' or 'closed' at ``now``."""
        if self.workshop.is_cancelled:
            return "cancelled"
        if self.opens_at is not None and now < self.opens_at:
            return "not_open"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"

    def can_edit(self, now: datetime) -> bool:
        return self.edit_deadline is None or now < self.edit_deadline


class Category(db.Model):
    """A participant category of one workshop (R2P Focal Point, UN official, ...)."""

    __tablename__ = "participant_categories"
    # The registration form's choices: the cached form follows them.
    __public_owner__ = PublicOwner("workshop_id")
    __table_args__ = (sa.UniqueConstraint("workshop_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Category {self.name}>"


class ContactCategory(db.Model):
    """A contact's category for one workshop, so organizers can invite a whole category."""

    __tablename__ = "contact_categories"
    # Private: invitation lists.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("participant_categories.id", ondelete="CASCADE"))

    contact: Mapped[Contact] = relationship()
    category: Mapped[Category] = relationship()


class Invitation(db.Model):
    """An invitation of one contact to one workshop, bound to the contact's email."""

    __tablename__ = "invitations"
    # Private: who was invited: never public.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.UniqueConstraint("workshop_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant_categories.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    state: Mapped[str] = mapped_column(sa.String(20), default=InvitationState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decline_message: Mapped[str] = mapped_column(sa.Text, default="")
    # Set when the retention period removed the invitee's email, name and message.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    workshop: Mapped[Workshop] = relationship()
    contact: Mapped[Contact | None] = relationship()
    category: Mapped[Category | None] = relationship()


class Registration(db.Model):
    """One person's registration for one workshop. Its state changes only through
    ``workshop.registration.service.transition``, which writes a RegistrationChange."""

    __tablename__ = "registrations"
    # Private: shown only on the participants page, which is not cached: a registration must not
    # lock its workshop's row (it takes the lock first when it needs one).
    __public_owner__ = PRIVATE
    # One registration per email and workshop: a double submit cannot make a second row.
    __table_args__ = (sa.UniqueConstraint("workshop_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id", ondelete="SET NULL"), nullable=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participant_categories.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200))
    # The registrant's own honorific (a code of people.honorifics, "" for none), as they gave it
    # or an organizer set it; an invitee's form starts from their contact's.
    honorific: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    organization: Mapped[str] = mapped_column(sa.String(200), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    dietary_needs: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(sa.Text, default="")
    arrival_date: Mapped[date | None] = mapped_column(nullable=True)
    departure_date: Mapped[date | None] = mapped_column(nullable=True)
    consent: Mapped[str] = mapped_column(sa.String(20), default=Consent.NOBODY)
    privacy_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(sa.String(20))
    # The language the registration was made in: every email to the registrant uses it.
    language: Mapped[str] = mapped_column(sa.String(8), default="en", server_default="en")
    # Place in the queue: assigned under the workshop lock when the registration joins the
    # waitlist, so the order is the order in which submissions took the lock.
    waitlist_position: Mapped[int | None] = mapped_column(nullable=True)
    # An unconfirmed request expires at this time (the hourly job records it).
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when the retention period removed the personal data (state, category, country stay).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    workshop: Mapped[Workshop] = relationship()
    category: Mapped[Category | None] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    changes: Mapped[list["RegistrationChange"]] = relationship(
        back_populates="registration", order_by="RegistrationChange.id", cascade="all, delete-orphan"
    )

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def __repr__(self) -> str:
        return f"<Registration {self.email} {self.state}>"


class RegistrationChange(db.Model):
    """The audit trail: who changed a registration, what, when, and from which state to which."""

    __tablename__ = "registration_changes"
    # Private: a registration's history.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The account that made the change; None with actor "registrant" or "system".
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(40))
    from_state: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    to_state: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    detail: Mapped[str] = mapped_column(sa.Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="changes")


class AccessToken(db.Model):
    """A link token for an invitation or a registration. Only its SHA-256 is stored, so a copy
    of the database opens no link. Re-sending a link adds a token; older ones keep working."""

    __tablename__ = "access_tokens"
    # Private: token hashes.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"), nullable=True, index=True)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
