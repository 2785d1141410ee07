"""PDFs written by the mail worker and served as stored bytes: one mechanism for every PDF that a
web request would otherwise render (the public agenda, the memo's draft preview, a frozen record).

Why: WeasyPrint takes a core for a fraction of a second per page and leaves tens of megabytes of
fonts and layout caches in the process that ran it, so a web worker that rendered one PDF stays
large. Here a web request only says *which* PDF it needs and for which version of what it shows;
the worker (``flask worker``, a process of its own) renders it at its next round, every few
seconds, and the route then serves the stored bytes with an ETag.

A row per PDF, named by a ``key`` (``agenda:<workshop id>:<language>``, ``memo-preview:<memo
id>``, ``record:<record id>``): ``wanted`` is the version the web last asked for, ``rendered`` the
version whose bytes are stored. A new version replaces the bytes in the same row, so storage does
not grow with edits. The worker renders with the version it read: if an edit arrives while it
renders, the row still wants a newer version and is rendered again, and a version whose bytes
are not stored is never served (the page says it is being prepared and reloads by itself).

A GET never writes through the request's session; asking for a render is the one write it makes,
on a connection of its own (like ``public_cache.current_version``'s read), committed at once and
only when the wanted version changes. It changes no state a user sees, and is idempotent.

Outside a web request (the demo loader, commands) and with ``PDF_IN_WORKER = False`` (a setup
without the worker) the PDF is rendered at once in the caller's session.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import Response, current_app, has_request_context, render_template, request
from sqlalchemy.orm import Mapped, mapped_column

from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.registry import registry
from workshop.platform.types import UTCDateTime, utcnow

logger = logging.getLogger(__name__)

# How many waiting PDFs one worker round renders; the rest wait for the next round, so mail
# delivery is never held up for long.
PER_ROUND = 5
# Seconds after which the "being prepared" page reloads itself: a little more than a round.
RELOAD_SECONDS = 5


class StoredPdf(db.Model):
    __tablename__ = "stored_pdfs"
    # Private: the routes that serve these check access themselves; no cached page shows them.
    __public_owner__ = PRIVATE

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(60))  # the renderer registered under that name
    args: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"),
                                                    nullable=True, index=True)
    wanted: Mapped[str] = mapped_column(sa.String(64))
    rendered: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, nullable=True, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    wanted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


def renderer(app, kind: str, function: Callable[[dict], bytes]) -> None:
    """``function(args) -> PDF bytes`` renders the PDFs asked for as ``kind``; it runs in the
    worker, inside the app context, and must load what it shows from ``args`` (ids, a language)."""
    registry(app).pdf_renderers[kind] = function


def version_of(*parts) -> str:
    """A short stable name for what a PDF shows (the same in every process)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def columns_of(*rows) -> tuple:
    """Every column value of ``rows`` (not what hangs off them): part of a version that is the
    same in every process, whatever each happened to load."""
    return tuple((type(row).__name__, tuple(getattr(row, attr.key) for attr in sa.inspect(type(row)).column_attrs))
                 if row is not None else None for row in rows)


def _in_worker() -> bool:
    return has_request_context() and current_app.config.get("PDF_IN_WORKER", True)


def _row(key: str) -> StoredPdf | None:
    return db.session.scalar(sa.select(StoredPdf).where(StoredPdf.key == key))


def _render_into(row: StoredPdf, version: str) -> None:
    pdf = registry().pdf_renderers[row.kind](dict(row.args or {}))
    row.pdf, row.pdf_sha256, row.rendered, row.rendered_at = pdf, hashlib.sha256(pdf).hexdigest(), version, utcnow()
    db.session.flush()


def want_now(key: str, version: str, kind: str, args: dict, *, workshop_id: int | None = None) -> None:
    """In a state-changing request (or a command): ask for the PDF in the caller's transaction,
    rendered at once where there is no worker to do it."""
    if kind not in registry().pdf_renderers:
        raise ValueError(f"no PDF renderer named {kind!r}")
    row = _row(key)
    if row is None:
        row = StoredPdf(key=key, kind=kind, args=args, workshop_id=workshop_id, wanted=version, wanted_at=utcnow())
        db.session.add(row)
    else:
        row.kind, row.args, row.wanted, row.wanted_at = kind, args, version, utcnow()
    db.session.flush()
    if not _in_worker():
        _render_into(row, version)


