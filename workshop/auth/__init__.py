"""Accounts and sign-in (Flask-Login, scrypt password hashes)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from workshop.auth import admin_views, commands, service, views
    from workshop.platform.audit import ACTION_LABELS
    from workshop.platform.db import login_manager

    service.init_login(login_manager)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.cli.add_command(commands.create_user_command)
    app.cli.add_command(commands.grant_workshop_creation_command)
    ACTION_LABELS["account.rights_changed"] = admin_views.RIGHTS_CHANGED
