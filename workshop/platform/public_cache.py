"""Public pages served from memory while nothing they show has changed (benchmark figure 2).

Three parts:

**The version.** ``workshops.public_version`` is a random token, replaced in the same transaction
as any change to a row the cached pages show: the workshop itself, its organizations, agenda
items and their people, the contacts named there, registration settings, and the memo's
published versions. Nobody calls anything for that: flush hooks on the app's session look at
every row a flush writes and follow its model's ``__public_owner__`` to the workshops it belongs
to, replacing their tokens before the rows are written (so the workshop row is locked first, as
``transaction.lock_workshop`` does). Each model says itself: ``__public_owner__ = PRIVATE`` for
rows no cached page shows, or a ``PublicOwner``; a model that says neither is an error
(``tests/test_public_cache.py`` checks every mapped class), so a new feature cannot silently
serve stale pages. A bulk ``insert()``/``update()``/``delete()`` on a
public model replaces every token (nothing does that today). A token, not a counter, so a
deleted workshop's slug reused by a new one can never hit the old entries.

**The cache.** A view decorated with ``cached(kind)`` first reads that token by slug (one indexed
query, nothing else loaded). If this process already answered the same URL (GET or HEAD, without a query
string: those are rendered, so random ones cannot churn the cache) at the same token,
it replays the stored bytes and headers, and a matching If-None-Match gets a 304 without
rendering. Otherwise the view runs as usual and its 200 answer is kept. HTML pages carry the
visitor's sign-in state and flash messages, so only anonymous visitors with no pending message
are served from memory (``personal=True``); everybody else gets a fresh render.

**In front of Flask.** Such a replay costs little inside its view, but every request also pays
for what Flask does around any view (session, Flask-Login, the locale, the hooks): three times
the view's part. So a replay that an anonymous visitor gets is also handed, whole, to
``front_cache``, a WSGI layer around the app that answers the next such visitor itself, before
any of that runs, after the same token query (``FrontFill``, ``VERSION_READ_KEY``). The form
page is never handed over (a token per visitor).

What is not in the token is the clock: a registration window closing changes the public page
without any write. So entries also expire after ``PUBLIC_CACHE_SECONDS`` (30 s by default; 0
turns the cache off): a "Register" button can outlive its window by that long, and the
registration form itself checks the window on every request. Rows changed by hand in SQL do not
replace the token; run ``UPDATE workshops SET public_version = ''`` (an empty token is never
cached) or restart the app afterwards.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Response, current_app, has_request_context, make_response, request, session
from flask_babel import get_locale
from werkzeug.http import parse_etags

from workshop.platform.built_once import Kept
from workshop.platform.db import db
from workshop.platform.security import limiter
from workshop.platform.transaction import mark_locked


@dataclass(frozen=True)
class PublicOwner:
    """Declared on a model as ``__public_owner__``: its rows are shown on public pages, and
    ``attribute`` of a written row leads to the workshops whose pages show it. ``workshops``
    turns a set of those values into workshop ids (a SQL expression); None when the values are
    workshop ids already."""

    attribute: str
    workshops: Callable | None = None


# Declared on a model as ``__public_owner__ = PRIVATE``: no public page shows its rows, so writing
# them leaves the public pages' token alone.
PRIVATE = PublicOwner("", None)

clock: Callable[[], float] = time.monotonic  # tests move it


# The version ------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_hex(16)


def owner_of(model: type) -> PublicOwner:
    """What ``model`` declares; a model that declares nothing is an error, so a new feature
    cannot silently serve stale pages (``tests/test_public_cache.py`` checks every model)."""
    owner = model.__dict__.get("__public_owner__")
    if not isinstance(owner, PublicOwner):
        raise LookupError(f"{model.__name__} declares no __public_owner__ (PRIVATE, or the PublicOwner "
                          "that leads from its rows to their workshops)")
    return owner


def _owners(objects, into: dict[type, set], unknown: list | None = None) -> None:
    """Collect the owner keys of the public rows among ``objects``; a new row whose key is not
    set yet (its parent is new too) goes to ``unknown``, to be read after the flush."""
    for obj in objects:
        model = type(obj)
        owner = owner_of(model)
        if owner is PRIVATE:
            continue
        value = getattr(obj, owner.attribute)
        if value is not None:
            into.setdefault(model, set()).add(value)
        elif unknown is not None:
            unknown.append(obj)


def _bump_owners(session, owners: dict[type, set]) -> None:
    if not owners:
        return
    id_sets = []
    for model, values in owners.items():
        how = owner_of(model).workshops
        id_sets.append(sorted(values) if how is None else how(sorted(values)))
    bump(session, id_sets)


def _before_flush(session, _context, _instances) -> None:
    """Replace the tokens before any row is written, so the workshop rows are locked first, in
    the order ``transaction.lock_workshop`` takes them (workshop, then its rows): two
    transactions cannot each hold what the other waits for. Rows about to change or go still
    exist, so their owners can be read (and loaded if expired)."""
    owners: dict[type, set] = {}
    unknown: list = []
    _owners(list(session.dirty) + list(session.deleted), owners)
    _owners(session.new, owners, unknown)
    _bump_owners(session, owners)
    session.info["public_unknown"] = unknown


def _after_flush(session, _context) -> None:
    owners: dict[type, set] = {}
    _owners(session.info.pop("public_unknown", []), owners)  # now with their ids and foreign keys
    _bump_owners(session, owners)


_READS_KEY = "workshop.cache_reads"


def _bulk_statement(state) -> None:
    if state.is_select:
        reads = request.environ.get(_READS_KEY) if has_request_context() else None
        if reads is not None:
            reads.update(mapper.class_ for mapper in state.all_mappers)
        return
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if any(owner_of(mapper.class_) is not PRIVATE for mapper in state.all_mappers):
        bump(state.session, None)


# The workshops table as the cache sees it: no import of the workshops feature.
_WORKSHOPS = sa.table("workshops", sa.column("id"), sa.column("slug"), sa.column("status"),
                      sa.column("public_version"), sa.column("updated_at"))


def bump(session, id_sets: list | None) -> None:
    """A new token for the workshops named by ``id_sets`` (ids or subqueries); None: all of them.
    The rows written are the transaction's from now on (``transaction.mark_locked``)."""
    table = _WORKSHOPS
    # updated_at is kept: the calendar's DTSTAMP is the moment the workshop itself last changed.
    statement = table.update().values(public_version=new_token(), updated_at=table.c.updated_at)
    if id_sets is not None:
        statement = statement.where(sa.or_(*(table.c.id.in_(ids) for ids in id_sets)))
    written = session.connection().execute(statement.returning(table.c.id)).scalars().all()
    mark_locked(session, written)


