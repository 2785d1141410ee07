"""The button this feature adds to the workshop's organizer overview."""

from flask import url_for
from flask_babel import gettext as _


def manage_letters_link(workshop):
    return _("Letters"), url_for("letters.index", slug=workshop.slug)
