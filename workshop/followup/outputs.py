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
from workshop.platform import audit, stored_pdfs
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.pdf import render_pdf
from workshop.platform.types import utcnow
from workshop.reviews import service as reviews
from workshop.workshops.models import Workshop

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
    """The next numbered version of the output: its page frozen now, its PDF rendered once from
    that frozen page by the worker (``stored_pdfs``; at once outside a web request)."""
    if kind not in KINDS:
        raise OutputError(N_("Choose the internal record or the participants' read-out."))
    today = today or date.today()
    number = len(versions_of(workshop, kind)) + 1
    title, body = document_html(workshop, kind, number, today=today)
    version = RecordVersion(workshop_id=workshop.id, kind=kind, number=number, title=title, html=body,
                            frozen_at=utcnow(), frozen_by_id=getattr(by, "id", None))
    db.session.add(version)
    db.session.flush()
    stored_pdfs.want_now(pdf_key(version), FROZEN, "record",
                         {"record_id": version.id, "lang": workshop.default_language or "en"},
                         workshop_id=workshop.id)
    audit.record("record.frozen", workshop=workshop.id, actor=by, target=version, kind=kind, number=number)
    db.session.flush()
    return version


# A frozen version's PDF never changes: one version of it.
FROZEN = "frozen"


def pdf_key(version: RecordVersion) -> str:
    return f"record:{version.id}"


def pdf_of(version: RecordVersion) -> bytes | None:
    """The frozen version's stored PDF; None while the worker has yet to render it."""
    found = stored_pdfs.stored(pdf_key(version), FROZEN)
    return found[0] if found else None


def render_record_pdf(args: dict) -> bytes:
    """The PDF of a frozen version, from its frozen page (in the worker)."""
    version = db.session.get(RecordVersion, args["record_id"])
    if version is None:
        raise LookupError("the frozen version is gone")
    workshop = db.session.get(Workshop, version.workshop_id)
    return render_pdf(render_template("pdf/record.html", title=version.title, body=version.html,
                                      workshop=workshop, kind=version.kind, number=version.number,
                                      lang=args["lang"]))


def versions_of(workshop, kind: str) -> list[RecordVersion]:
    return list(db.session.scalars(sa.select(RecordVersion).where(
        RecordVersion.workshop_id == workshop.id, RecordVersion.kind == kind).order_by(RecordVersion.number)))


def version_of(workshop, kind: str, number: int) -> RecordVersion | None:
    return db.session.scalar(sa.select(RecordVersion).where(
        RecordVersion.workshop_id == workshop.id, RecordVersion.kind == kind, RecordVersion.number == number))