def _replayed_view() -> bool:
    """Rate limits skip the cached views: no limit applies to them, and working that out for a
    blueprint route cost a quarter of a replay."""
    # Reads only: a cached form's own submissions (the registration POST) keep their limit.
    if request.method not in ("GET", "HEAD"):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "public_cache", False)


_limiter_filter_added = False


_public_statuses: tuple[str, ...] = ()


def install(public_statuses=()) -> None:
    """Hook the token into the app's session, and skip the rate limiter for replayed views.
    ``public_statuses``: the workshop statuses whose pages are public (the workshops feature
    says which, in its ``init_app``)."""
    global _limiter_filter_added, _public_statuses

    if public_statuses:
        _public_statuses = tuple(str(status) for status in public_statuses)
        _version_sql.clear()
    if not _limiter_filter_added:
        limiter.request_filter(_replayed_view)
        _limiter_filter_added = True
    if not sa.event.contains(db.session, "before_flush", _before_flush):
        sa.event.listen(db.session, "before_flush", _before_flush)
        sa.event.listen(db.session, "after_flush", _after_flush)
        sa.event.listen(db.session, "do_orm_execute", _bulk_statement)


# The cache --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    body: bytes
    headers: list  # (name, value) pairs of the 200 answer, Content-Length aside
    etag: str | None  # unquoted, as the view set it
    not_modified_headers: list  # what a 304 repeats (RFC 9110, 15.4.5)
    expires: float


# A few pages per workshop, ~50 KB each at most; at most 8 MiB of them in a worker, however many
# workshops and languages a network has (the least recently asked for go first).
_cache = Kept(256, max_bytes=8 * 1024 * 1024, weigh=lambda entry: len(entry.body))
_version_sql: dict[str, str] = {}

# Headers a 304 carries over from the 200 it stands for.
_KEPT_ON_304 = {"etag", "cache-control", "content-location", "expires", "vary"}


