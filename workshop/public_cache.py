"""Public pages served from memory while nothing they show has changed (issue 8, figure 2).

Two halves:

**The version.** ``workshops.public_version`` is a random token, replaced in the same transaction
as any change to a row the cached pages show: the workshop itself, its organizations, agenda
items and their people, the contacts named there, registration settings, and the memo's
published versions. Nobody calls anything for that: SQLAlchemy flush hooks look at every row a
flush writes and resolve it to the workshops it belongs to (``resolvers()``), replacing their
tokens before the rows are written (so the workshop row is locked first, as the registration
lock does). Rows the cached pages never show are listed in ``PRIVATE_MODELS``; a model in
neither list is an error (``tests/test_public_cache.py`` checks every mapped class), so a new
feature cannot silently serve stale pages. A bulk ``insert()``/``update()``/``delete()`` on a
public model replaces every token (nothing does that today). A token, not a counter, so a
deleted workshop's slug reused by a new one can never hit the old entries.

**The cache.** A view decorated with ``cached(kind)`` first reads that token by slug (one indexed
query, nothing else loaded). If this process already answered the same URL (without a query
string: those are rendered, so random ones cannot churn the cache) at the same token,
it replays the stored bytes and headers, and a matching If-None-Match gets a 304 without
rendering. Otherwise the view runs as usual and its 200 answer is kept. HTML pages carry the
visitor's sign-in state and flash messages, so only anonymous visitors with no pending message
are served from memory (``personal=True``); everybody else gets a fresh render.

What is not in the token is the clock: a registration window closing changes the public page
without any write. So entries also expire after ``PUBLIC_CACHE_SECONDS`` (30 s by default; 0
turns the cache off): a "Register" button can outlive its window by that long, and the
registration form itself checks the window on every request. Rows changed by hand in SQL do not
replace the token; run ``UPDATE workshops SET public_version = ''`` (an empty token is never
cached) or restart the app afterwards.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, current_app, make_response, request, session
from flask_babel import get_locale
from werkzeug.http import parse_etags

from workshop.built_once import Kept


# Rows no public page shows: writing them leaves the public pages' token alone.
PRIVATE_MODELS = frozenset({
    "AccessToken",        # token hashes
    "AuditEntry",         # organizers' audit log
    "Category",           # the registration form's choices; the form is not cached
    "ContactCategory",    # invitation lists
    "Invitation",         # who was invited: never public
    "Memo",               # draft state and front matter; the public reads MemoVersion only
    "MemoRevision",       # drafts
    "Note",               # rapporteurs' notes
    "NoteRevision",
    "OutboxMessage",      # mail queue
    "Registration",       # shown only on the participants page, which is not cached: a
                          # registration must not lock its workshop's row (it takes the lock
                          # first when it needs it, see registration.locking)
    "RegistrationChange",  # a registration's history
    "User",               # accounts; the public pages name contacts, never users
    "WorkshopMember",     # who organizes: shown to members only
})

clock: Callable[[], float] = time.monotonic  # tests move it


# The version ------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_hex(16)


@functools.cache
def resolvers() -> dict[str, tuple[str, Callable]]:
    """By model class name: which attribute of a written row to collect, and the SQL that turns a
    set of those values into workshop ids. Built on first use: the models import this module's
    siblings."""
    from workshop.agenda.models import AgendaItem, AgendaItemPerson
    from workshop.memos.models import Memo, MemoVersion
    from workshop.people.models import Contact
    from workshop.registration.models import RegistrationSettings
    from workshop.workshops.models import Organization, Workshop, WorkshopOrganization

    def direct(ids):
        return ids

    def via(column, key):
        return lambda ids: sa.select(column).where(key.in_(ids)).scalar_subquery()

    items, people = AgendaItem.__table__.c, AgendaItemPerson.__table__.c
    item_workshop = via(items.workshop_id, items.id)
    table = {
        Workshop: ("id", direct),
        WorkshopOrganization: ("workshop_id", direct),
        AgendaItem: ("workshop_id", direct),
        RegistrationSettings: ("workshop_id", direct),
        AgendaItemPerson: ("agenda_item_id", item_workshop),
        MemoVersion: ("memo_id", via(Memo.__table__.c.workshop_id, Memo.__table__.c.id)),
        Organization: ("id", via(WorkshopOrganization.__table__.c.workshop_id,
                                 WorkshopOrganization.__table__.c.organization_id)),
        # A contact is shown on the agendas where it chairs or speaks.
        Contact: ("id", lambda ids: item_workshop(
            sa.select(people.agenda_item_id).where(people.contact_id.in_(ids)))),
    }
    return {model.__name__: how for model, how in table.items()}


def _owners(objects, into: dict[str, set], unknown: list | None = None) -> None:
    """Collect the owner keys of the public rows among ``objects``; a new row whose key is not
    set yet (its parent is new too) goes to ``unknown``, to be read after the flush."""
    table = resolvers()
    for obj in objects:
        name = type(obj).__name__
        if name in PRIVATE_MODELS:
            continue
        if name not in table:
            raise LookupError(f"{name} is neither private nor resolved to its workshops in workshop/public_cache.py")
        attribute, _ = table[name]
        value = getattr(obj, attribute)
        if value is not None:
            into.setdefault(name, set()).add(value)
        elif unknown is not None:
            unknown.append(obj)


def _bump_owners(session, owners: dict[str, set]) -> None:
    if owners:
        bump(session.connection(), [resolvers()[name][1](sorted(ids)) for name, ids in owners.items()])


def _before_flush(session, _context, _instances) -> None:
    """Replace the tokens before any row is written, so the workshop rows are locked first, in
    the order ``registration.locking.lock_workshop`` takes them (workshop, then its rows): two
    transactions cannot each hold what the other waits for. Rows about to change or go still
    exist, so their owners can be read (and loaded if expired)."""
    owners: dict[str, set] = {}
    unknown: list = []
    _owners(list(session.dirty) + list(session.deleted), owners)
    _owners(session.new, owners, unknown)
    _bump_owners(session, owners)
    session.info["public_unknown"] = unknown


def _after_flush(session, _context) -> None:
    owners: dict[str, set] = {}
    _owners(session.info.pop("public_unknown", []), owners)  # now with their ids and foreign keys
    _bump_owners(session, owners)


def _bulk_statement(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if any(mapper.class_.__name__ not in PRIVATE_MODELS for mapper in state.all_mappers):
        bump(state.session.connection(), None)


def bump(connection, id_sets: list | None) -> None:
    """A new token for the workshops named by ``id_sets`` (ids or subqueries); None: all of them."""
    from workshop.workshops.models import Workshop

    table = Workshop.__table__
    # updated_at is kept: the calendar's DTSTAMP is the moment the workshop itself last changed.
    statement = table.update().values(public_version=new_token(), updated_at=table.c.updated_at)
    if id_sets is not None:
        statement = statement.where(sa.or_(*(table.c.id.in_(ids) for ids in id_sets)))
    connection.execute(statement)


def _replayed_view() -> bool:
    """Rate limits skip the cached views: no limit applies to them, and working that out for a
    blueprint route cost a quarter of a replay."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "public_cache", False)


