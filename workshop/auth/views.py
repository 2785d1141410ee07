from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from workshop.auth import service, throttle
from workshop.auth.forms import LoginForm
from workshop.platform.security import rate_limit

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("manage.dashboard")


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
        else:
            throttle.succeeded(form.email.data)
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")))
        # The same words whether the email is unknown or the password wrong.
        form.password.errors.append(_("That email and password do not match an account."))
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "POST":
        logout_user()
        flash(_("You are signed out."), "info")
        return redirect(url_for("core.index"))
    return render_template("auth/logout.html")
