"""Configuration: defaults, then ``instance/config.py``, then environment variables.

The test suite passes its overrides last, through ``create_app(test_config)``.
"""

import os
import secrets
from pathlib import Path

ENV_SETTINGS = ("DATABASE_URL", "SECRET_KEY", "MAIL_URL", "BASE_URL", "MAIL_FROM")
# Mail worker tuning; defaults in workshop/platform/mail/worker.py (DEFAULTS).
ENV_SETTINGS += ("MAIL_MAX_ATTEMPTS", "MAIL_LEASE_SECONDS", "MAIL_BATCH_SIZE", "MAIL_RETRY_SECONDS",
                 "MAIL_RETRY_MAX_SECONDS", "MAIL_POLL_SECONDS", "MAIL_SMTP_TIMEOUT")
# Abuse limits (workshop/platform/security.py) and the proxy in front.
ENV_SETTINGS += ("RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES")
# How long a public page may be replayed from memory (workshop/platform/public_cache.py); 0 turns it off.
ENV_SETTINGS += ("PUBLIC_CACHE_SECONDS",)
# Who may create workshops: "granted" (accounts a site admin has given the right) or "everyone".
ENV_SETTINGS += ("WORKSHOP_CREATION",)
# Largest document an organizer may upload, in bytes (workshop/documents/).
ENV_SETTINGS += ("DOCUMENT_MAX_BYTES",)
WORKSHOP_CREATION_SETTINGS = ("granted", "everyone")
# Quiet period before agenda-change notices go to participants (registration/session_notices.py).
ENV_SETTINGS += ("AGENDA_NOTICE_DELAY_SECONDS",)
# 1 (default): a memo published through the web gets its PDF from the mail worker (memos/rendering.py).
ENV_SETTINGS += ("PDF_IN_WORKER",)
# 1: site admins must set up two-factor sign-in before they use the site (workshop/auth).
ENV_SETTINGS += ("REQUIRE_2FA_FOR_ADMINS",)


def defaults(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'workshop.sqlite3'}",
        "MAIL_URL": f"file://{instance / 'outbox'}",
        "BASE_URL": "http://127.0.0.1:5000",
        "MAIL_FROM": "workshop@localhost",
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "PASSWORD_HASH_METHOD": "scrypt",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PUBLIC_CACHE_SECONDS": 30,
        "WORKSHOP_CREATION": "granted",
        # Hours an unconfirmed open registration waits for its address to be confirmed.
        "REGISTRATION_CONFIRM_HOURS": 48,
        "AGENDA_NOTICE_DELAY_SECONDS": 600,
        "DOCUMENT_MAX_BYTES": 25 * 1024 * 1024,
        "PDF_IN_WORKER": True,
    }


def from_environment() -> dict:
    return {name: os.environ[name] for name in ENV_SETTINGS if os.environ.get(name)}


def ensure_secret_key(instance_path: str) -> str:
    """Read the key generated on first start, or generate it: never a key in the repository."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def finish(config) -> None:
    """Settings derived from the others once every source has been applied."""
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["DATABASE_URL"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Several threads (the dev server, the worker, tests with a live server) share the file.
        # No pre-ping: a file cannot drop a connection, and the ping is a query per request.
        engine_options = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    else:
        engine_options = {"pool_pre_ping": True}
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options)
    config["PUBLIC_CACHE_SECONDS"] = int(config["PUBLIC_CACHE_SECONDS"])
    if config["WORKSHOP_CREATION"] not in WORKSHOP_CREATION_SETTINGS:
        raise ValueError(f"WORKSHOP_CREATION must be one of {WORKSHOP_CREATION_SETTINGS}, "
                         f"not {config['WORKSHOP_CREATION']!r}")
    config["AGENDA_NOTICE_DELAY_SECONDS"] = max(0, int(config["AGENDA_NOTICE_DELAY_SECONDS"]))
    config["DOCUMENT_MAX_BYTES"] = max(1, int(config["DOCUMENT_MAX_BYTES"]))
    config["PDF_IN_WORKER"] = str(config["PDF_IN_WORKER"]).strip().lower() not in ("0", "false", "no", "off", "")
    secure = config["BASE_URL"].startswith("https://")
    config["SESSION_COOKIE_SECURE"] = secure
    config["REMEMBER_COOKIE_SECURE"] = secure
    config.setdefault("PREFERRED_URL_SCHEME", "https" if secure else "http")


def normalize_database_url(url: str) -> str:
    """Accept the plain ``postgresql://`` and ``postgres://`` forms hosting platforms hand out."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
