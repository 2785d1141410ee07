"""Organizers write the letter and issue letters; a participant asks for theirs and downloads it."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workshop.visas import service
from workshop.visas.forms import TemplateForm
from workshop.visas.models import VisaLetter
from workshop.platform import stored_pdfs
from workshop.platform.db import db
from workshop.platform.security import rate_limit
from workshop.questions import service as questions
from workshop.registration.models import Registration
from workshop.registration.views import by_registration_token
from workshop.workshops.access import load_for
from workshop.workshops.forms import ConfirmForm

bp = Blueprint("visas", __name__)
FIELDS = ("letterhead", "body", "signatory_name", "signatory_title", *TemplateForm.QUESTION_FIELDS)


def _pdf_response(letter: VisaLetter, back: str) -> Response:
    pdf = service.letter_pdf(letter)
    if pdf is None:
        # Issued or regenerated a moment ago: the mail worker writes the PDF at its next round.
        # The waiting page of every PDF the worker renders, named after the letter.
        return stored_pdfs.preparing_response(request.path, back=back,
                                              heading=f"{_('Letter of invitation')} {letter.reference}")
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="letter-of-invitation-{letter.number:03d}.pdf"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@bp.route("/manage/w/<slug>/visa-letters", methods=["GET", "POST"])
@login_required
def manage(slug: str):
    workshop = load_for(slug)
    template = service.template_of(workshop)
    form = TemplateForm(obj=template if request.method == "GET" else None, questions=questions.questions_of(workshop))
    if request.method == "GET" and template is None:
        form.body.data = service.DEFAULT_BODY
        form.letterhead.data = "\n".join(o.name for o in workshop.conveners)
    if form.validate_on_submit():
        try:
            service.save_template(workshop, {name: getattr(form, name).data or ("" if "question" not in name else None)
                                             for name in FIELDS}, by=current_user)
        except service.LetterError as error:
            form.body.errors.append(error.translated())
        else:
            flash(_("The letter is saved."), "success")
            return redirect(url_for("visas.manage", slug=slug))
    letters = service.workshop_letters(workshop)
    waiting = [r for r in questions.follow_up_audience(workshop) if service.needs_letter(r, template)
               and r.id not in {letter.registration_id for letter in letters}]
    return render_template("visas/manage.html", workshop=workshop, form=form, letters=letters, waiting=waiting,
                           confirm=ConfirmForm()), 422 if form.errors else 200


@bp.post("/manage/w/<slug>/visa-letters/issue")
@login_required
def issue_all(slug: str):
    workshop = load_for(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        count = service.issue_for_everyone(workshop, by=current_user)
    except service.LetterError as error:
        flash(error.translated(), "error")
    else:
        flash(ngettext("%(num)d letter issued and mailed.", "%(num)d letters issued and mailed.", count), "success")
    return redirect(url_for("visas.manage", slug=slug))


@bp.get("/manage/w/<slug>/visa-letters/<int:letter_id>.pdf")
@login_required
def organizer_pdf(slug: str, letter_id: int):
    workshop = load_for(slug)
    letter = db.session.get(VisaLetter, letter_id)
    if letter is None or letter.workshop_id != workshop.id or letter.purged_at is not None:
        abort(404)
    return _pdf_response(letter, url_for("visas.manage", slug=slug))


@bp.post("/manage/w/<slug>/visa-letters/<int:letter_id>/regenerate")
@login_required
def regenerate(slug: str, letter_id: int):
    workshop = load_for(slug)
    letter = db.session.get(VisaLetter, letter_id)
    if letter is None or letter.workshop_id != workshop.id or letter.purged_at is not None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.regenerate(letter, by=current_user)
    except service.LetterError as error:
        flash(error.translated(), "error")
    else:
        flash(_("Letter %(reference)s is written again from the letter and the participant's answers as they are "
                "now; its new PDF replaces the old one in a moment. It is not mailed again.",
                reference=letter.reference), "success")
    return redirect(url_for("visas.manage", slug=slug))


@bp.post("/registrations/<token>/visa-letters")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def request_letter(token: str, registration: Registration):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if service.letters_of(registration):
        flash(_("Your letter was issued already: download it below."), "success")
    else:
        try:
            service.issue(registration)
        except service.LetterError as error:
            flash(error.translated(), "error")
        else:
            flash(_("Your letter is issued. We are emailing it to you; you can also download it here."), "success")
    return redirect(url_for("registration.self_service", token=token))


@bp.get("/registrations/<token>/visa-letters/<int:letter_id>.pdf")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def registrant_pdf(token: str, registration: Registration, letter_id: int):
    letter = db.session.get(VisaLetter, letter_id)
    if letter is None or letter.registration_id != registration.id or letter.purged_at is not None:
        abort(404)
    return _pdf_response(letter, url_for("registration.self_service", token=token))
