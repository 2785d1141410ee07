"""The site admin's page of accounts: search, rights, disable and enable."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workshop.auth import service
from workshop.auth.forms import AccountRightsForm, ConfirmForm
from workshop.auth.models import User
from workshop.platform.db import db
from workshop.platform.forms import single_line_text

bp = Blueprint("accounts", __name__, url_prefix="/manage/accounts")

RIGHTS_CHANGED = _l("Account rights changed")


def require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


def _search() -> str:
    search = request.args.get("q", "")[:200]
    try:
        return single_line_text(search)
    except ValueError:
        return ""


@bp.get("/")
@login_required
def accounts():
    require_admin()
    search = _search()
    rows = [(user, AccountRightsForm(obj=user, prefix=f"u{user.id}", formdata=None))
            for user in service.all_accounts(search)]
    return render_template("auth/accounts.html", rows=rows, search=search, confirm=ConfirmForm())


@bp.post("/<int:user_id>")
@login_required
def set_rights(user_id: int):
    require_admin()
    user = db.session.get(User, user_id) or abort(404)
    form = AccountRightsForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        abort(400)
    try:
        service.set_rights(user, can_create_workshops=form.can_create_workshops.data,
                           sees_all_contacts=form.sees_all_contacts.data, is_admin=form.is_admin.data,
                           by=current_user._get_current_object())
    except service.AccountError as error:
        flash(error.translated(), "error")
    else:
        flash(_("Rights of %(email)s saved.", email=user.email), "success")
    return redirect(url_for("accounts.accounts"))


@bp.post("/<int:user_id>/<any(disable, enable):action>")
@login_required
def set_enabled(user_id: int, action: str):
    require_admin()
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.set_enabled(user, action == "enable", by=current_user._get_current_object())
    except service.AccountError as error:
        flash(error.translated(), "error")
    else:
        if action == "enable":
            flash(_("%(email)s may sign in again.", email=user.email), "success")
        else:
            flash(_("%(email)s is disabled: its sessions are ended and it cannot sign in.", email=user.email), "success")
    return redirect(url_for("accounts.accounts"))
