"""A forgotten password: ask for a link by email, then set a new password with it."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from workshop.auth import links, service
from workshop.auth.forms import ForgotPasswordForm, ResetPasswordForm
from workshop.platform.security import email_key, rate_limit, spend

bp = Blueprint("password", __name__, url_prefix="/password")


@bp.route("/forgot", methods=["GET", "POST"])
@rate_limit("password_forgot")
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = service.find_user(form.email.data)
        # The same page whatever happened: nobody learns which addresses have accounts, nor
        # whether the per-inbox allowance was spent (it is counted for unknown addresses too).
        if spend("password_email", email_key(form.email.data)) and user is not None and user.is_active:
            links.send_password_reset(user)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


def invalid_link(reason: str):
    return render_template("auth/invalid_link.html", kind="reset", reason=reason), 404


@bp.route("/reset/<token>", methods=["GET", "POST"])
@rate_limit("account_link", methods=("GET", "POST"))
def reset(token: str):
    row, reason = links.find(token, links.PASSWORD_RESET)
    if row is None:
        return invalid_link(reason)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = row.user
        service.set_password(user, form.password.data, by=user)
        links.use_up(row)
        logout_user()  # whoever was signed in in this browser: sign in afresh with the new password
        flash(_("Your password is changed and every session of your account is signed out. Sign in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=row.user), 422 if form.errors else 200
