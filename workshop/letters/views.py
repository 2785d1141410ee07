"""The organizer's letters: the seven kinds, one letter's editor with a preview, its versions."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.letters import service
from workshop.letters.forms import LetterForm, ResetForm
from workshop.platform.i18n import LANGUAGES, in_language, offered
from workshop.workshops.access import load_for

bp = Blueprint("letters", __name__)


def _load(slug: str, kind: str, language: str):
    workshop = load_for(slug)
    if kind not in service.KINDS or language not in offered(workshop):
        abort(404)
    return workshop


@bp.get("/manage/w/<slug>/letters")
@login_required
def index(slug: str):
    workshop = load_for(slug)
    languages = offered(workshop)
    state = {(kind, language): service.current(workshop.id, kind, language)
             for kind in service.KINDS for language in languages}
    return render_template("letters/index.html", workshop=workshop, kinds=service.KINDS, labels=service.LABELS,
                           languages=languages, languages_names=LANGUAGES, state=state)


@bp.route("/manage/w/<slug>/letters/<kind>/<language>", methods=["GET", "POST"])
@login_required
def edit(slug: str, kind: str, language: str):
    workshop = _load(slug, kind, language)
    row = service.current(workshop.id, kind, language)
    form = LetterForm()
    if not form.is_submitted():
        with in_language(language):
            form.subject.data = row.subject if row else service.default_subject(kind)
            form.body.data = row.body if row else service.default_body(kind)
        if row:
            form.signatory_name.data, form.signatory_title.data = row.signatory_name, row.signatory_title
            form.reply_by.data = row.reply_by
    shown = None
    status = 200
    if form.is_submitted():
        valid = form.validate()
        for name, error in service.check(form.subject.data or "", form.body.data or "").items():
            getattr(form, name).errors = list(getattr(form, name).errors) + [error.translated()]
            valid = False
        if not valid:
            status = 422
        elif form.save.data:
            saved = service.save(workshop, kind, language, subject=form.subject.data, body=form.body.data,
                                 signatory_name=form.signatory_name.data or "",
                                 signatory_title=form.signatory_title.data or "", reply_by=form.reply_by.data,
                                 by=current_user)
            flash(_("Version %(number)s of the letter is saved; mail written from now on uses it.",
                    number=saved.number), "success")
            return redirect(url_for("letters.edit", slug=slug, kind=kind, language=language))
        else:
            draft = service.LetterVersion(subject=form.subject.data, body=form.body.data,
                                          signatory_name=form.signatory_name.data or "",
                                          signatory_title=form.signatory_title.data or "", reply_by=form.reply_by.data)
            with in_language(language):
                shown = service.write(workshop, draft, service.sample_person(kind))
    return render_template("letters/edit.html", workshop=workshop, kind=kind, language=language,
                           label=service.LABELS[kind], form=form, reset=ResetForm(), current=row, shown=shown,
                           versions=service.versions(workshop, kind, language), languages_names=LANGUAGES), status


@bp.post("/manage/w/<slug>/letters/<kind>/<language>/reset")
@login_required
def reset(slug: str, kind: str, language: str):
    workshop = _load(slug, kind, language)
    if not ResetForm().validate():
        abort(400)
    if service.reset(workshop, kind, language, by=current_user) is not None:
        flash(_("The letter is back to its default text."), "success")
    return redirect(url_for("letters.edit", slug=slug, kind=kind, language=language))


@bp.get("/manage/w/<slug>/letters/<kind>/<language>/versions/<int:number>")
@login_required
def version(slug: str, kind: str, language: str, number: int):
    workshop = _load(slug, kind, language)
    row = service.version(workshop, kind, language, number) or abort(404)
    count, sent = service.sent_with(row)
    return render_template("letters/version.html", workshop=workshop, kind=kind, language=language,
                           label=service.LABELS[kind], row=row, count=count, sent=sent, languages_names=LANGUAGES)
