"""Pages shared by every revisioned text (notes, memo): history, one revision, comparison and
the conflict page. Each feature passes its own ``RevisionUrls``."""

from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from workshop.platform import revisions
from workshop.notes.forms import TextForm
from workshop.workshops.forms import ConfirmForm


@dataclass(frozen=True)
class RevisionUrls:
    back: str  # the document's own page
    edit: str
    history: str
    compare: str
    revision: Callable[[int], str]
    restore: Callable[[int], str]
    timezone: str = "UTC"  # the workshop's: the pages show when each revision was saved in it


def history_page(document, urls: RevisionUrls, title: str, *, can_restore: bool):
    return render_template(
        "revisions/history.html", document=document, revisions=list(reversed(document.revisions)),
        urls=urls, title=title, can_restore=can_restore, confirm=ConfirmForm(),
    )


def revision_page(document, number: int, urls: RevisionUrls, title: str, *, can_restore: bool):
    revision = revisions.revision_by_number(document, number) or abort(404)
    return render_template(
        "revisions/revision.html", document=document, revision=revision, urls=urls, title=title,
        can_restore=can_restore, confirm=ConfirmForm(),
    )


def compare_page(document, urls: RevisionUrls, title: str):
    head = revisions.current_revision(document) or abort(404)
    a = request.args.get("a", type=int) or max(1, head.number - 1)
    b = request.args.get("b", type=int) or head.number
    old = revisions.revision_by_number(document, a) or abort(404)
    new = revisions.revision_by_number(document, b) or abort(404)
    return render_template(
        "revisions/compare.html", document=document, old=old, new=new, urls=urls, title=title,
        comparison=revisions.compare(old.source, new.source, f"revision {old.number}", f"revision {new.number}"),
    )


def edit_form(document, save: Callable[[str, int | None], object], *, urls: RevisionUrls, title: str,
              error_type: type[Exception], error_url: str, saved_message: str, saved_url: str):
    """The editor of a revisioned text: ``(form, response)``; a response ends the request.

    GET: the form prefilled from the head revision and based on it. A valid POST calls
    ``save(source, base_number)``: a stale base gives the conflict page (both versions kept), a
    text over 1 MB a field error, ``error_type`` a flash and ``error_url``, success a flash and
    ``saved_url``."""
    head = document.current
    form = TextForm()
    if request.method == "GET":
        form.source.data = head.source if head else ""
        form.base_number.data = str(head.number) if head else ""
        return form, None
    if not form.validate_on_submit():
        return form, None
    try:
        save(form.source.data, form.base)
    except revisions.StaleRevision as stale:
        return form, conflict_page(stale, urls, title)
    except revisions.TooLarge:
        form.source.errors.append(_("The text is larger than 1 MB. Shorten it or split it, then save again."))
        return form, None
    except error_type as error:
        flash(error.translated(), "error")
        return form, redirect(error_url)
    flash(saved_message, "success")
    return form, redirect(saved_url)


def conflict_page(stale: revisions.StaleRevision, urls: RevisionUrls, title: str):
    """409: the text changed since the writer loaded it. Both versions, and a merge box
    prefilled with the writer's text and based on the current revision."""
    current = stale.current
    theirs = current.source if current else ""
    form = TextForm(formdata=None, source=stale.submitted_source,
                    base_number=str(current.number) if current else "")
    return render_template(
        "revisions/conflict.html", current=current, mine=stale.submitted_source, form=form,
        urls=urls, title=title, base_number=stale.base_number,
        comparison=revisions.compare(theirs, stale.submitted_source),
    ), 409
