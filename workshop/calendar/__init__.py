"""Calendar files: the public feed, single sessions, registrants' calendars and iTIP messages."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from workshop.calendar import views

    app.register_blueprint(views.bp)
    registry.public_link(app, views.subscribe_link)
