"""The site admin's page of accounts and the rights an admin grants."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workshop.auth import service
from workshop.auth.forms import AccountRightsForm
from workshop.auth.models import User
from workshop.platform.db import db

bp = Blueprint("accounts", __name__, url_prefix="/manage/accounts")

RIGHTS_CHANGED = _l("Account rights changed")


def require_admin() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.get("/")
@login_required
def accounts():
    require_admin()
    rows = [(user, AccountRightsForm(obj=user, prefix=f"u{user.id}")) for user in service.all_accounts()]
    return render_template("auth/accounts.html", rows=rows)


@bp.post("/<int:user_id>")
@login_required
def set_rights(user_id: int):
    require_admin()
    user = db.session.get(User, user_id) or abort(404)
    form = AccountRightsForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        abort(400)
    service.set_rights(user, can_create_workshops=form.can_create_workshops.data,
                       sees_all_contacts=form.sees_all_contacts.data, by=current_user)
    flash(_("Rights of %(email)s saved.", email=user.email), "success")
    return redirect(url_for("accounts.accounts"))
