"""The organizer's reminders page: the rules, the timeline of what goes out when, a form to add one."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.reminders import service
from workshop.reminders.forms import ReminderRuleForm, RemoveRuleForm
from workshop.workshops.access import load_for

bp = Blueprint("reminders", __name__)


def _page(workshop, form, status=200):
    return render_template("reminders/index.html", workshop=workshop, form=form, remove=RemoveRuleForm(),
                           rules=service.rules_of(workshop), timeline=service.timeline(workshop),
                           describe=service.describe, note=service.timeline_note), status


@bp.get("/manage/w/<slug>/reminders")
@login_required
def index(slug: str):
    workshop = load_for(slug)
    return _page(workshop, ReminderRuleForm(formdata=None))


@bp.post("/manage/w/<slug>/reminders")
@login_required
def add(slug: str):
    workshop = load_for(slug)
    form = ReminderRuleForm()
    valid = form.validate()
    for name, error in service.check(form.subject.data or "", form.body.data or "").items():
        getattr(form, name).errors = list(getattr(form, name).errors) + [error.translated()]
        valid = False
    if not valid:
        return _page(workshop, form, 422)
    service.add_rule(workshop, kind=form.kind.data, days=form.days.data, hour=form.hour.data,
                     subject=form.subject.data, body=form.body.data, by=current_user)
    flash(_("The reminder is set up."), "success")
    return redirect(url_for("reminders.index", slug=slug))


@bp.post("/manage/w/<slug>/reminders/<int:rule_id>/remove")
@login_required
def remove(slug: str, rule_id: int):
    workshop = load_for(slug)
    if not RemoveRuleForm().validate():
        abort(400)
    if not service.remove_rule(workshop, rule_id):
        abort(404)
    flash(_("The reminder is removed; what it sent stays sent."), "success")
    return redirect(url_for("reminders.index", slug=slug))
