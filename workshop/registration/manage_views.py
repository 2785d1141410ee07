"""The organizer's screens: settings, invitations, the registration dashboard and exports."""

from urllib.parse import urlencode

from flask import Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workshop.platform.db import db
from workshop.platform.forms import choices
from workshop.platform.pages import paginate
from workshop.platform.registry import contributions
from workshop.platform.states import state_choices, state_label
from workshop.platform.times import NonexistentTime, to_local, to_utc
from workshop.people import service as people
from workshop.people.countries import country_name
from workshop.registration import dashboard, exports, invitations, retention, service
from workshop.registration.forms import (
    DirectorySearchForm,
    FilterForm,
    HonorificForm,
    InviteCategoryForm,
    InviteContactForm,
    PickContactsForm,
    ReasonForm,
    SettingsForm,
)
from workshop.registration.models import Invitation, Registration, State
from workshop.registration.blueprint import bp
from workshop.workshops.access import load_for
from workshop.workshops.forms import ConfirmForm


@bp.route("/manage/w/<slug>/registration-settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    workshop = load_for(slug)
    current = service.settings_for(workshop)
    form = SettingsForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        for name in ("opens_at", "closes_at", "edit_deadline"):
            getattr(form, name).data = to_local(getattr(current, name), workshop.timezone)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in service.SETTINGS_FIELDS}
        for name in ("opens_at", "closes_at", "edit_deadline"):
            try:
                values[name] = to_utc(values[name], workshop.timezone)
            except NonexistentTime:
                getattr(form, name).errors.append(_(
                    "The clocks skip this time in %(zone)s (they go forward); choose another.",
                    zone=workshop.timezone))
        values["privacy_notice"] = values["privacy_notice"] or ""
        if not form.errors:
            try:
                service.update_settings(workshop, by=current_user, **values)
            except service.RegistrationError as error:
                form.form_errors.append(error.translated())
            else:
                flash(_("Registration settings saved."), "success")
                return redirect(url_for("registration.manage", slug=slug))
    return render_template("registration/manage/settings.html", workshop=workshop, form=form), \
        422 if form.errors or form.form_errors else 200


# Registrations ----------------------------------------------------------------------------------


def _filtered(workshop):
    """The list's filter form and the filtered list as one ordered statement (not yet run)."""
    form = FilterForm(request.args)
    form.state.choices = choices([("", _("All states"))] + state_choices("registration"))
    categories = service.categories_for(workshop)
    form.category.choices = choices([(None, _("All categories"))] + [(c.id, c.name) for c in categories])
    # Only the countries someone registered from: a list of 250 would mostly find nobody.
    form.country.choices = choices([("", _("All countries"))] + sorted(
        ((code, country_name(code)) for code in dashboard.countries_of(workshop)), key=lambda pair: pair[1]))
    form.validate()
    state = form.state.data if not form.state.errors else None
    category = form.category.data if not form.category.errors else None
    country = form.country.data if not form.country.errors else ""
    # Filters later features add (an answer to a question): each keeps a set of registrations.
    form.extras = contributions("registration filters", workshop, request.args)
    only_ids = None
    for extra in form.extras:
        if extra.registration_ids is not None:
            only_ids = set(extra.registration_ids) if only_ids is None else only_ids & set(extra.registration_ids)
    statement = dashboard.registrations_query(
        workshop, state=state or None, category_id=category, country=country or "",
        query=(form.q.data if not form.q.errors else "") or "", only_ids=only_ids)
    return form, statement


@bp.get("/manage/w/<slug>/registrations")
@login_required
def manage(slug: str):
    workshop = load_for(slug)
    form, statement = _filtered(workshop)
    page = paginate(statement)
    return render_template(
        "registration/manage/dashboard.html", workshop=workshop, filters=form, registrations=page.items,
        page=page,
        counts=dashboard.counts_by_state(workshop), by_category=dashboard.counts_by_category(workshop),
        settings=service.settings_for(workshop), seats=service.seats_taken(workshop.id),
        above_capacity=service.seats_above_capacity(workshop), full=service.is_full(workshop),
        places=dashboard.waitlist_places(workshop), answer_filters=form.extras,
        extras=contributions("registrations dashboard", workshop),
        sensitive_questions=_columns(workshop, True) != _columns(workshop, False),
        confirm=ConfirmForm(), query_string=_export_query(),
    )


