"""Recommendations (/w/<slug>/recommendations and their follow-up under /manage), series pages
(/series/<slug>/), and the internal record and participants' read-out (frozen versions)."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from workshop.followup import outputs, service
from workshop.followup.forms import UpdateForm
from workshop.followup.models import RecordKind
from workshop.memos.published import has_published_version
from workshop.platform import stored_pdfs
from workshop.platform.security import rate_limit
from workshop.registration.models import State
from workshop.registration.service import registration_by_token
from workshop.registration.views import invalid_link
from workshop.workshops.access import can_manage, load_for, load_public
from workshop.workshops.forms import ConfirmForm
from workshop.workshops.models import Role
from workshop.workshops.series import series_by_slug

bp = Blueprint("followup", __name__)


# Recommendations ----------------------------------------------------------------------------------


@bp.get("/w/<slug>/recommendations")
def recommendations(slug: str):
    workshop = load_public(slug, preview=True)
    recs = service.recommendations_of(workshop)
    return render_template("followup/recommendations.html", workshop=workshop,
                           current=[r for r in recs if r.in_memo], removed=[r for r in recs if not r.in_memo],
                           published=has_published_version(workshop))


@bp.get("/manage/w/<slug>/recommendations")
@login_required
def manage_recommendations(slug: str):
    workshop = load_for(slug, need=Role.RAPPORTEUR)
    return render_template("followup/manage_recommendations.html", workshop=workshop,
                           recommendations=service.recommendations_of(workshop),
                           is_organizer=can_manage(current_user, workshop))


@bp.route("/manage/w/<slug>/recommendations/<int:number>", methods=["GET", "POST"])
@login_required
def update_recommendation(slug: str, number: int):
    workshop = load_for(slug, need=Role.ORGANIZER)
    rec = service.recommendation(workshop, number) or abort(404)
    form = UpdateForm(data=None if request.method == "POST" else {
        "status": rec.status, "on": date.today(), "owner": rec.owner, "meant_for": rec.meant_for})
    if form.validate_on_submit():
        try:
            service.record_update(rec, status=form.status.data, on=form.on.data, note=form.note.data or "",
                                  owner=form.owner.data or "", meant_for=form.meant_for.data or "", by=current_user)
        except service.FollowupError as error:
            form.on.errors.append(error.translated())
        else:
            flash(_("Recommendation %(n)s updated.", n=rec.number), "success")
            return redirect(url_for("followup.manage_recommendations", slug=slug))
    return render_template("followup/update.html", workshop=workshop, rec=rec, form=form), \
        422 if request.method == "POST" else 200


# Series -------------------------------------------------------------------------------------------


@bp.get("/series/<slug>/")
def series(slug: str):
    found = series_by_slug(slug) or abort(404)
    rows = service.series_overview(found)
    return render_template("followup/series.html", series=found, rows=rows,
                           open_count=sum(len(row["open"]) for row in rows))


def workshop_page_part(workshop):
    """On the workshop page: its series, and the previous workshop's recommendations with their status."""
    if workshop.series is None:
        return None
    return Markup(render_template("followup/_workshop_part.html", workshop=workshop,
                                  previous=service.from_previous(workshop)))


# The internal record and the participants' read-out -------------------------------------------


def _pdf(workshop, version, filename: str) -> Response:
    return stored_pdfs.serve(outputs.pdf_key(version), outputs.FROZEN, "record",
                             {"record_id": version.id, "lang": workshop.default_language or "en"},
                             workshop_id=version.workshop_id, filename=filename, cache_control="private, no-cache")


@bp.route("/manage/w/<slug>/outputs", methods=["GET"])
@login_required
def outputs_index(slug: str):
    workshop = load_for(slug, need=Role.RAPPORTEUR)
    return render_template("followup/outputs.html", workshop=workshop, confirm=ConfirmForm(),
                           internal=outputs.versions_of(workshop, RecordKind.INTERNAL),
                           readout=outputs.versions_of(workshop, RecordKind.READOUT),
                           published=has_published_version(workshop),
                           is_organizer=can_manage(current_user, workshop))


@bp.post("/manage/w/<slug>/outputs/<any(internal, readout):kind>")
@login_required
def freeze(slug: str, kind: str):
    workshop = load_for(slug, need=Role.ORGANIZER)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        version = outputs.freeze(workshop, kind, by=current_user)
    except outputs.OutputError as error:
        flash(error.translated(), "error")
        return redirect(url_for("followup.outputs_index", slug=slug))
    flash(_("Version %(n)s is frozen.", n=version.number), "success")
    return redirect(url_for("followup.output", slug=slug, kind=kind, number=version.number))


@bp.get("/manage/w/<slug>/outputs/<any(internal, readout):kind>/<int:number>")
@login_required
def output(slug: str, kind: str, number: int):
    workshop = load_for(slug, need=Role.RAPPORTEUR)
    version = outputs.version_of(workshop, kind, number) or abort(404)
    return render_template("followup/output.html", workshop=workshop, version=version,
                           pdf_url=url_for("followup.output_pdf", slug=slug, kind=kind, number=number),
                           back=url_for("followup.outputs_index", slug=slug))


@bp.get("/manage/w/<slug>/outputs/<any(internal, readout):kind>/<int:number>.pdf")
@login_required
def output_pdf(slug: str, kind: str, number: int):
    workshop = load_for(slug, need=Role.RAPPORTEUR)
    version = outputs.version_of(workshop, kind, number) or abort(404)
    return _pdf(workshop, version, f"{workshop.slug}-{kind}-{number}.pdf")


def _participant(token: str):
    """The confirmed registration a participant's link opens, or None."""
    registration = registration_by_token(token)
    if registration is None or registration.state != State.CONFIRMED:
        return None
    return registration


@bp.get("/registrations/<token>/readout/<int:number>")
@rate_limit("token", methods=("GET", "POST"))
def readout(token: str, number: int):
    registration = _participant(token)
    if registration is None:
        return invalid_link("registration")
    version = outputs.version_of(registration.workshop, RecordKind.READOUT, number) or abort(404)
    return render_template("followup/output.html", workshop=registration.workshop, version=version,
                           pdf_url=url_for("followup.readout_pdf", token=token, number=number),
                           back=url_for("registration.self_service", token=token))


@bp.get("/registrations/<token>/readout/<int:number>.pdf")
@rate_limit("token", methods=("GET", "POST"))
def readout_pdf(token: str, number: int):
    registration = _participant(token)
    if registration is None:
        return invalid_link("registration")
    version = outputs.version_of(registration.workshop, RecordKind.READOUT, number) or abort(404)
    return _pdf(registration.workshop, version, f"{registration.workshop.slug}-readout-{number}.pdf")


def registration_page_part(registration, token):
    """On a confirmed participant's own page: the read-outs frozen for them."""
    if registration.state != State.CONFIRMED:
        return None
    versions = outputs.versions_of(registration.workshop, RecordKind.READOUT)
    if not versions:
        return None
    return Markup(render_template("followup/_registration_part.html", versions=versions, token=token,
                                  workshop=registration.workshop))


# Links ----------------------------------------------------------------------------------------


def public_link(workshop):
    if not has_published_version(workshop):
        return None
    return _("Recommendations and follow-up"), url_for("followup.recommendations", slug=workshop.slug)


def manage_recommendations_link(workshop):
    return _("Recommendations"), url_for("followup.manage_recommendations", slug=workshop.slug)


def manage_outputs_link(workshop):
    return _("Internal record and read-out"), url_for("followup.outputs_index", slug=workshop.slug)
