"""Calendar files (RFC 5545) and scheduling messages (RFC 5546), built from plain objects.

Every builder takes a workshop and its agenda items (anything with the model's attributes) and
returns bytes; nothing here touches the database or a request. A feed (no METHOD) always gives
the same bytes for the same input: its DTSTAMP is the moment the event last changed, so an
unchanged agenda gives a byte-identical file and a stable ETag. An iTIP message (METHOD:REQUEST
or CANCEL) is stamped with the moment it is written, as RFC 5545 asks.

SEQUENCE is the event's own (the workshop's or the agenda item's) in every file: feed, personal
calendar and mail. Whoever sends a message that must outrank the copies already out (a CANCEL to
someone who lost their seat, a REQUEST after it) raises the event's SEQUENCE first.

UIDs are ``workshop-<id>@<host>`` and ``session-<id>@<host>`` (host of BASE_URL) in every kind
of file, so a session subscribed through the feed, downloaded alone and received by email is one
event in the attendee's calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from typing import Iterable, Sequence
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _  # the labels in the reader's language; English outside an app
from icalendar import Calendar, Event, vCalAddress, vText

from workshop.platform.markup import normalize_newlines

PRODID = "-//workshop//Agenda and calendar//EN"
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarSettings:
    """What the builders need from the configuration."""

    base_url: str
    mail_from: str = "workshop@localhost"

    @property
    def sender(self) -> tuple[str, str]:
        """MAIL_FROM as (display name, address): ``Workshops Team <workshops@example.org>`` is
        a name and an address, and only the address belongs after ``mailto:``."""
        name, address = parseaddr(self.mail_from)
        return name.strip(), address or self.mail_from.strip()

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path


def settings_from_app() -> CalendarSettings:
    from flask import current_app

    return CalendarSettings(current_app.config["BASE_URL"], current_app.config["MAIL_FROM"])


# Identity ---------------------------------------------------------------------------------------


def workshop_uid(workshop, host: str) -> str:
    return f"workshop-{workshop.id}@{host}"


def session_uid(item, host: str) -> str:
    return f"session-{item.id}@{host}"


def workshop_sequence(workshop) -> int:
    """The workshop's own SEQUENCE, raised by the workshops service when dates or place change."""
    return workshop.sequence or 0


def workshop_page_url(workshop, settings: CalendarSettings) -> str:
    return settings.url(f"/w/{workshop.slug}/")


def session_page_url(workshop, item, settings: CalendarSettings) -> str:
    return settings.url(f"/w/{workshop.slug}/agenda#item-{item.id}")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _param_text(text: str) -> str:
    """A name for a CN parameter written so that no client needs RFC 6868's ``^'`` and ``^^``
    escapes, which Outlook shows as typed: double quotes become single ones, carets go."""
    return _one_line((text or "").replace('"', "'").replace("^", " "))


class PlainText(vText):
    """A TEXT value escaped as RFC 5545 says and nothing more. icalendar's own vText first turns
    a typed backslash-N into a line break (it reads ``\\N`` as an escape in the input), so a
    title reading ``C:\\New`` would split; here a backslash is always a backslash."""

    def to_ical(self) -> bytes:
        text = normalize_newlines(str(self))
        escaped = (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                   .replace("\n", "\\n"))
        return escaped.encode(self.encoding)


# Events -----------------------------------------------------------------------------------------


def location_of(*parts: str | None) -> str:
    """Room, venue and city as one LOCATION line, each place named once: a venue typed as
    "Centre, Room A" must not repeat the item's "Room A"."""
    seen, kept = set(), []
    for part in parts:
        for piece in (part or "").split(","):
            piece = " ".join(piece.split())
            if piece and piece.casefold() not in seen:
                seen.add(piece.casefold())
                kept.append(piece)
    return ", ".join(kept)


def meeting_link(workshop, item=None) -> tuple[str, str]:
    """(link, access details) of the online meeting of ``item`` (its own, else the workshop's),
    or of the workshop; ('', '') when there is none. Only web addresses count: the forms accept
    nothing else, and a link that reached the row another way must not become a script."""
    for source in (item, workshop):
        link = (getattr(source, "online_link", "") or "").strip() if source is not None else ""
        if link.lower().startswith(("https://", "http://")):
            return link, (getattr(source, "online_details", "") or "").strip()
    return "", ""


def online_text(link: str, details: str) -> str:
    """The meeting in words, for a description: what a calendar without CONFERENCE shows."""
    if not link:
        return ""
    return "\n".join(part for part in (_("Join online: %(link)s", link=link), details) if part)


def _add_conference(event: Event, link: str) -> None:
    """RFC 7986 CONFERENCE: clients that know it show a Join button."""
    if link:
        event.add("conference", link, parameters={"VALUE": "URI", "FEATURE": "AUDIO,VIDEO",
                                                  "LABEL": _param_text(_("Online meeting"))})


