"""Who may read and change which contacts.

A contact is personal data shared by every workshop that uses it (its invitations,
registrations, participant categories and agenda). An organizer reads the contacts their own
workshops use, and those they added themselves that no workshop uses yet; a site admin, or an
account an admin lets see all, reads every one. A contact that another organizer's workshop also
uses is changed by a site admin only, as organizations are: its email is where that workshop's
invitations go, its name is on that workshop's agenda.
"""

import sqlalchemy as sa

from workshop.people.models import Contact
from workshop.platform.db import db
from workshop.workshops.access import organized_by, organizes_any

# (table, how its rows reach a workshop) for every table that points at a contact. The features
# that own them are built on this one, so their tables are looked up by name.
_DIRECT_USES = ("invitations", "registrations", "contact_categories")


def contact_uses(*, workshops=None, contacts=None):
    """A select of (contact_id, workshop_id) pairs: which workshops use which contacts; with
    ``workshops`` or ``contacts`` (a select or a list of ids), only those. The filters go into
    each part of the union rather than around it: the database then reads the parts by their
    indexes instead of building every workshop's uses first (at 30,000 registrations that was
    most of the directory's time)."""
    tables = db.metadata.tables

    def narrowed(statement, contact_id, workshop_id):
        if workshops is not None:
            statement = statement.where(workshop_id.in_(workshops))
        if contacts is not None:
            statement = statement.where(contact_id.in_(contacts))
        return statement

    parts = [narrowed(sa.select(tables[name].c.contact_id.label("contact_id"),
                                tables[name].c.workshop_id.label("workshop_id"))
                      .where(tables[name].c.contact_id.is_not(None)),
                      tables[name].c.contact_id, tables[name].c.workshop_id)
             for name in _DIRECT_USES if name in tables]
    if "agenda_item_people" in tables:
        people, items = tables["agenda_item_people"], tables["agenda_items"]
        parts.append(narrowed(sa.select(people.c.contact_id.label("contact_id"), items.c.workshop_id.label("workshop_id"))
                              .join(items, items.c.id == people.c.agenda_item_id),
                              people.c.contact_id, items.c.workshop_id))
    return sa.union(*parts).subquery("contact_uses")


def workshops_using(contact: Contact) -> list[int]:
    uses = contact_uses(contacts=[contact.id])
    return sorted(set(db.session.scalars(sa.select(uses.c.workshop_id).where(uses.c.contact_id == contact.id))))


def sees_whole_directory(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_admin or user.sees_all_contacts))


def may_open_directory(user) -> bool:
    """Rapporteurs and accounts without a workshop of their own do not reach the directory."""
    return sees_whole_directory(user) or organizes_any(user) or bool(
        getattr(user, "is_authenticated", False) and user.can_create_workshops)


def visible_clause(user):
    """A where-clause on Contact: the contacts ``user`` may read."""
    if sees_whole_directory(user):
        return sa.true()
    uses = contact_uses(workshops=organized_by(user))
    return sa.or_(Contact.id.in_(sa.select(uses.c.contact_id)), Contact.created_by_id == user.id)


def visible_contacts(user, ids=None) -> list[Contact]:
    statement = sa.select(Contact).where(visible_clause(user)).order_by(Contact.name, Contact.email)
    if ids is not None:
        statement = statement.where(Contact.id.in_(list(ids)))
    return list(db.session.scalars(statement))


def can_see(user, contact: Contact) -> bool:
    return db.session.scalar(sa.select(Contact.id).where(Contact.id == contact.id, visible_clause(user))) is not None


def editable_ids(user, contact_ids) -> set[int]:
    """Those of ``contact_ids`` that ``user`` may change: site admins any; an organizer those
    they may read that no other organizer's workshop uses."""
    ids = set(contact_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    if user.is_admin:
        return ids
    visible = set(db.session.scalars(sa.select(Contact.id).where(Contact.id.in_(ids), visible_clause(user))))
    uses = contact_uses(contacts=list(visible))
    elsewhere = set(db.session.scalars(sa.select(uses.c.contact_id).where(
        uses.c.workshop_id.not_in(organized_by(user)))))
    return visible - elsewhere


def can_edit(user, contact: Contact) -> bool:
    return contact.id in editable_ids(user, [contact.id])