def _ask_on_own_connection(key: str, version: str, kind: str, args: dict, workshop_id: int | None) -> None:
    table = StoredPdf.__table__
    values = {"kind": kind, "args": args, "workshop_id": workshop_id, "wanted": version, "wanted_at": utcnow()}
    with db.engine.begin() as connection:
        changed = connection.execute(table.update().where(table.c.key == key, table.c.wanted != version)
                                     .values(**values)).rowcount
        if changed:
            return
        if connection.execute(sa.select(table.c.id).where(table.c.key == key)).first() is not None:
            return
    try:
        with db.engine.begin() as connection:
            connection.execute(table.insert().values(key=key, **values))
    except sa.exc.IntegrityError:
        pass  # another request asked for it at the same moment


def stored(key: str, version: str) -> tuple[bytes, str] | None:
    """The stored bytes and their digest when they are of ``version``; else None."""
    found = db.session.execute(sa.select(StoredPdf.pdf, StoredPdf.pdf_sha256).where(
        StoredPdf.key == key, StoredPdf.rendered == version, StoredPdf.pdf.is_not(None))).first()
    return (found.pdf, found.pdf_sha256) if found else None


def serve(key: str, version: str, kind: str, args: dict, *, workshop_id: int | None, filename: str,
          cache_control: str = "no-cache", disposition: str = "inline") -> Response:
    """The PDF of ``version``, with an ETag and conditional GET; until the worker has stored it, a
    202 page that says so in words and reloads itself. Asks for the render when needed."""
    found = stored(key, version)
    if found is None and not _in_worker():
        # No worker in this setup: rendered here, as before, and not kept (a GET writes nothing).
        pdf = registry().pdf_renderers[kind](dict(args))
        found = pdf, hashlib.sha256(pdf).hexdigest()
    if found is None:
        try:
            _ask_on_own_connection(key, version, kind, args, workshop_id)
        except sa.exc.OperationalError:
            # The database is busy (a long write holds it): the page reloads and asks again.
            logger.warning("could not ask for the PDF %s now; the next reload asks again", key, exc_info=True)
        return preparing_response(request.full_path if request.query_string else request.path)
    pdf, digest = found
    response = Response(pdf, mimetype="application/pdf")
    response.set_etag(digest)
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


def preparing_response(again: str, back: str | None = None, heading: str | None = None) -> Response:
    """202: the PDF is being prepared; the page reloads itself (no JavaScript needed). Every PDF
    the worker renders answers with it (the memo's published versions and visa letters too):
    ``again`` is the PDF's own URL, ``back`` the page it came from, ``heading`` names the
    document when the generic "The PDF is being prepared" would not say which."""
    page = render_template("pdf_preparing.html", again=again, back=back, heading=heading,
                           seconds=RELOAD_SECONDS)
    return Response(page, 202, mimetype="text/html", headers={
        "Retry-After": str(RELOAD_SECONDS), "Refresh": str(RELOAD_SECONDS), "Cache-Control": "no-store"})


def render_round(waiting: sa.Select, id_column, failed: set[int], render: Callable, what: str) -> int:
    """One worker round over the rows ``waiting`` selects (at most ``PER_ROUND``), each rendered by
    ``render(row)`` in a savepoint of its own (the worker commits): one that fails is logged and
    rolled back alone, and waits behind every row not yet tried (``failed``, kept by the caller
    for its worker process), so it cannot hold up every later one. How many were rendered.
    The memo's published versions and visa letters use it too."""
    rows = db.session.scalars(waiting.where(id_column.not_in(failed) if failed else sa.true()).limit(PER_ROUND)).all()
    if len(rows) < PER_ROUND and failed:
        rows += db.session.scalars(waiting.where(id_column.in_(failed)).limit(PER_ROUND - len(rows))).all()
    rendered = 0
    for row in rows:
        row_id = row.id
        try:
            with db.session.begin_nested():
                render(row)
        except Exception:
            logger.exception("the PDF of %s %s failed; the others go on", what, row_id)
            failed.add(row_id)
        else:
            failed.discard(row_id)
            rendered += 1
    return rendered


_WAITING = (sa.select(StoredPdf).where(sa.or_(StoredPdf.rendered.is_(None), StoredPdf.rendered != StoredPdf.wanted))
            .order_by(StoredPdf.wanted_at, StoredPdf.id))
_failed: set[int] = set()


def _render_wanted(row: StoredPdf) -> None:
    if row.kind not in registry().pdf_renderers:
        raise LookupError(f"no PDF renderer named {row.kind!r}")
    _render_into(row, row.wanted)


def render_waiting() -> int:
    """The mail worker's round job: each PDF asked for since its last round."""
    return render_round(_WAITING, StoredPdf.id, _failed, _render_wanted, "stored PDF")


def forget(key: str) -> None:
    """Drop a stored PDF (its subject is gone). No commit."""
    db.session.execute(sa.delete(StoredPdf).where(StoredPdf.key == key))
