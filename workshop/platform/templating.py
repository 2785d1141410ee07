"""Jinja filters and globals shared by every template."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from babel import Locale
from babel.dates import format_date, format_skeleton
from flask_babel import format_date as format_in_reader_language
from flask_babel import get_locale

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


def format_when(value: datetime, *, weekday: bool = False, short: bool = False, locale=None) -> str:
    """A moment (already in the workshop's zone) in the reader's language: '08 January 2027, 18:00',
    '8 janvier 2027, 18:00', 'الجمعة، 8 يناير 2027، 18:00'. English keeps the day-first form
    of UN documents."""
    locale = Locale.parse(str(locale or get_locale() or "en"))
    if locale.language == "en":
        return value.strftime("%a %d %b %H:%M" if short else "%A %d %B %Y, %H:%M" if weekday else "%d %B %Y, %H:%M")
    if short:
        return format_skeleton("MMMEd", value, locale=locale) + " " + value.strftime("%H:%M")
    day = format_date(value, "full" if weekday else "long", locale=locale)
    return locale.datetime_formats["medium"].replace("{1}", day).replace("{0}", value.strftime("%H:%M"))


def format_month_year(value: date, locale=None) -> str:
    """'February 2012', 'février 2012', 'февраль 2012 г.' (a memo's date shows no day)."""
    return format_skeleton("yMMMM", value, locale=Locale.parse(str(locale or get_locale() or "en")))


def local_time(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(ZoneInfo(tz_name))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date_range"] = format_date_range
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["month_year"] = format_month_year
    app.jinja_env.filters["long_date"] = lambda d: format_in_reader_language(d, "long")
    app.jinja_env.filters["paragraphs"] = paragraphs
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
