"""Public pages of a workshop."""

from flask import Blueprint, Response, abort, make_response, render_template

from workshop.platform import public_cache
from workshop.platform.built_once import conditional
from workshop.platform.db import db
from workshop.workshops.access import load_public
from workshop.workshops.models import Organization

bp = Blueprint("workshops", __name__)


@bp.get("/w/<slug>/")
@public_cache.cached("workshop page", personal=True)
def show(slug: str):
    workshop = load_public(slug)
    return conditional(make_response(render_template("workshops/show.html", workshop=workshop)))


@bp.get("/organizations/<int:organization_id>/logo")
def logo(organization_id: int):
    organization = db.session.get(Organization, organization_id)
    if organization is None or not organization.has_logo:
        abort(404)
    response = Response(organization.logo, mimetype=organization.logo_mimetype)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
