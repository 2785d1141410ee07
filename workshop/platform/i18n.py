"""Which language a page is in, and the six languages the site speaks.

The choice, strongest first: ``?lang=<code>`` on any page (remembered in a cookie for a year),
the cookie, the signed-in account's language, then the browser's Accept-Language on a first
visit, then English. ``<html lang dir>`` comes from ``text_direction()``.

A GET never writes, so following a ``?lang=`` link only sets the cookie; the account takes the
cookie's language at the next state-changing request of that person (signing in included), so
it follows them to another browser.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, request
from flask_babel import force_locale, get_locale, refresh
from flask_login import current_user, user_logged_in
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from workshop.paths import TRANSLATIONS_DIR

# Code -> the language's own name (the switcher shows each in itself, never translated).
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}
RIGHT_TO_LEFT = {"ar"}
COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600


def known(code: str | None) -> str | None:
    """``code`` when it names one of the six languages ('fr', 'FR', 'fr-CA' -> 'fr'); else None."""
    if not code:
        return None
    code = code.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def requested_language() -> str | None:
    return known(request.args.get("lang"))


def remembered_language() -> str | None:
    """The cookie's language, else the signed-in account's."""
    chosen = known(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    if getattr(current_user, "is_authenticated", False):
        return known(getattr(current_user, "language", None))
    return None


def select_locale() -> str:
    if not request:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = requested_language() or remembered_language()
    if chosen:
        return chosen
    return browser_language(request.headers.get("Accept-Language"), current_app.config["BABEL_DEFAULT_LOCALE"])


def anonymous_language(cookie: str | None, accept_language: str | None, default: str) -> str:
    """What ``select_locale`` chooses for a visitor with no account and no ``?lang=``: the
    language cookie, else the browser's. From the raw cookie value and header, so the public
    page cache's front layer (``front_cache``), which answers before any request object
    exists, keys its pages on exactly what the selector reads."""
    return known(cookie) or browser_language(accept_language, default)


@lru_cache(maxsize=512)  # a handful of distinct headers in practice; parsing one costs more than the rest of a replay
def browser_language(accept_language: str | None, default: str) -> str:
    """The best of the six languages for an Accept-Language header (as Werkzeug's
    ``request.accept_languages`` reads it), else ``default``."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES, default=None) or default


def current_language() -> str:
    return str(get_locale() or "en").split("_")[0]


def text_direction(language: str | None = None) -> str:
    return "rtl" if (language or current_language()) in RIGHT_TO_LEFT else "ltr"


def language_links() -> list[dict]:
    """The switcher: this page again with ``?lang=`` for each language (other arguments kept)."""
    here = current_language()
    arguments = request.args.to_dict(flat=False)
    links = []
    for code, name in LANGUAGES.items():
        arguments["lang"] = [code]
        query = urlencode(arguments, doseq=True, quote_via=quote)
        links.append({"code": code, "name": name, "url": f"{request.path}?{query}", "current": code == here})
    return links


def offered(workshop) -> list[str]:
    """The languages a workshop offers its participants, in the site's order."""
    chosen = set((getattr(workshop, "languages", "") or "").split())
    return [code for code in LANGUAGES if code in chosen] or list(LANGUAGES)


def language_for(workshop, *preferred: str | None) -> str:
    """The first of ``preferred`` the workshop offers, else its default language."""
    for code in preferred:
        code = known(code)
        if code and code in offered(workshop):
            return code
    return known(getattr(workshop, "default_language", None)) or "en"


@contextmanager
def in_language(code: str | None):
    """Render (mail, calendars) in ``code``'s language whatever the request's: subjects,
    templates, dates and calendar text inside the block use it."""
    with force_locale(known(code) or "en"):
        yield


def _remember(response: Response) -> Response:
    chosen = requested_language()
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    # The same URL answers in the visitor's language: caches in between must keep them apart.
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def _account_follows_choice() -> None:
    """On a state-changing request, the account takes the language its owner chose last."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not getattr(current_user, "is_authenticated", False):
        return
    chosen = requested_language() or known(request.cookies.get(COOKIE))
    if chosen and getattr(current_user, "language", chosen) != chosen:
        current_user.language = chosen


def _signed_in(sender, user, **extra) -> None:
    """Signing in is a POST: the account takes the language chosen in this browser."""
    chosen = requested_language() or known(request.cookies.get(COOKIE))
    if chosen and getattr(user, "language", chosen) != chosen:
        user.language = chosen


def init_app(app: Flask, babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel keeps the locale on ``g``, which outlives a request when an app context is
    # already pushed (the CLI, the tests): each request chooses afresh.
    app.before_request(refresh)
    app.before_request(_account_follows_choice)
    app.after_request(_remember)
    user_logged_in.connect(_signed_in, app)
    app.jinja_env.globals.update(
        languages=LANGUAGES, language_links=language_links, current_language=current_language,
        text_direction=text_direction)
