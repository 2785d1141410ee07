"""Jinja filters and globals shared by every template.

Dates and times have one set of formats, all through Babel in the reader's language: a day
(``long_date``), a day with its weekday (``full_date``), a span of days (``date_range``), a time
of day (``clock``), a moment (``when``), when something was done (``stamp``) and the zone's name
(``zone_name``). Moments are shown in the workshop's time zone."""

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Flask
from babel import Locale
from babel.dates import format_date, format_skeleton, get_timezone_location
from flask_babel import get_locale
from flask_babel import gettext as _

from workshop.platform import zones
from workshop.platform.markup import paragraphs
from workshop.platform.registry import registry


def format_date_range(start: date, end: date, locale=None) -> str:
    """The dates in the reader's language, months in full as UN documents write them:
    '24–26 February 2012', '30 June – 2 July 2026', '24–26 février 2012', '2012年2月24日至26日'.
    CLDR's interval patterns say which parts the two dates share; its month is abbreviated
    there, so the patterns are widened to the full month name."""
    locale = Locale.parse(str(locale or get_locale() or "en"))
    if locale.language == "en":
        return _english_range(start, end)
    if start == end:
        return format_date(start, "long", locale=locale)
    differs = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    full = "yMMMMd" in locale.interval_formats
    first, second = locale.interval_formats["yMMMMd" if full else "yMMMd"][differs]
    widen = not full and locale.language not in NUMERIC_MONTHS
    return (format_date(start, _full_month(first) if widen else first, locale=locale)
            + format_date(end, _full_month(second) if widen else second, locale=locale))


# Languages whose dates write the month as a number (2月): nothing to widen.
NUMERIC_MONTHS = {"zh", "ja", "ko"}


def _full_month(pattern: str) -> str:
    return pattern if "MMMM" in pattern else pattern.replace("MMM", "MMMM")


def _english_range(start: date, end: date) -> str:
    """Day before month, as in UN documents (CLDR's English puts the month first)."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def _reader_locale(locale=None) -> Locale:
    return _parsed_locale(str(locale or get_locale() or "en"))


@lru_cache(maxsize=32)
def _parsed_locale(identifier: str) -> Locale:
    # Parsing an identifier builds a new Locale each time; pages format dozens of dates.
    return Locale.parse(identifier)


# English patterns put the day first, as UN documents do (CLDR's English puts the month first);
# every other language takes CLDR's own pattern.
_ENGLISH = {"day": "d MMMM y", "weekday_day": "EEEE d MMMM y", "short_day": "d MMM y",
            "short_weekday_day": "EEE d MMM"}
# CLDR's formats by width, or a skeleton (a list of fields) where no width fits.
_CLDR = {"day": "long", "weekday_day": "full", "short_day": "skeleton:yMMMd", "short_weekday_day": "skeleton:MMMEd"}


def _day(value: date, kind: str, locale: Locale) -> str:
    if locale.language == "en":
        return format_date(value, _ENGLISH[kind], locale=locale)
    form = _CLDR[kind]
    if form.startswith("skeleton:"):
        return format_skeleton(form.removeprefix("skeleton:"), value, locale=locale)
    return format_date(value, form, locale=locale)


def format_day(value: date, locale=None) -> str:
    """'24 February 2012', '24 février 2012', '2012年2月24日'."""
    return _day(value, "day", _reader_locale(locale))


def format_weekday_day(value: date, locale=None) -> str:
    """'Friday 24 February 2012', 'vendredi 24 février 2012'."""
    return _day(value, "weekday_day", _reader_locale(locale))


def format_clock(value: datetime, locale=None) -> str:
    """The time of day of a moment already in the workshop's zone, on the 24-hour clock: '09:00'."""
    return _clock(value.hour, value.minute, _reader_locale(locale))


@lru_cache(maxsize=4096)
def _clock(hour: int, minute: int, locale: Locale) -> str:
    # Only the hour, the minute and the language make the text, and an agenda repeats the same
    # few times every day: Babel's skeleton matching and formatting (~0.1 ms) runs once for each.
    return format_skeleton("Hm", time(hour, minute), locale=locale)


def _day_and_time(day: str, clock: str, locale: Locale) -> str:
    return locale.datetime_formats["medium"].replace("{1}", day).replace("{0}", clock)


def format_when(value: datetime, *, weekday: bool = False, short: bool = False, locale=None) -> str:
    """A moment (already in the workshop's zone) in the reader's language: '8 January 2027, 18:00',
    '8 janvier 2027, 18:00', 'الجمعة، 8 يناير 2027، 18:00'; ``short``: 'Fri 8 Jan, 18:00'."""
    locale = _reader_locale(locale)
    kind = "short_weekday_day" if short else "weekday_day" if weekday else "day"
    return _day_and_time(_day(value, kind, locale), format_clock(value, locale), locale)


def format_stamp(value: datetime | None, tz_name: str, locale=None) -> str:
    """When something was done, as lists show it: '10 Mar 2027, 09:05' in the workshop's zone."""
    if value is None:
        return "—"
    locale = _reader_locale(locale)
    value = local_time(value, tz_name)
    return _day_and_time(_day(value, "short_day", locale), format_clock(value, locale), locale)


def zone_name(tz_name: str, locale=None) -> str:
    """The zone as a reader names it: 'Zurich time', 'heure de Zurich'; 'UTC' for UTC."""
    if tz_name in ("UTC", "Etc/UTC"):
        return "UTC"
    city = get_timezone_location(tz_name, locale=_reader_locale(locale), return_city=True)
    return _("%(city)s time", city=city)


def format_month_year(value: date, locale=None) -> str:
    """'February 2012', 'février 2012', 'февраль 2012 г.' (a memo's date shows no day)."""
    return format_skeleton("yMMMM", value, locale=_reader_locale(locale))


def local_time(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(ZoneInfo(tz_name))


def nonblank_lines(text: str | None) -> list[str]:
    """The lines of ``text`` with their spaces trimmed, empty ones left out (guiding questions)."""
    return [line for line in (line.strip() for line in (text or "").splitlines()) if line]


def init_app(app: Flask) -> None:
    from workshop.platform.urls import url_for_each

    app.jinja_env.filters["date_range"] = format_date_range
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["month_year"] = format_month_year
    app.jinja_env.filters["long_date"] = format_day
    app.jinja_env.filters["full_date"] = format_weekday_day
    app.jinja_env.filters["clock"] = format_clock
    app.jinja_env.filters["stamp"] = format_stamp
    app.jinja_env.filters["zone_name"] = zone_name
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["nonblank_lines"] = nonblank_lines
    app.jinja_env.globals["url_for_each"] = url_for_each
    app.jinja_env.globals["zone_options"] = lambda: zones.zone_options(str(get_locale() or "en"))
    init_links(app)


def _collect(links, workshop):
    ordered = sorted(links, key=lambda link: link.order)  # stable: ties keep the feature order
    return [found for link in ordered if (found := link.provider(workshop))]


def init_links(app: Flask) -> None:
    """``workshop_links(w)`` and ``manage_links(w)`` in templates: the buttons the features added
    with ``registry.public_link`` and ``registry.manage_link``, so the workshop templates need no
    knowledge of later features."""
    links = registry(app)
    app.jinja_env.globals["workshop_links"] = lambda workshop: _collect(links.public_links, workshop)
    app.jinja_env.globals["manage_links"] = lambda workshop: _collect(links.manage_links, workshop)
    app.jinja_env.globals["workshop_contributions"] = lambda workshop: [
        answer for provider in links.contributions.get("workshop page", ())
        if (answer := provider(workshop)) is not None]
