"""The contact directory: list, add, edit, CSV import with preview."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workshop.platform.db import db
from workshop.platform.errors import render_error
from workshop.platform.pages import paginate
from workshop.people import access, honorifics, service
from workshop.people.countries import country_name
from workshop.people.forms import ContactForm, ImportConfirmForm, ImportUploadForm
from workshop.people.models import Contact

bp = Blueprint("people", __name__, url_prefix="/manage")
# "Ghana", "Гана": a country code as the reader names the country (the code itself if unknown).
bp.add_app_template_filter(lambda code: country_name(code), "country")
# "ambassador" -> "Ambassador", "Посол": an honorific's code as the reader's language writes it.
bp.add_app_template_filter(lambda code: honorifics.label(code), "honorific")


def require_directory_access() -> None:
    """Contacts are personal data: site admins, organizers, and accounts that may create
    workshops; each sees the contacts people.access lets them read."""
    if not access.may_open_directory(current_user):
        abort(403)


@bp.get("/contacts/")
@login_required
def contacts():
    require_directory_access()
    query = request.args.get("q", "")[:200]
    page = paginate(service.contacts_query(query, viewer=current_user))
    return render_template("people/contacts.html", contacts=page.items, page=page, query=query,
                           editable=access.editable_ids(current_user, [c.id for c in page.items]),
                           whole=access.sees_whole_directory(current_user))


@bp.route("/contacts/new", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(contact_id: int | None):
    require_directory_access()
    contact = None
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        # One the user may not read is not there for them: its id says nothing.
        if contact is None or not access.can_see(current_user, contact):
            abort(404)
        if not access.can_edit(current_user, contact):
            return render_error(403, _("Only a site admin can change this contact"),
                                _("Another organizer's workshop uses this contact: its email is where their "
                                  "invitations go and its name is on their pages. Ask a site admin to change it."))
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            service.save_contact(contact, name=form.name.data, email=form.email.data,
                                 position=form.position.data or "", organization=form.organization.data or "",
                                 country=form.country.data or "", language=form.language.data or "",
                                 keep=form.keep.data, honorific=form.honorific.data or "", by=current_user)
        except service.PeopleError as error:
            form.email.errors.append(error.translated())
        else:
            flash(_("Contact saved."), "success")
            return redirect(url_for("people.contacts"))
    return render_template("people/contact_form.html", form=form, contact=contact), 422 if form.errors else 200


def import_page(*, categories: dict | None = None, after_save=None, done_url: str, workshop=None):
    """Step 1 uploads a file and shows every row with its errors; step 2 (confirm) saves it.
    Nothing is saved until the file has no errors and the organizer confirms.

    For a workshop's import (registration's page), ``categories`` are its categories by name and
    ``after_save(preview, contacts, confirm_form)`` files the contacts and invites them."""
    upload = ImportUploadForm(prefix="upload")
    confirm = ImportConfirmForm(prefix="confirm")
    preview = None
    status = 200
    if upload.submit.data and upload.validate_on_submit():
        data = upload.file.data.read()
        try:
            text = service.decode_upload(data)
        except service.PeopleError as error:
            upload.file.errors.append(error.translated())
            status = 422
        else:
            preview = service.preview_import(text, categories)
            confirm.csv_text.data = text
            status = 422 if preview.has_errors else 200
    elif confirm.submit.data and confirm.validate_on_submit():
        preview = service.preview_import(confirm.csv_text.data or "", categories)
        if not preview.has_errors:
            saved = service.apply_import(preview, by=current_user)
            if after_save is not None:
                after_save(preview, saved, confirm)
            flash(ngettext("%(num)d contact imported.", "%(num)d contacts imported.", len(saved)), "success")
            return redirect(done_url)
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("people/import.html", upload=upload, confirm=confirm, preview=preview,
                           workshop=workshop, category_names=", ".join(categories or ())), status


@bp.route("/contacts/import", methods=["GET", "POST"])
@login_required
def import_contacts():
    require_directory_access()
    return import_page(done_url=url_for("people.contacts"))
