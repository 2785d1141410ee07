"""Accounts and sign-in (Flask-Login, scrypt password hashes)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from workshop.auth import commands, service, views
    from workshop.platform.db import login_manager

    service.init_login(login_manager)
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.create_user_command)