def _export_query() -> str:
    """The list's filters for the export buttons: everything but the page, since an export takes
    the whole filtered list."""
    return urlencode([(key, value) for key, value in request.args.items(multi=True) if key != "page"])


def _row_of(model, workshop, row_id: int):
    """The registration or invitation ``row_id`` of this workshop; 404 for another workshop's."""
    row = db.session.get(model, row_id)
    if row is None or row.workshop_id != workshop.id:
        abort(404)
    return row


def _registration_of(workshop, registration_id: int) -> Registration:
    return _row_of(Registration, workshop, registration_id)


def _invitation_of(workshop, invitation_id: int) -> Invitation:
    return _row_of(Invitation, workshop, invitation_id)


def _confirmed() -> None:
    """The confirm button's CSRF token checked; 400 otherwise."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _detail_page(workshop, registration, honorific_form=None, status=200):
    if honorific_form is None:
        honorific_form = HonorificForm(data={"honorific": registration.honorific})
    return render_template("registration/manage/detail.html", workshop=workshop, registration=registration,
                           place=service.waitlist_place(registration), confirm=ConfirmForm(),
                           reason_form=ReasonForm(), honorific_form=honorific_form, full=service.is_full(workshop),
                           extras=contributions("registration detail", registration)), status


@bp.get("/manage/w/<slug>/registrations/<int:registration_id>")
@login_required
def registration_detail(slug: str, registration_id: int):
    workshop = load_for(slug)
    return _detail_page(workshop, _registration_of(workshop, registration_id))


@bp.post("/manage/w/<slug>/registrations/<int:registration_id>/honorific")
@login_required
def registration_honorific(slug: str, registration_id: int):
    """An organizer sets how letters address the registrant (they may have typed none)."""
    workshop = load_for(slug)
    registration = _registration_of(workshop, registration_id)
    form = HonorificForm()
    if form.validate_on_submit():
        try:
            service.update_details(registration, {"honorific": form.honorific.data or ""}, by=current_user)
        except service.RegistrationError as error:
            form.honorific.errors = list(form.honorific.errors) + [error.translated()]
        else:
            flash(_("The honorific is saved; letters address %(name)s by it from now on.", name=registration.name),
                  "success")
            return redirect(url_for("registration.registration_detail", slug=slug, registration_id=registration.id))
    return _detail_page(workshop, registration, form, 422)


ACTIONS = {
    "approve": lambda r, by, reason: service.approve(r, by=by, reason=reason),
    "seat": lambda r, by, reason: service.seat_above_capacity(r, by=by, reason=reason),
    "reject": lambda r, by, reason: service.reject(r, by=by, reason=reason),
    "waitlist": lambda r, by, reason: service.move_to_waitlist(r, by=by, reason=reason),
    "withdraw": lambda r, by, reason: service.withdraw(r, by=by, reason=reason),
}


@bp.post("/manage/w/<slug>/registrations/<int:registration_id>/<action>")
@login_required
def registration_action(slug: str, registration_id: int, action: str):
    workshop = load_for(slug)
    registration = _registration_of(workshop, registration_id)
    form = ReasonForm()
    if action not in ACTIONS or not form.validate_on_submit():
        abort(400)
    try:
        updated = ACTIONS[action](registration, current_user, form.reason.data or "")
    except service.RegistrationError as error:
        flash(error.translated(), "error")
    else:
        flash(_("%(name)s is now %(state)s.", name=updated.name, state=state_label(updated.state, "registration")), "success")
    return redirect(request.form.get("next") if request.form.get("next", "").startswith("/manage/")
                    else url_for("registration.manage", slug=slug))


def _columns(workshop, sensitive: bool) -> int:
    return sum(len(part) for part in contributions("registration export", workshop, sensitive))


@bp.post("/manage/w/<slug>/registrations.<fmt>")
@login_required
def export(slug: str, fmt: str):
    """A download, by POST: it writes the audit entry that says who took the personal data out.
    The list's filters ride in the query string, as on the list itself."""
    workshop = load_for(slug)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    form, statement = _filtered(workshop)
    # Sensitive answers leave only when the organizer ticked the box for them.
    sensitive = request.form.get("sensitive") == "1"
    if not sensitive and any(getattr(extra, "sensitive", False) for extra in form.extras):
        # Everyone in a list cut by a sensitive answer gave that answer: the file would carry
        # it without the box ticked, and the log would say no sensitive answer left.
        flash(_("This list is narrowed by a sensitive answer: tick “with sensitive answers” to export it."),
              "error")
        query = request.query_string.decode("ascii", "replace")
        return redirect(url_for("registration.manage", slug=slug) + (f"?{query}" if query else ""))
    extra = [column for part in contributions("registration export", workshop, sensitive) for column in part]
    exports.record_export(workshop, fmt, dashboard.count_of(statement), _export_query(), sensitive=sensitive)
    filename = f"{workshop.slug}-registrations.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"}
    if fmt == "csv":
        # Streamed a batch of rows at a time (constant memory); the audit entry above is committed
        # before the first byte leaves.
        return Response(stream_with_context(exports.csv_chunks(statement, extra)), mimetype="text/csv",
                        headers=headers)  # Werkzeug adds "; charset=utf-8"
    # A spreadsheet is a zip written whole, so it is built in memory (about 1 MB for 3,000 rows).
    rows = list(db.session.scalars(statement))
    return Response(exports.to_xlsx(rows, extra),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers=headers)


