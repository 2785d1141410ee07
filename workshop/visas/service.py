"""Letters of invitation for visas: the template, issuing (numbered, logged, mailed with the PDF
attached) and the PDF itself. A letter keeps the words it was issued with, so it can be
downloaded again exactly as sent. Adds and flushes; the request commits.

The PDF is rendered by the mail worker (``flask worker``) at its next round and stored with the
letter, as memo PDFs are (see ``workshop/memos/rendering.py`` for why a web process must not
run WeasyPrint); a download serves the stored bytes, and says "being prepared" until then.
Outside a web request (the demo, commands) and with ``PDF_IN_WORKER = False`` it is rendered
when the letter is issued or regenerated."""

import re

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template
from flask_babel import gettext as _

from workshop.platform import audit, stored_pdfs
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import in_language
from workshop.platform.markup import render_markdown
from workshop.platform.mail.outbox import Attachment, Letter, queue_mail_later
from workshop.platform.pdf import render_pdf
from workshop.platform.transaction import lock_workshop
from workshop.platform.templating import format_date_range, format_day
from workshop.platform.types import utcnow
from workshop.visas.models import LetterTemplate, VisaLetter
from workshop.questions import display, rules
from workshop.questions import service as questions
from workshop.registration.models import Registration, State

PLACEHOLDERS = ("name", "passport_number", "nationality", "dates", "embassy", "workshop_title", "venue",
                "organization", "position")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
DEFAULT_BODY = (
    "{embassy}\n\n"
    "Dear Sir or Madam,\n\n"
    "We are pleased to invite **{name}** ({position}, {organization}), national of {nationality}, "
    "passport number {passport_number}, to take part in *{workshop_title}*, to be held in {venue} on {dates}.\n\n"
    "We kindly ask you to grant {name} the visa needed to attend. The organizers cover no costs "
    "beyond those stated in the invitation.\n\n"
    "Yours faithfully,"
)




class LetterError(UserError):
    pass


def template_of(workshop) -> LetterTemplate | None:
    return db.session.scalar(sa.select(LetterTemplate).where(LetterTemplate.workshop_id == workshop.id))


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})


def save_template(workshop, values: dict, *, by=None) -> LetterTemplate:
    bad = unknown_placeholders(values.get("body", ""))
    if bad:
        raise LetterError(N_("Unknown placeholder %(names)s. Use only: %(known)s."),
                          names=", ".join("{" + b + "}" for b in bad),
                          known=", ".join("{" + n + "}" for n in PLACEHOLDERS))
    template = template_of(workshop)
    if template is None:
        template = LetterTemplate(workshop_id=workshop.id)
        db.session.add(template)
    for name, value in values.items():
        setattr(template, name, value)
    db.session.flush()
    audit.record("visa_letter.template_saved", workshop=workshop, actor=by, target=("workshop", workshop.id))
    db.session.flush()
    return template


def needs_letter(registration: Registration, template: LetterTemplate | None) -> bool:
    """Confirmed, and answered yes to the template's visa question."""
    if template is None or template.visa_question_id is None or registration.state != State.CONFIRMED:
        return False
    return questions.answers_of(registration).get(template.visa_question_id) == rules.YES


def letters_of(registration: Registration) -> list[VisaLetter]:
    return list(db.session.scalars(sa.select(VisaLetter).where(VisaLetter.registration_id == registration.id)
                                   .order_by(VisaLetter.number)))


def workshop_letters(workshop) -> list[VisaLetter]:
    return list(db.session.scalars(sa.select(VisaLetter).where(VisaLetter.workshop_id == workshop.id)
                                   .order_by(VisaLetter.number)))


def _values(registration: Registration, template: LetterTemplate) -> dict[str, str]:
    workshop = registration.workshop
    answers = questions.answers_of(registration)
    by_id = questions.by_id(questions.questions_of(workshop))

    def answer(question_id):
        question = by_id.get(question_id)
        return display.words(question, answers.get(question_id)) if question is not None else ""

    return {
        "name": registration.name, "position": registration.position, "organization": registration.organization,
        "passport_number": answer(template.passport_question_id),
        "nationality": answer(template.nationality_question_id),
        "embassy": answer(template.embassy_question_id),
        "dates": format_date_range(workshop.start_date, workshop.end_date),
        "workshop_title": workshop.title,
        "venue": ", ".join(part for part in (workshop.venue, workshop.city) if part),
    }


