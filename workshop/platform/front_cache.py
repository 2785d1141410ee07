"""The page cache's front layer: anonymous replays answered before Flask builds a request.

A page replayed by ``public_cache`` costs little inside its view, but every request pays for
what Flask does around any view: the request context, the session opened and saved,
Flask-Login, the locale, the rate limiter's filter, the before- and after-request hooks. This
layer wraps ``app.wsgi_app`` and answers a kept page itself, from the WSGI environ, when
nothing about the visitor could make the answer differ from what the page cache would replay:

- GET or HEAD, no query string (``?lang=`` and the rest are rendered, as in the page cache),
  no conditional header but If-None-Match (Range, If-Modified-Since and the like go to Flask);
- no session cookie and no remember cookie: such a visitor may be signed in or have a message
  waiting. A session cookie is never empty (Flask deletes an empty one), and an anonymous one
  still changes the answer (Flask-Login marks it, which sends a new cookie), so any of them
  goes to Flask;
- the language: keyed on what the locale selector reads for such a visitor, the language
  cookie and Accept-Language, through the selector's own function (``i18n.anonymous_language``).

Then, as the page cache does, one indexed query reads the page's version token (its
workshop's, or the site's for the home page): an edit made through another app server shows
at once. A kept answer whose token, or whose page cache entry's lifetime, has passed goes to
Flask, which renders the page again.

**What is kept.** Never a first render: only the answer Flask sent when ``public_cache``
replayed a page to such a visitor (the view says so in the environ, ``public_cache.FrontFill``),
status line, headers and body exactly as they left Flask, so a front answer is the very bytes
the Flask path's replay sends. Each request's own ``X-Request-ID`` is put in. A 304 for a
matching If-None-Match is kept the same way the first time Flask's replay answers one; until
then such a request goes to Flask. HEAD gets the GET's headers and no body, as Werkzeug sends
it. An answer that sets a cookie or says ``private``/``no-store`` is never kept, and the
registration form (a CSRF token per visitor) is never marked for the front at all.

Everything else passes through untouched (and unbuffered: streamed exports stay streamed).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import sqlalchemy as sa
from werkzeug.http import parse_cookie, parse_etags

from workshop.platform import i18n, public_cache
from workshop.platform.built_once import Kept
from workshop.platform.security import REQUEST_ID_HEADER, request_id_from

# Conditions Flask's replay hands to Werkzeug (or ignores): those requests go to Flask.
_SENT_TO_FLASK = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                  "HTTP_IF_UNMODIFIED_SINCE")


@dataclass(frozen=True)
class Answer:
    """A status line and headers as Flask gave them to the server."""

    status: str
    headers: tuple
    request_id_at: int | None  # where X-Request-ID is: each request has its own

    @classmethod
    def of(cls, status: str, headers) -> Answer:
        headers = tuple(headers)
        at = next((n for n, (name, _value) in enumerate(headers) if name.lower() == REQUEST_ID_HEADER.lower()),
                  None)
        return cls(status, headers, at)

    def headers_for(self, environ) -> list:
        headers = list(self.headers)
        if self.request_id_at is not None:
            headers[self.request_id_at] = (REQUEST_ID_HEADER, request_id_from(environ.get("HTTP_X_REQUEST_ID")))
        return headers


@dataclass(frozen=True)
class Entry:
    slug: str | None  # whose token the page follows; None: the site's
    version: str
    etag: str | None
    expires: float
    ok: Answer
    body: bytes
    not_modified: Answer | None = None


# Every app's front layer (the tests make an app per test): ``clear`` empties them all.
_layers: weakref.WeakSet = weakref.WeakSet()


def clear() -> None:
    for layer in list(_layers):
        layer.kept.clear()


def install(app) -> None:
    """Put the front layer around ``app.wsgi_app``; ProxyFix, when a proxy is trusted, goes
    around it afterwards."""
    from workshop.platform.db import db

    with app.app_context():
        engine = db.engine
    app.wsgi_app = FrontLayer(app, app.wsgi_app, engine)


class FrontLayer:
    def __init__(self, app, wsgi_app, engine):
        self.app = app  # for its config, read on every request (tests and operators change it)
        self.wsgi_app = wsgi_app
        self.engine = engine
        # Per app, as its headers are: as many pages and bytes as the page cache holds, mostly
        # the same pages. The byte limit matters: the key has the Host header, which the
        # visitor chooses, so without it a crawler could fill a worker with large feeds.
        self.kept = Kept(256, max_bytes=8 * 1024 * 1024, weigh=lambda entry: len(entry.body))
        _layers.add(self)

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        entry = self.kept.get(key)
        if entry is not None:
            answer = self.answer(entry, environ)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return body
        return self.through(key, environ, start_response)

    def key(self, environ) -> tuple | None:
        """The page and language an anonymous visitor asks for; None when Flask must answer."""
        method = environ.get("REQUEST_METHOD")
        if (method != "GET" and method != "HEAD") or environ.get("QUERY_STRING"):
            return None
        for name in _SENT_TO_FLASK:
            if name in environ:
                return None
        config = self.app.config
        if config.get("PUBLIC_CACHE_SECONDS", 30) <= 0:
            return None
        language_cookie = None
        cookie_header = environ.get("HTTP_COOKIE")
        if cookie_header:
            cookies = parse_cookie(cookie_header)  # Werkzeug's parser, as request.cookies
            if (config.get("SESSION_COOKIE_NAME", "session") in cookies
                    or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies):
                return None
            language_cookie = cookies.get(i18n.COOKIE)
        language = i18n.anonymous_language(language_cookie, environ.get("HTTP_ACCEPT_LANGUAGE"),
                                           config["BABEL_DEFAULT_LOCALE"])
        return (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME", ""),
                environ.get("PATH_INFO", ""), language)

    def answer(self, entry: Entry, environ):
        """(status, headers, body) from ``entry`` while its page is current; else None."""
        if entry.expires <= public_cache.clock():
            return None
        try:
            version = public_cache.version_of(entry.slug, self.engine)
        except sa.exc.SQLAlchemyError:
            return None  # Flask answers, with its page saying what went wrong
        # Should Flask answer after all, the page cache takes this read instead of its own.
        environ[public_cache.VERSION_READ_KEY] = (entry.slug, version)
        if version != entry.version:
            return None
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        # The page cache's own test (public_cache._replay), on the same ETag.
        if entry.etag and if_none_match and parse_etags(if_none_match).contains_weak(entry.etag):
            if entry.not_modified is None:
                return None  # Flask's replay answers this one, and its 304 is kept
            return entry.not_modified.status, entry.not_modified.headers_for(environ), []
        body = [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]
        return entry.ok.status, entry.ok.headers_for(environ), body

    def through(self, key: tuple, environ, start_response):
        """Flask answers; when that was a page cache replay for this visitor, keep it."""
        sent = []

        def capture(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        app_iter = self.wsgi_app(environ, capture)
        fill = environ.get(public_cache.FRONT_KEY)
        if (fill is None or not sent or environ["REQUEST_METHOD"] != "GET" or fill.locale != key[-1]
                or not _keepable(sent[1])):
            return app_iter
        status, headers = sent
        if fill.status == 200 and status.startswith("200 "):
            try:
                body = b"".join(app_iter)
            finally:
                close = getattr(app_iter, "close", None)
                if close is not None:
                    close()
            self.kept.put(key, Entry(fill.slug, fill.version, fill.etag, fill.expires, Answer.of(status, headers), body))
            return [body]
        if fill.status == 304 and status.startswith("304 "):
            entry = self.kept.get(key)
            if entry is not None and (entry.version, entry.etag, entry.expires) == (fill.version, fill.etag,
                                                                                     fill.expires):
                self.kept.put(key, replace(entry, not_modified=Answer.of(status, headers)))
        return app_iter


def _keepable(headers) -> bool:
    """Nothing in the answer belongs to this visitor alone."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == "set-cookie":
            return False
        if lowered == "cache-control" and ("private" in value or "no-store" in value):
            return False
    return True
