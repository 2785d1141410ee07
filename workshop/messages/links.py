"""The button this feature adds to the workshop's organizer overview."""

from flask import url_for
from flask_babel import gettext as _


def manage_messages_link(workshop):
    return _("Messages"), url_for("messages.history", slug=workshop.slug)
