"""The non-attribution check's own actions: accept flagged words with a reason, or flag them again."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.memos import acceptance, service
from workshop.memos.forms import AcceptForm
from workshop.memos.views import _load, memo_route
from workshop.workshops.models import Role


def _back(slug: str, form: AcceptForm) -> str:
    # Only two places send this form: the editor and the memo's page (never a URL from the form).
    endpoint = "memos.edit" if form.back.data == "edit" else "memos.manage"
    return url_for(endpoint, slug=slug) + "#check-heading"


@memo_route("/accept", methods=["POST"])
@login_required
def accept(slug: str, language: str | None):
    _workshop, memo = _load(slug, language, need=Role.ORGANIZER)
    form = AcceptForm()
    if not form.validate_on_submit():
        flash(_("The form is damaged. Reload the page and look again."), "error")
        return redirect(_back(slug, form))
    try:
        acceptance.accept(memo, form.name.data, form.reason.data, current_user)
    except service.MemoError as error:
        flash(error.translated(), "error")
    else:
        flash(_("Accepted: %(name)s may stay. The reason is kept in the activity log.", name=form.name.data),
              "success")
    return redirect(_back(slug, form))


@memo_route("/accept/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, language: str | None):
    _workshop, memo = _load(slug, language, need=Role.ORGANIZER)
    form = AcceptForm()
    if not form.validate_on_submit():
        flash(_("The form is damaged. Reload the page and look again."), "error")
        return redirect(_back(slug, form))
    try:
        acceptance.withdraw(memo, form.name.data, current_user)
    except service.MemoError as error:
        flash(error.translated(), "error")
    else:
        flash(_("%(name)s is flagged again: rewrite it, or accept it with a reason.", name=form.name.data), "success")
    return redirect(_back(slug, form))
