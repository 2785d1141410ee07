"""The contact directory and its CSV import."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from workshop.people import views
    from workshop.platform.audit import ACTION_LABELS

    app.register_blueprint(views.bp)
    ACTION_LABELS["contact.created"] = _l("Contact added to the directory")
    ACTION_LABELS["contact.updated"] = _l("Contact changed")
