"""The takeaways memo: written and reviewed under /manage, published at /w/<slug>/memo."""

from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, g, make_response, redirect,
                   render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.platform import public_cache, stored_pdfs, templating
from workshop.platform.built_once import conditional
from workshop.memos import service
from workshop.memos import publication_warnings as memo_warnings
from workshop.memos.document import co_organizers_of
from workshop.memos import check_words
from workshop.memos.forms import AcceptForm, CompileForm, FrontMatterForm, TranslationForm
from workshop.notes import revision_views
from workshop.platform import revisions
from workshop.platform.i18n import LANGUAGES, in_language, text_direction
from workshop.workshops.access import can_manage, load_for, load_public
from workshop.workshops.forms import ConfirmForm
from workshop.workshops.models import Role

bp = Blueprint("memos", __name__)


def memo_route(rule: str, **options):
    """A page of the workshop's memo at /manage/w/<slug>/memo<rule>, and the same page of its
    memo in another language at /manage/w/<slug>/memo/<language><rule>."""
    def register(view):
        bp.route("/manage/w/<slug>/memo" + rule, defaults={"language": None}, **options)(view)
        bp.route("/manage/w/<slug>/memo/<lang:language>" + rule, **options)(view)
        return view
    return register


@bp.url_defaults
def _same_memo(endpoint: str, values: dict) -> None:
    """Links between a memo's pages stay on the memo in that language."""
    language = g.get("memo_language")
    if language and "language" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "language"):
        values["language"] = language


# Public ---------------------------------------------------------------------------------------


def _published_or_404(slug: str, language: str | None, *, with_pdf: bool = False, preview: bool = False):
    workshop = load_public(slug, preview=preview)
    version = service.published_version(workshop, language=language, with_pdf=with_pdf) or abort(404)
    return workshop, version


def _front_matter(workshop, version) -> dict:
    """The memo's own words above its text, in the memo's language (the page's chrome stays in
    the reader's)."""
    conveners = [org.name for org in workshop.conveners]
    co_organizers = co_organizers_of(workshop)
    with in_language(version.language):
        return {
            "convened": _("Convened by %(names)s", names=_(" and ").join(conveners)) if conveners else "",
            "co_organizers": _("Co-organizers: %(names)s", names=", ".join(co_organizers)) if co_organizers else "",
            "month": templating.format_month_year(version.dated, version.language),
        }


@bp.get("/w/<slug>/memo", defaults={"language": None})
@bp.get("/w/<slug>/memo/<lang:language>")
# Memo rows are private (drafts change them all day); the page reads only their workshop and
# which memo translates which, and every published version, which the page shows, is public.
@public_cache.cached("memo page", personal=True, private_reads=("Memo",))
def public(slug: str, language: str | None):
    workshop, version = _published_or_404(slug, language, preview=True)
    others = [{"code": code, "name": LANGUAGES[code], "dir": text_direction(code),
               "url": url_for("memos.public", slug=slug, language=code)}
              for code in service.other_languages(version)]
    return conditional(make_response(render_template(
        "memos/public.html", workshop=workshop, version=version, others=others,
        front=_front_matter(workshop, version),
        pdf_url=url_for("memos.public_pdf", slug=slug, language=language))))


@bp.get("/w/<slug>/memo.pdf", defaults={"language": None})
@bp.get("/w/<slug>/memo/<lang:language>.pdf")
def public_pdf(slug: str, language: str | None):
    # The stored bytes of the newest published version, found by slug in one query without
    # loading the workshop; a revalidation leaves the bytes out (benchmark figure 1).
    found = service.published_pdf(slug, language=language, with_bytes=not request.if_none_match) or abort(404)
    if found.pdf_sha256 is None:
        # Just published: the mail worker renders the PDF at its next round, seconds from now.
        # The same waiting page as every PDF the worker renders: 202, not 503, since nothing is
        # wrong with the server (a 503 would page whoever watches for errors); it reloads itself
        # into the PDF and links back to the memo's page, which can be read meanwhile.
        return stored_pdfs.preparing_response(request.full_path if request.query_string else request.path,
                                              back=url_for("memos.public", slug=slug, language=language))
    if found.pdf is None and not request.if_none_match.contains(found.pdf_sha256):
        found = service.published_pdf(slug, language=language) or abort(404)  # a stale copy: send the bytes
    response = Response(found.pdf or b"", mimetype="application/pdf")
    response.set_etag(found.pdf_sha256)
    name = f"{slug}-memo-{language}.pdf" if language else f"{slug}-memo.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "public, max-age=300, must-revalidate"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# Organizers and rapporteurs --------------------------------------------------------------------


def _urls(workshop) -> revision_views.RevisionUrls:
    # Built inside the request: _same_memo adds the memo's language to each.
    slug = workshop.slug
    return revision_views.RevisionUrls(
        back=url_for("memos.manage", slug=slug), edit=url_for("memos.edit", slug=slug),
        history=url_for("memos.history", slug=slug), compare=url_for("memos.compare", slug=slug),
        revision=lambda n: url_for("memos.revision", slug=slug, number=n),
        restore=lambda n: url_for("memos.restore", slug=slug, number=n), timezone=workshop.timezone,
    )


