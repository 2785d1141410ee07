"""The question builder (organizers), the follow-up mailing, and the follow-up form a confirmed
participant fills in through their own link."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workshop.platform.security import rate_limit
from workshop.platform.types import utcnow
from workshop.questions import rules, service
from workshop.questions.forms import KIND_LABELS, STAGE_LABELS, QuestionForm, answers_form, choice_lines
from workshop.questions.models import Kind, Stage
from workshop.registration import service as registrations
from workshop.registration.models import State
from workshop.registration.views import by_registration_token
from workshop.workshops.access import load_for
from workshop.workshops.forms import ConfirmForm

bp = Blueprint("questions", __name__)

_FIELDS = ("label", "kind", "help_text", "stage", "required", "sensitive")


def _question_form(workshop, question=None):
    form = QuestionForm(obj=question if request.method == "GET" else None,
                        categories=registrations.categories_for(workshop),
                        conditions=service.condition_options(workshop, exclude=question))
    if request.method == "GET" and question is not None:
        form.choices_text.data = "\n".join(question.choices or [])
        form.category_ids.data = [str(c) for c in question.category_ids or []]
        form.condition.data = (f"{question.condition_question_id}:{question.condition_value}"
                               if question.condition_question_id else "")
    return form


def _values(form) -> dict:
    values = {name: getattr(form, name).data for name in _FIELDS}
    values["help_text"] = values["help_text"] or ""
    values["choices"] = choice_lines(form.choices_text.data) if form.kind.data in (Kind.SINGLE, Kind.MULTIPLE) else []
    values["category_ids"] = sorted(int(c) for c in form.category_ids.data or [])
    values["condition"] = form.condition.data or ""
    return values


def _page(workshop, form, status=200):
    questions = service.questions_of(workshop)
    sent, answered = service.follow_up_counts(workshop)
    names = {c.id: c.name for c in registrations.categories_for(workshop)}
    return render_template("questions/manage.html", workshop=workshop, form=form, questions=questions,
                           by_id=service.by_id(questions), kinds=KIND_LABELS, stages=STAGE_LABELS,
                           category_names={q.id: ", ".join(names[c] for c in q.category_ids or [] if c in names)
                                           for q in questions},
                           confirm=ConfirmForm(), sent=sent, answered=answered,
                           audience=len(service.follow_up_audience(workshop))), status


@bp.route("/manage/w/<slug>/questions", methods=["GET", "POST"])
@login_required
def manage(slug: str):
    workshop = load_for(slug)
    form = _question_form(workshop)
    if form.validate_on_submit():
        try:
            service.save_question(workshop, _values(form), by=current_user)
        except rules.AnswerError as error:
            form.condition.errors.append(error.translated())
        else:
            flash(_("Question added."), "success")
            return redirect(url_for("questions.manage", slug=slug))
    return _page(workshop, form, 422 if form.errors else 200)


def _question(workshop, question_id: int):
    question = service.question_of(workshop, question_id)
    if question is None:
        abort(404)
    return question


@bp.route("/manage/w/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, question_id: int):
    workshop = load_for(slug)
    question = _question(workshop, question_id)
    form = _question_form(workshop, question)
    if form.validate_on_submit():
        try:
            service.save_question(workshop, _values(form), question=question, by=current_user)
        except rules.AnswerError as error:
            form.form_errors.append(error.translated())
        else:
            flash(_("Question saved."), "success")
            return redirect(url_for("questions.manage", slug=slug))
    return render_template("questions/edit.html", workshop=workshop, form=form, question=question,
                           answered=service.has_answers(question)), 422 if form.errors or form.form_errors else 200


def _confirmed():
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/manage/w/<slug>/questions/<int:question_id>/<direction>")
@login_required
def move(slug: str, question_id: int, direction: str):
    workshop = load_for(slug)
    question = _question(workshop, question_id)
    _confirmed()
    if direction not in ("up", "down"):
        abort(404)
    service.move_question(question, -1 if direction == "up" else 1)
    return redirect(url_for("questions.manage", slug=slug) + f"#question-{question.id}")


@bp.post("/manage/w/<slug>/questions/order/<stage>")
@login_required
def reorder(slug: str, stage: str):
    """Where static/question_order.js sends the order a drag and drop left: ``order`` is the
    ids, comma-separated. The up and down buttons do the same without JavaScript."""
    workshop = load_for(slug)
    _confirmed()
    if stage not in (Stage.REGISTRATION, Stage.FOLLOW_UP):
        abort(404)
    ids = [int(part) for part in request.form.get("order", "").split(",")[:500] if part.isdigit() and len(part) < 10]
    service.reorder(workshop, stage, ids)
    return "", 204


@bp.post("/manage/w/<slug>/questions/<int:question_id>/delete")
@login_required
def delete(slug: str, question_id: int):
    workshop = load_for(slug)
    question = _question(workshop, question_id)
    _confirmed()
    service.delete_question(question, by=current_user)
    flash(_("Question deleted, with its answers."), "success")
    return redirect(url_for("questions.manage", slug=slug))


@bp.post("/manage/w/<slug>/questions/follow-up/<what>")
@login_required
def follow_up(slug: str, what: str):
    workshop = load_for(slug)
    _confirmed()
    if what not in ("send", "remind"):
        abort(404)
    try:
        count = service.send_follow_up(workshop, by=current_user) if what == "send" \
            else service.remind_follow_up(workshop, by=current_user)
    except rules.AnswerError as error:
        flash(error.translated(), "error")
    else:
        flash(ngettext("%(num)d email sent.", "%(num)d emails sent.", count), "success")
    return redirect(url_for("questions.manage", slug=slug))


# The participant's follow-up form ----------------------------------------------------------


@bp.route("/registrations/<token>/follow-up", methods=["GET", "POST"])
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def follow_up_form(token: str, registration):
    workshop = registration.workshop
    questions = service.questions_of(workshop)
    asked = service.follow_up_questions_for(registration, questions)
    if not asked or registration.state != State.CONFIRMED:
        abort(404)
    settings = registrations.settings_for(workshop)
    locked = not settings.can_edit(utcnow())
    previous = service.answers_of(registration)
    form = answers_form(asked, service.by_id(questions), previous,
                        formdata=request.form if request.method == "POST" else None, csrf=True)
    if request.method == "POST" and not locked:
        if form.validate_answers(registration.category_id):
            service.save_answers(registration, form.cleaned)
            service.answered_follow_up(registration)
            flash(_("Thank you: your answers are saved."), "success")
            return redirect(url_for("registration.self_service", token=token))
    elif request.method == "POST":
        abort(403)
    return render_template("questions/follow_up.html", workshop=workshop, registration=registration, token=token,
                           form=form, questions=asked, all_questions=service.by_id(questions),
                           locked=locked), 422 if form.errors else 200
