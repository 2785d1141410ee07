"""The contact directory (list, add, edit, CSV import with preview) and participant categories."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.extensions import db
from workshop.people import service
from workshop.people.forms import CategoryForm, ContactForm, ImportConfirmForm, ImportUploadForm
from workshop.people.models import Contact
from workshop.workshops.access import load_for, organizes_any
from workshop.workshops.forms import ConfirmForm

bp = Blueprint("people", __name__, url_prefix="/manage")


def require_directory_access() -> None:
    """Contacts are personal data: site admins and organizers of some workshop only."""
    if not organizes_any(current_user):
        abort(403)


@bp.get("/contacts/")
@login_required
def contacts():
    require_directory_access()
    query = request.args.get("q", "")[:200]
    return render_template("people/contacts.html", contacts=service.search_contacts(query), query=query)


@bp.route("/contacts/new", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(contact_id: int | None):
    require_directory_access()
    contact = None
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id) or abort(404)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            service.save_contact(contact, name=form.name.data, email=form.email.data,
                                 position=form.position.data or "", organization=form.organization.data or "",
                                 country=form.country.data or "")
        except service.PeopleError as error:
            form.email.errors.append(_(str(error)))
        else:
            flash(_("Contact saved."), "success")
            return redirect(url_for("people.contacts"))
    return render_template("people/contact_form.html", form=form, contact=contact), 422 if form.errors else 200


def _import(workshop=None):
    """Step 1 uploads a file and shows every row with its errors; step 2 (confirm) saves it.
    Nothing is saved until the file has no errors and the organizer confirms."""
    categories = None
    if workshop is not None:
        from workshop.registration.service import categories_for

        categories = {c.name: c for c in categories_for(workshop)}
    upload = ImportUploadForm(prefix="upload")
    confirm = ImportConfirmForm(prefix="confirm")
    preview = None
    status = 200
    if upload.submit.data and upload.validate_on_submit():
        data = upload.file.data.read()
        try:
            text = service.decode_upload(data)
        except service.PeopleError as error:
            upload.file.errors.append(_(str(error)))
            status = 422
        else:
            preview = service.preview_import(text, categories)
            confirm.csv_text.data = text
            status = 422 if preview.has_errors else 200
    elif confirm.submit.data and confirm.validate_on_submit():
        preview = service.preview_import(confirm.csv_text.data or "", categories)
        if not preview.has_errors:
            saved = service.apply_import(preview)
            invited = 0
            if workshop is not None:
                from workshop.registration import invitations

                for row, contact in zip(preview.rows, saved):
                    if row.values.get("category"):
                        category = categories[next(n for n in categories if n.casefold() == row.values["category"].casefold())]
                        invitations.set_contact_category(workshop, contact, category)
                db.session.flush()
                if confirm.invite.data:
                    invited = invitations.invite_many(workshop, saved, by=current_user)
            db.session.commit()
            flash(_("%(n)d contacts imported.", n=len(saved)), "success")
            if invited:
                flash(_("%(n)d invitations sent.", n=invited), "success")
            if workshop is not None:
                return redirect(url_for("registration.invitation_list", slug=workshop.slug))
            return redirect(url_for("people.contacts"))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("people/import.html", upload=upload, confirm=confirm, preview=preview,
                           workshop=workshop, category_names=", ".join(categories or ())), status


@bp.route("/contacts/import", methods=["GET", "POST"])
@login_required
def import_contacts():
    require_directory_access()
    return _import()


@bp.route("/w/<slug>/invitations/import", methods=["GET", "POST"])
@login_required
def import_for_workshop(slug: str):
    return _import(load_for(slug))


# Categories -------------------------------------------------------------------------------------


@bp.route("/w/<slug>/categories", methods=["GET", "POST"])
@login_required
def categories(slug: str):
    from workshop.registration.service import categories_for

    workshop = load_for(slug)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            service.add_category(workshop, form.name.data)
        except service.PeopleError as error:
            form.name.errors.append(_(str(error)))
        else:
            flash(_("Category added."), "success")
            return redirect(url_for("people.categories", slug=slug))
    return render_template("people/categories.html", workshop=workshop, categories=categories_for(workshop),
                           form=form, confirm=ConfirmForm()), 422 if form.errors else 200


def _category_of(workshop, category_id):
    from workshop.registration.service import category_of

    return category_of(workshop, category_id) or abort(404)


@bp.route("/w/<slug>/categories/<int:category_id>/edit", methods=["GET", "POST"])
@login_required
def rename_category(slug: str, category_id: int):
    workshop = load_for(slug)
    category = _category_of(workshop, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            service.rename_category(workshop, category, form.name.data)
        except service.PeopleError as error:
            form.name.errors.append(_(str(error)))
        else:
            flash(_("Category renamed."), "success")
            return redirect(url_for("people.categories", slug=slug))
    return render_template("people/category_form.html", workshop=workshop, category=category, form=form), \
        422 if form.errors else 200


@bp.post("/w/<slug>/categories/<int:category_id>/delete")
@login_required
def delete_category(slug: str, category_id: int):
    workshop = load_for(slug)
    category = _category_of(workshop, category_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete_category(workshop, category)
    flash(_("Category deleted. People in it keep their registration, without a category."), "success")
    return redirect(url_for("people.categories", slug=slug))
