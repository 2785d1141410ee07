"""Site-wide pages: the list of published workshops and the health check."""

from flask import Flask


def init_app(app: Flask) -> None:
    from workshop.core import views

    app.register_blueprint(views.bp)
