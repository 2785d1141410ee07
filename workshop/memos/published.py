"""What the public reads of the memos: the published versions, by workshop or by slug, and the
languages each is published in. Queries only; nothing here changes a memo."""

import sqlalchemy as sa
from flask import g, has_request_context, request

from workshop.memos.models import Memo, MemoVersion
from workshop.platform.db import db
from workshop.platform.i18n import LANGUAGES
from workshop.workshops.models import PUBLIC_STATUSES, Workshop

# Without a language: the newest version of the first original memo that has one. In a
# language: the newest version published in it.
_FIRST_ORIGINAL_FIRST = (Memo.translation_of_id.is_not(None), Memo.id, MemoVersion.number.desc())
_NEWEST_FIRST = (MemoVersion.id.desc(),)


def published_version(workshop, *, language: str | None = None, with_pdf: bool = False) -> MemoVersion | None:
    query = sa.select(MemoVersion).join(Memo).where(Memo.workshop_id == workshop.id)
    if language:
        query = query.where(MemoVersion.language == language).order_by(*_NEWEST_FIRST)
    else:
        query = query.order_by(*_FIRST_ORIGINAL_FIRST)
    query = query.limit(1)
    if with_pdf:
        query = query.options(sa.orm.undefer(MemoVersion.pdf))
    return db.session.scalar(query)


def other_languages(version: MemoVersion) -> list[str]:
    """The languages, besides this version's, that the same memo is published in: the original
    and every memo that translates it. In the site's order."""
    memo = db.session.get(Memo, version.memo_id)
    root = memo.translation_of_id or memo.id
    published = db.session.scalars(
        sa.select(MemoVersion.language).join(Memo).distinct()
        .where(Memo.workshop_id == memo.workshop_id, sa.or_(Memo.id == root, Memo.translation_of_id == root))
    ).all()
    return [code for code in LANGUAGES if code in published and code != version.language]


_ANY_VERSION = (
    sa.select(MemoVersion.id).join(Memo).where(Memo.workshop_id == sa.bindparam("workshop_id")).limit(1)
)


def has_published_version(workshop) -> bool:
    """For the workshop page's buttons: an id, not the version's text. Asked once per page: a
    GET changes nothing, so the answer holds for the rest of the request (the memo's button and
    the recommendations' both ask)."""
    if has_request_context() and request.method == "GET":
        known = g.setdefault("memo_published", {})
        if workshop.id not in known:
            known[workshop.id] = db.session.scalar(_ANY_VERSION, {"workshop_id": workshop.id}) is not None
        return known[workshop.id]
    return db.session.scalar(_ANY_VERSION, {"workshop_id": workshop.id}) is not None


def _published_pdf_query(with_bytes: bool, in_language: bool):
    pdf = MemoVersion.pdf if with_bytes else sa.null().label("pdf")
    query = (
        sa.select(MemoVersion.id, MemoVersion.pdf_sha256, pdf)
        .join(Memo, Memo.id == MemoVersion.memo_id)
        .join(Workshop, Workshop.id == Memo.workshop_id)
        .where(Workshop.slug == sa.bindparam("slug"),
               Workshop.status.in_(PUBLIC_STATUSES))
    )
    if in_language:
        query = query.where(MemoVersion.language == sa.bindparam("language")).order_by(*_NEWEST_FIRST)
    else:
        query = query.order_by(*_FIRST_ORIGINAL_FIRST)
    return query.limit(1)


# Built once: constructing a select costs more than running this one.
_PUBLISHED_PDF = {(b, lang): _published_pdf_query(b, lang) for b in (True, False) for lang in (True, False)}


def published_pdf(slug: str, *, language: str | None = None, with_bytes: bool = True):
    """(id, pdf_sha256, pdf) of the published memo a public workshop's page shows (in
    ``language`` when given), or None, in one query. ``with_bytes=False`` leaves the PDF out
    (pdf is None): enough to answer a download's If-None-Match, since a published version never
    changes and its digest is its ETag."""
    return db.session.execute(_PUBLISHED_PDF[with_bytes, language is not None],
                              {"slug": slug, "language": language}).first()
