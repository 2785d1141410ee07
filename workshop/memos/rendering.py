"""The PDF of a published memo version, rendered once and stored.

A web request that publishes does not render: WeasyPrint takes a core for a fraction of a
second per page and leaves tens of megabytes of fonts and layout caches in the process that ran
it, so every web worker that ever published would carry them. Publishing stores the version
with an empty PDF and the mail worker (``flask worker``), a process of its own, renders it at
its next round (every few seconds) from the version's own frozen text; until then memo.pdf
answers with the waiting page of every PDF the worker renders (``stored_pdfs.preparing_response``:
202, "being prepared", a page that reloads itself). Outside a web request (the demo loader,
commands, scripts) and with ``PDF_IN_WORKER = False`` (a setup without the worker) the PDF is
rendered at once, as before.
"""

import hashlib

import sqlalchemy as sa
from flask import current_app, has_request_context

from workshop.memos.models import Memo, MemoVersion
from workshop.platform import stored_pdfs
from workshop.platform.db import db
from workshop.platform.i18n import in_language


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
# Versions whose PDF failed in this worker process (see ``stored_pdfs.render_round``).
_failed: set[int] = set()


def render_waiting() -> int:
    """The mail worker's round job: the PDFs of versions published since its last round (the
    worker commits). Returns how many were rendered."""
    return stored_pdfs.render_round(_WAITING, MemoVersion.id, _failed, render_version, "memo version")
