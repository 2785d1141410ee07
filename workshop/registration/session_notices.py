"""Tell confirmed participants when a session moves or is cancelled, and take the sessions out
of the calendar of someone who loses their seat.

One email per participant and per session (an iTIP message carries one UID): ``METHOD:REQUEST``
with the item's new SEQUENCE for a move, ``METHOD:CANCEL`` for a cancellation or a lost seat.
Queued in the transaction of the change, so a rolled-back change sends nothing. Draft workshops
have no participants to tell; a change that leaves SEQUENCE alone (a new description) is not news.
"""

from flask import current_app
from flask_babel import gettext as _

from workshop.agenda import service as agenda
from workshop.agenda.models import AgendaItem
from workshop.calendar import ics
from workshop.platform.i18n import in_language
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.urls import absolute_url
from workshop.registration.participants import confirmed_registrants
from workshop.registration.sequences import held_offset, lost_offset
from workshop.workshops.models import WorkshopStatus


def _recipients(item: AgendaItem):
    workshop = item.workshop
    if workshop.status != WorkshopStatus.PUBLISHED:
        return []
    return confirmed_registrants(workshop)


def _context(item: AgendaItem, registration) -> dict:
    workshop = item.workshop
    return {"item": item, "workshop": workshop, "registration": registration,
            "agenda_url": absolute_url("agenda.public_agenda", slug=workshop.slug)}


def session_moved(item: AgendaItem) -> int:
    """A REQUEST with the item's new times, room and SEQUENCE to every confirmed participant."""
    sent = 0
    for registration in _recipients(item):
        with in_language(registration.language):
            attendee = ics.Attendee(registration.name, registration.email)
            queue_mail(registration.email, "session_moved",
                       subject=_("Session changed: %(title)s", title=item.title),
                       context=_context(item, registration),
                       calendar=ics.build_request(item.workshop, [item], attendee,
                                                  sequence_offset=held_offset(registration)),
                       calendar_method="REQUEST")
            sent += 1
    return sent


def session_cancelled(item: AgendaItem) -> int:
    """A CANCEL (same UID, higher SEQUENCE, STATUS:CANCELLED) to every confirmed participant."""
    sent = 0
    for registration in _recipients(item):
        with in_language(registration.language):
            attendee = ics.Attendee(registration.name, registration.email)
            queue_mail(registration.email, "session_cancelled",
                       subject=_("Session cancelled: %(title)s", title=item.title),
                       context=_context(item, registration),
                       calendar=ics.build_cancel(item.workshop, [item], attendee,
                                                 sequence_offset=held_offset(registration)),
                       calendar_method="CANCEL")
            sent += 1
    return sent


def seat_lost(registration) -> int:
    """A CANCEL for every scheduled session to someone who just lost their seat (its change
    flushed). Which session updates reached them is not recorded, but their personal calendar
    held every scheduled session, so every one goes: a CANCEL for an event they never added
    removes nothing."""
    with in_language(registration.language):
        workshop = registration.workshop
        attendee = ics.Attendee(registration.name, registration.email)
        offset = lost_offset(registration)
        sent = 0
        for item in agenda.items_for(workshop, include_cancelled=False):
            queue_mail(registration.email, "session_removed",
                       subject=_("Removed from your calendar: %(title)s", title=item.title),
                       context=_context(item, registration),
                       calendar=ics.build_cancel(workshop, [item], attendee, sequence_offset=offset),
                       calendar_method="CANCEL")
            sent += 1
        return sent