def _load(slug: str, language: str | None, need=Role.RAPPORTEUR):
    """The workshop and its memo: the first original, or the memo in ``language`` (404 when
    there is none; a translation is added from the memo's page)."""
    workshop = load_for(slug, need=need)
    if language is None:
        return workshop, service.memo_for(workshop, create=request.method == "POST")
    memo = service.memo_in(workshop, language) or abort(404)
    g.memo_language = language
    return workshop, memo


def _title(workshop, memo) -> str:
    return service.memo_title(workshop, memo.language)


@memo_route("/", methods=["GET"])
@login_required
def manage(slug: str, language: str | None):
    workshop, memo = _load(slug, language)
    hits = service.attribution_hits(memo) if memo.current else []
    return render_template(
        "memos/manage.html", workshop=workshop, memo=memo, hits=hits, title=_title(workshop, memo),
        unresolved=service.unresolved_names(memo, hits), confirm=ConfirmForm(),
        check_rule=service.check_rule(memo), warnings=memo_warnings.warnings(memo),
        is_organizer=can_manage(current_user, workshop),
        approved_notes=len(service.notes.approved_notes(workshop)),
        new_notes=service.notes_since_compile(memo),
        compile_form=CompileForm(base=memo.current.number if memo.current else None),
        versions=service.memos_of(workshop) if memo.id else [],
        translation_form=TranslationForm(languages=service.untranslated_languages(memo)),
        accept_form=AcceptForm(),
    )


@bp.post("/manage/w/<slug>/memo/translations")
@login_required
def add_translation(slug: str):
    """A new memo translating the workshop's memo into another offered language."""
    workshop = load_for(slug, need=Role.ORGANIZER)
    original = service.memo_for(workshop)
    form = TranslationForm(languages=service.untranslated_languages(original))
    if not form.validate_on_submit():
        flash(_("Choose one of the languages offered for a new version."), "error")
        return redirect(url_for("memos.manage", slug=slug))
    try:
        memo = service.add_translation(original, form.language.data, current_user)
    except service.MemoError as error:
        flash(error.translated(), "error")
        return redirect(url_for("memos.manage", slug=slug))
    flash(_("A version in %(language)s is started. Write or paste its text.", language=LANGUAGES[memo.language]),
          "success")
    return redirect(url_for("memos.manage", slug=slug, language=memo.language))


