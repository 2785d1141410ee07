"""Registrations: the only place they are made or change state.

Every state change goes through ``transition``, which checks the move is allowed, writes the
RegistrationChange (who, what, when, from, to) and queues the email, all in the caller's
transaction. Anything that takes or frees a seat first calls ``lock_workshop``, so seat counts are
read and written by one transaction at a time.
"""

import functools
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from workshop.people import honorifics
from workshop.platform import audit
from workshop.platform.events import announce
from workshop.platform.db import db
from workshop.registration import invitations, notify, sequences
from workshop.platform.transaction import lock_workshop
from workshop.registration.models import (
    TRANSITIONS,
    AccessToken,
    Consent,
    Invitation,
    InvitationState,
    Mode,
    Registration,
    RegistrationChange,
    RegistrationSettings,
    State,
)
from workshop.registration.settings import (  # noqa: F401  (views and tests read them here too)
    RegistrationError,
    categories_for,
    category_of,
    existing_settings,
    settings_for,
    settings_to_change,
)
from workshop.registration.tokens import hash_token
from workshop.platform.types import normalize_email, utcnow
from workshop.workshops.models import Workshop
from workshop.platform.errors import N_
from workshop.platform.i18n import LANGUAGES, language_for

DETAIL_FIELDS = (
    "name", "honorific", "position", "organization", "country", "category_id", "dietary_needs",
    "accessibility_needs", "arrival_date", "departure_date", "consent",
)
SETTINGS_FIELDS = (
    "mode", "capacity", "opens_at", "closes_at", "moderation", "confirm_email", "edit_deadline",
    "participants_published", "privacy_notice", "retention_days",
)


class RegistrationClosed(RegistrationError):
    def __init__(self, window: str, settings: RegistrationSettings):
        super().__init__(N_("Registration is not open."))
        self.window = window
        self.settings = settings


class AlreadyRegistered(Exception):
    """This email is already registered for the workshop. Through an invitation its link has
    been re-sent; from the public form nothing was written (``remind_existing`` re-sends)."""

    def __init__(self, registration: Registration):
        super().__init__(registration.id)
        self.registration = registration


# Settings ---------------------------------------------------------------------------------------


