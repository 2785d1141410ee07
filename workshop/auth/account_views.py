"""The signed-in person's own account: name, email, password, two-factor, sessions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from workshop.auth import links, service, two_factor
from workshop.auth.forms import (ConfirmForm, EmailChangeForm, NameForm, PasswordChangeForm, TwoFactorDisableForm,
                                 TwoFactorEnableForm)
from workshop.platform.registry import registry
from workshop.platform.security import rate_limit

bp = Blueprint("account", __name__, url_prefix="/account")

# The secret being set up, kept in the signed session until a code proves the app holds it.
SETUP_SECRET = "two_factor_setup"


def _me():
    return current_user._get_current_object()


def _page(status: int = 200, **forms):
    user = _me()
    forms.setdefault("name_form", NameForm(obj=user, formdata=None))
    forms.setdefault("email_form", EmailChangeForm(formdata=None))
    forms.setdefault("password_form", PasswordChangeForm(formdata=None))
    forms.setdefault("disable_form", TwoFactorDisableForm(formdata=None))
    memberships = [row for provider in registry().memberships for row in provider(user)]
    return render_template("auth/account.html", user=user, memberships=memberships, confirm=ConfirmForm(),
                           codes_left=two_factor.recovery_codes_left(user) if user.has_two_factor else 0,
                           **forms), status


def _stay_signed_in(user) -> None:
    """After the account's sessions were ended on purpose, keep this browser signed in."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    login_user(user, remember=remember)


@bp.get("")
@login_required
def account():
    return _page()


@bp.post("/name")
@rate_limit("account")
@login_required
def change_name():
    form = NameForm()
    if form.validate_on_submit():
        service.change_name(_me(), form.name.data)
        flash(_("Your name is saved."), "success")
        return redirect(url_for("account.account"))
    return _page(422, name_form=form)


@bp.post("/email")
@rate_limit("account")
@login_required
def change_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        user = _me()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        elif service.find_user(form.email.data) is not None:
            form.email.errors.append(_("Another account uses this address already."))
        else:
            links.send_email_confirmation(user, service.normalize_email(form.email.data))
            flash(_("We have sent a link to %(email)s. Your address changes when you open it.",
                    email=form.email.data), "success")
            return redirect(url_for("account.account"))
    return _page(422, email_form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@rate_limit("account_link", methods=("GET", "POST"))
def confirm_email(token: str):
    row, reason = links.find(token, links.EMAIL_CHANGE)
    if row is None:
        return render_template("auth/invalid_link.html", kind="email", reason=reason), 404
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.change_email(row.user, row.new_email)
        except service.AccountError as error:
            flash(error.translated(), "error")
            return redirect(url_for("account.account"))
        links.use_up(row)
        flash(_("Your email address is now %(email)s.", email=row.new_email), "success")
        return redirect(url_for("account.account") if current_user.is_authenticated else url_for("auth.login"))
    return render_template("auth/confirm_email.html", form=form, new_email=row.new_email)


@bp.post("/password")
@rate_limit("account")
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = _me()
        try:
            service.change_password(user, form.current_password.data, form.password.data)
        except service.AccountError as error:
            form.current_password.errors.append(error.translated())
        else:
            _stay_signed_in(user)
            flash(_("Your password is changed. Every other session of your account is signed out."), "success")
            return redirect(url_for("account.account"))
    return _page(422, password_form=form)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.sign_out_everywhere(_me())
    logout_user()
    flash(_("Every session of your account is signed out, this one too. Sign in again to go on."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/two-factor", methods=["GET", "POST"])
@rate_limit("account")
@login_required
def two_factor_setup():
    user = _me()
    if user.has_two_factor:
        return redirect(url_for("account.account"))
    secret = session.get(SETUP_SECRET)
    if not secret:
        secret = session[SETUP_SECRET] = two_factor.new_secret()
    form = TwoFactorEnableForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(user, secret, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(error.translated())
        else:
            session.pop(SETUP_SECRET, None)
            return render_template("auth/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(user, secret)
    return render_template("auth/two_factor_setup.html", form=form, secret=secret, qr=two_factor.qr_svg(uri),
                           required=request.args.get("required") == "1"), 422 if form.errors else 200


@bp.post("/two-factor/disable")
@rate_limit("account")
@login_required
def two_factor_disable():
    form = TwoFactorDisableForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(_me(), form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(error.translated())
        else:
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("account.account"))
    return _page(422, disable_form=form)
