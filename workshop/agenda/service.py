"""Operations on a workshop's agenda: the only place agenda items change.

Every change goes through ``_apply``: it stamps ``updated_at`` and raises the iCalendar SEQUENCE
when start, end, room or status change (not for a new description), so calendar clients know
which copy of an event is newer.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workshop.platform import audit
from workshop.platform.events import announce
from workshop.platform.markup import normalize_newlines
from workshop.agenda.models import AgendaItem, AgendaItemPerson, ItemKind, ItemStatus, PersonRole
from workshop.agenda.rules import Clash, Slot, find_clashes
from workshop.auth.models import User
from workshop.platform.collections import sync_ordered_links
from workshop.platform.db import db
from workshop.people.models import Contact
from workshop.people import access as people_access
from workshop.people.service import find_or_create_contacts  # noqa: F401  (the agenda form's "Name <email>" lines)
from workshop.platform.types import utcnow
from workshop.workshops.attribution_rules import AttributionRule
from workshop.workshops.models import Role, Workshop, WorkshopMember
from workshop.platform.errors import N_, UserError

ITEM_FIELDS = ("kind", "title", "description", "guiding_questions", "starts_at", "ends_at", "room",
               "attribution_rule", "online_link", "online_details")
# Changes a calendar client must not ignore (RFC 5545 SEQUENCE).
SEQUENCE_FIELDS = ("starts_at", "ends_at", "room", "status")


class AgendaError(UserError):
    pass


# Reading ----------------------------------------------------------------------------------------


def _items_query(include_cancelled: bool, with_rapporteurs: bool):
    loaders = [selectinload(AgendaItem.people)]
    if with_rapporteurs:
        loaders.append(selectinload(AgendaItem.rapporteurs))
    query = (
        sa.select(AgendaItem)
        .where(AgendaItem.workshop_id == sa.bindparam("workshop_id"))
        .options(*loaders)
        .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
    )
    if not include_cancelled:
        query = query.where(AgendaItem.status == ItemStatus.SCHEDULED)
    return query


# The public agenda page, feed, JSON and PDF read these on every request: built once, since
# building a select costs more than SQLite takes to run a small one.
_ITEMS = {(cancelled, rapporteurs): _items_query(cancelled, rapporteurs)
          for cancelled in (True, False) for rapporteurs in (True, False)}


def items_for(workshop: Workshop, *, include_cancelled: bool = True) -> list[AgendaItem]:
    return list(db.session.scalars(_ITEMS[include_cancelled, True], {"workshop_id": workshop.id}))


def public_items(workshop: Workshop, *, include_cancelled: bool = True) -> list[AgendaItem]:
    """Items with their people, without the rapporteurs (accounts), which no public page shows."""
    return list(db.session.scalars(_ITEMS[include_cancelled, False], {"workshop_id": workshop.id}))


def get_item(workshop: Workshop, item_id: int) -> AgendaItem | None:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.workshop_id != workshop.id:
        return None
    return item


def group_by_day(workshop: Workshop, items: list[AgendaItem]) -> list[tuple[date, list[AgendaItem]]]:
    """Items by the day they start on in the workshop's zone, days in order."""
    zone = ZoneInfo(workshop.timezone)
    days: OrderedDict[date, list[AgendaItem]] = OrderedDict()
    for item in sorted(items, key=lambda i: (i.starts_at, i.ends_at, i.id)):
        days.setdefault(item.starts_at.astimezone(zone).date(), []).append(item)
    return list(days.items())


def rapporteurs_of(workshop: Workshop) -> list[User]:
    return list(db.session.scalars(
        sa.select(User)
        .join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.RAPPORTEUR)
        .order_by(User.name)
    ))


def all_contacts(viewer=None) -> list[Contact]:
    """The contacts to pick chairs and speakers from: with ``viewer``, those they may read."""
    if viewer is not None:
        return people_access.visible_contacts(viewer)
    return list(db.session.scalars(sa.select(Contact).order_by(Contact.name, Contact.email)))


def contacts_by_ids(ids, viewer=None) -> list[Contact]:
    """Contacts in the order the ids were given; unknown ids (and, with ``viewer``, those they
    may not read) are dropped."""
    ids = [int(i) for i in ids or ()]
    statement = sa.select(Contact).where(Contact.id.in_(ids))
    if viewer is not None:
        statement = statement.where(people_access.visible_clause(viewer))
    found = {c.id: c for c in db.session.scalars(statement)}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def slot_of(item: AgendaItem) -> Slot:
    people = {f"contact:{link.contact_id}": link.contact.name for link in item.people}
    people.update({f"user:{user.id}": user.name for user in item.rapporteurs})
    return Slot(item.id, item.title, item.starts_at, item.ends_at, item.room or "", people)


def clashes_for(item: AgendaItem) -> list[Clash]:
    """Other scheduled items of the workshop that share a room or a person with ``item``."""
    if item.status != ItemStatus.SCHEDULED:
        return []
    others = [slot_of(other) for other in items_for(item.workshop, include_cancelled=False)
              if other.id != item.id]
    return find_clashes(slot_of(item), others)


# Changing ---------------------------------------------------------------------------------------


