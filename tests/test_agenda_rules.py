"""The agenda's pure rules: times against the workshop's days and zone, clashes, contact lines."""

from datetime import date, datetime, timedelta, timezone

import pytest

from workshop.agenda.rules import (
    ClashKind,
    Slot,
    TimeProblem,
    find_clashes,
    localize,
    parse_contact_lines,
    time_problems,
)

FIRST, LAST = date(2030, 6, 1), date(2030, 6, 3)


def local(*parts, zone="Europe/London"):
    return localize(datetime(*parts), zone)


def test_a_time_inside_the_workshop_that_ends_after_it_starts_is_fine():
    assert time_problems(local(2030, 6, 1, 9), local(2030, 6, 1, 10), FIRST, LAST) == []


def test_an_item_may_run_until_midnight_after_the_last_day():
    assert time_problems(local(2030, 6, 3, 22), local(2030, 6, 4, 0), FIRST, LAST) == []


def test_end_at_or_before_start_is_a_problem():
    assert time_problems(local(2030, 6, 1, 9), local(2030, 6, 1, 9), FIRST, LAST) == [TimeProblem.END_NOT_AFTER_START]
    assert time_problems(local(2030, 6, 1, 9), local(2030, 6, 1, 8), FIRST, LAST) == [TimeProblem.END_NOT_AFTER_START]


def test_starting_before_the_first_day_or_ending_after_the_last_is_a_problem():
    assert time_problems(local(2030, 5, 31, 23), local(2030, 6, 1, 1), FIRST, LAST) == [TimeProblem.STARTS_BEFORE_WORKSHOP]
    assert time_problems(local(2030, 6, 3, 23), local(2030, 6, 4, 0, 30), FIRST, LAST) == [TimeProblem.ENDS_AFTER_WORKSHOP]


def test_the_workshop_days_are_counted_in_its_own_zone():
    # 20:00 in New York on the last day is already the next day in UTC: still inside.
    starts, ends = local(2030, 6, 3, 20, zone="America/New_York"), local(2030, 6, 3, 21, zone="America/New_York")
    assert starts.astimezone(timezone.utc).date() == date(2030, 6, 4)
    assert time_problems(starts, ends, FIRST, LAST) == []


def test_a_wall_clock_time_skipped_by_the_clock_change_does_not_exist():
    assert localize(datetime(2030, 3, 31, 1, 30), "Europe/London") is None
    assert time_problems(None, local(2030, 3, 31, 3), date(2030, 3, 31), date(2030, 3, 31)) == [TimeProblem.START_DOES_NOT_EXIST]


def test_the_repeated_autumn_hour_means_its_first_occurrence():
    moment = localize(datetime(2030, 10, 27, 1, 30), "Europe/London")
    assert moment.utcoffset() == timedelta(hours=1)


def slot(id, start, end, room="", people=None):
    day = datetime(2030, 6, 1, tzinfo=timezone.utc)
    return Slot(id, f"Item {id}", day + timedelta(hours=start), day + timedelta(hours=end), room, people or {})


def test_two_items_in_the_same_room_at_the_same_time_clash():
    clashes = find_clashes(slot(1, 9, 11, "Main Hall"), [slot(2, 10, 12, " main  hall "), slot(3, 10, 12, "Room B")])
    assert [(c.kind, c.other.id) for c in clashes] == [(ClashKind.ROOM, 2)]


def test_back_to_back_items_do_not_clash():
    assert find_clashes(slot(1, 9, 10, "Hall"), [slot(2, 10, 11, "Hall")]) == []


def test_a_person_in_two_places_at_once_clashes():
    amina = {"contact:5": "Amina"}
    clashes = find_clashes(slot(1, 9, 11, "A", amina), [slot(2, 10, 12, "B", {"contact:5": "Amina", "contact:6": "Bo"})])
    assert [(c.kind, c.detail) for c in clashes] == [(ClashKind.PERSON, "Amina")]


def test_an_item_does_not_clash_with_itself_and_rooms_left_blank_never_clash():
    assert find_clashes(slot(1, 9, 11, "Hall"), [slot(1, 9, 11, "Hall")]) == []
    assert find_clashes(slot(1, 9, 11, ""), [slot(2, 9, 11, "")]) == []


def test_contact_lines_are_read_as_name_and_email():
    text = "Amina Diallo <Amina@Example.org>\n\n  \"Li, Wei\" <li@example.cn>\nbare@example.org\n"
    assert parse_contact_lines(text) == [
        ("Amina Diallo", "amina@example.org"), ("Li, Wei", "li@example.cn"), ("", "bare@example.org"),
    ]


@pytest.mark.parametrize("text, line", [("Amina <amina@example.org", 1), ("ok <a@b.org>\nno email here", 2)])
def test_a_malformed_contact_line_is_reported_by_number(text, line):
    with pytest.raises(ValueError) as caught:
        parse_contact_lines(text)
    assert caught.value.args[0] == line
