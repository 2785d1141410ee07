"""Keeping one SEQUENCE per calendar event when one registrant's copies must be outranked.

A registrant who loses their seat gets a CANCEL for the workshop event and for every session;
one who comes back later gets a REQUEST that must outrank that CANCEL. Rather than give that
person numbers of their own (their mail would then say SEQUENCE 2 where the feed and their
personal calendar say 0, and calendars disagree about which copy is newer), the events'
SEQUENCE goes up for everybody: in RFC 5546 terms the event changed, an attendee left or came
back. The feed, the personal calendars and every message then carry the same number.
"""

from workshop.agenda import service as agenda
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


def raise_event_sequences(workshop) -> None:
    """The workshop event and every scheduled session one SEQUENCE up."""
    workshop.sequence = (workshop.sequence or 0) + 1
    for item in agenda.items_for(workshop, include_cancelled=False):
        item.sequence = (item.sequence or 0) + 1
    db.session.flush()


def seat_changed(registration: Registration, old_state: str | None, new_state: str) -> None:
    """Called with the change flushed, before its mail is written: a lost seat (its CANCELs) and
    a seat regained after one (its REQUEST) must go above every copy already out."""
    lost = old_state == State.CONFIRMED and new_state != State.CONFIRMED
    # A registration made just now (no old state) has never held a seat: nothing to count.
    regained = (new_state == State.CONFIRMED and old_state not in (None, State.CONFIRMED)
                and seats_lost(registration) > 0)
    if lost or regained:
        raise_event_sequences(registration.workshop)