def create_item(workshop: Workshop, *, chairs=(), speakers=(), rapporteurs=(),
                tell_participants: bool | None = None, **fields) -> AgendaItem:
    """``tell_participants`` (here and below): False keeps the change from the participants;
    None or True lets them hear about it (published workshops only, after a quiet period)."""
    item = AgendaItem(workshop=workshop, status=ItemStatus.SCHEDULED, sequence=0,
                      kind=ItemKind.PLENARY, description="", guiding_questions="", room="")
    db.session.add(item)
    _apply(item, fields, people={PersonRole.CHAIR: chairs, PersonRole.SPEAKER: speakers},
           rapporteurs=rapporteurs, new=True)
    audit.record("agenda.item_created", workshop=workshop, target=item, title=item.title)
    db.session.flush()
    announce("agenda.session_added", item=item, tell_participants=tell_participants)
    return item


def update_item(item: AgendaItem, *, chairs=None, speakers=None, rapporteurs=None,
                tell_participants: bool | None = None, **fields) -> AgendaItem:
    """Edit or move an item; ``None`` for a list leaves it as it is."""
    people = {}
    if chairs is not None:
        people[PersonRole.CHAIR] = chairs
    if speakers is not None:
        people[PersonRole.SPEAKER] = speakers
    sequence = item.sequence
    if _apply(item, fields, people=people, rapporteurs=rapporteurs):
        audit.record("agenda.item_changed", workshop=item.workshop_id, target=item, title=item.title,
                     fields=sorted(fields))
        announce("agenda.item_changed", item=item)
    if item.sequence != sequence and item.status == ItemStatus.SCHEDULED:
        announce("agenda.session_moved", item=item, tell_participants=tell_participants)
    db.session.flush()
    return item


def cancel_item(item: AgendaItem, *, tell_participants: bool | None = None) -> AgendaItem:
    was_scheduled = item.status == ItemStatus.SCHEDULED
    if _apply(item, {"status": ItemStatus.CANCELLED}):
        audit.record("agenda.item_cancelled", workshop=item.workshop_id, target=item, title=item.title)
    if was_scheduled:
        announce("agenda.session_cancelled", item=item, tell_participants=tell_participants)
    db.session.flush()
    return item


def reinstate_item(item: AgendaItem, *, tell_participants: bool | None = None) -> AgendaItem:
    was_cancelled = item.status == ItemStatus.CANCELLED
    if _apply(item, {"status": ItemStatus.SCHEDULED}):
        audit.record("agenda.item_reinstated", workshop=item.workshop_id, target=item, title=item.title)
    if was_cancelled:
        # The status change raised SEQUENCE above the CANCEL's (sent at the cancelled item's
        # own), so calendars that saw the CANCEL take the reinstated event as newer.
        announce("agenda.session_moved", item=item, tell_participants=tell_participants)
    db.session.flush()
    return item


def _apply(item: AgendaItem, fields: dict, *, people=None, rapporteurs=None, new: bool = False) -> bool:
    """Set fields and links; stamp the change and raise SEQUENCE when the calendar must follow.

    Returns whether anything changed.
    """
    unknown = set(fields) - set(ITEM_FIELDS) - {"status"}
    if unknown:
        raise AgendaError(N_("Unknown agenda item fields: %(names)s"), names=", ".join(sorted(unknown)))
    if "kind" in fields and fields["kind"] not in set(ItemKind):
        raise AgendaError(N_("Choose a kind of item from the list."))
    if "attribution_rule" in fields:
        fields = {**fields, "attribution_rule": fields["attribution_rule"] or None}  # "": the workshop's
        if fields["attribution_rule"] not in set(AttributionRule) | {None}:
            raise AgendaError(N_("Choose an attribution rule from the list."))
    if "status" in fields and fields["status"] not in set(ItemStatus):
        raise AgendaError(N_("Unknown status."))
    for name in ("starts_at", "ends_at"):
        if name in fields and (fields[name] is None or fields[name].tzinfo is None):
            raise AgendaError(N_("Times must be given with their time zone."))
    changed_fields = set()
    for name, value in fields.items():
        if isinstance(value, str):
            value = normalize_newlines(value.strip())
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed_fields.add(name)
    starts, ends = item.starts_at, item.ends_at
    if starts is not None and ends is not None and ends <= starts:
        raise AgendaError(N_("The end must be after the start."))
    links_changed = False
    for role, contacts in (people or {}).items():
        links_changed |= _set_people(item, role, list(contacts))
    if rapporteurs is not None:
        wanted = list(dict.fromkeys(rapporteurs))
        if [u.id for u in item.rapporteurs] != [u.id for u in wanted]:
            item.rapporteurs = wanted
            links_changed = True
    if not new and changed_fields & set(SEQUENCE_FIELDS):
        item.sequence = (item.sequence or 0) + 1
    if new or changed_fields or links_changed:
        item.updated_at = utcnow()
        return True
    return False


def _set_people(item: AgendaItem, role: str, contacts: list[Contact]) -> bool:
    """Make the item's ``role`` people exactly ``contacts``, in order. Returns whether it changed."""
    contacts = list({c.id if c.id is not None else id(c): c for c in contacts}.values())
    return sync_ordered_links(
        item.people, [link for link in item.people if link.role == role], contacts,
        key=lambda contact: contact.id, key_of_link=lambda link: link.contact_id,
        make=lambda contact: AgendaItemPerson(contact=contact, role=role))
