"""Writing and reading the audit log.

``record`` only adds the entry to the current session: the caller's own commit writes it together
with the change it describes, so there is never a change without its entry, nor the reverse.
"""

import json
from datetime import date, datetime
from enum import Enum

import sqlalchemy as sa
from flask import has_request_context

from workshop.platform.audit.models import AuditEntry
from workshop.platform.db import db

SYSTEM_ACTOR = "system"
PAGE_SIZE = 100
DETAIL_TEXT_LIMIT = 500


def record(action: str, *, workshop=None, actor=None, target=None, **detail) -> AuditEntry:
    """Add an entry for ``action`` (e.g. ``"registration.withdrawn"``) to the current session.

    ``workshop``: the Workshop (or its id) the action belongs to, if any.
    ``actor``: a User; or words such as ``"registrant via token"``; by default the signed-in
        user of the current request, else ``"system"`` (command line, worker).
    ``target``: the object acted on (a model instance with an ``id``), or ``(type, id)``.
    ``detail``: anything JSON can hold (dates become ISO strings; long text is shortened).
    """
    user, label = _actor(actor)
    object_type, object_id = _target(target)
    entry = AuditEntry(
        workshop_id=_id_of(workshop),
        actor_user_id=user.id if user is not None else None,
        actor_label=label[:300],
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=_json_safe(detail),
    )
    db.session.add(entry)
    return entry


def entries_for(workshop, *, before_id: int | None = None, limit: int = PAGE_SIZE) -> list[AuditEntry]:
    """The workshop's entries, newest first, ``limit`` at a time (page on with ``before_id``)."""
    query = sa.select(AuditEntry).where(AuditEntry.workshop_id == workshop.id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def _actor(actor):
    if isinstance(actor, str):
        return None, actor
    if actor is None and has_request_context():
        from flask_login import current_user

        if current_user.is_authenticated:
            actor = current_user._get_current_object()
    if actor is None:
        return None, SYSTEM_ACTOR
    return actor, f"{actor.name} <{actor.email}>"


def _id_of(thing) -> int | None:
    if thing is None or isinstance(thing, int):
        return thing
    if thing.id is None:
        db.session.flush()
    return thing.id


def _target(target) -> tuple[str, int | None]:
    if target is None:
        return "", None
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), ident
    return type(target).__name__, _id_of(target)


def _json_safe(value):
    def default(item):
        if isinstance(item, (date, datetime)):
            return item.isoformat()
        if isinstance(item, Enum):
            return item.value
        if isinstance(item, (set, frozenset)):
            return sorted(item, key=str)
        return str(item)

    def shorten(item):
        if isinstance(item, str) and len(item) > DETAIL_TEXT_LIMIT:
            return item[:DETAIL_TEXT_LIMIT] + "…"
        if isinstance(item, dict):
            return {str(k): shorten(v) for k, v in item.items()}
        if isinstance(item, list):
            return [shorten(v) for v in item]
        return item

    return shorten(json.loads(json.dumps(value, default=default)))
