"""Sign-in (with the two-factor step when the account has it) and sign-out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from workshop.auth import service, throttle, two_factor
from workshop.auth.forms import LoginForm, TwoFactorCodeForm
from workshop.platform.db import db
from workshop.platform.security import rate_limit

bp = Blueprint("auth", __name__)

# The account that gave the right password and still owes its two-factor code, as
# "<id>:<session version>" (so a password change in between voids the half sign-in).
PENDING = "two_factor_pending"


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("manage.dashboard")


def _signed_in(user, remember: bool):
    login_user(user, remember=remember)
    flash(_("Signed in as %(name)s.", name=user.name), "success")
    return redirect(safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("login")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        throttle.check(form.email.data)  # per address and account: never locks the owner out
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.failed(form.email.data)
            # The same words whether the email is unknown or the password wrong.
            form.password.errors.append(_("That email and password do not match an account."))
        elif not user.is_active:
            form.email.errors.append(_("This account is disabled. Ask a site administrator to enable it again."))
        else:
            throttle.succeeded(form.email.data)
            if not user.has_two_factor:
                return _signed_in(user, form.remember.data)
            session[PENDING] = {"id": user.get_id(), "remember": bool(form.remember.data)}
            return redirect(url_for("auth.login_code", next=request.args.get("next")))
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/login/code", methods=["GET", "POST"])
@rate_limit("login")
def login_code():
    pending = session.get(PENDING) or {}
    user = service.user_for_session(str(pending.get("id") or ""))
    if user is None or not user.has_two_factor:
        session.pop(PENDING, None)
        flash(_("Sign in with your email and password first."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        throttle.check(user.email)
        if two_factor.verify(user, form.code.data):
            throttle.succeeded(user.email)
            session.pop(PENDING, None)
            return _signed_in(user, bool(pending.get("remember")))
        throttle.failed(user.email)
        form.code.errors.append(_("That code is not right. Enter the 6 digits your app shows now, or a recovery code."))
    return render_template("auth/login_code.html", form=form), 422 if form.errors else 200


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "POST":
        if current_user.is_authenticated:
            # A copy of this browser's session or remember-me cookie must not outlive the sign-out.
            user = current_user._get_current_object()
            user.end_sessions()
            db.session.flush()
        logout_user()
        flash(_("You are signed out."), "info")
        return redirect(url_for("core.index"))
    return render_template("auth/logout.html")