# Invitations ------------------------------------------------------------------------------------


def _category_choices(workshop, *, none_label=None):
    """The workshop's categories as options, each with how many contacts it holds."""
    members = invitations.category_member_counts(workshop)
    options = [(None, none_label)] if none_label else []
    options += [(c.id, _("%(name)s (%(n)d in it)", name=c.name, n=members.get(c.id, 0)))
                for c in service.categories_for(workshop)]
    return choices(options)


def _invitation_forms(workshop):
    one = InviteContactForm(prefix="one")
    one.category_id.choices = _category_choices(workshop, none_label=_("— none —"))
    by_category = InviteCategoryForm(prefix="cat")
    by_category.category_id.choices = _category_choices(workshop)
    return one, by_category


def _invitations_page(workshop, one, by_category, status=200):
    page = paginate(invitations.invitations_query(workshop))
    return render_template(
        "registration/manage/invitations.html", workshop=workshop, invite_one=one, invite_category=by_category,
        invitations=page.items, page=page, states=invitations.shown_states(workshop, page.items),
        counts=invitations.invitation_counts(workshop),
        members=sum(invitations.category_member_counts(workshop).values()),
        confirm=ConfirmForm(),
    ), status


@bp.get("/manage/w/<slug>/invitations")
@login_required
def invitation_list(slug: str):
    workshop = load_for(slug)
    return _invitations_page(workshop, *_invitation_forms(workshop))


@bp.post("/manage/w/<slug>/invitations/one")
@login_required
def invite_one(slug: str):
    workshop = load_for(slug)
    one, by_category = _invitation_forms(workshop)
    if one.validate_on_submit():
        contact = people.find_contact(one.email.data)
        if contact is None:
            one.email.errors.append(_("No contact has this email. Add the person to the contacts first."))
        else:
            made = invitations.invite(workshop, contact, category=service.category_of(workshop, one.category_id.data),
                                      by=current_user)
            if made is None:
                flash(_("%(name)s was already invited.", name=contact.name), "error")
            else:
                flash(_("Invitation sent to %(email)s.", email=contact.email), "success")
            return redirect(url_for("registration.invitation_list", slug=slug))
    return _invitations_page(workshop, one, by_category, 422)


@bp.post("/manage/w/<slug>/invitations/category")
@login_required
def invite_by_category(slug: str):
    workshop = load_for(slug)
    one, by_category = _invitation_forms(workshop)
    if by_category.validate_on_submit():
        category = service.category_of(workshop, by_category.category_id.data)
        members = len(invitations.contacts_in_category(workshop, category))
        count = invitations.invite_category(workshop, category, by=current_user)
        if members == 0:
            flash(_("Nobody was invited: no contact is in the category “%(name)s” yet. Put contacts in it "
                    "on the “Pick from the directory” page, when you invite one contact, or with a "
                    "category column in a CSV import; then invite the category again.",
                    name=category.name), "error")
        elif count == 0:
            flash(ngettext("Nobody new was invited: the %(num)d contact in “%(name)s” was already invited.",
                           "Nobody new was invited: all %(num)d contacts in “%(name)s” were already invited.",
                           members, name=category.name), "error")
        else:
            flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", count), "success")
        return redirect(url_for("registration.invitation_list", slug=slug))
    return _invitations_page(workshop, one, by_category, 422)


