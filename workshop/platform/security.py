"""Hardening shared by every page: security headers, request ids in the logs, abuse limits.

Wired in ``create_app`` by ``security.init_app(app)``.

Rate limits for features
------------------------
Decorate a view *below* its route decorator with ``rate_limit(NAME)``; the limit strings live in
the ``RATELIMITS`` setting (config.py defaults, overridable per deployment)::

    from workshop.platform.security import rate_limit

    @bp.route("/w/<slug>/register", methods=["GET", "POST"])
    @rate_limit("register")                      # POST only, per client IP
    def register(slug): ...

Names in use: ``login`` (per IP) on ``/login`` (failures per address and account slow down by
growing delays, ``workshop/auth/throttle.py``, rather than lock an account);
``register`` for registration form submissions, ``invitation`` for ``/invitations/<token>`` and
its accept and decline pages, ``token`` for ``/registrations/<token>`` (and ``/review/<token>``), its calendar, edit,
withdraw and participant pages (both with ``methods=("GET", "POST")``, so guessing tokens costs
requests too); ``resend`` (per IP) and ``resend_email`` (per submitted email, so the form cannot
flood one inbox) on ``/links/resend``; ``password_forgot`` (per IP) on ``/password/forgot``, whose mail is also
counted per address (``password_email``, spent from code so the page says the same either way);
``account_link`` on ``/password/reset/<token>``, email confirmations and ``/team-invitations/<token>``;
``account`` on the forms of ``/account``. ``limiter`` is the Flask-Limiter object for anything else.

The per-IP limits are generous: at a conference, many delegates share one address (the venue's
Wi-Fi, a mission's proxy) and may all register in the same few minutes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import uuid
from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, request
from flask_limiter import Limiter
from werkzeug.exceptions import BadRequest, NotFound

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Token links (/registrations/<token>) must never leak to another site through Referer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Pages with personal data that a shared computer's browser must not keep in its cache.
NO_STORE_PREFIXES = ("/manage/", "/registrations/", "/invitations/", "/team-invitations/", "/password/reset/",
                     "/account", "/login/code", "/review/")

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from a proxy or a client: short, printable, nothing that could forge a log line.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")

DEFAULT_RATELIMITS = {
    "login": "10 per minute",
    "register": "30 per minute",
    "invitation": "60 per minute",
    "token": "60 per minute",
    "resend": "5 per minute",
    "resend_email": "3 per hour",
    "password_forgot": "5 per minute",
    "password_email": "3 per hour",
    "account_link": "30 per minute",
    "account": "30 per minute",
}


# Request ids ------------------------------------------------------------------------------------


def request_id_from(header_value: str | None) -> str:
    """The caller's request id when it is well-formed (so a proxy's id follows the request
    through our logs), else a fresh one."""
    if header_value and REQUEST_ID_PATTERN.match(header_value):
        return header_value
    return uuid.uuid4().hex


def current_request_id() -> str:
    if has_request_context():
        return g.get("request_id") or "-"
    return "-"


# Link tokens are passwords: a path holding one is logged with the token replaced. A token link
# starts the path (after the host when it is a whole URL), which keeps organizer paths such as
# /manage/w/<slug>/invitations/import readable.
TOKEN_MASK = "[token]"
_TOKEN_PATH = re.compile(
    r"(?P<before>^|[\s\"'(<\[=,]|://[^/\s\"'<>]+)"
    r"(?P<prefix>/(?:team-invitations|invitations|registrations|review|password/reset|account/email/confirm)/)"
    r"(?P<token>[^/?#\s\"'<>&]+)"
)


def mask_tokens(text: str) -> str:
    """``text`` with the token of every link path in it replaced by ``[token]``."""
    if "/" not in text:
        return text
    return _TOKEN_PATH.sub(lambda m: m["before"] + m["prefix"] + TOKEN_MASK, text)


_TRACEBACKS = logging.Formatter()


class TokenMaskingFilter(logging.Filter):
    """Masks link tokens in a record's message and arguments before any handler sees it (ours,
    Werkzeug's request lines, a test's captured log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_tokens(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: mask_tokens(arg) if isinstance(arg, str) else arg for key, arg in record.args.items()}
        if record.exc_info and not record.exc_text:
            # An exception's message can quote the URL it failed on. Formatters print exc_text
            # when it is set, instead of formatting the exception again.
            record.exc_text = mask_tokens(_TRACEBACKS.formatException(record.exc_info))
        return True


