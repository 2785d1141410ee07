"""Questions organizers add to the registration form and to a follow-up form, the answers, and
the charts of who is coming on the organizer's registration page."""

from flask import Flask

from workshop.platform import registry
from workshop.platform.audit.labels import ACTION_LABELS
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from workshop.questions import demo, parts, picture
    from workshop.questions.views import bp

    app.register_blueprint(bp)
    registry.contribute(app, "registration form", parts.registration_form)
    registry.contribute(app, "registrant page", parts.registrant_page)
    registry.contribute(app, "registration detail", parts.registration_detail)
    registry.contribute(app, "registrations dashboard", picture.dashboard)
    registry.contribute(app, "registration filters", parts.registration_filter)
    registry.contribute(app, "registration export", parts.export_columns)
    registry.demo_loader(app, demo.load)
    ACTION_LABELS.update({
        "question.added": _l("Registration question added"),
        "question.changed": _l("Registration question changed"),
        "question.deleted": _l("Registration question deleted"),
        "questions.follow_up_sent": _l("Follow-up form sent to confirmed participants"),
        "questions.follow_up_reminded": _l("Follow-up form: reminders sent"),
    })
