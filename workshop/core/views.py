"""Site-wide pages: the list of workshops and the health check."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from workshop.platform.db import db
from workshop.workshops import service as workshops

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    upcoming, past = workshops.public_workshops()
    return render_template("core/index.html", upcoming=upcoming, past=past)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "error",
                "message": "The database does not answer."}, 503
    return {"status": "ok", "database": "ok"}
