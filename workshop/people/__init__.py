"""The contact directory and its CSV import."""

from flask import Flask


def init_app(app: Flask) -> None:
    from workshop.people import views

    app.register_blueprint(views.bp)
