"""Rapporteurs' session notes, with revisions and conflict handling."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.notes import views

    app.register_blueprint(views.bp)
    registry.manage_link(app, views.manage_link)
