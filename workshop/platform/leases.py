"""Leases: how several workers share one table of work without doing any row twice.

A row is due when its condition holds and no lease on it is current (``locked_until`` empty or
past). A worker takes a few due rows by writing its own ``locked_until`` on them; while that lies
in the future no other worker takes them, and when the worker dies the lease runs out and the
next one does. On PostgreSQL the rows are chosen with ``SELECT ... FOR UPDATE SKIP LOCKED``, so
workers pass over each other's rows instead of waiting; on SQLite (one writer at a time) a
conditional ``UPDATE`` that repeats the due condition is the claim: of two workers that picked
the same rows, only the first to write gets them.

The outbox (mail) and the job runner (reminders, housekeeping) both claim through ``claim``.
The caller commits, so the lease is visible to the others before any work starts.
"""

from datetime import datetime

import sqlalchemy as sa

from workshop.platform.db import db


def free(model, now: datetime):
    """No current lease on the row."""
    return sa.or_(model.locked_until.is_(None), model.locked_until <= now)


def claim(model, due, *, order_by, limit: int, lease: datetime, now: datetime) -> list[int]:
    """Give up to ``limit`` rows of ``model`` matching ``due`` (and unleased at ``now``) the lease
    ``lease``; the ids claimed, in ``order_by`` order. Not committed."""
    session = db.session
    condition = sa.and_(due, free(model, now))
    candidates = sa.select(model.id).where(condition).order_by(*order_by).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        ids = session.scalars(candidates.with_for_update(skip_locked=True)).all()
        if ids:
            session.execute(sa.update(model).where(model.id.in_(ids)).values(locked_until=lease)
                            .execution_options(synchronize_session=False))
        return list(ids)
    ids = session.scalars(candidates).all()
    if not ids:
        return []
    taken = set(session.scalars(
        sa.update(model).where(model.id.in_(ids), condition).values(locked_until=lease)
        .returning(model.id).execution_options(synchronize_session=False)).all())
    return [row_id for row_id in ids if row_id in taken]


def still_ours(model, row_id: int, lease: datetime):
    """The condition that the row still carries our lease (it ran out otherwise, and another
    worker may own the row now)."""
    return sa.and_(model.id == row_id, model.locked_until == lease)