@memo_route("/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, language: str | None):
    workshop, memo = _load(slug, language)
    if memo.is_locked:
        flash(_("The memo is approved and locked. An organizer can reopen it for edits."), "error")
        return redirect(url_for("memos.manage", slug=slug))
    # The editor's second button saves what was typed with the participation paragraph added.
    inserting = request.method == "POST" and request.form.get("insert") == "participation"
    save = service.save_with_participation if inserting else service.save
    form, response = revision_views.edit_form(
        memo, lambda source, base: save(memo, source, current_user, base),
        urls=_urls(workshop), title=_title(workshop, memo), error_type=service.MemoError,
        error_url=url_for("memos.manage", slug=slug),
        saved_message=_("Memo saved, with the participation paragraph at the end of the Context: "
                        "edit it as you like.") if inserting else _("Memo saved."),
        saved_url=url_for("memos.edit", slug=slug, saved=1))
    if response is not None:
        return response
    hits = service.attribution_hits(memo) if memo.current else []
    # Spell-checking and the direction of the text follow the memo's language.
    form.source.render_kw = {"lang": memo.language, "dir": text_direction(memo.language)}
    return render_template(
        "memos/edit.html", workshop=workshop, memo=memo, form=form, urls=_urls(workshop),
        is_organizer=can_manage(current_user, workshop),
        title=_title(workshop, memo), clear_autosave=request.args.get("saved") == "1",
        participation=service.participation_paragraph(workshop),
        # Checked again at every save: the editor comes back here with the hits of the saved text.
        hits=hits, marked=check_words.around_hits(check_words.marked_lines(memo.current.source, hits)) if hits else [],
        check_rule=service.check_rule(memo), accept_form=AcceptForm(),
    ), 422 if form.errors else 200


@memo_route("/compile", methods=["GET"])
@login_required
def compile_preview(slug: str, language: str | None):
    """What compiling would replace, side by side, before anything is replaced."""
    workshop, memo = _load(slug, language)
    if memo.is_locked:
        flash(_("The memo is approved and locked. An organizer can reopen it for edits."), "error")
        return redirect(url_for("memos.manage", slug=slug))
    head = memo.current
    compiled = service.compiled_source(memo)
    form = CompileForm(base=head.number if head else None)
    return render_template(
        "memos/compile.html", workshop=workshop, memo=memo, title=_title(workshop, memo), form=form,
        comparison=revisions.compare(head.source if head else "", compiled),
        new_notes=service.notes_since_compile(memo),
    )


def _compiled_message(revision, before):
    if before is None or before.number == revision.number:
        return _("Compiled from the approved notes as revision %(n)s.", n=revision.number)
    return _("Compiled from the approved notes as revision %(n)s. The text before is revision %(old)s: "
             "restore it below if you need it back.", n=revision.number, old=before.number)


@memo_route("/compile", methods=["POST"])
@login_required
def compile_notes(slug: str, language: str | None):
    workshop, memo = _load(slug, language)
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


@memo_route("/compile/new-notes", methods=["POST"])
@login_required
def add_new_notes(slug: str, language: str | None):
    """Only the notes approved since the last compile, appended; the rest of the text stays."""
    workshop, memo = _load(slug, language)
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


@memo_route("/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str, language: str | None):
    workshop, memo = _load(slug, language, need=Role.ORGANIZER)
    languages, originals = service.language_options(memo)
    form = FrontMatterForm(obj=memo, languages=languages, originals=originals)
    if form.validate_on_submit():
        try:
            service.update_front_matter(memo, disclaimer=form.disclaimer.data, credit=form.credit.data or "",
                                        dated=form.dated.data, language=form.language.data,
                                        translation_of_id=form.translation_of_id.data)
        except service.MemoError as error:
            flash(error.translated(), "error")
        else:
            flash(_("Language, disclaimer, credit and date saved."), "success")
        # The memo's pages follow its language when it is not the workshop's first memo.
        return redirect(url_for("memos.manage", slug=slug, language=memo.language if language else None))
    return render_template("memos/settings.html", workshop=workshop, memo=memo, form=form,
                           title=_title(workshop, memo)), 422 if form.errors else 200


MEMO_ACTIONS = {"submit": Role.RAPPORTEUR, "approve": Role.ORGANIZER, "reopen": Role.ORGANIZER,
                "publish": Role.ORGANIZER}


@memo_route("/state/<action>", methods=["POST"])
@login_required
def change_state(slug: str, action: str, language: str | None):
    if action not in MEMO_ACTIONS:
        abort(404)
    workshop, memo = _load(slug, language, need=MEMO_ACTIONS[action])
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == "submit":
            service.submit_for_review(memo)
            flash(_("The memo is in review."), "success")
        elif action == "approve":
            # Names may stay only when accepted with a reason (the check's own form), never by a tick here.
            service.approve(memo)
            flash(_("The memo is approved and locked. Publish it when ready."), "success")
        elif action == "reopen":
            service.reopen(memo)
            flash(_("The memo is back to draft."), "success")
        else:
            version = service.publish(memo, current_user)
            flash(_("Version %(n)s is published.", n=version.number), "success")
    except service.AttributionUnresolved as error:
        flash(_("Not approved: the memo still names %(names)s. Remove the attribution, or accept each "
                "name that may stay with a reason in the non-attribution check.", names=", ".join(error.names)), "error")
    except service.MemoError as error:
        flash(error.translated(), "error")
    return redirect(url_for("memos.manage", slug=slug))


@memo_route("/preview.pdf", methods=["GET"])
@login_required
def preview_pdf(slug: str, language: str | None):
    workshop, memo = _load(slug, language, need=Role.ORGANIZER)
    # Per draft revision (and what else the draft PDF prints: the memo's settings, the
    # workshop's title and logos, today's date when the memo has none).
    today = (memo.dated or date.today()).isoformat()
    version = stored_pdfs.version_of(stored_pdfs.columns_of(memo, memo.current, workshop),
                                     workshop.public_version, today)
    return stored_pdfs.serve(f"memo-preview:{memo.id}", version, "memo preview",
                             {"memo_id": memo.id, "today": today}, workshop_id=workshop.id,
                             filename=f"{workshop.slug}-memo-draft.pdf", cache_control="private, no-cache")


@memo_route("/history", methods=["GET"])
@login_required
def history(slug: str, language: str | None):
    workshop, memo = _load(slug, language)
    return revision_views.history_page(memo, _urls(workshop), _title(workshop, memo),
                                       can_restore=not memo.is_locked)


@memo_route("/revisions/<int:number>", methods=["GET"])
@login_required
def revision(slug: str, number: int, language: str | None):
    workshop, memo = _load(slug, language)
    return revision_views.revision_page(memo, number, _urls(workshop), _title(workshop, memo),
                                        can_restore=not memo.is_locked)


@memo_route("/compare", methods=["GET"])
@login_required
def compare(slug: str, language: str | None):
    workshop, memo = _load(slug, language)
    return revision_views.compare_page(memo, _urls(workshop), _title(workshop, memo))


@memo_route("/restore/<int:number>", methods=["POST"])
@login_required
def restore(slug: str, number: int, language: str | None):
    workshop, memo = _load(slug, language)
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
