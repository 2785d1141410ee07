"""Site-wide pages: the list of workshops, the health check and the icon browsers ask for."""

import sqlalchemy as sa
from flask import Blueprint, current_app, make_response, render_template, send_from_directory

from workshop.platform import public_cache
from workshop.platform.built_once import conditional
from workshop.platform.db import db
from workshop.workshops import service as workshops

bp = Blueprint("core", __name__)


@bp.get("/")
@public_cache.cached_site("home page", personal=True)
def index():
    upcoming, past = workshops.public_workshops()
    return conditional(make_response(render_template("core/index.html", upcoming=upcoming, past=past)))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "error",
                "message": "The database does not answer."}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links: the same icon."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
