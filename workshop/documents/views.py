"""Document pages: the public list and downloads, and the organizer's documents screen."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from io import BytesIO
from markupsafe import Markup

from workshop.agenda import service as agenda
from workshop.documents import service
from workshop.documents.forms import RemoveForm, ReplaceForm, UploadForm
from workshop.platform import public_cache
from workshop.platform.errors import UserError
from workshop.platform.urls import absolute_url
from workshop.workshops.access import load_for, load_public
from workshop.workshops.models import Role

bp = Blueprint("documents", __name__)


def download(document, *, public: bool):
    """The file as an attachment under its own name, with the type found in its bytes: a
    browser never renders it as a page of this site."""
    response = send_file(BytesIO(document.content), mimetype=document.mimetype, as_attachment=True,
                         download_name=document.filename, etag=document.sha256, conditional=True,
                         max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, no-cache" if public else "private, no-cache"
    return response


# Public -----------------------------------------------------------------------------------------


@bp.get("/w/<slug>/documents")
@public_cache.cached("documents page", personal=True)
def public_list(slug: str):
    workshop = load_public(slug)
    documents = service.documents_for(workshop, "public")
    groups = [(group[0].agenda_item, group) for group in service.by_item(documents).values()]
    return render_template("documents/public.html", workshop=workshop, documents=documents, groups=groups,
                           url=lambda d: public_url(d, workshop))


@bp.get("/w/<slug>/documents/<int:document_id>/<path:filename>")
def public_download(slug: str, document_id: int, filename: str):
    workshop = load_public(slug)
    document = service.get(workshop, document_id, "public")
    if document is None:
        abort(404)
    return download(document, public=True)


def _public_documents(workshop) -> list:
    """The workshop's public documents, read once per request: the page's button, its list and
    the agenda's parts all ask (public pages have a fixed query budget)."""
    kept = request.environ.setdefault("workshop.public_documents", {})
    if workshop.id not in kept:
        kept[workshop.id] = service.documents_for(workshop, "public")
    return kept[workshop.id]


def public_url(document, workshop, *, external: bool = False) -> str:
    if external:
        return absolute_url("documents.public_download", slug=workshop.slug, document_id=document.id,
                            filename=document.filename)
    return url_for("documents.public_download", slug=workshop.slug, document_id=document.id,
                   filename=document.filename)


def public_link(workshop):
    if workshop.is_public and _public_documents(workshop):
        return _l("Documents"), url_for("documents.public_list", slug=workshop.slug)
    return None


def workshop_page_part(workshop):
    """The public documents of the workshop itself, on its page."""
    documents = [d for d in _public_documents(workshop) if d.agenda_item_id is None]
    if not documents or not workshop.is_public:
        return None
    return Markup(render_template("documents/_section.html", workshop=workshop, documents=documents,
                                  url=lambda d: public_url(d, workshop)))


def agenda_parts(workshop):
    """Each session's public documents, beside it on the public agenda."""
    if not workshop.is_public:
        return {}
    return {key: Markup(render_template("documents/_list.html", documents=documents,
                                        url=lambda d: public_url(d, workshop)))
            for key, documents in service.by_item(_public_documents(workshop)).items()}


def agenda_json_parts(workshop):
    """Each item's public documents in agenda.json, with the URL to fetch each."""
    grouped = service.by_item(_public_documents(workshop))
    parts = {key: {"documents": [_as_data(d, workshop) for d in documents]} for key, documents in grouped.items()}
    parts.setdefault(None, {"documents": []})
    parts["*"] = {"documents": []}
    return parts


def _as_data(document, workshop) -> dict:
    return {"id": document.id, "title": document.title, "description": document.description,
            "kind": document.kind, "language": document.language, "filename": document.filename,
            "mimetype": document.mimetype, "size": document.size,
            "url": public_url(document, workshop, external=True)}


# Organizer --------------------------------------------------------------------------------------


def manage_link(workshop):
    return _l("Documents"), url_for("documents.manage", slug=workshop.slug)


def _document_or_404(workshop, document_id: int, *, current_only: bool = True):
    document = service.get(workshop, document_id, "team", current_only=current_only)
    if document is None:
        abort(404)
    return document


def _read(field) -> bytes:
    return field.data.read(service.max_bytes() + 1)


@bp.get("/manage/w/<slug>/documents")
@login_required
def manage(slug: str):
    workshop = load_for(slug)
    return render_template("documents/manage.html", workshop=workshop, documents=service.all_versions(workshop),
                           remove_form=RemoveForm())


@bp.route("/manage/w/<slug>/documents/new", methods=["GET", "POST"])
@login_required
def upload(slug: str):
    workshop = load_for(slug)
    form = UploadForm(items=agenda.items_for(workshop))
    if request.method == "GET" and request.args.get("item", "").isdigit():
        form.agenda_item_id.data = int(request.args["item"])
    if form.validate_on_submit():
        try:
            document = service.upload(workshop, filename=form.file.data.filename, data=_read(form.file),
                                      by=current_user, **form.fields())
        except UserError as error:
            form.file.errors = list(form.file.errors) + [error.translated()]
        else:
            flash(_("“%(title)s” uploaded.", title=document.title), "success")
            return redirect(url_for("documents.manage", slug=workshop.slug))
    return render_template("documents/form.html", workshop=workshop, form=form, max_size=service.max_bytes()), \
        422 if form.errors else 200


@bp.route("/manage/w/<slug>/documents/<int:document_id>/replace", methods=["GET", "POST"])
@login_required
def replace(slug: str, document_id: int):
    workshop = load_for(slug)
    document = _document_or_404(workshop, document_id)
    form = ReplaceForm()
    if form.validate_on_submit():
        try:
            service.replace(document, filename=form.file.data.filename, data=_read(form.file), by=current_user)
        except UserError as error:
            form.file.errors = list(form.file.errors) + [error.translated()]
        else:
            flash(_("A new version of “%(title)s” replaces the earlier one.", title=document.title), "success")
            return redirect(url_for("documents.manage", slug=workshop.slug))
    return render_template("documents/replace.html", workshop=workshop, document=document, form=form), \
        422 if form.errors else 200


@bp.route("/manage/w/<slug>/documents/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, document_id: int):
    workshop = load_for(slug)
    document = _document_or_404(workshop, document_id)
    form = UploadForm(items=agenda.items_for(workshop), obj=document)
    del form.file
    if form.validate_on_submit():
        try:
            service.update(document, workshop=workshop, **form.fields())
        except UserError as error:
            form.title.errors = list(form.title.errors) + [error.translated()]
        else:
            flash(_("“%(title)s” saved.", title=document.title), "success")
            return redirect(url_for("documents.manage", slug=workshop.slug))
    return render_template("documents/form.html", workshop=workshop, form=form, document=document), \
        422 if form.errors else 200


@bp.post("/manage/w/<slug>/documents/<int:document_id>/remove")
@login_required
def remove(slug: str, document_id: int):
    workshop = load_for(slug)
    document = _document_or_404(workshop, document_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    title = document.title
    service.remove(document)
    flash(_("“%(title)s” removed, with its earlier versions.", title=title), "success")
    return redirect(url_for("documents.manage", slug=workshop.slug))


@bp.get("/manage/w/<slug>/documents/<int:document_id>/file")
@login_required
def team_download(slug: str, document_id: int):
    workshop = load_for(slug, need=Role.RAPPORTEUR)  # the whole team reads team-only papers
    return download(_document_or_404(workshop, document_id, current_only=False), public=False)
