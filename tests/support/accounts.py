"""Helpers for account tests: links mailed to an address, cookies copied between browsers."""

import re
from email import policy
from email.parser import BytesParser

from tests.support.registration import body, outbox

ACCOUNT_LINK = re.compile(
    r"http://workshop\.test(/(?:password/reset|account/email/confirm|team-invitations)/[A-Za-z0-9_-]+)(?![A-Za-z0-9_/-])")


def mails_to(db, email: str) -> list:
    return [BytesParser(policy=policy.default).parsebytes(row.raw) for row in outbox(db)
            if email in row.recipients.split(",")]


def account_link(db, email: str, prefix: str) -> str:
    """The path of the newest link starting with ``prefix`` mailed to ``email``."""
    for message in reversed(mails_to(db, email)):
        for link in ACCOUNT_LINK.findall(body(message)):
            if link.startswith(prefix):
                return link
    raise AssertionError(f"no {prefix} link mailed to {email}")


def copy_cookies(source, target) -> None:
    """Every cookie of one test client into another, as a thief copying a browser's cookies."""
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