def _directory_page(workshop, search, pick, status=200):
    query = (search.q.data if not search.q.errors else "") or ""
    return render_template(
        "registration/manage/directory.html", workshop=workshop, search=search, pick=pick, query=query,
        page=(page := paginate(people.contacts_query(query))), contacts=page.items, filed=invitations.contact_categories(workshop),
        invited=invitations.invited_emails(workshop),
    ), status


def _pick_forms(workshop):
    search = DirectorySearchForm(request.args)
    search.validate()
    pick = PickContactsForm()
    pick.category_id.choices = _category_choices(workshop, none_label=_("— none —"))
    return search, pick


@bp.get("/manage/w/<slug>/invitations/directory")
@login_required
def directory(slug: str):
    """Pick invitees from the whole directory: search, tick, invite (or only file them)."""
    workshop = load_for(slug)
    return _directory_page(workshop, *_pick_forms(workshop))


@bp.post("/manage/w/<slug>/invitations/directory")
@login_required
def invite_from_directory(slug: str):
    workshop = load_for(slug)
    search, pick = _pick_forms(workshop)
    if not pick.validate_on_submit():
        return _directory_page(workshop, search, pick, 422)
    contacts = invitations.contacts_by_id(pick.contact.data)
    category = service.category_of(workshop, pick.category_id.data)
    if pick.file.data and not pick.invite.data:
        filed = invitations.file_contacts(workshop, contacts, category, by=current_user)
        if category is None:
            flash(ngettext("%(num)d contact taken out of its category.", "%(num)d contacts taken out of their categories.",
                           filed), "success")
        else:
            flash(ngettext("%(num)d contact put in “%(name)s”.", "%(num)d contacts put in “%(name)s”.",
                           filed, name=category.name), "success")
        return redirect(url_for("registration.directory", slug=slug, q=search.q.data or None))
    count = invitations.invite_picked(workshop, contacts, category, by=current_user)
    skipped = len(contacts) - count
    if count:
        flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", count), "success")
    if skipped:
        flash(ngettext("%(num)d ticked contact was already invited.", "%(num)d ticked contacts were already invited.",
                       skipped), "error" if not count else "success")
    return redirect(url_for("registration.invitation_list", slug=slug))


@bp.post("/manage/w/<slug>/invitations/remind")
@login_required
def remind(slug: str):
    workshop = load_for(slug)
    _confirmed()
    count = invitations.send_reminders(workshop)
    flash(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", count), "success")
    return redirect(url_for("registration.invitation_list", slug=slug))


@bp.post("/manage/w/<slug>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(slug: str, invitation_id: int):
    workshop = load_for(slug)
    invitation = _invitation_of(workshop, invitation_id)
    _confirmed()
    try:
        invitations.expire(invitation)
    except service.RegistrationError as error:
        flash(error.translated(), "error")
    else:
        flash(_("The invitation link no longer works."), "success")
    return redirect(url_for("registration.invitation_list", slug=slug))


# Revoking links ---------------------------------------------------------------------------------


@bp.post("/manage/w/<slug>/registrations/<int:registration_id>/links/revoke")
@login_required
def revoke_registration_links(slug: str, registration_id: int):
    workshop = load_for(slug)
    registration = _registration_of(workshop, registration_id)
    _confirmed()
    retention.revoke_registration_links(registration, by=current_user)
    flash(_("Their links no longer work. They can ask for new ones on the “lost your link” page."), "success")
    return redirect(url_for("registration.registration_detail", slug=slug, registration_id=registration_id))


@bp.post("/manage/w/<slug>/invitations/<int:invitation_id>/links/revoke")
@login_required
def revoke_invitation_links(slug: str, invitation_id: int):
    workshop = load_for(slug)
    invitation = _invitation_of(workshop, invitation_id)
    _confirmed()
    retention.revoke_invitation_links(invitation, by=current_user)
    flash(_("Their invitation links no longer work. They can ask for new ones on the “lost your link” page."), "success")
    return redirect(url_for("registration.invitation_list", slug=slug))
