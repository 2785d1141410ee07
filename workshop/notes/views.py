"""Session notes: rapporteurs and organizers write them; organizers approve. Never public."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from workshop.platform import templating
from workshop.notes import revision_views, service
from workshop.notes.forms import ApproveSubmittedForm
from workshop.platform import revisions
from workshop.notes.models import NoteState
from workshop.workshops.access import can_manage, load_for
from workshop.workshops.forms import ConfirmForm
from workshop.workshops.models import Role

bp = Blueprint("notes", __name__, url_prefix="/manage/w/<slug>/notes")


def _load(slug: str, item_id: int, need=Role.RAPPORTEUR):
    workshop = load_for(slug, need=need)
    item = service.item_of(workshop, item_id) or abort(404)
    return workshop, item, service.note_for(item, create=request.method == "POST")


def _urls(workshop, item_id: int) -> revision_views.RevisionUrls:
    def url(endpoint, **values):
        return url_for(endpoint, slug=workshop.slug, item_id=item_id, **values)

    return revision_views.RevisionUrls(
        back=url("notes.edit"), edit=url("notes.edit"), history=url("notes.history"),
        compare=url("notes.compare"),
        revision=lambda n: url("notes.revision", number=n),
        restore=lambda n: url("notes.restore", number=n), timezone=workshop.timezone,
    )


def _title(item) -> str:
    return _("Notes: %(title)s", title=item.title)


@bp.get("/")
@login_required
def index(slug: str):
    workshop = load_for(slug, need=Role.RAPPORTEUR)
    submitted = service.submitted_notes(workshop)
    return render_template("notes/index.html", workshop=workshop, rows=service.notes_overview(workshop),
                           is_organizer=can_manage(current_user, workshop), submitted=submitted,
                           approve_form=ApproveSubmittedForm(note_ids=" ".join(str(n.id) for _, n in submitted)))


@bp.post("/approve-submitted")
@login_required
def approve_submitted(slug: str):
    """Every submitted note the organizer saw in the list, approved in one go."""
    workshop = load_for(slug, need=Role.ORGANIZER)
    form = ApproveSubmittedForm()
    if not form.validate_on_submit():
        flash(_("The form is damaged. Reload the page and look again."), "error")
        return redirect(url_for("notes.index", slug=slug))
    approved = service.approve_submitted(workshop, form.ids, current_user)
    flash(ngettext("%(num)d note approved and locked: it will feed the memo.",
                   "%(num)d notes approved and locked: they will feed the memo.", approved), "success")
    return redirect(url_for("notes.index", slug=slug))


@bp.route("/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, item_id: int):
    workshop, item, note = _load(slug, item_id)
    # "Save and submit" is the editor's second button: what was typed is saved first.
    submitting = request.method == "POST" and request.form.get("then") == "submit"
    save = service.save_and_submit if submitting else service.save
    form, response = revision_views.edit_form(
        note, lambda source, base: save(note, source, current_user, base),
        urls=_urls(workshop, item_id), title=_title(item), error_type=service.NoteError,
        error_url=url_for("notes.edit", slug=slug, item_id=item_id),
        saved_message=_("Notes saved and submitted: the organizers can review and approve them.")
        if submitting else _("Notes saved."),
        saved_url=url_for("notes.edit", slug=slug, item_id=item_id, saved=1))
    if response is not None:
        return response
    return render_template(
        "notes/edit.html", workshop=workshop, item=item, note=note, form=form, urls=_urls(workshop, item_id),
        confirm=ConfirmForm(), is_organizer=can_manage(current_user, workshop),
        clear_autosave=request.args.get("saved") == "1", next_item=service.next_session(workshop, item),
    ), 422 if form.errors else 200


@bp.post("/<int:item_id>/state/<action>")
@login_required
def change_state(slug: str, item_id: int, action: str):
    need = Role.ORGANIZER if action in service.ORGANIZER_ACTIONS else Role.RAPPORTEUR
    _workshop, item, note = _load(slug, item_id, need=need)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.change_state(note, action, current_user)
    except service.NoteError as error:
        flash(error.translated(), "error")
    else:
        messages = {
            NoteState.SUBMITTED: _("Notes submitted: the organizers can review and approve them."),
            NoteState.APPROVED: _("Notes approved and locked: they will feed the memo."),
            NoteState.DRAFT: _("Notes reopened: they can be edited again."),
        }
        flash(messages[note.state], "success")
    return redirect(url_for("notes.edit", slug=slug, item_id=item_id))


@bp.get("/<int:item_id>/history")
@login_required
def history(slug: str, item_id: int):
    workshop, item, note = _load(slug, item_id)
    return revision_views.history_page(note, _urls(workshop, item_id), _title(item), can_restore=not note.is_locked)


@bp.get("/<int:item_id>/revisions/<int:number>")
@login_required
def revision(slug: str, item_id: int, number: int):
    workshop, item, note = _load(slug, item_id)
    return revision_views.revision_page(note, number, _urls(workshop, item_id), _title(item),
                                        can_restore=not note.is_locked)


@bp.get("/<int:item_id>/compare")
@login_required
def compare(slug: str, item_id: int):
    workshop, item, note = _load(slug, item_id)
    return revision_views.compare_page(note, _urls(workshop, item_id), _title(item))


@bp.post("/<int:item_id>/restore/<int:number>")
@login_required
def restore(slug: str, item_id: int, number: int):
    _workshop, item, note = _load(slug, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        revision = service.restore(note, number, current_user)
    except (service.NoteError, revisions.RevisionError) as error:
        flash(error.translated(), "error")
    else:
        flash(_("Revision %(old)s restored as revision %(new)s.", old=number, new=revision.number), "success")
    return redirect(url_for("notes.edit", slug=slug, item_id=item_id))


def manage_link(workshop):
    return _("Session notes"), url_for("notes.index", slug=workshop.slug)
