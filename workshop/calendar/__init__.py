"""iCalendar files: UIDs, the public feed, single sessions, registrants' calendars and iTIP
messages, built by pure functions from plain objects (``ics.py``). The agenda serves the feeds
(``workshop/agenda/calendar_views.py``); registration mails the invitations."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to wire: the calendar has no pages of its own."""