def build_workshop_event(workshop, settings: CalendarSettings, stamp: datetime | None = None,
                         *, online: bool = False, sequence: int | None = None) -> Event:
    """The whole workshop as one all-day event; DTEND is exclusive (the day after the last day).

    It is TRANSPARENT so that three all-day days do not show the attendee as busy; the sessions
    carry the busy time.
    """
    url = workshop_page_url(workshop, settings)
    event = Event()
    event.add("uid", workshop_uid(workshop, settings.host))
    event.add("dtstamp", _utc(stamp or workshop.updated_at))
    # ``sequence``: the number a message written later was queued with (see build_request).
    event.add("sequence", workshop_sequence(workshop) if sequence is None else sequence)
    event.add("dtstart", workshop.start_date)
    event.add("dtend", workshop.end_date + timedelta(days=1))
    event.add("summary", PlainText(_one_line(workshop.title)))
    location = location_of(workshop.venue, workshop.city)
    if location:
        event.add("location", PlainText(location))
    # ``online``: for a confirmed participant only; the public feed never carries the link.
    link, details = meeting_link(workshop) if online else ("", "")
    event.add("description", PlainText(_join_paragraphs(workshop.description, online_text(link, details), url)))
    _add_conference(event, link)
    event.add("url", url)
    event.add("status", "CANCELLED" if workshop.status == "cancelled" else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def build_session_event(workshop, item, settings: CalendarSettings, stamp: datetime | None = None,
                        *, online: bool = False) -> Event:
    zone = ZoneInfo(workshop.timezone)
    url = session_page_url(workshop, item, settings)
    event = Event()
    event.add("uid", session_uid(item, settings.host))
    event.add("dtstamp", _utc(stamp or item.updated_at))
    event.add("sequence", item.sequence or 0)
    event.add("dtstart", item.starts_at.astimezone(zone).replace(microsecond=0))
    event.add("dtend", item.ends_at.astimezone(zone).replace(microsecond=0))
    event.add("summary", PlainText(_one_line(item.title)))
    location = location_of(item.room, workshop.venue, workshop.city)
    if location:
        event.add("location", PlainText(location))
    link, details = meeting_link(workshop, item) if online else ("", "")
    event.add("description", PlainText(session_description(workshop, item, url, online_text(link, details))))
    _add_conference(event, link)
    event.add("url", url)
    cancelled = item.status == "cancelled" or workshop.status == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def session_description(workshop, item, url: str, online: str = "") -> str:
    """Plain text: the description, guiding questions, chairs and speakers by name, the page."""
    parts = [item.description or ""]
    if item.guiding_questions:
        parts.append(_("Guiding questions:") + "\n" + item.guiding_questions.strip())
    people = []
    if getattr(item, "chairs", None):
        people.append(_("Chair:") + " " + "; ".join(c.name for c in item.chairs))
    if getattr(item, "speakers", None):
        people.append(_("Speakers:") + " " + "; ".join(c.name for c in item.speakers))
    if people:
        parts.append("\n".join(people))
    parts.append(online)
    parts.append(f"{_one_line(workshop.title)}")
    return _join_paragraphs(*parts, url)


def _join_paragraphs(*parts: str) -> str:
    return "\n\n".join(normalize_newlines(p.strip()) for p in parts if p and p.strip())


# Calendars --------------------------------------------------------------------------------------


def _calendar(workshop, *, method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("name", PlainText(name))
        calendar.add("x-wr-calname", PlainText(name))
        calendar.add("x-wr-timezone", vText(workshop.timezone))
    return calendar


def _finish(calendar: Calendar, workshop, items: Iterable) -> bytes:
    """Add a VTIMEZONE for every TZID used, covering only the days the events fall on."""
    zone = ZoneInfo(workshop.timezone)
    first, last = workshop.start_date, workshop.end_date
    for item in items:
        first = min(first, item.starts_at.astimezone(zone).date())
        last = max(last, item.ends_at.astimezone(zone).date())
    calendar.add_missing_timezones(first_date=first, last_date=last + timedelta(days=1))
    return calendar.to_ical()


def scheduled(items: Iterable) -> list:
    return sorted((i for i in items if i.status != "cancelled"), key=lambda i: (i.starts_at, i.id))


def build_feed(workshop, items: Iterable, settings: CalendarSettings) -> bytes:
    """The public subscription feed: the workshop and every scheduled session, no attendees."""
    calendar = _calendar(workshop, name=_one_line(workshop.title))
    _refresh_hint(calendar)
    calendar.add_component(build_workshop_event(workshop, settings))
    sessions = scheduled(items)
    for item in sessions:
        calendar.add_component(build_session_event(workshop, item, settings))
    return _finish(calendar, workshop, sessions)


def _refresh_hint(calendar: Calendar) -> None:
    """How often a subscribed calendar should fetch the feed again (RFC 7986, and the older
    X-PUBLISHED-TTL that Outlook reads)."""
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText("PT1H"))


def build_session_calendar(workshop, item, settings: CalendarSettings) -> bytes:
    calendar = _calendar(workshop)
    calendar.add_component(build_session_event(workshop, item, settings))
    return _finish(calendar, workshop, [item])


def build_registrant_calendar(workshop, items: Iterable, attendee_name: str, attendee_email: str,
                              settings: CalendarSettings | None = None) -> bytes:
    """One registrant's own calendar: the feed's events with them as the (accepted) attendee."""
    settings = settings or settings_from_app()
    calendar = _calendar(workshop, name=_one_line(workshop.title))
    _refresh_hint(calendar)
    attendee = Attendee(attendee_name, attendee_email)
    sessions = scheduled(items)
    # Only a confirmed registrant has a calendar: it carries the online meeting links.
    events = [build_workshop_event(workshop, settings, online=True)]
    events += [build_session_event(workshop, item, settings, online=True) for item in sessions]
    for event in events:
        event.add("organizer", _organizer(workshop, settings))
        event.add("attendee", _attendee(attendee, partstat="ACCEPTED", rsvp=False))
        calendar.add_component(event)
    return _finish(calendar, workshop, sessions)


# iTIP (RFC 5546) --------------------------------------------------------------------------------


def organizer_address(workshop, settings: CalendarSettings) -> tuple[str, str]:
    """(name, address) of the ORGANIZER: the workshop's contact address where one is set (replies
    reach the organizers), else the site's MAIL_FROM under its own display name."""
    conveners = getattr(workshop, "conveners", None) or []
    fallback = conveners[0].name if conveners else _one_line(workshop.title)
    contact = (getattr(workshop, "contact_email", "") or "").strip()
    if contact:
        return fallback, contact
    name, address = settings.sender
    return name or fallback, address


def _organizer(workshop, settings: CalendarSettings) -> vCalAddress:
    name, address = organizer_address(workshop, settings)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = vText(_param_text(name))
    return organizer


def _attendee(attendee, *, partstat: str, rsvp: bool) -> vCalAddress:
    address = vCalAddress(f"mailto:{attendee.email}")
    address.params["CN"] = vText(_param_text(attendee.name))
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = partstat
    if rsvp:
        address.params["RSVP"] = "TRUE"
    return address


def _itip_event(workshop, items: Sequence, settings: CalendarSettings,
                stamp: datetime | None, online: bool = False,
                sequence: int | None = None) -> tuple[Event, list]:
    """An iTIP message carries one UID: the workshop (no items) or a single session, stamped
    with the moment the message is written."""
    items = list(items)
    if len(items) > 1:
        raise ValueError("An iTIP message carries one event: pass no items (the workshop) or one.")
    stamp = stamp or datetime.now(timezone.utc)
    # Invitations go to people who hold a seat (a confirmed registration): they carry the link.
    if items:
        return build_session_event(workshop, items[0], settings, stamp, online=online), items
    return build_workshop_event(workshop, settings, stamp, online=online, sequence=sequence), []


def build_request(workshop, items: Sequence, attendee, settings: CalendarSettings | None = None,
                  *, stamp: datetime | None = None, online: bool = False,
                  sequence: int | None = None) -> bytes:
    """METHOD:REQUEST inviting ``attendee`` (``.name``, ``.email``) to the workshop or a session.

    Send it as ``text/calendar; method=REQUEST`` so mail clients offer Accept and Decline.
    A moved session is announced by sending this again: same UID, the item's higher SEQUENCE.
    ``stamp`` (DTSTAMP) is the moment of writing unless given. ``online``: the attendee holds
    a seat, so the invitation carries the online meeting link (CONFERENCE and the description).
    ``sequence`` (the workshop event only): the SEQUENCE when the message was queued, for a
    message the mail worker writes later, after the workshop's own number may have moved on.
    """
    settings = settings or settings_from_app()
    if sequence is not None and items:
        raise ValueError("a queued SEQUENCE is for the workshop event only")
    event, used = _itip_event(workshop, items, settings, stamp, online, sequence)
    event.add("organizer", _organizer(workshop, settings))
    event.add("attendee", _attendee(attendee, partstat="NEEDS-ACTION", rsvp=True))
    calendar = _calendar(workshop, method="REQUEST")
    calendar.add_component(event)
    return _finish(calendar, workshop, used)


def build_cancel(workshop, items: Sequence, attendee, settings: CalendarSettings | None = None,
                 *, stamp: datetime | None = None) -> bytes:
    """METHOD:CANCEL for the workshop or a session: same UID, the event's SEQUENCE (which the
    caller raised above every copy out: cancelling an item or the workshop does, so does a lost
    seat), STATUS:CANCELLED.
    """
    settings = settings or settings_from_app()
    event, used = _itip_event(workshop, items, settings, stamp)
    event.pop("status")
    event.add("status", "CANCELLED")
    event.add("organizer", _organizer(workshop, settings))
    event.add("attendee", _attendee(attendee, partstat="NEEDS-ACTION", rsvp=False))
    calendar = _calendar(workshop, method="CANCEL")
    calendar.add_component(event)
    return _finish(calendar, workshop, used)
