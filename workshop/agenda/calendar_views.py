"""Calendar files over HTTP: the workshop's subscription feed and one file per session.

Both answer 404 for unknown or unpublished workshops and for cancelled sessions: an empty or
partial calendar would delete events from subscribers' calendars.
"""

import hashlib

from flask import Blueprint, abort, make_response, request
from flask_babel import lazy_gettext as _l

from workshop.platform import public_cache, templating
from workshop.platform.i18n import current_language

from workshop.agenda import service as agenda
from workshop.platform.built_once import built_once
from workshop.calendar.ics import build_feed, build_session_calendar, settings_from_app
from workshop.platform.urls import absolute_url, webcal_url
from workshop.workshops.access import load_public

bp = Blueprint("calendar", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(body: bytes, filename: str):
    """The file with a content-hash ETag; a matching If-None-Match gets 304 and no body."""
    response = make_response(body)
    response.headers["Content-Type"] = CONTENT_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)


@bp.get("/w/<slug>/calendar.ics")
@public_cache.cached("calendar.ics")
def feed(slug: str):
    workshop = load_public(slug)
    items = agenda.public_items(workshop, include_cancelled=False)
    settings = settings_from_app()
    # Labels in the description (chairs, speakers) are in the reader's language.
    body = built_once(("calendar.ics", settings, current_language()), [workshop, *items],
                      lambda: build_feed(workshop, items, settings))
    return calendar_response(body, f"{workshop.slug}.ics")


@bp.get("/w/<slug>/sessions/<int:item_id>.ics")
def session_ics(slug: str, item_id: int):
    workshop = load_public(slug)
    item = agenda.get_item(workshop, item_id)
    if item is None or item.status != "scheduled":
        abort(404)
    body = build_session_calendar(workshop, item, settings_from_app())
    return calendar_response(body, f"{workshop.slug}-session-{item.id}.ics")


def subscribe_link(workshop):
    if not workshop.is_public:
        return None  # a draft's team previewing it: the feed exists only once it is published
    return _l("Subscribe in your calendar"), webcal_url(absolute_url("calendar.feed", slug=workshop.slug))

