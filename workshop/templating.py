"""Jinja filters and globals shared by every template."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date


def format_date_range(start: date, end: date) -> str:
    """'24–26 February 2012', '30 June – 2 July 2026', '31 December 2026 – 2 January 2027'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def local_time(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(ZoneInfo(tz_name))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date_range"] = format_date_range
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["long_date"] = lambda d: format_date(d, "long")
    init_links(app)


# Features add the links they contribute to a workshop's public page and its organizer overview
# here (a function of the workshop returning ``(label, url)`` or ``None``), so the workshop
# templates need no knowledge of later features.
PUBLIC_LINKS: list = []
MANAGE_LINKS: list = []


def _collect(providers, workshop):
    return [link for provider in providers if (link := provider(workshop))]


def init_links(app: Flask) -> None:
    app.jinja_env.globals["workshop_links"] = lambda workshop: _collect(PUBLIC_LINKS, workshop)
    app.jinja_env.globals["manage_links"] = lambda workshop: _collect(MANAGE_LINKS, workshop)