def current_version(slug: str, engine=None) -> str:
    """The public token of a public workshop; '' when there is none (or it was never set).

    One indexed lookup on a pooled connection of its own, outside the ORM session: it is the
    whole database cost of a replayed page, and the session's machinery (begin, compile cache,
    close) cost more than SQLite took to answer. The SQL is fixed text; only the slug is bound.
    It goes through the engine, so query counters and logging see it. ``engine``: the app's,
    for a caller outside an app context (the front layer); else ``db.engine``."""
    engine = engine or db.engine
    sql = _version_sql.get(engine.dialect.paramstyle)
    if sql is None:
        placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}[engine.dialect.paramstyle]
        statuses = ", ".join(f"'{status}'" for status in _public_statuses)  # fixed enum values
        sql = _version_sql[engine.dialect.paramstyle] = (
            f"SELECT public_version FROM workshops WHERE slug = {placeholder} AND status IN ({statuses})")
    with engine.connect() as connection:  # back to the pool, rolled back, on leaving
        row = connection.exec_driver_sql(sql, (slug,)).first()
    return (row[0] or "") if row else ""


def _anonymous() -> bool:
    """No account and no pending flash message: the page is the same for every such visitor."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and "_flashes" not in session and remember not in request.cookies


def is_anonymous() -> bool:
    """The visitor gets the page every anonymous visitor gets (``_anonymous``), for views that
    keep a page of their own (the registration form's answer)."""
    return _anonymous()


def page_locale() -> str:
    """The language pages are rendered in for this request (``_locale``)."""
    return _locale()


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


_PRIVATE_KEY = "workshop.private_page"


def mark_private_page(what) -> None:
    """This answer is for the signed-in visitor alone (a draft previewed by its team, ``what``):
    the cache neither keeps nor replays it, and it is sent ``Cache-Control: private, no-store``.
    Kept on the request, not in ``g``, which outlives a request when an app context is open."""
    request.environ[_PRIVATE_KEY] = what


def is_private_page():
    """What ``mark_private_page`` was given for this request, or None."""
    return request.environ.get(_PRIVATE_KEY)


_UNTIL_KEY = "workshop.cache_until"


def valid_until(moment) -> None:
    """The page about to be kept changes by the clock at ``moment`` (an aware datetime, e.g. the
    registration window opening): keep it no longer than that."""
    if moment is None:
        return
    seconds = (moment - datetime.now(timezone.utc)).total_seconds()
    earlier = request.environ.get(_UNTIL_KEY)
    request.environ[_UNTIL_KEY] = seconds if earlier is None else min(earlier, seconds)


# Stands in for the visitor's CSRF token in a kept form page; each replay puts the visitor's in.
CSRF_PLACEHOLDER = b"\x00csrf-token-of-this-visitor\x00"


def _csrf_token() -> str:
    from flask_wtf.csrf import generate_csrf  # the token the form rendered (kept on g per request)

    return generate_csrf()


def cached(kind: str, *, personal: bool = False, csrf: bool = False, private_reads: tuple[str, ...] = ()):
    """Serve the decorated public view (``slug`` argument) from memory while its token holds.

    ``csrf``: the page holds a form; each replay carries the visitor's own token.
    ``private_reads``: models declared PRIVATE that the view reads only for what never changes
    on the page (ids, links between rows); any other private read renders the page every time."""
    return _cached(kind, personal, csrf, lambda kwargs: kwargs["slug"], private_reads)


def cached_site(kind: str, *, personal: bool = False):
    """The same for a page about every public workshop (the home page): it is kept while no
    public workshop's token changes, none appears and none stops being public."""
    return _cached(kind, personal, False, lambda kwargs: None, ())


# (slug, token) the front layer read for this request before handing it to Flask.
VERSION_READ_KEY = "workshop.version_read"


def version_of(slug: str | None, engine=None) -> str:
    """The token a page depends on: its workshop's (``slug``), or the site's (None)."""
    return site_version(engine) if slug is None else current_version(slug, engine)


def _request_version(slug: str | None) -> str:
    """The page's token, read once a request: the front layer may have read it already."""
    read = request.environ.get(VERSION_READ_KEY)
    if read is not None and read[0] == slug:
        return read[1]
    return version_of(slug)


# Set by a cached view that replayed its entry: the front layer (``front_cache``) may keep the
# answer Flask then sends, whole, and replay it to the same kind of visitor itself.
FRONT_KEY = "workshop.front_cache"


@dataclass(frozen=True)
class FrontFill:
    slug: str | None  # whose token the page follows; None: the site's (the home page)
    version: str
    locale: str
    etag: str | None
    expires: float  # the entry's: a front copy never outlives it
    status: int  # 200, or 304 for a replayed "not modified"


def site_version(engine=None) -> str:
    """One token for every public workshop's: a digest of their ids and tokens ('' when one has
    none). One query on a pooled connection, as ``current_version``; a row per public workshop."""
    engine = engine or db.engine
    sql = _version_sql.get("site")
    if sql is None:
        statuses = ", ".join(f"'{status}'" for status in _public_statuses)  # fixed enum values
        sql = _version_sql["site"] = (
            f"SELECT id, public_version FROM workshops WHERE status IN ({statuses}) ORDER BY id")
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(sql).all()
    if any(not token for _id, token in rows):
        return ""
    return hashlib.blake2b("|".join(f"{id_}:{token}" for id_, token in rows).encode(), digest_size=16).hexdigest()


def _cached(kind: str, personal: bool, csrf: bool, slug_of: Callable, private_reads: tuple[str, ...]):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            seconds = current_app.config.get("PUBLIC_CACHE_SECONDS", 30)
            if (seconds <= 0 or request.method not in ("GET", "HEAD") or request.query_string
                    or (personal and not _anonymous())):
                return view(**kwargs)
            slug = slug_of(kwargs)
            version = _request_version(slug)
            if not version:
                return view(**kwargs)  # unknown, unpublished or never versioned
            locale = _locale()
            key = (kind, version, locale, tuple(sorted(kwargs.items())))
            now = clock()
            entry = _cache.get(key)
            if entry is not None and entry.expires > now:
                if csrf:
                    return _replay_form(entry)
                response = _replay(entry)
                # The front layer keeps a replay's answer, never a first render's: its copy is
                # then the very bytes this replay sends (header order included).
                request.environ[FRONT_KEY] = FrontFill(slug, version, locale, entry.etag, entry.expires,
                                                       response.status_code)
                return response
            reads = request.environ[_READS_KEY] = set()
            response = make_response(view(**kwargs))
            if is_private_page():
                return response  # a draft previewed by its team: never kept, never replayed
            if _shows_private_rows(kind, reads, private_reads):
                return response
            if response.status_code == 200 and not response.is_streamed:
                until = request.environ.get(_UNTIL_KEY)
                lifetime = seconds if until is None else min(seconds, until)
                if lifetime > 0:
                    kept = _entry(response, now + lifetime)
                    if csrf:  # no ETag either: the bytes differ per visitor
                        token = _csrf_token().encode()
                        kept = replace(kept, body=kept.body.replace(token, CSRF_PLACEHOLDER), etag=None,
                                       headers=[(k, v) for k, v in kept.headers if k.lower() != "etag"])
                    _cache.put(key, kept)
            return response

        wrapper.public_cache = True  # read by _replayed_view
        return wrapper

    return decorate


def _shows_private_rows(kind: str, reads: set, allowed: tuple[str, ...]) -> bool:
    """A page that read rows of a model declared PRIVATE would not follow their changes: it is
    rendered every time instead (and the log says which model to declare), so a feature that
    adds something to a cached page (a question on the registration form) is never shown stale,
    only slower until its model names its workshop."""
    private = sorted(model.__name__ for model in reads
                     if owner_of(model) is PRIVATE and model.__name__ not in allowed)
    if private and (kind, tuple(private)) not in _warned:
        _warned.add((kind, tuple(private)))
        current_app.logger.warning("the %s reads %s, declared private: it is rendered for every visitor; "
                                   "give the model a PublicOwner to keep the page in the cache", kind,
                                   ", ".join(private))
    return bool(private)


_warned: set = set()


def _replay_form(entry: Entry) -> Response:
    """A kept form page with this visitor's CSRF token (which the session keeps, as a fresh
    render would); never a 304, since the token differs per visitor."""
    return Response(entry.body.replace(CSRF_PLACEHOLDER, _csrf_token().encode()), headers=entry.headers)


def clear() -> None:
    from workshop.platform import front_cache  # it builds on this module

    _cache.clear()
    front_cache.clear()
