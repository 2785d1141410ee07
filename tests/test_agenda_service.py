"""Agenda operations: SEQUENCE and updated_at rules, people, clashes."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.support.agenda import add_item
from workshop.agenda import service
from workshop.agenda.rules import ClashKind
from workshop.people.models import Contact

OLD = datetime(2001, 1, 1, tzinfo=timezone.utc)


def age(item, db):
    item.updated_at = OLD
    db.session.commit()


def test_moving_an_item_raises_its_sequence_and_stamps_the_change(make_workshop, db):
    item = add_item(make_workshop())
    assert item.sequence == 0
    age(item, db)
    service.update_item(item, starts_at=item.starts_at + timedelta(hours=1), ends_at=item.ends_at + timedelta(hours=1))
    assert item.sequence == 1
    assert item.updated_at != OLD


@pytest.mark.parametrize("change", [
    {"room": "Room B"},
    {"ends_at": "later"},
])
def test_a_new_room_or_end_raises_the_sequence(make_workshop, change):
    item = add_item(make_workshop())
    if change.get("ends_at") == "later":
        change = {"ends_at": item.ends_at + timedelta(minutes=30)}
    service.update_item(item, **change)
    assert item.sequence == 1


def test_cancelling_and_reinstating_raise_the_sequence(make_workshop):
    item = add_item(make_workshop())
    service.cancel_item(item)
    assert (item.status, item.sequence) == ("cancelled", 1)
    service.reinstate_item(item)
    # Above the CANCEL message's SEQUENCE, which is the cancelled item's own.
    assert (item.status, item.sequence) == ("scheduled", 2)


def test_a_new_description_keeps_the_sequence_but_stamps_the_change(make_workshop, db):
    item = add_item(make_workshop())
    age(item, db)
    service.update_item(item, description="Now with a description.", title="Renamed")
    assert item.sequence == 0
    assert item.updated_at != OLD


def test_saving_without_changes_changes_nothing(make_workshop, db):
    item = add_item(make_workshop(), description="Same")
    age(item, db)
    service.update_item(item, description="Same", starts_at=item.starts_at.astimezone(timezone(timedelta(hours=1))))
    assert (item.sequence, item.updated_at) == (0, OLD)


def test_the_service_refuses_an_end_before_the_start_and_naive_times(make_workshop):
    item = add_item(make_workshop())
    with pytest.raises(service.AgendaError):
        service.update_item(item, ends_at=item.starts_at - timedelta(minutes=1))
    with pytest.raises(service.AgendaError):
        service.update_item(item, starts_at=datetime(2030, 6, 1, 9))


def test_contacts_are_found_by_email_whatever_the_case_or_created(make_workshop, db):
    existing = Contact(name="Amina Diallo", email="amina@example.org")
    db.session.add(existing)
    db.session.commit()
    found = service.find_or_create_contacts([("A. Diallo", "AMINA@example.org"), ("Li Wei", "li@example.cn")])
    assert found[0].id == existing.id and found[0].name == "Amina Diallo"
    assert found[1].id is not None and found[1].email == "li@example.cn"


def test_people_keep_their_order_and_changing_them_stamps_the_item(make_workshop, db):
    a, b = service.find_or_create_contacts([("A", "a@example.org"), ("B", "b@example.org")])
    item = add_item(make_workshop(), chairs=[a], speakers=[b, a])
    assert [c.name for c in item.chairs] == ["A"] and [c.name for c in item.speakers] == ["B", "A"]
    age(item, db)
    service.update_item(item, speakers=[a, b])
    db.session.expire_all()
    assert [c.name for c in item.speakers] == ["A", "B"]
    assert item.updated_at != OLD and item.sequence == 0


def test_clashes_are_found_for_rooms_and_people_but_not_with_cancelled_items(make_workshop):
    workshop = make_workshop()
    (amina,) = service.find_or_create_contacts([("Amina", "amina@example.org")])
    first = add_item(workshop, start="09:00", end="10:30", room="Hall", chairs=[amina])
    second = add_item(workshop, start="10:00", end="11:00", room="Hall", title="Breakout", speakers=[amina])
    kinds = sorted((c.kind, c.other.id) for c in service.clashes_for(second))
    assert kinds == [(ClashKind.PERSON, first.id), (ClashKind.ROOM, first.id)]
    service.cancel_item(first)
    assert service.clashes_for(second) == []


def test_items_are_grouped_by_day_in_the_workshop_zone(make_workshop):
    workshop = make_workshop(timezone="America/New_York")
    late = add_item(workshop, day=0, start="21:00", end="22:00")  # already the next day in UTC
    next_day = add_item(workshop, day=1, start="09:00", end="10:00")
    days = service.group_by_day(workshop, service.items_for(workshop))
    assert [(day, [i.id for i in items]) for day, items in days] == [
        (workshop.start_date, [late.id]), (workshop.start_date + timedelta(days=1), [next_day.id]),
    ]
