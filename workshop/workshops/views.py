"""Public pages of a workshop."""

from flask import Blueprint, Response, abort, make_response, render_template, request

from workshop.platform import public_cache
from workshop.platform.built_once import conditional
from workshop.platform.db import db
from workshop.workshops.access import load_public
from workshop.workshops.models import Organization

bp = Blueprint("workshops", __name__)


@bp.get("/w/<slug>/")
@public_cache.cached("workshop page", personal=True)
def show(slug: str):
    workshop = load_public(slug, preview=True)
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


def keep_previews_private(response):
    """A draft previewed by its team is for that browser only: no shared cache keeps it, no
    search engine lists it."""
    if request and public_cache.is_private_page() is not None:
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def draft_preview_context() -> dict:
    """``draft_preview`` for the base template's banner: the draft being previewed, or None."""
    return {"draft_preview": public_cache.is_private_page() if request else None}
