"""The organizer's participant categories, and importing contacts into a workshop's invitations."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workshop.people.views import import_page
from workshop.registration import invitations, settings
from workshop.registration.blueprint import bp
from workshop.registration.forms import CategoryForm
from workshop.workshops.access import load_for
from workshop.workshops.forms import ConfirmForm


@bp.route("/manage/w/<slug>/invitations/import", methods=["GET", "POST"])
@login_required
def import_for_workshop(slug: str):
    """Contacts from a CSV file, each filed in the category its row names, optionally invited."""
    workshop = load_for(slug)
    categories = {c.name: c for c in settings.categories_for(workshop)}
    by_folded_name = {name.casefold(): category for name, category in categories.items()}

    def file_and_invite(preview, contacts, confirm):
        for row, contact in zip(preview.rows, contacts):
            if row.values.get("category"):
                invitations.set_contact_category(workshop, contact, by_folded_name[row.values["category"].casefold()])
        if confirm.invite.data:
            invited = invitations.invite_many(workshop, contacts, by=current_user)
            if invited:
                flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", invited), "success")

    return import_page(categories=categories, after_save=file_and_invite, workshop=workshop,
                       done_url=url_for("registration.invitation_list", slug=workshop.slug))


@bp.route("/manage/w/<slug>/categories", methods=["GET", "POST"])
@login_required
def categories(slug: str):
    workshop = load_for(slug)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            settings.add_category(workshop, form.name.data)
        except settings.RegistrationError as error:
            form.name.errors.append(error.translated())
        else:
            flash(_("Category added."), "success")
            return redirect(url_for("registration.categories", slug=slug))
    return render_template("registration/manage/categories.html", workshop=workshop,
                           categories=settings.categories_for(workshop), form=form,
                           members=invitations.category_member_counts(workshop),
                           confirm=ConfirmForm()), 422 if form.errors else 200


def _category_of(workshop, category_id):
    return settings.category_of(workshop, category_id) or abort(404)


@bp.route("/manage/w/<slug>/categories/<int:category_id>/edit", methods=["GET", "POST"])
@login_required
def rename_category(slug: str, category_id: int):
    workshop = load_for(slug)
    category = _category_of(workshop, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        try:
            settings.rename_category(workshop, category, form.name.data)
        except settings.RegistrationError as error:
            form.name.errors.append(error.translated())
        else:
            flash(_("Category renamed."), "success")
            return redirect(url_for("registration.categories", slug=slug))
    return render_template("registration/manage/category_form.html", workshop=workshop, category=category,
                           form=form), 422 if form.errors else 200


@bp.post("/manage/w/<slug>/categories/<int:category_id>/delete")
@login_required
def delete_category(slug: str, category_id: int):
    workshop = load_for(slug)
    category = _category_of(workshop, category_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    settings.delete_category(workshop, category)
    flash(_("Category deleted. People in it keep their registration, without a category."), "success")
    return redirect(url_for("registration.categories", slug=slug))
