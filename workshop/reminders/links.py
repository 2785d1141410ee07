"""The button this feature adds to the workshop's organizer overview."""

from flask import url_for
from flask_babel import gettext as _


def manage_reminders_link(workshop):
    return _("Reminders"), url_for("reminders.index", slug=workshop.slug)