def update_settings(workshop: Workshop, *, by=None, **fields) -> RegistrationSettings:
    """Save the settings; a capacity raised (or removed) promotes from the waitlist at once."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise RegistrationError(N_("Unknown settings: %(names)s"), names=", ".join(sorted(unknown)))
    lock_workshop(workshop.id)
    settings = settings_to_change(workshop)
    opens_at = fields["opens_at"] if "opens_at" in fields else settings.opens_at
    closes_at = fields["closes_at"] if "closes_at" in fields else settings.closes_at
    if opens_at and closes_at and closes_at <= opens_at:
        raise RegistrationError(N_("Registration must close after it opens."))
    capacity = fields["capacity"] if "capacity" in fields else settings.capacity
    if capacity is not None and capacity < 0:
        raise RegistrationError(N_("The capacity cannot be negative."))
    changed = sorted(name for name, value in fields.items() if getattr(settings, name) != value)
    for name, value in fields.items():
        setattr(settings, name, value)
    db.session.flush()
    if changed and by is not None:
        audit.record("registration.settings_changed", workshop=workshop, actor=by, target=settings,
                     changed=changed)
    promote_from_waitlist(workshop, by=by)
    return settings


# Reading --------------------------------------------------------------------------------------


# The statements every registration runs under the workshop lock, built once: building a
# select costs about as much as SQLite takes to answer it.
_SEATS_TAKEN = sa.select(sa.func.count(Registration.id)).where(
    Registration.workshop_id == sa.bindparam("workshop_id"), Registration.state == State.CONFIRMED)
_BY_EMAIL = sa.select(Registration).where(Registration.workshop_id == sa.bindparam("workshop_id"),
                                          Registration.email == sa.bindparam("email"))
_LAST_WAITLIST_POSITION = sa.select(sa.func.max(Registration.waitlist_position)).where(
    Registration.workshop_id == sa.bindparam("workshop_id"))


def seats_taken(workshop_id: int) -> int:
    return db.session.scalar(_SEATS_TAKEN, {"workshop_id": workshop_id})


def waitlist(workshop_id: int) -> list[Registration]:
    return list(db.session.scalars(
        sa.select(Registration)
        .where(Registration.workshop_id == workshop_id, Registration.state == State.WAITLISTED)
        .order_by(Registration.waitlist_position, Registration.id)
    ))


def waitlist_place(registration: Registration) -> int | None:
    """1 for the first in line; None when not on the waitlist."""
    if registration.state != State.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.workshop_id == registration.workshop_id,
            Registration.state == State.WAITLISTED,
            sa.or_(
                Registration.waitlist_position < registration.waitlist_position,
                sa.and_(Registration.waitlist_position == registration.waitlist_position,
                        Registration.id < registration.id),
            ),
        )
    )
    return ahead + 1


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Registration).join(AccessToken, AccessToken.registration_id == Registration.id)
        .where(AccessToken.token_hash == hash_token(token))
    )


def find_registration(workshop: Workshop, email: str) -> Registration | None:
    return db.session.scalar(_BY_EMAIL, {"workshop_id": workshop.id, "email": normalize_email(email)})


# The one way a state changes --------------------------------------------------------------------


def transition(registration: Registration, new_state: str, *, by=None, actor: str | None = None,
               action: str | None = None, reason: str = "", notify_registrant: bool = True,
               mail_later: bool = False) -> RegistrationChange:
    """Move ``registration`` to ``new_state``: checks the move, records who/what/when/from/to and
    queues the email about it, in the current transaction (the caller commits).

    ``by`` is the User who acted (an organizer), else ``actor`` names who did: "registrant" or
    "system" (automatic promotion). ``mail_later``: the mail worker writes the email (see
    ``notify.state_changed``)."""
    old_state = registration.state
    if new_state not in TRANSITIONS.get(old_state, set()):
        raise RegistrationError(N_("A registration cannot go from %(old)s to %(new)s."), old=old_state, new=new_state)
    registration.state = new_state
    if new_state == State.WAITLISTED:
        registration.waitlist_position = _next_waitlist_position(registration.workshop_id)
    elif old_state == State.WAITLISTED:
        registration.waitlist_position = None
    if registration.id is None:
        db.session.add(registration)
    change = RegistrationChange(
        registration=registration,
        changed_at=utcnow(),
        user_id=getattr(by, "id", None),
        actor=getattr(by, "email", None) or actor or "system",
        action=action or (f"registered as {new_state}" if old_state is None else f"{old_state} -> {new_state}"),
        from_state=old_state,
        to_state=new_state,
        detail=reason,
    )
    db.session.add(change)
    db.session.flush()
    sequences.seat_changed(registration, old_state, new_state)
    audit.record("registration.state_changed", workshop=registration.workshop_id,
                 actor=by if by is not None else ("registrant via token" if change.actor == "registrant" else change.actor),
                 target=registration, from_state=old_state, to_state=new_state)
    announce("registration.state_changed", registration=registration, from_state=old_state, to_state=new_state)
    if notify_registrant:
        notify.state_changed(registration, old_state, new_state, reason=reason,
                             waitlist_place=waitlist_place(registration), later=mail_later)
    return change


def _record_edit(registration: Registration, changed: list[str], *, by=None, actor: str) -> None:
    db.session.add(RegistrationChange(
        registration=registration, changed_at=utcnow(), user_id=getattr(by, "id", None),
        actor=getattr(by, "email", None) or actor, action="details edited",
        from_state=registration.state, to_state=registration.state, detail=", ".join(changed),
    ))


def _next_waitlist_position(workshop_id: int) -> int:
    highest = db.session.scalar(_LAST_WAITLIST_POSITION, {"workshop_id": workshop_id})
    return (highest or 0) + 1


def _has_free_seat(workshop: Workshop, settings: RegistrationSettings) -> bool:
    return settings.capacity is None or seats_taken(workshop.id) < settings.capacity


def promote_from_waitlist(workshop: Workshop, *, by=None, exclude: int | None = None) -> list[Registration]:
    """Give free seats to the first on the waitlist, in order. The caller holds the lock.
    ``exclude``: the registration an organizer has just moved to the waitlist."""
    settings = settings_for(workshop)
    promoted = []
    for registration in waitlist(workshop.id):
        if registration.id == exclude:
            continue
        if not _has_free_seat(workshop, settings):
            break
        # No reason: the promotion email says a seat became free, and a reason would read as a
        # note from the organizers.
        transition(registration, State.CONFIRMED, actor="system",
                   action="promoted: a seat became free")
        promoted.append(registration)
    return promoted


# Registering --------------------------------------------------------------------------------------


def register(workshop: Workshop, fields: dict, *, invitation: Invitation | None = None,
             now: datetime | None = None, language: str | None = None) -> Registration:
    """Register someone, or raise AlreadyRegistered, RegistrationClosed or RegistrationError
    (nothing written: the request rolls back).

    Under the workshop lock: an open workshop that asks for the address to be confirmed takes
    the request as unconfirmed (no seat, no place in line) until the emailed link confirms it;
    moderated workshops take the registration as pending; otherwise it takes a free seat, or
    joins the end of the waitlist.

    From the public form, which anyone can fill in with anyone's address, an existing
    registration is never changed (AlreadyRegistered, nothing written): only its own link
    changes it. Only a request that was never confirmed and has expired is taken afresh. An
    invitation link proves the address, so through it a withdrawn or unconfirmed registration
    is registered again with the new details. ``language`` (the page's) is kept on the
    registration when the workshop offers it, for every email to the registrant."""
    now = now or utcnow()
    email = normalize_email(invitation.email if invitation is not None else fields.get("email"))
    if not email:
        raise RegistrationError(N_("An email address is needed."))
    # The details are checked before the lock, so that the locked part is the seat count and
    # the insert; a refusal is raised in its old place, after the window and mode checks.
    try:
        details, refusal = _checked_details(workshop, fields), None
    except RegistrationError as error:
        details, refusal = None, error
    lock_workshop(workshop.id)
    if workshop not in db.session:
        workshop = db.session.get(Workshop, workshop.id)
    else:
        # The lock expired it: its own columns are read again under the lock (the SEQUENCE the
        # email captures among them), not the organizations the page loaded with it.
        db.session.refresh(workshop, _workshop_columns())
    settings = settings_for(workshop)
    window = settings.window_state(now)
    if window != "open":
        raise RegistrationClosed(window, settings)
    if invitation is None and settings.mode == Mode.INVITATION:
        raise RegistrationError(N_("This workshop takes registrations by invitation only."))
    if invitation is not None:
        invitation = db.session.get(Invitation, invitation.id)
        if not invitations.may_register(invitation, now):
            raise RegistrationError(N_("This invitation has already been answered."))

    existing = find_registration(workshop, email)
    if invitation is None:
        if existing is not None and existing.state != State.EXPIRED:
            raise AlreadyRegistered(existing)
    elif existing is not None and existing.state not in (State.WITHDRAWN, State.UNCONFIRMED, State.EXPIRED):
        _resend_existing(existing, invitation, now)
        raise AlreadyRegistered(existing)

    if refusal is not None:
        raise refusal  # before anything is written
    registration = existing or Registration(workshop_id=workshop.id, email=email)
    registration.workshop = workshop
    _set_details(registration, details)
    registration.privacy_accepted_at = now
    registration.language = language_for(workshop, language)
    if invitation is not None:
        registration.invitation_id = invitation.id
        registration.contact_id = invitation.contact_id
        if registration.category_id is None:
            registration.category_id = invitation.category_id
    if invitation is None and settings.confirm_email:
        state = State.UNCONFIRMED
        registration.confirm_by = now + timedelta(hours=int(current_app.config.get("REGISTRATION_CONFIRM_HOURS", 48)))
    else:
        state = seat_state(workshop, settings)
        registration.confirm_by = None
    again = f"registered again as {state}" if existing is not None else None
    try:
        with db.session.begin_nested():
            # The participant's email is written by the mail worker, after the lock is released.
            transition(registration, state, actor="registrant", action=again, mail_later=True)
    except IntegrityError:
        # A row for this email appeared after all (made outside the lock): one row, link re-sent.
        existing = find_registration(workshop, email)
        if existing is None:
            raise
        if invitation is not None:
            _resend_existing(existing, None, now)
        raise AlreadyRegistered(existing) from None
    if invitation is not None:
        invitations.mark_opened(invitation, now)
        invitations.transition(invitation, InvitationState.ACCEPTED, now=now, actor="invitee via link")
    return registration


@functools.cache
def _workshop_columns() -> tuple[str, ...]:
    return tuple(column.key for column in sa.inspect(Workshop).column_attrs)


def seat_state(workshop: Workshop, settings: RegistrationSettings) -> str:
    """Where a registration whose address is known goes: pending (moderation), a seat, or the
    end of the waitlist. The caller holds the workshop lock."""
    if settings.moderation:
        return State.PENDING
    if _has_free_seat(workshop, settings):
        return State.CONFIRMED
    return State.WAITLISTED


def _resend_existing(registration: Registration, invitation: Invitation | None, now: datetime) -> None:
    if invitation is not None and invitation.state == InvitationState.PENDING:
        invitations.transition(invitation, InvitationState.ACCEPTED, now=now)
        registration.invitation_id = registration.invitation_id or invitation.id
    notify.link_resent(registration)
    db.session.flush()


def _checked_details(workshop: Workshop, fields: dict) -> dict:
    """The submitted details, cleaned and checked; raises RegistrationError before any change."""
    details = {}
    for name in DETAIL_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if isinstance(value, str):
            value = value.strip()
        if name == "category_id":
            value = category.id if (category := category_of(workshop, value)) else None
        if name == "consent" and value not in set(Consent):
            raise RegistrationError(N_("Choose who may see your name on the participant list."))
        if name == "country":
            value = (value or "").upper()
        if name == "name" and not value:
            raise RegistrationError(N_("A name is needed."))
        if name == "honorific" and value and not honorifics.known(value):
            raise RegistrationError(N_("Choose an honorific from the list, or none."))
        details[name] = value
    arrival, departure = details.get("arrival_date"), details.get("departure_date")
    if isinstance(arrival, date) and isinstance(departure, date) and departure < arrival:
        raise RegistrationError(N_("The departure date cannot be before the arrival date."))
    return details


def _set_details(registration: Registration, details: dict) -> list[str]:
    changed = [name for name, value in details.items() if getattr(registration, name) != value]
    for name in changed:
        setattr(registration, name, details[name])
    return changed


# Self-service -------------------------------------------------------------------------------------


def update_details(registration: Registration, fields: dict, *, by=None, now: datetime | None = None) -> list[str]:
    """The registrant (or an organizer, ``by``) edits the details; registrants only until the
    edit deadline. Records which fields changed."""
    now = now or utcnow()
    settings = settings_for(registration.workshop)
    if by is None and not settings.can_edit(now):
        raise RegistrationError(N_("The deadline for changes has passed."))
    if registration.state in (State.WITHDRAWN, State.REJECTED):
        raise RegistrationError(N_("This registration can no longer be changed."))
    fields = {k: v for k, v in fields.items() if k != "email"}  # the email is the identity
    details = _checked_details(registration.workshop, fields)
    arrival = details.get("arrival_date", registration.arrival_date)
    departure = details.get("departure_date", registration.departure_date)
    if isinstance(arrival, date) and isinstance(departure, date) and departure < arrival:
        raise RegistrationError(N_("The departure date cannot be before the arrival date."))
    changed = _set_details(registration, details)
    if changed:
        _record_edit(registration, changed, by=by, actor="registrant")
    db.session.flush()
    return changed


def set_mail_language(registration: Registration, language: str, *, by=None) -> bool:
    """The language of the registrant's later mail (one of the six); whether it changed."""
    if language not in LANGUAGES:
        raise RegistrationError(N_("Choose a language from the list."))
    if registration.language == language:
        return False
    registration.language = language
    _record_edit(registration, ["language"], by=by, actor="registrant")
    db.session.flush()
    return True


def withdraw(registration: Registration, *, by=None, reason: str = "") -> Registration:
    """The registrant withdraws (or an organizer withdraws them): the seat goes to the first on
    the waitlist."""
    return _change_with_lock(registration, State.WITHDRAWN, by=by, actor="registrant", reason=reason)


def is_full(workshop: Workshop) -> bool:
    """No free seat: approving now puts a pending person on the waitlist, and a waitlisted one
    gets a seat only above capacity."""
    return not _has_free_seat(workshop, settings_for(workshop))


def seats_above_capacity(workshop: Workshop) -> int:
    """Seats given beyond the capacity on purpose (or left over after the capacity was lowered)."""
    capacity = settings_for(workshop).capacity
    return 0 if capacity is None else max(0, seats_taken(workshop.id) - capacity)


def approve(registration: Registration, *, by, reason: str = "") -> Registration:
    """A pending registration takes a seat if one is free, else joins the waitlist."""
    workshop_id = registration.workshop_id
    lock_workshop(workshop_id)
    registration = db.session.get(Registration, registration.id)
    if registration.state not in (State.PENDING, State.WAITLISTED):
        raise RegistrationError(N_("Only pending or waitlisted registrations can be approved."))
    settings = settings_for(registration.workshop)
    if _has_free_seat(registration.workshop, settings):
        transition(registration, State.CONFIRMED, by=by, action="approved", reason=reason)
    elif registration.state == State.PENDING:
        transition(registration, State.WAITLISTED, by=by, action="approved, workshop full", reason=reason)
    else:
        raise RegistrationError(N_("The workshop is full: raise the capacity or free a seat first."))
    db.session.flush()
    return registration


def seat_above_capacity(registration: Registration, *, by, reason: str = "") -> Registration:
    """An organizer gives a pending or waitlisted person a seat although the workshop is full.
    Deliberate, so it is written to the audit log and the dashboard counts the extra seat."""
    lock_workshop(registration.workshop_id)
    registration = db.session.get(Registration, registration.id)
    if registration.state not in (State.PENDING, State.WAITLISTED):
        raise RegistrationError(N_("Only pending or waitlisted registrations can be given a seat."))
    workshop = registration.workshop
    settings = settings_for(workshop)
    full = not _has_free_seat(workshop, settings)
    transition(registration, State.CONFIRMED, by=by, reason=reason,
               action="seated above capacity" if full else "approved")
    if full:
        audit.record("registration.seated_above_capacity", workshop=workshop, actor=by, target=registration,
                     capacity=settings.capacity, seats_taken=seats_taken(workshop.id))
    db.session.flush()
    return registration


def reject(registration: Registration, *, by, reason: str = "") -> Registration:
    return _change_with_lock(registration, State.REJECTED, by=by, reason=reason, action="rejected")


def move_to_waitlist(registration: Registration, *, by, reason: str = "") -> Registration:
    return _change_with_lock(registration, State.WAITLISTED, by=by, reason=reason, action="moved to waitlist")


def _change_with_lock(registration: Registration, new_state: str, *, by=None, actor: str = "system",
                      reason: str = "", action: str | None = None) -> Registration:
    lock_workshop(registration.workshop_id)
    registration = db.session.get(Registration, registration.id)
    old_state = registration.state
    freed = old_state == State.CONFIRMED
    # Someone who gives up a seat for the waitlist is told their place after the seat has gone
    # to those ahead of them, so the number in the email is the one they will see.
    later = freed and new_state == State.WAITLISTED
    transition(registration, new_state, by=by, actor=actor, reason=reason, action=action,
               notify_registrant=not later)
    if freed:
        promote_from_waitlist(registration.workshop, by=by, exclude=registration.id)
    if later:
        notify.state_changed(registration, old_state, new_state, reason=reason,
                             waitlist_place=waitlist_place(registration))
    db.session.flush()
    return registration


def resend_link(email: str) -> None:
    """Send every active registration link, and every open invitation, of this email to it.
    The caller answers the same whether anything was found or not."""
    email = normalize_email(email)
    if not email:
        return
    for registration in db.session.scalars(sa.select(Registration).where(Registration.email == email)):
        if registration.state != State.WITHDRAWN:
            notify.link_resent(registration)
    for invitation in db.session.scalars(sa.select(Invitation).where(
            Invitation.email == email, Invitation.state == InvitationState.PENDING)):
        if not invitations.expire_if_overdue(invitation):
            notify.invitation(invitation, reminder=True, asked=True)
    db.session.flush()
