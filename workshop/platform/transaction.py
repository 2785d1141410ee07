"""One commit per request, and the one lock that starts a transaction early.

**Requests.** Services add and flush; they never commit. A request that changes something (POST,
PUT, PATCH, DELETE) commits once, after its view has answered below 400; an answer of 400 or more
(a refused form, a 404, an error page) rolls back everything the request did, so a refusal never
leaves half a change behind. A GET, HEAD or OPTIONS request never writes: anything it changed is
rolled back, and under ``TESTING`` a write raises ``WriteOnReadRequest`` so the test that caused
it fails. The CLI, the demo loader and the mail worker run outside requests and commit themselves.

**The workshop lock.** Whatever takes or frees a seat calls ``lock_workshop`` first: one writer
at a time per workshop, so two registrations can never take the same last seat. Lock order is
kept by code: the workshop's row comes before the rows that belong to it (seat-bearing rows are
written only under ``lock_workshop``, and the public page cache replaces a workshop's token,
which writes the workshop row, before any row of that workshop is written; the workshops it
wrote count as locked), and a transaction that needs several workshops takes them in ascending
id order (``LockOrderError`` otherwise). So two transactions can never each hold what the other
waits for.

- PostgreSQL: ``SELECT ... FOR UPDATE`` on the workshop's row; other transactions on the same
  workshop queue behind it until commit or rollback.
- SQLite has no row locks, and its transactions start deferred, so two could both read "one seat
  left" before either writes. If the transaction has only read so far (pysqlite runs reads
  outside any SQLite transaction), the lock issues ``BEGIN IMMEDIATE`` on the same connection,
  which takes the database's write lock at once, and expires what was read before it; if it
  has written, SQLite gave it that lock with its first write. The others wait (busy timeout)
  until it ends.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.engine import Engine

from workshop.platform.db import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IMMEDIATE = "workshop_sqlite_immediate"
_WROTE = "workshop.wrote"  # session.info: this transaction has written rows
_LOCKED = "workshop.locked"  # session.info: workshop ids this transaction holds


class WriteOnReadRequest(RuntimeError):
    """A GET, HEAD or OPTIONS request tried to write to the database."""


class LockOrderError(RuntimeError):
    """Workshop locks taken out of ascending id order in one transaction."""


# Knowing what a transaction has done ----------------------------------------------------------


def _after_flush(session, _context) -> None:
    _note_write(session)


def _bulk_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _note_write(state.session)


def _note_write(session) -> None:
    # Set in before_request, so only a request being served counts (not a test's request context).
    if has_request_context() and g.get("read_only_request") and current_app.config.get("TESTING"):
        raise WriteOnReadRequest(f"{request.method} {request.path} wrote to the database; a read "
                                 "request must not change anything")
    session.info[_WROTE] = True


def _transaction_ended(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: commit or rollback
        session.info.pop(_WROTE, None)
        session.info.pop(_LOCKED, None)


def wrote(session=None) -> bool:
    return bool((session or db.session).info.get(_WROTE))


def mark_locked(session, workshop_ids) -> None:
    """Record workshops whose row this transaction has written (it holds them from now on)."""
    session.info.setdefault(_LOCKED, set()).update(workshop_ids)


@sa.event.listens_for(Engine, "begin")
def _begin_immediate(connection) -> None:
    # Only for the connection lock_workshop asked for; every other transaction keeps pysqlite's
    # default. pysqlite sees the open transaction and does not issue its own BEGIN.
    if connection.dialect.name == "sqlite" and connection.get_execution_options().get(IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_WORKSHOPS = sa.table("workshops", sa.column("id"))


def lock_workshop(workshop_id: int) -> None:
    """Hold the workshop's write lock until the transaction ends. Call it before reading seat
    counts; objects loaded earlier are read again under it. A transaction that needs several
    workshops takes them in ascending id order (else ``LockOrderError``), so two such
    transactions can never wait for each other."""
    session = db.session
    held = session.info.get(_LOCKED, set())
    if workshop_id in held:
        return
    if held and workshop_id < max(held):
        raise LockOrderError(f"workshop {workshop_id} locked after workshop {max(held)}: take "
                             "workshop locks in ascending id order")
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        if not wrote(session) and not held:
            connection = session.connection()
            raw = connection.connection.dbapi_connection
            if not raw.in_transaction:
                # pysqlite opens no transaction for reads: each ran on its own, so nothing is
                # held yet and the write lock can be taken on this very connection, without
                # ending the ORM transaction (which would expire, and so load again, every
                # object the request has read).
                raw.execute("BEGIN IMMEDIATE")
            else:
                # Only reads so far, in a transaction someone opened: end them, so that
                # taking the write lock is the first step.
                session.rollback()
                session.connection(execution_options={IMMEDIATE: True})
        # else: the transaction has written or holds a workshop already, so SQLite has given it
        # the database's write lock.
        session.execute(sa.select(_WORKSHOPS.c.id).where(_WORKSHOPS.c.id == workshop_id))
        # Read before the lock, maybe before another process's commit: read again under it,
        # as on PostgreSQL (only what is used again is loaded again).
        session.expire_all()
    else:
        session.execute(sa.select(_WORKSHOPS.c.id).where(_WORKSHOPS.c.id == workshop_id).with_for_update())
        session.expire_all()  # loaded before the lock: capacity and states may be stale
    mark_locked(session, {workshop_id})


def commit_before_answer() -> None:
    """Commit a request's finished change now, before its answer page is rendered.

    A registration holds the workshop lock from the seat count to its commit, and every other
    registration for that workshop waits for it: rendering the "check your inbox" page (and
    the rate limiter's bookkeeping) inside that wait made the opening rush queue behind work
    that decides nothing. Call it only once the change is complete and valid; the commit at the
    request's end then has nothing left to do.

    The objects keep what they hold: they were read or written under the lock a moment ago, and
    the answer page shows them as the change left them. Expiring them (as a commit does) made
    the page load the workshop and the registration again, two queries for nothing."""
    if has_request_context() and request.method not in SAFE_METHODS:
        session = db.session()
        expire = session.expire_on_commit
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire


# Requests -------------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    if not sa.event.contains(db.session, "after_flush", _after_flush):
        sa.event.listen(db.session, "after_flush", _after_flush)
        sa.event.listen(db.session, "do_orm_execute", _bulk_statement)
        sa.event.listen(db.session, "after_transaction_end", _transaction_ended)

    @app.before_request
    def note_read_only():
        g.read_only_request = request.method in SAFE_METHODS

    @app.after_request
    def commit_or_roll_back(response):
        if request.method in SAFE_METHODS or response.status_code >= 400:
            db.session.rollback()
        else:
            db.session.commit()
        return response
