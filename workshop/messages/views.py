"""The organizer's screens for writing to participants: compose (with preview and a test to
oneself), the history of sent messages, one message's deliveries and its progress as JSON."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workshop.messages import attachments, service, team
from workshop.messages.forms import ComposeForm, TeamNoticeForm
from workshop.people.countries import country_choices, country_name
from workshop.platform.forms import choices
from workshop.platform.pages import paginate
from workshop.platform.states import state_choices, state_label
from workshop.questions import service as questions
from workshop.registration.models import ACTIVE_STATES
from workshop.registration.settings import categories_for
from workshop.workshops.access import load_for

bp = Blueprint("messages", __name__)
# A preview picks among the first people of the group; enough to check how names fill in.
PREVIEW_CHOICES = 200


def _audience(form) -> service.Audience:
    if form.audience.data == service.INVITEES:
        return service.Audience(kind=service.INVITEES)
    return service.Audience(kind=service.REGISTRANTS, states=tuple(form.states.data or ()),
                            category_id=form.category.data, country=form.country.data or "",
                            answer=form.answer.data or "")


def _audience_label(form, categories) -> str:
    if form.audience.data == service.INVITEES:
        return _("Invitees who have not answered")
    parts = [_("Registrants: %(states)s",
               states=", ".join(state_label(s, "registration") for s in form.states.data or ()))]
    names = {c.id: c.name for c in categories}
    if form.category.data in names:
        parts.append(_("category %(name)s", name=names[form.category.data]))
    if form.country.data:
        parts.append(_("country %(name)s", name=country_name(form.country.data)))
    if form.answer.data:
        parts.append(dict(form.answer.choices_pairs).get(form.answer.data, ""))
    return " · ".join(parts)


@bp.route("/manage/w/<slug>/messages/new", methods=["GET", "POST"])
@login_required
def compose(slug: str):
    workshop = load_for(slug)
    categories = categories_for(workshop)
    form = ComposeForm()
    form.states.choices = choices(state_choices("registration"))
    form.category.choices = choices([(None, _("All categories"))] + [(c.id, c.name) for c in categories])
    form.country.choices = choices([("", _("All countries"))] + country_choices())
    # An answer to one of the organizers' questions (a choice, yes or no) narrows the group.
    answers = questions.condition_options(workshop)
    form.answer.choices = choices([("", _("Any answer"))] + answers)
    form.answer.choices_pairs = answers
    form.documents.choices = [(d.id, d.title) for d in attachments.offered(workshop)]
    if not form.is_submitted():
        form.states.data = [str(s) for s in ACTIVE_STATES]
    people, shown, carried = [], None, []
    if form.is_submitted():
        valid = form.validate()
        for name, error in service.check(form.subject.data or "", form.body.data or "").items():
            getattr(form, name).errors = list(getattr(form, name).errors) + [error.translated()]
            valid = False
        people = service.recipients(workshop, _audience(form)) if not form.audience.errors else []
        form.preview_as.choices = choices([("-".join(map(str, p.key)), f"{p.name} <{p.email}>")
                                           for p in people[:PREVIEW_CHOICES]])
        if form.audience.data == service.REGISTRANTS and not form.states.data:
            form.states.errors = list(form.states.errors) + [_("Choose at least one state.")]
            valid = False
        elif not people and not form.audience.errors:
            form.audience.errors = list(form.audience.errors) + [
                _("Nobody matches this choice: choose other people to write to.")]
            valid = False
        refused = attachments.check(workshop, tuple(form.documents.data or ()), form.document_delivery.data,
                                    to_confirmed_only=service.to_confirmed_only(_audience(form)))
        if refused is not None and not form.audience.errors:
            form.documents.errors = list(form.documents.errors) + [refused.translated()]
            valid = False
        if valid:
            chosen = next((p for p in people if "-".join(map(str, p.key)) == form.preview_as.data), people[0])
            form.preview_as.data = "-".join(map(str, chosen.key))
            if form.send.data:
                try:
                    message, new = service.send(workshop, by=current_user, subject=form.subject.data,
                                                body=form.body.data, audience=_audience(form),
                                                audience_label=_audience_label(form, categories), key=form.key.data,
                                                documents=tuple(form.documents.data or ()),
                                                how=form.document_delivery.data or attachments.ATTACH,
                                                attach_briefing_pack=bool(form.briefing_pack.data))
                except (service.MessageError, attachments.AttachmentError) as error:
                    form.body.errors = list(form.body.errors) + [error.translated()]
                else:
                    if new:
                        flash(ngettext("The message is on its way to %(num)d person.",
                                       "The message is on its way to %(num)d people.", len(people)), "success")
                    return redirect(url_for("messages.show", slug=slug, message_id=message.id))
            else:
                documents = tuple(form.documents.data or ())
                how = form.document_delivery.data or attachments.ATTACH
                if form.test.data:
                    service.send_test(workshop, form.subject.data, form.body.data, chosen, current_user.email,
                                      documents=documents, how=how)
                    flash(_("A test was sent to %(address)s, as %(name)s would read it.",
                            address=current_user.email, name=chosen.name), "success")
                shown = service.preview(workshop, form.subject.data, form.body.data, chosen)
                # Under the preview: which documents go with it, and whether attached or linked.
                carried = attachments.planned(workshop, documents, how)
    failed = bool(form.errors) or (form.is_submitted() and shown is None)
    return render_template("messages/compose.html", workshop=workshop, form=form, people=people,
                           shown=shown, carried=carried), 422 if failed else 200


@bp.get("/manage/w/<slug>/messages")
@login_required
def history(slug: str):
    workshop = load_for(slug)
    page = paginate(service.messages_query(workshop))
    return render_template("messages/history.html", workshop=workshop, page=page,
                           messages=list(zip(page.items, service.progress_of_many(page.items))))


def _message(slug: str, message_id: int):
    workshop = load_for(slug)
    return workshop, service.message_of(workshop, message_id) or abort(404)


@bp.get("/manage/w/<slug>/messages/<int:message_id>")
@login_required
def show(slug: str, message_id: int):
    workshop, message = _message(slug, message_id)
    return render_template("messages/show.html", workshop=workshop, message=message,
                           progress=service.progress(message), deliveries=service.deliveries(message),
                           documents=attachments.carried(message))


@bp.get("/manage/w/<slug>/messages/<int:message_id>/progress.json")
@login_required
def progress(slug: str, message_id: int):
    workshop, message = _message(slug, message_id)
    counts = service.progress(message)
    response = jsonify({**counts, "label": _("%(sent)d of %(total)d", sent=counts["sent"], total=counts["total"])})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/manage/w/<slug>/notifications", methods=["GET", "POST"])
@login_required
def notifications(slug: str):
    """The signed-in organizer's own choice: registration news at once or in a daily digest."""
    workshop = load_for(slug)
    form = TeamNoticeForm()
    if not form.is_submitted():
        form.how.data = "digest" if team.takes_digest(workshop.id, current_user.id) else "immediate"
    if form.validate_on_submit():
        team.choose(workshop, current_user, daily_digest=form.how.data == "digest")
        flash(_("Your choice is saved."), "success")
        return redirect(url_for("messages.notifications", slug=slug))
    return render_template("messages/notifications.html", workshop=workshop, form=form), \
        422 if form.errors else 200
