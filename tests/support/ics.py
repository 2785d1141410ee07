"""Read calendar files the way the tests need: two independent parsers that must agree.

``parse_checked`` parses with icalendar and with vobject, asserts both see the same events (UID,
start, end, summary) and that the file is well formed on the wire (CRLF, lines of at most 75
octets, a VTIMEZONE for every TZID), and returns the icalendar Calendar.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import icalendar
import vobject


def _instant(value):
    """Dates stay dates; datetimes compare as UTC instants (each parser has its own tzinfo)."""
    if isinstance(value, datetime):
        assert value.tzinfo is not None, f"floating time {value!r} in a calendar file"
        return value.astimezone(timezone.utc)
    assert isinstance(value, date)
    return value


def events_by_icalendar(data: bytes) -> dict[str, tuple]:
    calendar = icalendar.Calendar.from_ical(data)
    return {
        str(event["UID"]): (_instant(event.decoded("DTSTART")), _instant(event.decoded("DTEND")),
                            str(event["SUMMARY"]))
        for event in calendar.walk("VEVENT")
    }


def _forget_vobject_timezones() -> None:
    """vobject keeps the first VTIMEZONE it ever saw for a TZID, process-wide; a calendar client
    reads each file on its own, so each parse here starts without the earlier files' zones."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    utc = registry.get("UTC")
    registry.clear()
    registry["UTC"] = utc


def events_by_vobject(data: bytes) -> dict[str, tuple]:
    _forget_vobject_timezones()
    calendar = vobject.readOne(data.decode("utf-8"))
    return {
        event.uid.value: (_instant(event.dtstart.value), _instant(event.dtend.value), event.summary.value)
        for event in getattr(calendar, "vevent_list", [])
    }


def assert_wire_format(data: bytes) -> None:
    assert data.endswith(b"\r\n"), "the file must end with CRLF"
    assert b"\n" not in data.replace(b"\r\n", b""), "a line ends with a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a line ends with a bare CR"
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, f"line longer than 75 octets: {line!r}"
        line.decode("utf-8")  # folding must never split a multi-byte character


def assert_timezones_defined(calendar: icalendar.Calendar) -> None:
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    used = set()
    for component in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            prop = component.get(name)
            if prop is not None and "TZID" in prop.params:
                used.add(str(prop.params["TZID"]))
    assert used <= defined, f"TZIDs without a VTIMEZONE: {used - defined}"


def parse_checked(data: bytes) -> icalendar.Calendar:
    assert_wire_format(data)
    calendar = icalendar.Calendar.from_ical(data)
    assert_timezones_defined(calendar)
    # Also check what stands in the file itself, not only what icalendar re-derives.
    for tzid in set(re.findall(rb"TZID=([^:;]+)[:;]", data)):
        assert b"TZID:" + tzid + b"\r\n" in data, f"no VTIMEZONE for {tzid!r}"
    first, second = events_by_icalendar(data), events_by_vobject(data)
    assert first, "a calendar file without events"
    assert first == second, f"the parsers disagree:\nicalendar: {first}\nvobject:   {second}"
    return calendar


def unfold(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
