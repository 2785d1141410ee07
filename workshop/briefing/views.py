"""A participant's briefing pack behind their registration link, and its part of their page."""

from flask import Blueprint, make_response, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from workshop.briefing import service
from workshop.platform.errors import render_error
from workshop.platform.security import rate_limit
from workshop.registration.models import State
from workshop.registration.views import by_registration_token

bp = Blueprint("briefing", __name__)


@bp.get("/registrations/<token>/briefing-pack.pdf")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def download(token: str, registration):
    """The last pack built (even while a newer one is being prepared); until there is one, a
    page that says so. Only while the registrant holds a seat."""
    if registration.state != State.CONFIRMED:
        return render_error(404, _("No briefing pack for this registration"),
                            _("Only confirmed participants have a briefing pack. Open your "
                              "registration page to see where it stands."))
    pack = service.pack_of(registration, with_content=True)
    if pack is None or not pack.has_file:
        response = make_response(render_template("briefing/preparing.html", registration=registration,
                                                 workshop=registration.workshop, token=token), 202)
        response.headers["Retry-After"] = "60"
        response.headers["Cache-Control"] = "no-store"
        return response
    response = make_response(pack.content)
    response.headers["Content-Type"] = service.PDF
    response.headers["Content-Disposition"] = f'attachment; filename="{service.filename_for(registration)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    # It names the participant and sits behind their link: nothing keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def participant_page_part(registration, token: str):
    """The pack's line on the registrant's own page: a download, or "being prepared"."""
    if registration.state != State.CONFIRMED:
        return None
    pack = service.pack_of(registration)
    return Markup(render_template("briefing/_participant.html", registration=registration, token=token,
                                  workshop=registration.workshop, pack=pack,
                                  current=pack is not None and pack.is_current_for(registration)))
