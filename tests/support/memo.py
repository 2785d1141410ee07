"""Helpers for the notes and memo tests: agenda items with people, notes in a given state."""

from datetime import datetime, timedelta, timezone

from workshop.agenda.models import AgendaItem, AgendaItemPerson, ItemKind
from workshop.platform.db import db
from workshop.notes import service as notes
from workshop.people.models import Contact
from workshop.workshops.models import Role, WorkshopMember

START = datetime(2030, 6, 1, 9, 0, tzinfo=timezone.utc)


def add_item(workshop, title, *, hours=0, kind=ItemKind.WORKING_SESSION, people=()):
    """An agenda item ``hours`` after START; people are (name, organization, role) tuples."""
    item = AgendaItem(workshop_id=workshop.id, kind=kind, title=title,
                      starts_at=START + timedelta(hours=hours), ends_at=START + timedelta(hours=hours + 1))
    db.session.add(item)
    db.session.flush()
    for position, (name, organization, role) in enumerate(people):
        email = name.lower().replace(" ", ".") + f".{item.id}@example.org"
        contact = Contact(name=name, email=email, organization=organization)
        db.session.add(contact)
        db.session.flush()
        db.session.add(AgendaItemPerson(agenda_item_id=item.id, contact_id=contact.id, role=role, position=position))
    db.session.commit()
    return item


def add_member(workshop, user, role=Role.RAPPORTEUR):
    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=user.id, role=role))
    db.session.commit()


def approved_note(item, text, author):
    note = notes.note_for(item)
    notes.save(note, text, author, note.current.number if note.current else None)
    notes.change_state(note, "approve", author)
    return note
