"""The organizer's view of a workshop's audit log."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from workshop.platform import audit, templating
from workshop.platform.routing import database_int
from workshop.platform.audit import words as audit_words
from workshop.platform.audit.service import PAGE_SIZE
from workshop.workshops.access import load_for

bp = Blueprint("audit", __name__, url_prefix="/manage")


@bp.get("/w/<slug>/audit")
@login_required
def log(slug: str):
    workshop = load_for(slug)
    before = request.args.get("before", type=database_int)
    entries = audit.entries_for(workshop, before_id=before, limit=PAGE_SIZE + 1)
    older = None
    if len(entries) > PAGE_SIZE:
        entries = entries[: PAGE_SIZE]
        older = url_for("audit.log", slug=slug, before=entries[-1].id)
    return render_template("audit/log.html", workshop=workshop, entries=entries, older=older,
                           describe=audit.describe, audit_words=audit_words)


def manage_link(workshop):
    return _("Activity log"), url_for("audit.log", slug=workshop.slug)
