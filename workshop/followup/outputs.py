"""Three outputs from one record. The public memo is the memos feature's published version; the
two others are made here, each frozen as a numbered version with its page and PDF (rendered
once, when frozen):

- the internal record, for the team only: the memo's current text, every approved session's
  notes as written (they may name who said what), and the participants' review comments with
  their authors and how each was resolved;
- the participants' read-out, for the confirmed participants through their own links: the
  memo's current text, who chaired and spoke in each session (they were in the room), and the
  recommendations with their follow-up status.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from workshop.agenda import service as agenda
from workshop.followup import service as followup
from workshop.followup.models import RecordKind, RecordVersion
from workshop.memos import service as memos
from workshop.notes import service as notes
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.pdf import render_pdf
from workshop.platform.types import utcnow
from workshop.reviews import service as reviews

KINDS = (RecordKind.INTERNAL, RecordKind.READOUT)


class OutputError(UserError):
    pass


@dataclass(frozen=True)
class Section:
    title: str
    html: str


def title_of(workshop, kind: str) -> str:
    if kind == RecordKind.INTERNAL:
        return _("Internal record: %(title)s", title=workshop.title)
    return _("Read-out for participants: %(title)s", title=workshop.title)


def _memo_section(workshop) -> Section | None:
    memo = memos.get_memo(workshop)
    if memo is None or memo.current is None:
        return None
    return Section(_("Takeaways (revision %(n)s)", n=memo.current.number), memo.current.html)


def _internal_sections(workshop) -> list[Section]:
    sections = []
    for item, note in notes.approved_notes(workshop):
        sections.append(Section(_("Session notes: %(session)s", session=item.title), note.current.html))
    memo = memos.get_memo(workshop)
    for review in (reviews.reviews_of(memo) if memo is not None else []):
        if not review.comments and not review.objections:
            continue
        html = render_template("followup/_review_record.html", review=review, workshop=workshop,
                               state=reviews.outcome(review))
        sections.append(Section(_("Review of revision %(n)s", n=review.revision_number), html))
    return sections


def _readout_sections(workshop) -> list[Section]:
    sessions = [item for item in agenda.items_for(workshop, include_cancelled=False) if item.people]
    sections = []
    if sessions:
        sections.append(Section(_("Who chaired and spoke"), render_template(
            "followup/_speakers.html", sessions=sessions, workshop=workshop)))
    recs = followup.recommendations_of(workshop, in_memo_only=True)
    if recs:
        sections.append(Section(_("Recommendations and their follow-up"), render_template(
            "followup/_recommendation_list.html", recommendations=recs, workshop=workshop)))
    return sections


def document_html(workshop, kind: str, number: int, *, today: date) -> tuple[str, str]:
    """(title, the frozen HTML body) of the output as it stands now."""
    memo = _memo_section(workshop)
    if memo is None:
        raise OutputError(N_("Write the memo, or compile it from the notes, before freezing an output."))
    sections = [memo] + (_internal_sections(workshop) if kind == RecordKind.INTERNAL else _readout_sections(workshop))
    title = title_of(workshop, kind)
    body = render_template("followup/_record_body.html", sections=sections, workshop=workshop, kind=kind,
                           number=number, dated=today, title=title)
    return title, body


def freeze(workshop, kind: str, *, by=None, today: date | None = None) -> RecordVersion:
    """The next numbered version of the output, its PDF rendered once and stored."""
    if kind not in KINDS:
        raise OutputError(N_("Choose the internal record or the participants' read-out."))
    today = today or date.today()
    number = len(versions_of(workshop, kind)) + 1
    title, body = document_html(workshop, kind, number, today=today)
    pdf = render_pdf(render_template("pdf/record.html", title=title, body=body, workshop=workshop, kind=kind,
                                     number=number, lang=workshop.default_language or "en"))
    version = RecordVersion(workshop_id=workshop.id, kind=kind, number=number, title=title, html=body, pdf=pdf,
                            pdf_sha256=hashlib.sha256(pdf).hexdigest(), frozen_at=utcnow(),
                            frozen_by_id=getattr(by, "id", None))
    db.session.add(version)
    audit.record("record.frozen", workshop=workshop.id, actor=by, target=version, kind=kind, number=number)
    db.session.flush()
    return version


def versions_of(workshop, kind: str) -> list[RecordVersion]:
    return list(db.session.scalars(sa.select(RecordVersion).where(
        RecordVersion.workshop_id == workshop.id, RecordVersion.kind == kind).order_by(RecordVersion.number)))


def version_of(workshop, kind: str, number: int, *, with_pdf: bool = False) -> RecordVersion | None:
    query = sa.select(RecordVersion).where(RecordVersion.workshop_id == workshop.id, RecordVersion.kind == kind,
                                           RecordVersion.number == number)
    if with_pdf:
        query = query.options(sa.orm.undefer(RecordVersion.pdf))
    return db.session.scalar(query)

