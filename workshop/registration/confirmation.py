"""Open registration's address check, and what the public form does for an address it knows.

Anyone can type anyone's address into the public form. So a new request in an open workshop
that asks for it (``RegistrationSettings.confirm_email``) is unconfirmed: it holds no seat and
no place in line until the person opens the link mailed to that address and confirms. A
request nobody confirms expires (the hourly job), and the address may register afresh.

The form answers the same for a known address as for a new one ("check your inbox"); the
known address is sent its own link instead, counted against the same per-inbox limit as the
"lost your link" form (the view spends it), and the registration itself is not touched: only
its link changes it (``confirm`` below, the edit and withdraw pages).
"""

from datetime import datetime

import sqlalchemy as sa

from workshop.platform.db import db
from workshop.platform.errors import N_
from workshop.platform.transaction import lock_workshop
from workshop.platform.types import utcnow
from workshop.registration import notify
from workshop.registration.models import Mode, Registration, State
from workshop.registration.service import (RegistrationClosed, RegistrationError, seat_state, settings_for,
                                           transition)


def is_overdue(registration: Registration, now: datetime | None = None) -> bool:
    """An unconfirmed request past its time reads as expired, before the job records it."""
    return (registration.state == State.UNCONFIRMED and registration.confirm_by is not None
            and (now or utcnow()) >= registration.confirm_by)


def may_confirm(registration: Registration, now: datetime | None = None) -> bool:
    """Whether the registration's page offers "Confirm" (unconfirmed) or "Register again"
    (withdrawn, while registration is open)."""
    if registration.state == State.UNCONFIRMED:
        return not is_overdue(registration, now)
    if registration.state == State.WITHDRAWN:
        settings = settings_for(registration.workshop)
        return (settings.window_state(now or utcnow()) == "open"
                and (settings.mode == Mode.OPEN or registration.invitation_id is not None))
    return False


def remind_existing(registration: Registration) -> None:
    """The public form was sent an address already registered: mail that address its own link
    (to confirm, if it is still unconfirmed). Nothing about the registration changes."""
    if registration.purged_at is not None:
        return
    if registration.state == State.UNCONFIRMED:
        notify.state_changed(registration, None, State.UNCONFIRMED)
    else:
        notify.link_resent(registration)
    db.session.flush()


def confirm(registration: Registration, *, now: datetime | None = None) -> Registration:
    """The person, through their own link, confirms their address (an unconfirmed request) or
    registers again (withdrawn): under the workshop lock it takes a seat, goes to moderation or
    joins the end of the waitlist, as a new registration would."""
    now = now or utcnow()
    lock_workshop(registration.workshop_id)
    registration = db.session.get(Registration, registration.id)
    workshop = registration.workshop
    settings = settings_for(workshop)
    if registration.state not in (State.UNCONFIRMED, State.WITHDRAWN):
        raise RegistrationError(N_("This registration needs no confirmation."))
    if is_overdue(registration, now):
        raise RegistrationError(N_("This request has expired. Fill in the registration form again."))
    window = settings.window_state(now)
    if window != "open":
        raise RegistrationClosed(window, settings)
    if not may_confirm(registration, now):
        raise RegistrationError(N_("This workshop takes registrations by invitation only."))
    action = "address confirmed" if registration.state == State.UNCONFIRMED else "registered again"
    registration.confirm_by = None
    transition(registration, seat_state(workshop, settings), actor="registrant", action=action)
    db.session.flush()
    return registration


def expire_unconfirmed(now: datetime | None = None) -> int:
    """The hourly job: record the unconfirmed requests past their time as expired. They held
    no seat and no place in line; the address may register afresh."""
    now = now or utcnow()
    overdue = db.session.scalars(sa.select(Registration).where(
        Registration.state == State.UNCONFIRMED, Registration.confirm_by.is_not(None),
        Registration.confirm_by <= now).order_by(Registration.id)).all()
    for registration in overdue:
        transition(registration, State.EXPIRED, actor="system", action="not confirmed in time",
                   notify_registrant=False)
    db.session.flush()
    return len(overdue)
