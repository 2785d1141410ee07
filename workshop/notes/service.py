"""Operations on session notes: the only place notes change."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workshop.platform import audit
from workshop.platform.events import announce
from workshop.agenda.models import AgendaItem, ItemKind, ItemStatus
from workshop.workshops.attribution_rules import AttributionRule
from workshop.platform.collections import add_once
from workshop.platform.db import db
from workshop.platform import revisions
from workshop.notes.models import Note, NoteState
from workshop.platform.types import utcnow
from workshop.platform.errors import N_, UserError
from workshop.platform.states import state_label

# Breaks, meals and receptions have nothing to report unless someone already wrote about them.
NOTE_KINDS = (ItemKind.PLENARY, ItemKind.WORKING_SESSION, ItemKind.BREAKOUT)


class NoteError(UserError):
    """An operation the note's state does not allow; the message is for the user."""


def agenda_order():
    return (AgendaItem.starts_at, AgendaItem.id)


def notes_overview(workshop) -> list[tuple[AgendaItem, Note | None]]:
    items = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.workshop_id == workshop.id).order_by(*agenda_order())
    ).all()
    notes = {
        note.agenda_item_id: note
        for note in db.session.scalars(
            sa.select(Note).where(Note.workshop_id == workshop.id).options(selectinload(Note.revisions))
        )
    }
    return [
        (item, notes.get(item.id))
        for item in items
        if item.id in notes or (item.kind in NOTE_KINDS and item.status == ItemStatus.SCHEDULED)
    ]


def item_of(workshop, item_id: int) -> AgendaItem | None:
    item = db.session.get(AgendaItem, item_id)
    return item if item is not None and item.workshop_id == workshop.id else None


def find_note(item: AgendaItem) -> Note | None:
    return db.session.scalar(sa.select(Note).where(Note.agenda_item_id == item.id))


def note_for(item: AgendaItem, *, create: bool = True) -> Note:
    """The item's note. A missing one is made (in draft, no revision yet) when ``create``; else
    an unsaved empty note is returned, so that merely viewing writes nothing."""
    note = find_note(item)
    if note is not None:
        return note
    note = Note(agenda_item_id=item.id, workshop_id=item.workshop_id, state=NoteState.DRAFT, revisions=[])
    if not create:
        return note
    return add_once(note, lambda: find_note(item))


def save(note: Note, source: str, author, base_number: int | None):
    """Raises NoteError (approved: locked), revisions.StaleRevision or revisions.TooLarge."""
    if note.is_locked:
        raise NoteError(N_("These notes are approved and locked. An organizer can reopen them."))
    revision = revisions.save_text(note, source, author, base_number)
    db.session.flush()
    return revision


def save_and_submit(note: Note, source: str, author, base_number: int | None):
    """What the writer typed is saved first, then sent for approval (a note already submitted
    stays so). Raises as ``save``, or NoteError when there is no text."""
    if not (source or "").strip():
        raise NoteError(N_("Write the notes first: there is nothing to submit."))
    revision = save(note, source, author, base_number)
    if note.state == NoteState.DRAFT:
        change_state(note, "submit", author)
    return revision


def next_session(workshop, item: AgendaItem) -> AgendaItem | None:
    """The session after ``item`` in the notes list, for the rapporteur's next note."""
    items = [row_item for row_item, _ in notes_overview(workshop)]
    following = [other for index, other in enumerate(items) if index and items[index - 1].id == item.id]
    return following[0] if following else None


def submitted_notes(workshop) -> list[tuple[AgendaItem, Note]]:
    return [(item, note) for item, note in notes_overview(workshop)
            if note is not None and note.state == NoteState.SUBMITTED]


def approve_submitted(workshop, note_ids, user) -> int:
    """Approve those of ``note_ids`` that are this workshop's and still submitted; how many."""
    wanted = set(note_ids)
    approved = 0
    for _, note in submitted_notes(workshop):
        if note.id in wanted:
            change_state(note, "approve", user)
            approved += 1
    return approved


def restore(note: Note, number: int, author):
    if note.is_locked:
        raise NoteError(N_("These notes are approved and locked. An organizer can reopen them."))
    revision = revisions.restore(note, number, author)
    audit.record("notes.restored", workshop=note.workshop_id, actor=author, target=note,
                 agenda_item_id=note.agenda_item_id, session=note.agenda_item.title, from_revision=number)
    db.session.flush()
    return revision


# State machine: draft -> submitted -> approved; reopen returns to draft.
TRANSITIONS = {
    "submit": ({NoteState.DRAFT}, NoteState.SUBMITTED),
    "approve": ({NoteState.DRAFT, NoteState.SUBMITTED}, NoteState.APPROVED),
    "reopen": ({NoteState.SUBMITTED, NoteState.APPROVED}, NoteState.DRAFT),
}
ORGANIZER_ACTIONS = frozenset({"approve", "reopen"})


def change_state(note: Note, action: str, user) -> None:
    if action not in TRANSITIONS:
        raise NoteError(N_("Unknown action."))
    allowed_from, target = TRANSITIONS[action]
    if note.state not in allowed_from:
        raise NoteError(N_("Notes that are %(state)s cannot be sent to %(target)s."),
                        state=state_label(note.state, "note"), target=state_label(target, "note"))
    if target != NoteState.DRAFT and note.current is None:
        raise NoteError(N_("Write and save the notes first."))
    audit.record("notes.state_changed", workshop=note.workshop_id, actor=user, target=note,
                 agenda_item_id=note.agenda_item_id, session=note.agenda_item.title,
                 from_state=note.state, to_state=target)
    note.state = target
    note.state_changed_at = utcnow()
    note.state_changed_by_id = getattr(user, "id", None)
    db.session.flush()
    announce("notes.state_changed", note=note, to_state=target)


def approved_notes(workshop) -> list[tuple[AgendaItem, Note]]:
    """Approved notes in agenda order: what the memo is compiled from. A closed session's notes
    are never among them: nothing of a closed session enters the memo."""
    rows = db.session.execute(
        sa.select(AgendaItem, Note)
        .join(Note, Note.agenda_item_id == AgendaItem.id)
        .where(Note.workshop_id == workshop.id, Note.state == NoteState.APPROVED)
        .order_by(*agenda_order())
    ).all()
    return [(item, note) for item, note in rows
            if note.current is not None and item.rule != AttributionRule.CLOSED]
