"""Tell confirmed participants when the agenda of a published workshop changes, and take the
sessions out of the calendar of someone who loses their seat.

When: a change on the agenda (a session added, moved, cancelled or reinstated, when the
organizer leaves "tell participants" on) is only noted here, in ``pending_session_notices``.
The mail worker's round (``send_due_notices``) tells the participants once the workshop's
agenda has been quiet for ``AGENDA_NOTICE_DELAY_SECONDS`` (default 600; 0: the next round),
so an organizer rearranging a morning sends one message, not one per click, and a session
added and cancelled again within the quiet period sends nothing.

To whom and what: each confirmed participant gets ONE message for all the sessions that
changed, written from the sessions as they are by then. A session whose calendar event they
were sent (``session_events_sent``) gets an update (REQUEST, the item's SEQUENCE) or a CANCEL;
one they were never sent (or sent a CANCEL for, when they lost a seat) gets its first REQUEST,
and the words say it adds the session rather than moves it; if it is cancelled, no calendar
part at all: a CANCEL for an event they never had would be noise.

An iTIP calendar part carries one event (one UID) and Outlook and Gmail act on one calendar
part per message: a message about one session carries it as the usual calendar alternative
(Accept/Update buttons); a message about several carries one ``.ics`` file per session, and
says so, so that no session is silently left out of a client that reads only one.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from workshop.agenda import service as agenda
from workshop.agenda.models import AgendaItem, ItemStatus
from workshop.calendar import ics
from workshop.platform.db import db
from workshop.platform.i18n import in_language
from workshop.platform.mail.outbox import Attachment, queue_mail
from workshop.platform.urls import absolute_url
from workshop.platform.transaction import lock_workshop
from workshop.platform.types import utcnow
from workshop.registration.notice_models import PendingSessionNotice, SessionEventSent
from workshop.registration.participants import confirmed_registrants
from workshop.workshops.models import Workshop, WorkshopStatus

DEFAULT_DELAY_SECONDS = 600

# FIRST_COPY: a session already on the agenda that changed, whose event they were never sent.
NEW, CHANGED, FIRST_COPY, CANCELLED, DROPPED = "new", "changed", "first_copy", "cancelled", "dropped"


# When: note the change ---------------------------------------------------------------------------


def _note(item: AgendaItem, tell_participants: bool | None, *, added: bool = False) -> None:
    """Remember that ``item`` changed, for the participants to hear about after the quiet
    period. ``tell_participants=False``: the organizer chose to tell nobody."""
    if tell_participants is False or item.workshop.status != WorkshopStatus.PUBLISHED:
        return
    db.session.flush()  # a new item needs its id
    now = utcnow()
    pending = db.session.scalar(
        sa.select(PendingSessionNotice).where(PendingSessionNotice.agenda_item_id == item.id))
    if pending is None:
        db.session.add(PendingSessionNotice(workshop_id=item.workshop_id, agenda_item_id=item.id,
                                            first_changed_at=now, last_changed_at=now, added=added))
    else:
        pending.last_changed_at = now


def session_added(item: AgendaItem, tell_participants: bool | None = None) -> None:
    _note(item, tell_participants, added=True)


def session_moved(item: AgendaItem, tell_participants: bool | None = None) -> None:
    _note(item, tell_participants)


def session_cancelled(item: AgendaItem, tell_participants: bool | None = None) -> None:
    _note(item, tell_participants)


# The worker's round: tell them ---------------------------------------------------------------------


def quiet_period() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("AGENDA_NOTICE_DELAY_SECONDS",
                                                        DEFAULT_DELAY_SECONDS)))


def send_due_notices(now: datetime | None = None) -> int:
    """For every workshop whose agenda has been quiet long enough: one message per confirmed
    participant about all its changed sessions. Returns the number of messages queued. Run by
    the mail worker each round, which commits (and then delivers what was queued)."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(PendingSessionNotice.workshop_id)
        .group_by(PendingSessionNotice.workshop_id)
        .having(sa.func.max(PendingSessionNotice.last_changed_at) <= now - quiet_period())
        .order_by(PendingSessionNotice.workshop_id)
    ).all()
    queued = 0
    for workshop_id in due:
        # Two workers must not both tell: the second finds the rows gone under the lock.
        lock_workshop(workshop_id)
        pending = db.session.scalars(
            sa.select(PendingSessionNotice).where(PendingSessionNotice.workshop_id == workshop_id)
            .order_by(PendingSessionNotice.id)).all()
        if not pending:
            continue
        workshop = db.session.get(Workshop, workshop_id)
        if workshop.status == WorkshopStatus.PUBLISHED:
            queued += _tell_everyone(workshop, pending)
        for row in pending:
            db.session.delete(row)
    db.session.flush()
    return queued


