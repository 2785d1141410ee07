"""The letter's part of the registrant's page: ask for it, or download it."""

from flask import render_template
from markupsafe import Markup

from workshop.visas import service
from workshop.workshops.forms import ConfirmForm


def registrant_answers(registration, token):
    template = service.template_of(registration.workshop)
    letters = service.letters_of(registration)
    if not letters and not service.needs_letter(registration, template):
        return None
    return Markup(render_template("visas/_registrant.html", token=token, letters=letters,
                                  may_request=not letters and bool(template and template.body.strip()),
                                  form=ConfirmForm()))
