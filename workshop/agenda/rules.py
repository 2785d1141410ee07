"""Agenda rules as pure functions: time checks and clash detection, tested without a request.

Times come in as the organizer typed them (naive, in the workshop's zone) and leave as aware
datetimes; clashes are found between plain ``Slot`` values, so the rules know nothing of the
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from workshop.platform.times import localize  # noqa: F401  (read by the agenda's forms and demo)


class TimeProblem(StrEnum):
    START_DOES_NOT_EXIST = "start_does_not_exist"
    END_DOES_NOT_EXIST = "end_does_not_exist"
    END_NOT_AFTER_START = "end_not_after_start"
    STARTS_BEFORE_WORKSHOP = "starts_before_workshop"
    ENDS_AFTER_WORKSHOP = "ends_after_workshop"


def time_problems(starts_local: datetime | None, ends_local: datetime | None,
                  first_day: date, last_day: date) -> list[TimeProblem]:
    """What is wrong with a start and end (aware, in the workshop's zone; None if nonexistent).

    An item must end after it starts and lie within the workshop's days: from midnight of the
    first day to midnight at the end of the last day, in the workshop's zone.
    """
    problems = []
    if starts_local is None:
        problems.append(TimeProblem.START_DOES_NOT_EXIST)
    if ends_local is None:
        problems.append(TimeProblem.END_DOES_NOT_EXIST)
    if problems:
        return problems
    if ends_local <= starts_local:
        problems.append(TimeProblem.END_NOT_AFTER_START)
    zone = starts_local.tzinfo
    opening = datetime.combine(first_day, time(0, 0), tzinfo=zone)
    closing = datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=zone)
    if starts_local < opening:
        problems.append(TimeProblem.STARTS_BEFORE_WORKSHOP)
    if ends_local > closing:
        problems.append(TimeProblem.ENDS_AFTER_WORKSHOP)
    return problems


@dataclass(frozen=True)
class Slot:
    """An agenda item as the clash rules see it. ``people`` maps a stable key to a name."""

    id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str = ""
    people: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def overlaps(self, other: "Slot") -> bool:
        # Back-to-back items (one ends when the next starts) do not overlap.
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class ClashKind(StrEnum):
    ROOM = "room"
    PERSON = "person"


@dataclass(frozen=True)
class Clash:
    kind: ClashKind
    other: Slot
    detail: str  # the room, or the person's name


def _room_key(room: str) -> str:
    return " ".join(room.split()).casefold()


def find_clashes(slot: Slot, others: list[Slot]) -> list[Clash]:
    """Overlaps worth a warning: the same room used twice, or a person in two places at once."""
    clashes = []
    for other in sorted(others, key=lambda s: (s.starts_at, s.id or 0)):
        if other.id is not None and other.id == slot.id:
            continue
        if not slot.overlaps(other):
            continue
        if slot.room.strip() and _room_key(slot.room) == _room_key(other.room):
            clashes.append(Clash(ClashKind.ROOM, other, slot.room.strip()))
        for key in sorted(slot.people.keys() & other.people.keys()):
            clashes.append(Clash(ClashKind.PERSON, other, slot.people[key]))
    return clashes


def parse_contact_lines(text: str) -> list[tuple[str, str]]:
    """'Name <email>' lines into (name, email) pairs; raises ValueError naming the bad line.

    Blank lines are skipped; a bare address is accepted with an empty name.
    """
    pairs = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if "<" in line:
            name, _, rest = line.partition("<")
            if not rest.endswith(">"):
                raise ValueError(number)
            email = rest[:-1].strip()
        else:
            name, email = "", line
        name = " ".join(name.split()).strip('"').strip()
        if "@" not in email or " " in email or email.count("@") != 1:
            raise ValueError(number)
        pairs.append((name, email.lower()))
    return pairs
