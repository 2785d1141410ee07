"""One-click unsubscribe (RFC 8058) from a workshop's optional mail.

Bulk messages (invitations, their reminders) carry ``List-Unsubscribe`` with a link made of a
signed token: the workshop and a digest of the address, so the link names nobody and needs no
row until it is used. A POST to it (the mail client's one click, or the confirm page's button)
records the digest; invitations and reminders to that address for that workshop are then not
sent. Confirmations, calendar updates and agenda changes of a registration still go: they are
answers to what the person did, not mail they can opt out of.
"""

import hashlib
import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from workshop.platform.db import db
from workshop.platform.urls import absolute_url
from workshop.registration.notice_models import MailUnsubscribe
from workshop.workshops.models import Workshop

# A real token is about 110 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 400


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode("utf-8")).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="workshop.unsubscribe")


def unsubscribe_token(workshop: Workshop, email: str) -> str:
    return _serializer().dumps([workshop.id, email_digest(email)])


def unsubscribe_url(workshop: Workshop, email: str) -> str:
    return absolute_url("registration.unsubscribe", token=unsubscribe_token(workshop, email))


def read_token(token: str) -> tuple[Workshop, str] | None:
    """The workshop and address digest a token names; None for anything we did not sign."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        workshop_id, digest = _serializer().loads(token)
    except (BadData, TypeError, ValueError):
        return None
    if not isinstance(workshop_id, int) or not isinstance(digest, str) or len(digest) != 64:
        return None
    workshop = db.session.get(Workshop, workshop_id)
    return (workshop, digest) if workshop is not None else None


def is_unsubscribed(workshop_id: int, email: str) -> bool:
    return db.session.scalar(sa.select(MailUnsubscribe.id).where(
        MailUnsubscribe.workshop_id == workshop_id,
        MailUnsubscribe.email_hash == email_digest(email))) is not None


def unsubscribed_digests(workshop_id: int) -> set[str]:
    """The digests of every address that opted out of this workshop's optional mail."""
    return set(db.session.scalars(sa.select(MailUnsubscribe.email_hash).where(
        MailUnsubscribe.workshop_id == workshop_id)))


def unsubscribe(workshop: Workshop, digest: str) -> None:
    """Record the opt-out once (a second click changes nothing)."""
    exists = db.session.scalar(sa.select(MailUnsubscribe.id).where(
        MailUnsubscribe.workshop_id == workshop.id, MailUnsubscribe.email_hash == digest))
    if exists is None:
        db.session.add(MailUnsubscribe(workshop_id=workshop.id, email_hash=digest))
        db.session.flush()