class RequestContextFilter(logging.Filter):
    """Puts the request id, method and path (tokens masked) on every record logged during a
    request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id") or "-"
            record.method = request.method
            record.path = mask_tokens(request.path)
        else:
            record.request_id = getattr(record, "request_id", "-")
            record.method = getattr(record, "method", None)
            record.path = getattr(record, "path", None)
        return True


class RequestFormatter(logging.Formatter):
    """Text lines carrying the request id; errors as one JSON line a log collector can parse.

    An error line holds the request id (the one the user reads on the error page), method, path,
    status and exception type; the traceback is a field of that same line, never extra lines.
    """

    TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"

    def __init__(self) -> None:
        super().__init__(self.TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            RequestContextFilter().filter(record)
        if record.levelno < logging.ERROR:
            return mask_tokens(super().format(record))
        exception = record.exc_info[1] if record.exc_info else None
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": record.request_id,
            "method": record.method,
            "path": record.path,
            "status": getattr(record, "status", 500 if exception is not None else None),
            "exception": type(exception).__name__ if exception is not None else None,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = mask_tokens(record.exc_text or self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(app: Flask) -> None:
    from flask.logging import default_handler

    logger = app.logger
    if not any(isinstance(f, RequestContextFilter) for f in logger.filters):
        logger.addFilter(RequestContextFilter())
    # The development server's and gunicorn's request lines quote the whole path.
    for masked in (logger, logging.getLogger("werkzeug"), logging.getLogger("gunicorn.access")):
        if not any(isinstance(f, TokenMaskingFilter) for f in masked.filters):
            masked.addFilter(TokenMaskingFilter())
    logger.removeHandler(default_handler)
    if not any(getattr(h, "workshop_handler", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.workshop_handler = True
        handler.setFormatter(RequestFormatter())
        logger.addHandler(handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.DEBUG if app.debug else logging.INFO)


# Rate limits -------------------------------------------------------------------------------------


def client_address() -> str:
    """The client's IP (behind a proxy, set TRUSTED_PROXIES so ProxyFix supplies the real one)."""
    return request.remote_addr or "unknown"


def email_key(email: str) -> str:
    """Key for per-account and per-inbox limits: the email, hashed so that overlong or hostile
    input never becomes a storage key."""
    email = (email or "").strip().lower()
    return "email:" + hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()


def submitted_email() -> str:
    """Key for per-account limits: the email typed into the form."""
    return email_key(request.form.get("email") or "")


class WorkshopLimiter(Limiter):
    """Flask-Limiter that takes its settings afresh from each app it is bound to.

    The stock extension keeps the first app's ``enabled`` and key prefix for good; the tests
    create an app per test, some with limits off, so those are reset here from the config.
    """

    def init_app(self, app: Flask) -> None:
        self.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
        app.config["RATELIMIT_ENABLED"] = self.enabled
        self._key_prefix = ""
        super().init_app(app)


limiter = WorkshopLimiter(key_func=client_address)


def rate_limit(name: str, *, key_func: Callable[[], str] | None = None,
               methods: tuple[str, ...] = ("POST",)):
    """Apply the configured limit ``RATELIMITS[name]`` to a view (see the module docstring)."""

    def limit_value() -> str:
        return _limit_string(name)

    # One bucket per name across every view that uses it: guessing tokens on the registration
    # page and on its calendar counts against the same limit.
    return limiter.shared_limit(limit_value, scope=name, key_func=key_func, methods=list(methods),
                                override_defaults=False)


def _limit_string(name: str) -> str:
    limits = current_app.config.get("RATELIMITS") or {}
    return limits.get(name) or DEFAULT_RATELIMITS[name]


def spend(name: str, key: str) -> bool:
    """Count one use against the bucket ``rate_limit(name, key_func=...)`` keeps for ``key``,
    from code rather than a decorator; False when it is spent. For a mail the visitor must not
    learn was sent or not: the public registration form re-sends a known address its link
    within the same per-inbox allowance (``resend_email``) as the "lost your link" form."""
    if not limiter.enabled:
        return True
    from limits import parse

    identifiers = [key, name]
    if limiter._key_prefix:  # as Flask-Limiter builds a shared limit's key
        identifiers.insert(0, limiter._key_prefix)
    return limiter.limiter.hit(parse(_limit_string(name)), *identifiers)


# Wiring ------------------------------------------------------------------------------------------


MEMORY_STORE_WARNING = (
    "Abuse limits are kept in this process's memory (RATELIMIT_STORAGE_URI=%s): each worker "
    "process counts on its own, so with N workers every limit is N times higher. With more than "
    "one worker, set RATELIMIT_STORAGE_URI to a shared store, e.g. redis://127.0.0.1:6379/0.")


def warn_if_limits_are_per_process(app: Flask) -> None:
    """Said once at start-up: the default store is right for one process (``make run``), not
    for gunicorn with several workers."""
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if uri.startswith("memory://") and not app.config.get("TESTING") and app.config.get("RATELIMIT_ENABLED", True):
        app.logger.warning(MEMORY_STORE_WARNING, uri)


def _contains_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMITS", dict(DEFAULT_RATELIMITS))
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Redis gone: keep limiting from memory rather than failing every request.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "workshop")

    def assign_request_id():
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))

    # First of all hooks, so that CSRF and rate-limit refusals carry the id too.
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)
    limiter.init_app(app)

    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    configure_logging(app)
    warn_if_limits_are_per_process(app)

    @app.before_request
    def refuse_nul_in_address():
        # psycopg refuses NUL in text parameters, so a %00 in a slug would fail in the database:
        # nothing can be at such an address, and no query parameter of ours contains one.
        if request.view_args and _contains_nul(request.view_args.values()):
            raise NotFound()
        if _contains_nul(request.args.values()) or _contains_nul(request.args.keys()):
            raise BadRequest()

    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith(NO_STORE_PREFIXES) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response

    @app.context_processor
    def request_id_for_templates():
        return {"request_id": current_request_id()}