def _tell_everyone(workshop: Workshop, pending: list[PendingSessionNotice]) -> int:
    items = sorted((row.item for row in pending), key=lambda i: (i.starts_at, i.id))
    added_now = {row.agenda_item_id: row.added for row in pending}
    queued = 0
    for registration in confirmed_registrants(workshop):
        sent = {row.agenda_item_id: row for row in db.session.scalars(
            sa.select(SessionEventSent).where(SessionEventSent.registration_id == registration.id,
                                              SessionEventSent.agenda_item_id.in_([i.id for i in items])))}
        changes = [(kind, item) for item in items
                   if (kind := _kind(item, sent.get(item.id), added_now[item.id])) is not None]
        if changes:
            with in_language(registration.language):  # the words and calendar labels in theirs
                _send_changes(workshop, registration, changes, sent)
            queued += 1
    return queued


def _kind(item: AgendaItem, sent: SessionEventSent | None, added_now: bool) -> str | None:
    holds = sent is not None and sent.method != "CANCEL"  # their calendar has it from us
    if item.status == ItemStatus.SCHEDULED:
        if holds:
            return CHANGED
        # Changed on the agenda, but the first copy their calendar gets: the words must say it
        # adds the session, not that it moves one they have.
        return NEW if added_now else FIRST_COPY
    if holds:
        return CANCELLED
    if sent is None and not added_now:
        return DROPPED  # on the agenda before: say it is off, with nothing for the calendar
    return None  # added and cancelled within the quiet period, or cancelled already


def _send_changes(workshop, registration, changes, sent: dict) -> None:
    attendee = ics.Attendee(registration.name, registration.email)
    parts = []  # (item, method, iTIP bytes)
    for kind, item in changes:
        if kind in (NEW, CHANGED, FIRST_COPY):
            # Only participants holding a seat get these: the meeting link goes with them.
            parts.append((item, "REQUEST", ics.build_request(workshop, [item], attendee, online=True)))
        elif kind == CANCELLED:
            parts.append((item, "CANCEL", ics.build_cancel(workshop, [item], attendee)))
    calendar = method = None
    attachments = ()
    if len(parts) == 1:
        _, method, calendar = parts[0]
    else:
        attachments = tuple(Attachment(f"session-{item.id}.ics",
                                       f'text/calendar; charset="utf-8"; method={how}', data)
                            for item, how, data in parts)
    queue_mail(registration.email, "session_changes", subject=_subject(workshop, changes),
               reply_to=workshop.contact_email or None,
               context={"workshop": workshop, "registration": registration, "changes": changes,
                        "calendar_parts": len(parts), "attached": bool(attachments),
                        "calendar_effect": _effect(changes, parts),
                        "agenda_url": absolute_url("agenda.public_agenda", slug=workshop.slug)},
               calendar=calendar, calendar_method=method, attachments=attachments, workshop_id=workshop.id)
    for item, how, _data in parts:
        _record_sent(registration, item, how, sent.get(item.id))


def _record_sent(registration, item: AgendaItem, method: str, record: SessionEventSent | None) -> None:
    if record is None:
        record = SessionEventSent(registration_id=registration.id, agenda_item_id=item.id)
        db.session.add(record)
    record.method, record.sequence, record.sent_at = method, item.sequence, utcnow()


def _effect(changes, parts) -> str | None:
    """What the one calendar part does to the calendar they have: "update", "add" or "remove"."""
    if len(parts) != 1:
        return None
    item = parts[0][0]
    kind = next(kind for kind, changed in changes if changed is item)
    return {CHANGED: "update", NEW: "add", FIRST_COPY: "add", CANCELLED: "remove"}[kind]


def _subject(workshop, changes) -> str:
    if len(changes) > 1:
        return _("Agenda changes: %(title)s", title=workshop.title)
    kind, item = changes[0]
    if kind == NEW:
        return _("New session: %(title)s", title=item.title)
    if kind in (CHANGED, FIRST_COPY):
        return _("Session changed: %(title)s", title=item.title)
    return _("Session cancelled: %(title)s", title=item.title)


# A lost seat ------------------------------------------------------------------------------------


def _context(item: AgendaItem, registration) -> dict:
    workshop = item.workshop
    return {"item": item, "workshop": workshop, "registration": registration,
            "agenda_url": absolute_url("agenda.public_agenda", slug=workshop.slug)}


def seat_lost(registration) -> int:
    """A CANCEL for every scheduled session to someone who just lost their seat (its change
    flushed, the events' SEQUENCE raised). Their personal calendar held every scheduled session,
    whatever was mailed to them, so every one goes: a CANCEL for an event they never added
    removes nothing."""
    with in_language(registration.language):
        workshop = registration.workshop
        attendee = ics.Attendee(registration.name, registration.email)
        items = agenda.items_for(workshop, include_cancelled=False)
        records = {row.agenda_item_id: row for row in db.session.scalars(
            sa.select(SessionEventSent).where(SessionEventSent.registration_id == registration.id))}
        for item in items:
            queue_mail(registration.email, "session_removed",
                       subject=_("Removed from your calendar: %(title)s", title=item.title),
                       context=_context(item, registration),
                       calendar=ics.build_cancel(workshop, [item], attendee),
                       calendar_method="CANCEL", reply_to=workshop.contact_email or None,
                       workshop_id=workshop.id)
            _record_sent(registration, item, "CANCEL", records.get(item.id))
        return len(items)
