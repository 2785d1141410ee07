"""Jinja filters and globals shared by every template."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import format_date

from workshop.platform.markup import paragraphs
from workshop.platform.registry import registry


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
