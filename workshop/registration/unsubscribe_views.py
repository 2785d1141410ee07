"""The one-click unsubscribe link of bulk mail: a GET shows a button, a POST records the choice.

The POST is exempt from the CSRF check, and only this route: a mail client's one click (RFC
8058) carries no form token, and the signed link token is what authenticates it. Unsubscribing
is all it can do, for the one address and workshop the token names.
"""

from flask import render_template, request, url_for

from flask_babel import gettext as _

from workshop.platform.db import csrf
from workshop.platform.errors import render_error
from workshop.platform.security import rate_limit
from workshop.registration import unsubscribe as service
from workshop.registration.blueprint import bp


def _unknown_link():
    return render_error(404, _("This unsubscribe link is not valid"),
                        _("Copy the whole link from the email, or write to the organizers."))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
@rate_limit("token", methods=("GET", "POST"))
def unsubscribe(token: str):
    found = service.read_token(token)
    if found is None:
        return _unknown_link()
    workshop, digest = found
    done = request.method == "POST"
    if done:
        service.unsubscribe(workshop, digest)
    return render_template("registration/unsubscribe.html", workshop=workshop, done=done,
                           action=url_for("registration.unsubscribe", token=token))
