"""Queued test messages and the outbox as the worker tests read them."""

import sqlalchemy as sa

from workshop.platform.mail.models import OutboxMessage
from workshop.platform.mail.outbox import queue_mail


def queue_many(db, count, prefix="person") -> list[str]:
    """``count`` plain test messages, committed; their Message-IDs in order."""
    queued = [queue_mail(f"{prefix}{n}@example.org", "test_message", subject=f"Message {n}",
                         context={"name": f"Person {n}", "slug": "w"}) for n in range(count)]
    db.session.commit()
    return [message.message_id for message in queued]


def outbox_rows(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
