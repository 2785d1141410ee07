"""How far above an event's own SEQUENCE one registrant's calendar copies go.

Each lost seat sends the registrant a CANCEL one above the copy they hold, for the workshop and
for every session; a later invitation or session update must go above that CANCEL, or their
calendar would take it for an old copy. So each lost seat lifts their copies by two.
"""

from workshop.platform.db import db
from workshop.registration.models import Registration, RegistrationChange, State


def seats_lost(registration: Registration) -> int:
    """How often this registration went from confirmed to something else (a flushed change
    included)."""
    return db.session.scalar(
        db.select(db.func.count(RegistrationChange.id)).where(
            RegistrationChange.registration_id == registration.id,
            RegistrationChange.from_state == State.CONFIRMED,
            RegistrationChange.to_state != State.CONFIRMED,
        )
    ) or 0


def held_offset(registration: Registration) -> int:
    """The offset of what is sent while they hold a seat (a REQUEST, or a CANCEL for everyone)."""
    return 2 * seats_lost(registration)


def lost_offset(registration: Registration) -> int:
    """The offset of the copies held until the seat just lost (its change already flushed)."""
    return 2 * max(0, seats_lost(registration) - 1)
