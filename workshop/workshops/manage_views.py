"""The organizer's screens: create, edit, publish and archive workshops; teams; organizations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.platform.db import db
from workshop.workshops import service
from workshop.workshops import team as team_invitations
from workshop.workshops.access import (can_edit_organization, can_manage, editable_organizations, load_for,
                                       may_create_workshops, organizes_any)
from workshop.platform.forms import choices
from workshop.workshops.forms import (ConfirmForm, MemberForm, MergeOrganizationForm, OrganizationForm, WorkshopForm,
                                      organization_lines)
from workshop.workshops.models import Organization, Role, WorkshopStatus

bp = Blueprint("manage", __name__, url_prefix="/manage")

STATUS_ACTIONS = {
    "publish": WorkshopStatus.PUBLISHED,
    "archive": WorkshopStatus.ARCHIVED,
    "unpublish": WorkshopStatus.DRAFT,
    "cancel": WorkshopStatus.CANCELLED,
}


def _workshop_fields(form: WorkshopForm) -> dict:
    fields = {name: getattr(form, name).data for name in service.WORKSHOP_FIELDS}
    fields["conveners"] = organization_lines(form.conveners.data)
    fields["co_organizers"] = organization_lines(form.co_organizers.data)
    return fields


@bp.get("/")
@login_required
def dashboard():
    return render_template("manage/dashboard.html", workshops=service.workshops_for(current_user),
                           organizations_link=organizes_any(current_user),
                           may_create=may_create_workshops(current_user))


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new_workshop():
    if not may_create_workshops(current_user):
        abort(403)
    form = WorkshopForm()
    if form.validate_on_submit():
        workshop = service.create_workshop(current_user, **_workshop_fields(form))
        flash(_("Workshop created as a draft. Publish it when it is ready to be seen."), "success")
        return redirect(url_for("manage.workshop", slug=workshop.slug))
    return render_template("manage/workshop_form.html", form=form, workshop=None), 422 if form.errors else 200


@bp.get("/w/<slug>/")
@login_required
def workshop(slug: str):
    # Rapporteurs land here from "My workshops" too: they see the facts and their own tools.
    workshop = load_for(slug, need=Role.RAPPORTEUR)
    return render_template("manage/workshop.html", workshop=workshop, confirm=ConfirmForm(),
                           is_organizer=can_manage(current_user, workshop))


@bp.route("/w/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_workshop(slug: str):
    workshop = load_for(slug)
    form = WorkshopForm(obj=workshop, workshop=workshop)
    if request.method == "GET":
        form.conveners.data = "\n".join(o.name for o in workshop.conveners)
        form.co_organizers.data = "\n".join(o.name for o in workshop.co_organizers)
    if form.validate_on_submit():
        service.update_workshop(workshop, **_workshop_fields(form))
        flash(_("Changes saved."), "success")
        return redirect(url_for("manage.workshop", slug=workshop.slug))
    return render_template("manage/workshop_form.html", form=form, workshop=workshop), 422 if form.errors else 200


@bp.post("/w/<slug>/status/<action>")
@login_required
def change_status(slug: str, action: str):
    workshop = load_for(slug)
    if action not in STATUS_ACTIONS or not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.set_status(workshop, STATUS_ACTIONS[action])
    except service.WorkshopError as error:
        flash(error.translated(), "error")
        return redirect(url_for("manage.workshop", slug=workshop.slug))
    messages = {
        "publish": _("The workshop is published: its page is public."),
        "archive": _("The workshop is archived: its page stays public, read-only."),
        "unpublish": _("The workshop is back to draft: the public no longer sees it."),
        "cancel": _("The workshop is cancelled: its page says so, registration is closed, and "
                    "confirmed participants are sent a calendar cancellation."),
    }
    flash(messages[action], "success")
    return redirect(url_for("manage.workshop", slug=workshop.slug))


@bp.route("/w/<slug>/team", methods=["GET", "POST"])
@login_required
def team(slug: str):
    workshop = load_for(slug)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            outcome, added = team_invitations.invite(workshop, form.email.data, form.role.data,
                                                     by=current_user._get_current_object())
        except service.WorkshopError as error:
            form.email.errors.append(error.translated())
        else:
            role = team_invitations.role_label(form.role.data)
            if outcome == "added":
                flash(_("%(name)s is on the team as %(role)s and has been told by email.",
                        name=added.user.name, role=role), "success")
            else:
                flash(_("No account uses %(email)s yet: an invitation to join as %(role)s is on its way there.",
                        email=added.email, role=role), "success")
            return redirect(url_for("manage.team", slug=slug))
    return render_template("manage/team.html", workshop=workshop, form=form, confirm=ConfirmForm(),
                           invitations=team_invitations.pending_invitations(workshop),
                           role_label=team_invitations.role_label), 422 if form.errors else 200


@bp.post("/w/<slug>/team/<int:member_id>/remove")
@login_required
def remove_member(slug: str, member_id: int):
    workshop = load_for(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.remove_member(workshop, member_id)
    except service.WorkshopError as error:
        flash(error.translated(), "error")
    else:
        flash(_("Removed from the team."), "success")
    return redirect(url_for("manage.team", slug=slug))


@bp.get("/organizations/")
@login_required
def organizations():
    if not organizes_any(current_user):
        abort(403)
    organizations = service.all_organizations()
    editable = editable_organizations(current_user, organizations)
    return render_template("manage/organizations.html", organizations=organizations, editable=editable)


@bp.route("/organizations/<int:organization_id>/merge", methods=["GET", "POST"])
@login_required
def merge_organization(organization_id: int):
    """Site admins fold a duplicate into the organization to keep, on every workshop."""
    if not current_user.is_admin:
        abort(403)
    source = db.session.get(Organization, organization_id) or abort(404)
    form = MergeOrganizationForm()
    form.target.choices = choices((o.id, o.name) for o in service.all_organizations() if o.id != source.id)
    if form.validate_on_submit():
        target = db.session.get(Organization, form.target.data) or abort(404)
        service.merge_organizations(source, target)
        flash(_("“%(source)s” is merged into “%(target)s” on every workshop.", source=source.name,
                target=target.name), "success")
        return redirect(url_for("manage.organizations"))
    return render_template("manage/organization_merge.html", form=form, organization=source,
                           similar=service.similar_organizations(source.name)), 422 if form.errors else 200


@bp.route("/organizations/new", methods=["GET", "POST"], defaults={"organization_id": None})
@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organization(organization_id: int | None):
    organization = None
    if organization_id is not None:
        organization = db.session.get(Organization, organization_id) or abort(404)
    if not (organizes_any(current_user) if organization is None else can_edit_organization(current_user, organization)):
        abort(403)
    form = OrganizationForm(obj=organization)
    if form.validate_on_submit():
        logo = form.logo.data.read(service.LOGO_MAX_BYTES + 1) if form.logo.data else None
        try:
            service.save_organization(
                organization, name=form.name.data, short_name=form.short_name.data or "",
                url=form.url.data or "", logo=logo,
            )
        except service.WorkshopError as error:
            target = form.logo if "logo" in str(error) else form.name
            target.errors = list(target.errors) + [error.translated()]
        else:
            flash(_("Organization saved."), "success")
            return redirect(url_for("manage.organizations"))
    return render_template("manage/organization_form.html", form=form, organization=organization), 422 if form.errors else 200
