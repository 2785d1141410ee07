"""Accounts and sign-in (Flask-Login, scrypt password hashes), password resets, the account
page, two-factor sign-in and the site admin's page of accounts."""

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# Where a site admin without two-factor may still go when REQUIRE_2FA_FOR_ADMINS is on.
SETUP_ENDPOINTS = {"account.two_factor_setup", "auth.logout", "auth.login", "auth.login_code", "static",
                   "core.healthz"}


def require_two_factor_for_admins():
    if request.endpoint in SETUP_ENDPOINTS or not current_user.is_authenticated:
        return None
    if current_user.is_admin and not current_user.has_two_factor:
        return redirect(url_for("account.two_factor_setup", required=1))
    return None


def init_app(app: Flask) -> None:
    from workshop.auth import account_views, admin_views, commands, password_views, service, views
    from workshop.platform.audit import ACTION_LABELS
    from workshop.platform.db import login_manager

    service.init_login(login_manager)
    app.register_blueprint(views.bp)
    app.register_blueprint(password_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(admin_views.bp)
    for command in commands.COMMANDS:
        app.cli.add_command(command)
    if str(app.config.get("REQUIRE_2FA_FOR_ADMINS") or "0").lower() in ("1", "true", "yes"):
        app.before_request(require_two_factor_for_admins)
    ACTION_LABELS.update({
        "account.rights_changed": admin_views.RIGHTS_CHANGED,
        "account.password_changed": _l("Password changed"),
        "account.sessions_ended": _l("Signed out everywhere"),
        "account.email_changed": _l("Email address changed"),
        "account.disabled": _l("Account disabled"),
        "account.enabled": _l("Account enabled"),
        "account.two_factor_enabled": _l("Two-factor sign-in turned on"),
        "account.two_factor_disabled": _l("Two-factor sign-in turned off"),
    })
