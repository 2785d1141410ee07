"""One writer at a time per workshop, so two submissions can never take the same last seat.

PostgreSQL: the registration transaction locks the workshop's row (``SELECT ... FOR UPDATE``);
concurrent transactions on the same workshop queue behind it.

SQLite has no row locks. Its transactions start deferred, so two of them could both read "one
seat left" before either writes. We start the transaction with ``BEGIN IMMEDIATE`` instead: it
takes the database's write lock at once, and the others wait (busy timeout) until it commits.
"""

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from workshop.extensions import db
from workshop.workshops.models import Workshop

IMMEDIATE = "workshop_sqlite_immediate"


@sa.event.listens_for(Engine, "begin")
def _begin_immediate(connection) -> None:
    # Only for the connections the service asked for; every other transaction keeps pysqlite's
    # default. pysqlite sees the open transaction and does not issue its own BEGIN.
    if connection.dialect.name == "sqlite" and connection.get_execution_options().get(IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_workshop(workshop_id: int) -> None:
    """Start (or, on PostgreSQL, continue) a transaction that holds the workshop's write lock
    until commit or rollback. Call it first, before reading seat counts."""
    if db.session.get_bind().dialect.name == "sqlite":
        # The write lock must be the transaction's first step: end whatever read the request did.
        db.session.commit()
        db.session.connection(execution_options={IMMEDIATE: True})
        db.session.execute(sa.select(Workshop.id).where(Workshop.id == workshop_id))
        return
    db.session.flush()
    db.session.execute(sa.select(Workshop.id).where(Workshop.id == workshop_id).with_for_update())
    # Objects loaded before the lock may be stale (capacity, states): read them again under it.
    db.session.expire_all()
