"""Plain stand-ins for workshops and agenda items: the pure builders need only attributes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

FIXED = datetime(2030, 1, 15, 12, 0, tzinfo=timezone.utc)
SETTINGS_BASE = "https://workshops.example.org"


def fake_workshop(**fields) -> SimpleNamespace:
    values = dict(
        id=7, slug="summer-session", title="Summer Workshop", timezone="Europe/London",
        start_date=date(2030, 6, 1), end_date=date(2030, 6, 3), venue="Chatham House",
        city="London", description="Purpose.", updated_at=FIXED, sequence=0,
        conveners=[SimpleNamespace(name="Global Centre for the Responsibility to Protect")],
    )
    values.update(fields)
    return SimpleNamespace(**values)


def fake_item(id=11, *, starts=(2030, 6, 1, 8, 0), ends=(2030, 6, 1, 9, 30), **fields) -> SimpleNamespace:
    values = dict(
        id=id, kind="plenary", title=f"Session {id}", description="", guiding_questions="",
        starts_at=datetime(*starts, tzinfo=timezone.utc), ends_at=datetime(*ends, tzinfo=timezone.utc),
        room="Room 1", status="scheduled", sequence=0, updated_at=FIXED, chairs=[], speakers=[],
    )
    values.update(fields)
    return SimpleNamespace(**values)


def add_item(workshop, day: int = 0, start: str = "09:00", end: str = "10:00", **fields):
    """An agenda item through the service, times given on the workshop's wall clock."""
    from datetime import timedelta

    from workshop.agenda import service
    from workshop.agenda.rules import localize

    on = workshop.start_date + timedelta(days=day)

    def at(clock):
        hours, minutes = map(int, clock.split(":"))
        return localize(datetime(on.year, on.month, on.day, hours, minutes), workshop.timezone)

    values = {"title": "Opening plenary", "kind": "plenary", "room": "Main hall"}
    values.update(fields)
    return service.create_item(workshop, starts_at=at(start), ends_at=at(end), **values)
