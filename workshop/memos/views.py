"""The takeaways memo: written and reviewed under /manage, published at /w/<slug>/memo."""

from flask import (Blueprint, Response, abort, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.platform import templating
from workshop.platform.built_once import conditional
from workshop.memos import service
from workshop.memos.document import co_organizers_of
from workshop.memos.forms import CompileForm, FrontMatterForm
from workshop.notes import revision_views
from workshop.platform import revisions
from workshop.workshops.access import can_manage, load_for, load_public
from workshop.workshops.forms import ConfirmForm
from workshop.workshops.models import Role

bp = Blueprint("memos", __name__)


# Public ---------------------------------------------------------------------------------------


def _published_or_404(slug: str, *, with_pdf: bool = False, preview: bool = False):
    workshop = load_public(slug, preview=preview)
    version = service.published_version(workshop, with_pdf=with_pdf) or abort(404)
    return workshop, version


@bp.get("/w/<slug>/memo")
def public(slug: str):
    workshop, version = _published_or_404(slug, preview=True)
    return conditional(make_response(render_template(
        "memos/public.html", workshop=workshop, version=version,
        conveners=[org.name for org in workshop.conveners], co_organizers=co_organizers_of(workshop))))


@bp.get("/w/<slug>/memo.pdf")
def public_pdf(slug: str):
    # The stored bytes of the newest published version, found by slug in one query without
    # loading the workshop; a revalidation leaves the bytes out (benchmark figure 1).
    found = service.published_pdf(slug, with_bytes=not request.if_none_match) or abort(404)
    if found.pdf is None and not request.if_none_match.contains(found.pdf_sha256):
        found = service.published_pdf(slug) or abort(404)  # a stale copy: send the bytes
    response = Response(found.pdf or b"", mimetype="application/pdf")
    response.set_etag(found.pdf_sha256)
    response.headers["Content-Disposition"] = f'inline; filename="{slug}-memo.pdf"'
    response.headers["Cache-Control"] = "public, max-age=300, must-revalidate"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# Organizers and rapporteurs --------------------------------------------------------------------


def _urls(workshop) -> revision_views.RevisionUrls:
    slug = workshop.slug
    return revision_views.RevisionUrls(
        back=url_for("memos.manage", slug=slug), edit=url_for("memos.edit", slug=slug),
        history=url_for("memos.history", slug=slug), compare=url_for("memos.compare", slug=slug),
        revision=lambda n: url_for("memos.revision", slug=slug, number=n),
        restore=lambda n: url_for("memos.restore", slug=slug, number=n), timezone=workshop.timezone,
    )


def _load(slug: str, need=Role.RAPPORTEUR):
    workshop = load_for(slug, need=need)
    return workshop, service.memo_for(workshop, create=request.method == "POST")


@bp.get("/manage/w/<slug>/memo/")
@login_required
def manage(slug: str):
    workshop, memo = _load(slug)
    hits = service.attribution_hits(memo) if memo.current else []
    return render_template(
        "memos/manage.html", workshop=workshop, memo=memo, hits=hits, title=service.memo_title(workshop),
        unresolved=service.unresolved_names(memo, hits), confirm=ConfirmForm(),
        is_organizer=can_manage(current_user, workshop),
        approved_notes=len(service.notes.approved_notes(workshop)),
        new_notes=service.notes_since_compile(memo),
        compile_form=CompileForm(base=memo.current.number if memo.current else None),
    )


@bp.route("/manage/w/<slug>/memo/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    workshop, memo = _load(slug)
    if memo.is_locked:
        flash(_("The memo is approved and locked. An organizer can reopen it for edits."), "error")
        return redirect(url_for("memos.manage", slug=slug))
    form, response = revision_views.edit_form(
        memo, lambda source, base: service.save(memo, source, current_user, base),
        urls=_urls(workshop), title=service.memo_title(workshop), error_type=service.MemoError,
        error_url=url_for("memos.manage", slug=slug), saved_message=_("Memo saved."),
        saved_url=url_for("memos.edit", slug=slug, saved=1))
    if response is not None:
        return response
    return render_template(
        "memos/edit.html", workshop=workshop, memo=memo, form=form, urls=_urls(workshop),
        title=service.memo_title(workshop), clear_autosave=request.args.get("saved") == "1",
    ), 422 if form.errors else 200


@bp.get("/manage/w/<slug>/memo/compile")
@login_required
def compile_preview(slug: str):
    """What compiling would replace, side by side, before anything is replaced."""
    workshop, memo = _load(slug)
    if memo.is_locked:
        flash(_("The memo is approved and locked. An organizer can reopen it for edits."), "error")
        return redirect(url_for("memos.manage", slug=slug))
    head = memo.current
    compiled = service.compiled_source(memo)
    form = CompileForm(base=head.number if head else None)
    return render_template(
        "memos/compile.html", workshop=workshop, memo=memo, title=service.memo_title(workshop), form=form,
        comparison=revisions.compare(head.source if head else "", compiled),
        new_notes=service.notes_since_compile(memo),
    )


def _compiled_message(revision, before):
    if before is None or before.number == revision.number:
        return _("Compiled from the approved notes as revision %(n)s.", n=revision.number)
    return _("Compiled from the approved notes as revision %(n)s. The text before is revision %(old)s: "
             "restore it below if you need it back.", n=revision.number, old=before.number)


@bp.post("/manage/w/<slug>/memo/compile")
@login_required
def compile_notes(slug: str):
    workshop, memo = _load(slug)
    form = CompileForm()
    if not form.validate_on_submit():
        flash(_("The form was not complete. Look at what compiling would replace, then confirm."), "error")
        return redirect(url_for("memos.compile_preview", slug=slug))
    before = memo.current
    try:
        revision = service.compile_from_notes(memo, current_user, replacing=form.base.data)
    except service.EditedSinceCompile:
        # Asked without having seen the text that would go (or it changed since): show it.
        return redirect(url_for("memos.compile_preview", slug=slug))
    except service.MemoError as error:
        flash(error.translated(), "error")
    except revisions.StaleRevision:
        flash(_("The memo changed while compiling. Try again."), "error")
    else:
        flash(_compiled_message(revision, before), "success")
    return redirect(url_for("memos.manage", slug=slug))


@bp.post("/manage/w/<slug>/memo/compile/new-notes")
@login_required
def add_new_notes(slug: str):
    """Only the notes approved since the last compile, appended; the rest of the text stays."""
    workshop, memo = _load(slug)
    form = CompileForm()
    if not form.validate_on_submit():
        flash(_("The form was not complete. Look at the new notes again, then add them."), "error")
        return redirect(url_for("memos.compile_preview", slug=slug))
    before = memo.current
    try:
        revision = service.add_notes_since_compile(memo, current_user, form.base.data)
    except service.MemoError as error:
        flash(error.translated(), "error")
    except revisions.StaleRevision:
        flash(_("The memo changed since you opened this page. Look again, then add the notes."), "error")
        return redirect(url_for("memos.compile_preview", slug=slug))
    else:
        flash(_("The newly approved notes are added as revision %(n)s. The text before is revision %(old)s.",
                n=revision.number, old=before.number if before else 0), "success")
    return redirect(url_for("memos.manage", slug=slug))


@bp.route("/manage/w/<slug>/memo/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    workshop, memo = _load(slug, need=Role.ORGANIZER)
    form = FrontMatterForm(obj=memo)
    if form.validate_on_submit():
        try:
            service.update_front_matter(memo, disclaimer=form.disclaimer.data, credit=form.credit.data or "",
                                        dated=form.dated.data)
        except service.MemoError as error:
            flash(error.translated(), "error")
        else:
            flash(_("Disclaimer, credit and date saved."), "success")
        return redirect(url_for("memos.manage", slug=slug))
    return render_template("memos/settings.html", workshop=workshop, memo=memo, form=form,
                           title=service.memo_title(workshop)), 422 if form.errors else 200


MEMO_ACTIONS = {"submit": Role.RAPPORTEUR, "approve": Role.ORGANIZER, "reopen": Role.ORGANIZER,
                "publish": Role.ORGANIZER}


@bp.post("/manage/w/<slug>/memo/state/<action>")
@login_required
def change_state(slug: str, action: str):
    if action not in MEMO_ACTIONS:
        abort(404)
    workshop, memo = _load(slug, need=MEMO_ACTIONS[action])
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "submit":
            service.submit_for_review(memo)
            flash(_("The memo is in review."), "success")
        elif action == "approve":
            service.approve(memo, request.form.getlist("accept"))
            flash(_("The memo is approved and locked. Publish it when ready."), "success")
        elif action == "reopen":
            service.reopen(memo)
            flash(_("The memo is back to draft."), "success")
        else:
            version = service.publish(memo, current_user)
            flash(_("Version %(n)s is published.", n=version.number), "success")
    except service.AttributionUnresolved as error:
        flash(_("Not approved: the memo still names %(names)s. Remove the attribution, or tick "
                "'accept' for each name that may stay.", names=", ".join(error.names)), "error")
    except service.MemoError as error:
        flash(error.translated(), "error")
    return redirect(url_for("memos.manage", slug=slug))


@bp.get("/manage/w/<slug>/memo/preview.pdf")
@login_required
def preview_pdf(slug: str):
    workshop, memo = _load(slug, need=Role.ORGANIZER)
    response = Response(service.draft_pdf(memo), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{workshop.slug}-memo-draft.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/manage/w/<slug>/memo/history")
@login_required
def history(slug: str):
    workshop, memo = _load(slug)
    return revision_views.history_page(memo, _urls(workshop), service.memo_title(workshop),
                                       can_restore=not memo.is_locked)


@bp.get("/manage/w/<slug>/memo/revisions/<int:number>")
@login_required
def revision(slug: str, number: int):
    workshop, memo = _load(slug)
    return revision_views.revision_page(memo, number, _urls(workshop), service.memo_title(workshop),
                                        can_restore=not memo.is_locked)


@bp.get("/manage/w/<slug>/memo/compare")
@login_required
def compare(slug: str):
    workshop, memo = _load(slug)
    return revision_views.compare_page(memo, _urls(workshop), service.memo_title(workshop))


@bp.post("/manage/w/<slug>/memo/restore/<int:number>")
@login_required
def restore(slug: str, number: int):
    workshop, memo = _load(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        new = service.restore(memo, number, current_user)
    except (service.MemoError, revisions.RevisionError) as error:
        flash(error.translated(), "error")
    else:
        flash(_("Revision %(old)s restored as revision %(new)s.", old=number, new=new.number), "success")
    return redirect(url_for("memos.manage", slug=slug))


def public_link(workshop):
    if not service.has_published_version(workshop):
        return None
    return _("Discussion takeaways"), url_for("memos.public", slug=workshop.slug)


def manage_link(workshop):
    return _("Takeaways memo"), url_for("memos.manage", slug=workshop.slug)