_limiter_filter_added = False


def install() -> None:
    global _limiter_filter_added
    from sqlalchemy.orm import Session

    from workshop.security import limiter

    if not _limiter_filter_added:
        limiter.request_filter(_replayed_view)
        _limiter_filter_added = True
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
        sa.event.listen(Session, "after_flush", _after_flush)
        sa.event.listen(Session, "do_orm_execute", _bulk_statement)


# The cache --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: list  # (name, value) pairs of the 200 answer, Content-Length aside
    etag: str | None  # unquoted, as the view set it
    not_modified_headers: list  # what a 304 repeats (RFC 9110, 15.4.5)
    expires: float


_cache = Kept(256)  # a few pages per workshop, ~50 KB each at most
_version_sql: dict[str, str] = {}

# Headers a 304 carries over from the 200 it stands for.
_KEPT_ON_304 = {"etag", "cache-control", "content-location", "expires", "vary"}


def current_version(slug: str) -> str:
    """The public token of a public workshop; '' when there is none (or it was never set).

    One indexed lookup on a pooled connection of its own, outside the ORM session: it is the
    whole database cost of a replayed page, and the session's machinery (begin, compile cache,
    close) cost more than SQLite took to answer. The SQL is fixed text; only the slug is bound.
    It goes through the engine, so query counters and logging see it."""
    from workshop.extensions import db
    from workshop.workshops.models import PUBLIC_STATUSES

    engine = db.engine
    sql = _version_sql.get(engine.dialect.paramstyle)
    if sql is None:
        placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}[engine.dialect.paramstyle]
        statuses = ", ".join(f"'{status.value}'" for status in PUBLIC_STATUSES)  # fixed enum values
        sql = _version_sql[engine.dialect.paramstyle] = (
            f"SELECT public_version FROM workshops WHERE slug = {placeholder} AND status IN ({statuses})")
    with engine.connect() as connection:  # back to the pool, rolled back, on leaving
        row = connection.exec_driver_sql(sql, (slug,)).first()
    return (row[0] or "") if row else ""


def _anonymous() -> bool:
    """No account and no pending flash message: the page is the same for every such visitor."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and "_flashes" not in session and remember not in request.cookies


def _locale() -> str:
    """The language the page is rendered in: the configured one unless a selector chooses per
    request (asking Flask-Babel costs more than the rest of a replay)."""
    if current_app.extensions["babel"].locale_selector is None:
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    return str(get_locale())


def _entry(response: Response, expires: float) -> Entry:
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    etag, _weak = response.get_etag()
    return Entry(response.get_data(), headers, etag,
                 [(k, v) for k, v in headers if k.lower() in _KEPT_ON_304], expires)


def _replay(entry: Entry) -> Response:
    environ = request.environ
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if entry.etag and if_none_match and parse_etags(if_none_match).contains_weak(entry.etag):
        return Response(status=304, headers=entry.not_modified_headers)
    response = Response(entry.body, headers=entry.headers)
    if "HTTP_RANGE" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        return response.make_conditional(request)  # the rare cases werkzeug already answers
    return response


def cached(kind: str, *, personal: bool = False):
    """Serve the decorated public view (``slug`` argument) from memory while its token holds."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(slug: str, **kwargs):
            seconds = current_app.config.get("PUBLIC_CACHE_SECONDS", 30)
            if seconds <= 0 or request.query_string or (personal and not _anonymous()):
                return view(slug, **kwargs)
            version = current_version(slug)
            if not version:
                return view(slug, **kwargs)  # unknown, unpublished or never versioned
            key = (kind, slug, version, _locale(), tuple(kwargs.items()))
            now = clock()
            entry = _cache.get(key)
            if entry is not None and entry.expires > now:
                return _replay(entry)
            response = make_response(view(slug, **kwargs))
            if response.status_code == 200 and not response.is_streamed:
                _cache.put(key, _entry(response, now + seconds))
            return response

        wrapper.public_cache = True  # read by _replayed_view
        return wrapper

    return decorate


def clear() -> None:
    _cache.clear()
