"""The PDF of a published memo version, rendered once and stored.

A web request that publishes does not render: WeasyPrint takes a core for a fraction of a
second per page and leaves tens of megabytes of fonts and layout caches in the process that ran
it, so every web worker that ever published would carry them. Publishing stores the version
with an empty PDF and the mail worker (``flask worker``), a process of its own, renders it at
its next round (every few seconds) from the version's own frozen text; until then memo.pdf
answers "being prepared, try again shortly" (503 with Retry-After). Outside a web request (the
demo loader, commands, scripts) and with ``PDF_IN_WORKER = False`` (a setup without the
worker) the PDF is rendered at once, as before.
"""

import hashlib
import logging

import sqlalchemy as sa
from flask import current_app, has_request_context

from workshop.memos.models import Memo, MemoVersion
from workshop.platform.db import db
from workshop.platform.i18n import in_language

logger = logging.getLogger(__name__)

# How many waiting versions one worker round renders; the rest wait for the next round, so
# mail delivery is never held up for long.
PER_ROUND = 5


def render_in_worker() -> bool:
    return has_request_context() and current_app.config.get("PDF_IN_WORKER", True)


def render_version(version: MemoVersion) -> None:
    """Render ``version``'s PDF from what it froze when published, and store it with its digest."""
    from workshop.memos.document import MemoDocument, render_memo_pdf

    memo = db.session.get(Memo, version.memo_id)
    with in_language(version.language):  # the PDF's own words in the version's language
        document = MemoDocument.from_memo(memo.workshop, version.title, version.source, version.html,
                                          version.disclaimer, version.credit, version.dated,
                                          lang=version.language)
        pdf = render_memo_pdf(document)
    version.pdf = pdf
    version.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    db.session.flush()


def render_draft(args: dict) -> bytes:
    """The organizer's draft preview (``preview.pdf``), in the worker through ``stored_pdfs``."""
    from datetime import date

    from workshop.memos import service

    memo = db.session.get(Memo, args["memo_id"])
    if memo is None:
        raise LookupError("the memo is gone")
    return service.draft_pdf(memo, today=date.fromisoformat(args["today"]))


_WAITING = sa.select(MemoVersion).where(MemoVersion.pdf_sha256.is_(None)).order_by(MemoVersion.id)

# Versions whose PDF failed in this worker process: tried again only after the others, so one
# that always fails cannot hold up every later one (the log says which and why).
_failed: set[int] = set()


def render_waiting() -> int:
    """The mail worker's round job: the PDFs of versions published since its last round (the
    worker commits). Returns how many were rendered.

    Each version in a savepoint of its own: one that fails (logged) is rolled back alone, the
    others of the round are kept, and it waits behind every version not yet tried."""
    waiting = db.session.scalars(_WAITING.where(MemoVersion.id.not_in(_failed) if _failed else sa.true())
                                 .limit(PER_ROUND)).all()
    if len(waiting) < PER_ROUND and _failed:
        waiting += db.session.scalars(_WAITING.where(MemoVersion.id.in_(_failed))
                                      .limit(PER_ROUND - len(waiting))).all()
    rendered = 0
    for version in waiting:
        version_id = version.id
        try:
            with db.session.begin_nested():
                render_version(version)
        except Exception:
            logger.exception("the PDF of memo version %s failed; the others go on", version_id)
            _failed.add(version_id)
        else:
            _failed.discard(version_id)
            rendered += 1
    return rendered