def _escape_markdown(value: str) -> str:
    """A participant's answer is text, not Markdown: its marks print as they are."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", value or "")


def fill(body: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: _escape_markdown(values.get(m.group(1), m.group(0))), body or "")


def issue(registration: Registration, *, by=None) -> VisaLetter:
    """Number a new letter for ``registration``, keep its words, log it, and queue the mail that
    carries it (the mail worker writes the PDF). A registrant who has a letter already gets that
    one back: nothing new is numbered or mailed."""
    workshop = registration.workshop
    # Two requests at once (a double click on "Request a letter", or an organizer issuing for
    # everyone while a participant asks) would both read the same highest number and both find
    # no letter yet: the second then failed on the unique number, or gave one person two letters
    # and two mails. Under the workshop's lock the second waits and finds the first's letter.
    lock_workshop(workshop.id)
    already = letters_of(registration)
    if already:
        return already[0]
    template = template_of(workshop)
    if template is None or not template.body.strip():
        raise LetterError(N_("The organizers have not written the letter yet."))
    if not needs_letter(registration, template):
        raise LetterError(N_("A letter is issued only to a confirmed participant who said they need one for a visa."))
    values = _values(registration, template)
    last = db.session.scalar(sa.select(sa.func.max(VisaLetter.number)).where(VisaLetter.workshop_id == workshop.id))
    number = (last or 0) + 1
    letter = VisaLetter(
        workshop_id=workshop.id, registration_id=registration.id, number=number,
        reference=f"{workshop.slug.upper()}/{workshop.start_date.year}/{number:03d}",
        requested_by=by.email if by is not None else "registrant")
    _write_words(letter, registration, template)
    db.session.add(letter)
    db.session.flush()
    if not _render_in_worker():
        render_letter(letter)
    audit.record("visa_letter.issued", workshop=workshop, actor=by or "registrant", target=("registration", registration.id),
                 number=letter.reference)
    with in_language(registration.language):
        queue_mail_later(registration.email, "visa_letter", args={"letter_id": letter.id},
                         subject=_("Your letter of invitation: %(title)s", title=workshop.title),
                         workshop_id=workshop.id)
    db.session.flush()
    return letter


def _write_words(letter: VisaLetter, registration: Registration, template: LetterTemplate) -> None:
    values = _values(registration, template)
    letter.language = registration.language
    letter.addressee = values["embassy"]
    letter.body = fill(template.body, values)
    letter.letterhead = template.letterhead
    letter.signatory_name = template.signatory_name
    letter.signatory_title = template.signatory_title


def regenerate(letter: VisaLetter, *, by=None) -> VisaLetter:
    """Write an issued letter anew from the template and the participant's answers as they are
    now (a corrected passport number, a new signatory): same number and reference, today's
    date; the stored PDF is dropped and the worker writes the new one. Not mailed again."""
    registration = letter.registration
    if letter.purged_at is not None or registration is None:
        raise LetterError(N_("This letter's details were removed: it cannot be written again."))
    template = template_of(registration.workshop)
    if template is None or not template.body.strip():
        raise LetterError(N_("The organizers have not written the letter yet."))
    _write_words(letter, registration, template)
    letter.issued_at = utcnow()
    letter.pdf = None
    db.session.flush()
    audit.record("visa_letter.regenerated", workshop=letter.workshop_id, actor=by,
                 target=("registration", registration.id), number=letter.reference)
    if not _render_in_worker():
        render_letter(letter)
    db.session.flush()
    return letter


def issue_for_everyone(workshop, *, by=None) -> int:
    """A letter for each confirmed participant who needs one and has none yet."""
    lock_workshop(workshop.id)  # before reading who has a letter: see ``issue``
    template = template_of(workshop)
    issued = set(db.session.scalars(sa.select(VisaLetter.registration_id).where(VisaLetter.workshop_id == workshop.id)))
    count = 0
    for registration in questions.follow_up_audience(workshop):
        if registration.id not in issued and needs_letter(registration, template):
            issue(registration, by=by)
            count += 1
    return count


def letter_html(letter: VisaLetter) -> str:
    with in_language(letter.language):
        return render_template("pdf/visa_letter.html", letter=letter, workshop=letter.registration.workshop
                               if letter.registration else None, body=render_markdown(letter.body),
                               issued=format_day(letter.issued_at.date()))


def _render_in_worker() -> bool:
    return has_request_context() and current_app.config.get("PDF_IN_WORKER", True)


def render_letter(letter: VisaLetter) -> None:
    """Write the PDF from the letter's own stored words, and keep it."""
    letter.pdf = render_pdf(letter_html(letter))
    db.session.flush()


def letter_pdf(letter: VisaLetter) -> bytes | None:
    """The stored PDF; None while the worker has yet to write it (never rendered here: a
    download is a web request)."""
    return letter.pdf


_WAITING = (sa.select(VisaLetter).where(VisaLetter.pdf.is_(None), VisaLetter.purged_at.is_(None),
                                        VisaLetter.registration_id.is_not(None)).order_by(VisaLetter.id))
# Letters whose PDF failed in this worker process: tried after the others (see memos' rendering).
_failed: set[int] = set()


def render_waiting() -> int:
    """The mail worker's round job: the PDFs of letters issued or regenerated since its last
    round (the worker commits). How many were rendered."""
    return stored_pdfs.render_round(_WAITING, VisaLetter.id, _failed, render_letter, "visa letter")


def write_letter_mail(args: dict) -> Letter:
    """The mail worker writes the message and the PDF, and keeps the PDF with the letter."""
    letter = db.session.get(VisaLetter, args["letter_id"])
    if letter is None or letter.registration is None or letter.purged_at is not None:
        raise LookupError("the letter is gone")
    registration = letter.registration
    if letter.pdf is None:
        render_letter(letter)  # regenerated since the round job ran
    with in_language(letter.language):
        workshop = registration.workshop
        return Letter(registration.email, "visa_letter",
                      _("Your letter of invitation: %(title)s", title=workshop.title),
                      {"registration": registration, "workshop": workshop, "letter": letter},
                      attachments=(Attachment(f"letter-of-invitation-{letter.number:03d}.pdf", "application/pdf",
                                              letter.pdf),),
                      reply_to=workshop.contact_email or None)


def purge_letters(*, registration: Registration) -> None:
    """The retention purge: the letter's number and date stay (the log refers to them); the
    personal details in its words and its PDF go."""
    for letter in letters_of(registration):
        letter.body = letter.addressee = ""
        letter.pdf = None
        letter.purged_at = utcnow()
    db.session.flush()
