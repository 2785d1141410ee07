"""Read the calendar part of an email the way a mail client does, and check it.

    part = itip_of(message)   # None when the message carries no calendar
    part.method, part.calendar (icalendar, checked by both parsers), part.event, part.raw
"""

from dataclasses import dataclass

import icalendar

from tests.support.ics import parse_checked


@dataclass
class ItipPart:
    method: str                     # the MIME ``method`` parameter of text/calendar
    raw: bytes
    calendar: icalendar.Calendar

    @property
    def event(self):
        [event] = self.calendar.walk("VEVENT")  # an iTIP message carries one UID
        return event


def itip_parts(message) -> list[ItipPart]:
    """Every calendar part: the one of a message about one event (``itip_of``), or the
    ``session-<id>.ics`` files of a message about several, each one event with its method."""
    files = [p for p in message.walk() if (p.get_filename() or "").startswith("session-")]
    if not files:
        part = itip_of(message)
        return [part] if part is not None else []
    assert not [p for p in message.walk() if p.get_filename() == "invite.ics"]
    parts = []
    for file in files:
        raw = file.get_content()
        raw = raw.encode("utf-8") if isinstance(raw, str) else raw
        calendar = parse_checked(raw)
        method = file.get_param("method")
        assert method == str(calendar["METHOD"]), f"Content-Type says {method}, the file {calendar['METHOD']}"
        parts.append(ItipPart(method, raw, calendar))
    return parts


def itip_of(message) -> ItipPart | None:
    """The ``text/calendar`` alternative and the ``invite.ics`` attachment must be the same file,
    and the MIME ``method`` must equal METHOD inside it."""
    inline = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    attached = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    if not inline and not attached:
        return None
    assert len(inline) == 1 and len(attached) == 1, "one calendar part and one invite.ics"
    part = inline[0]
    raw = part.get_content()
    raw = raw.encode("utf-8") if isinstance(raw, str) else raw
    attachment = attached[0].get_content()
    attachment = attachment.encode("utf-8") if isinstance(attachment, str) else attachment
    assert attachment == raw, "the attachment differs from the calendar part"
    calendar = parse_checked(raw)
    method = part.get_param("method")
    assert method == str(calendar["METHOD"]), f"Content-Type says {method}, the file {calendar['METHOD']}"
    return ItipPart(method, raw, calendar)
