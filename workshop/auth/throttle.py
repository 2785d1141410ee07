"""Sign-in throttling per (client address, account), with growing delays.

A hard limit per account would let anyone lock its owner out: a few dozen wrong passwords from
other addresses and the owner is refused from everywhere. So failures are counted per address
*and* account: after ``LOGIN_FREE_FAILURES`` of them, that address waits before it may try that
account again, twice as long after each further failure (up to ``LOGIN_MAX_DELAY_SECONDS``).
The owner, from their own address, is not slowed by someone else's guesses; a success clears
the count. The per-address limit (``login`` in RATELIMITS) still caps how fast one address
tries accounts at all.

The counts live in the rate limiter's store (RATELIMIT_STORAGE_URI): in memory by default, in
Redis when several worker processes must share them.
"""

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import TooManyRequests

from workshop.platform.security import client_address, email_key, limiter

DEFAULTS = {"LOGIN_FREE_FAILURES": 5, "LOGIN_FIRST_DELAY_SECONDS": 2, "LOGIN_MAX_DELAY_SECONDS": 900,
            "LOGIN_FAILURE_MEMORY_SECONDS": 24 * 3600}


def _setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def _keys(email: str) -> tuple[str, str]:
    pair = f"{client_address()}/{email_key(email)}"
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "workshop")
    return f"{prefix}/login-failures/{pair}", f"{prefix}/login-wait/{pair}"


def _storage():
    return limiter.limiter.storage


def delay_after(failures: int) -> int:
    """Seconds to wait after the ``failures``-th failure: none for the first few, then 2, 4,
    8, ... up to the maximum."""
    over = failures - _setting("LOGIN_FREE_FAILURES")
    if over <= 0:
        return 0
    return min(_setting("LOGIN_FIRST_DELAY_SECONDS") * 2 ** (over - 1), _setting("LOGIN_MAX_DELAY_SECONDS"))


class SignInDelayed(TooManyRequests):
    page_title = _l("Too many attempts")

    def __init__(self, seconds: int):
        super().__init__(retry_after=seconds)
        self.seconds = seconds
        self.page_message = _l("Too many failed sign-ins for this account from your address. Wait %(n)d "
                               "seconds, then try again, or reset your password.", n=seconds)


def check(email: str) -> None:
    """Raise SignInDelayed while this address must wait before trying this account again."""
    if not limiter.enabled:
        return
    _failures, wait = _keys(email)
    storage = _storage()
    if storage.get(wait) > 0:
        raise SignInDelayed(max(1, int(storage.get_expiry(wait) - time.time() + 0.999)))


def failed(email: str) -> None:
    if not limiter.enabled:
        return
    failures, wait = _keys(email)
    storage = _storage()
    count = storage.incr(failures, _setting("LOGIN_FAILURE_MEMORY_SECONDS"))
    seconds = delay_after(count)
    if seconds:
        storage.clear(wait)
        storage.incr(wait, seconds)


def succeeded(email: str) -> None:
    if not limiter.enabled:
        return
    for key in _keys(email):
        _storage().clear(key)
