"""Letters organizers edit: the invitation, confirmation, waitlist, promotion, rejection, reminder
and cancellation mail of a workshop, per language, versioned, with formal parts."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.platform import registry
from workshop.platform.audit import ACTION_LABELS


def init_app(app: Flask) -> None:
    from workshop.letters import links, service
    from workshop.letters.views import bp

    app.register_blueprint(bp)
    registry.manage_link(app, links.manage_letters_link)
    registry.contribute(app, "letter", service.letter_for)
    registry.contribute(app, "letter version", service.version_in_force)
    ACTION_LABELS["letter.edited"] = _l("Letter edited")
    ACTION_LABELS["letter.reset"] = _l("Letter reset to its default text")
