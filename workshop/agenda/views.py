"""Agenda pages: the public agenda (HTML, JSON, PDF) and the organizer's agenda screens."""

from zoneinfo import ZoneInfo

from flask import (Blueprint, abort, current_app, flash, jsonify, make_response, redirect,
                   render_template, request, url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workshop.platform import public_cache, registry, stored_pdfs, templating
from workshop.agenda import service
from workshop.agenda.export import agenda_document
from workshop.agenda.forms import KIND_LABELS, AgendaItemForm, ItemStatusForm, ItemTimesForm
from workshop.agenda.models import ItemStatus
from workshop.agenda.rules import ClashKind
from workshop.platform.built_once import conditional, rows_key
from workshop.platform.db import db
from workshop.platform.i18n import in_language
from workshop.calendar.ics import settings_from_app
from workshop.platform.urls import absolute_url, webcal_url
from workshop.platform.pdf import render_pdf
from workshop.platform.times import to_local
from workshop.workshops.access import load_for, load_public
from workshop.workshops.models import Workshop

bp = Blueprint("agenda", __name__)


def feed_links(workshop) -> dict:
    https = absolute_url("calendar.feed", slug=workshop.slug)
    return {"https": https, "webcal": webcal_url(https)}


# Public -----------------------------------------------------------------------------------------


@bp.get("/w/<slug>/agenda")
@public_cache.cached("agenda page", personal=True)
def public_agenda(slug: str):
    workshop = load_public(slug, preview=True)
    items = service.public_items(workshop)
    return conditional(make_response(render_template(
        "agenda/public.html", workshop=workshop, days=service.group_by_day(workshop, items),
        # Downloads only when there is something in them, and only once the files are public.
        scheduled=workshop.is_public and any(item.status == ItemStatus.SCHEDULED for item in items),
        zone=ZoneInfo(workshop.timezone), kinds=KIND_LABELS, feed=feed_links(workshop),
        has_own_rules=any(item.rule != workshop.attribution_rule for item in items),
        # What later features show beside each session (None: the workshop as a whole).
        item_extras=registry.contributions_by_key("agenda items", workshop))))


@bp.get("/w/<slug>/agenda.json")
@public_cache.cached("agenda.json")
def agenda_json(slug: str):
    workshop = load_public(slug)
    document = agenda_document(workshop, service.public_items(workshop), settings_from_app())
    contributed = registry.contributions_by_key("agenda.json", workshop)
    for entry in document["items"]:  # "*": what every item carries, even with nothing in it
        for part in contributed.get("*", ()):
            entry.update(part)
    for key, parts in contributed.items():
        target = document["workshop"] if key is None else next(
            (entry for entry in document["items"] if entry["id"] == key), None)
        for part in parts if target is not None and key != "*" else ():
            target.update(part)
    response = jsonify(document)
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/w/<slug>/agenda.pdf")
def agenda_pdf(slug: str):
    workshop = load_public(slug)
    language = str(get_locale())
    # What the PDF shows changes only with the workshop's public version (replaced with any
    # write to the workshop, its agenda items, their people), the language and the settings.
    # An empty version (reset by hand in SQL) falls back to the rows themselves.
    shown = workshop.public_version or rows_key(workshop, *service.public_items(workshop, include_cancelled=False))
    return stored_pdfs.serve(f"agenda:{workshop.id}:{language}",
                             stored_pdfs.version_of(shown, language, settings_from_app()),
                             "agenda", {"workshop_id": workshop.id, "language": language},
                             workshop_id=workshop.id, filename=f"{workshop.slug}-agenda.pdf")


def render_agenda_pdf(args: dict) -> bytes:
    """The public agenda as PDF, in the worker (``stored_pdfs``): a render costs about a second."""
    workshop = db.session.get(Workshop, args["workshop_id"])
    if workshop is None:
        raise LookupError("the workshop is gone")
    with in_language(args["language"]):
        items = service.public_items(workshop, include_cancelled=False)
        return render_pdf(render_template(
            "pdf/agenda.html", workshop=workshop, days=service.group_by_day(workshop, items),
            zone=ZoneInfo(workshop.timezone), kinds=KIND_LABELS,
            has_own_rules=any(item.rule != workshop.attribution_rule for item in items),
            agenda_url=absolute_url("agenda.public_agenda", slug=workshop.slug)))


# Organizer --------------------------------------------------------------------------------------


def _item_or_404(workshop, item_id: int):
    item = service.get_item(workshop, item_id)
    if item is None:
        abort(404)
    return item


def _warn_about_clashes(item) -> None:
    """Overlaps are allowed (a plenary may share a hall with its own breakout), but said."""
    zone = ZoneInfo(item.workshop.timezone)
    for clash in service.clashes_for(item):
        when = templating.format_when(clash.other.starts_at.astimezone(zone), short=True)
        if clash.kind == ClashKind.ROOM:
            message = _("Warning: %(room)s is also booked for “%(other)s” (%(when)s) at the same time.",
                        room=clash.detail, other=clash.other.title, when=when)
        else:
            message = _("Warning: %(person)s is also in “%(other)s” (%(when)s) at the same time.",
                        person=clash.detail, other=clash.other.title, when=when)
        flash(message, "warning")


def _say_who_hears(workshop, told: bool) -> None:
    """After a change on a published workshop: whether and when participants hear about it."""
    if workshop.status != "published":
        return
    if not told:
        flash(_("Participants were not told about this change."), "info")
        return
    minutes = round(current_app.config["AGENDA_NOTICE_DELAY_SECONDS"] / 60)
    if minutes:
        flash(_("Participants get one message about your changes once the agenda has been "
                "left alone for %(minutes)d minutes.", minutes=minutes), "info")
    else:
        flash(_("Participants get a message about your changes in a moment."), "info")


def _item_form(workshop, item=None) -> AgendaItemForm:
    form = AgendaItemForm(workshop=workshop, contacts=service.all_contacts(current_user),
                          rapporteurs=service.rapporteurs_of(workshop), obj=item)
    if item is not None and request.method == "GET":
        zone = ZoneInfo(workshop.timezone)
        form.starts_at.data = to_local(item.starts_at, zone)
        form.ends_at.data = to_local(item.ends_at, zone)
        form.chairs.data = [c.id for c in item.chairs]
        form.speakers.data = [c.id for c in item.speakers]
        form.rapporteurs.data = [u.id for u in item.rapporteurs]
    return form


def _item_fields(form: AgendaItemForm) -> dict:
    fields = form.time_fields()
    for name in ("kind", "title", "description", "guiding_questions", "attribution_rule", "online_link", "online_details"):
        fields[name] = getattr(form, name).data or ""
    chairs = service.contacts_by_ids(form.chairs.data, current_user)
    chairs += service.find_or_create_contacts(form.contact_pairs(form.new_chairs), by=current_user)
    speakers = service.contacts_by_ids(form.speakers.data, current_user)
    speakers += service.find_or_create_contacts(form.contact_pairs(form.new_speakers), by=current_user)
    chosen = set(form.rapporteurs.data or [])
    fields["chairs"], fields["speakers"] = chairs, speakers
    fields["rapporteurs"] = [u for u in service.rapporteurs_of(form.workshop) if u.id in chosen]
    return fields


@bp.get("/manage/w/<slug>/agenda")
@login_required
def manage(slug: str):
    workshop = load_for(slug)
    items = service.items_for(workshop)
    return render_template("agenda/manage.html", workshop=workshop,
                           days=service.group_by_day(workshop, items),
                           zone=ZoneInfo(workshop.timezone), kinds=KIND_LABELS)


@bp.route("/manage/w/<slug>/agenda/new", methods=["GET", "POST"])
@login_required
def new_item(slug: str):
    workshop = load_for(slug)
    form = _item_form(workshop)
    if form.validate_on_submit():
        told = form.tell_participants.data
        item = service.create_item(workshop, tell_participants=told, **_item_fields(form))
        flash(_("Added “%(title)s” to the agenda.", title=item.title), "success")
        _say_who_hears(workshop, told)
        _warn_about_clashes(item)
        if request.form.get("and_another"):  # a day's sessions are entered one after another
            return redirect(url_for("agenda.new_item", slug=slug))
        return redirect(url_for("agenda.manage", slug=slug))
    return render_template("agenda/item_form.html", workshop=workshop, form=form, item=None), 422 if form.errors else 200


@bp.route("/manage/w/<slug>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(slug: str, item_id: int):
    workshop = load_for(slug)
    item = _item_or_404(workshop, item_id)
    form = _item_form(workshop, item)
    if form.validate_on_submit():
        sequence = item.sequence
        told = form.tell_participants.data
        service.update_item(item, tell_participants=told, **_item_fields(form))
        flash(_("Changes to “%(title)s” saved.", title=item.title), "success")
        if item.sequence != sequence:  # only a new time, room or status is news
            _say_who_hears(workshop, told)
        _warn_about_clashes(item)
        return redirect(url_for("agenda.manage", slug=slug))
    return render_template("agenda/item_form.html", workshop=workshop, form=form, item=item), 422 if form.errors else 200


@bp.route("/manage/w/<slug>/agenda/<int:item_id>/move", methods=["GET", "POST"])
@login_required
def move_item(slug: str, item_id: int):
    workshop = load_for(slug)
    item = _item_or_404(workshop, item_id)
    form = ItemTimesForm(workshop=workshop, obj=item)
    if request.method == "GET":
        zone = ZoneInfo(workshop.timezone)
        form.starts_at.data = to_local(item.starts_at, zone)
        form.ends_at.data = to_local(item.ends_at, zone)
    if form.validate_on_submit():
        sequence = item.sequence
        told = form.tell_participants.data
        service.update_item(item, tell_participants=told, **form.time_fields())
        flash(_("“%(title)s” moved.", title=item.title), "success")
        if item.sequence != sequence:
            _say_who_hears(workshop, told)
        _warn_about_clashes(item)
        return redirect(url_for("agenda.manage", slug=slug))
    return render_template("agenda/move_form.html", workshop=workshop, form=form, item=item), 422 if form.errors else 200


@bp.route("/manage/w/<slug>/agenda/<int:item_id>/<any(cancel, reinstate):action>", methods=["GET", "POST"])
@login_required
def change_item_status(slug: str, item_id: int, action: str):
    """GET asks for confirmation (and whether to tell participants); POST does it."""
    workshop = load_for(slug)
    item = _item_or_404(workshop, item_id)
    form = ItemStatusForm(workshop=workshop)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        told = form.tell_participants.data
        if action == "cancel":
            was_scheduled = item.status == "scheduled"
            service.cancel_item(item, tell_participants=told)
            flash(_("“%(title)s” is cancelled. It stays on the agenda, marked cancelled, and leaves the calendar feed.", title=item.title), "success")
        else:
            was_scheduled = item.status == "scheduled"
            service.reinstate_item(item, tell_participants=told)
            flash(_("“%(title)s” is back on the agenda.", title=item.title), "success")
            _warn_about_clashes(item)
        if was_scheduled != (item.status == "scheduled"):
            _say_who_hears(workshop, told)
        return redirect(url_for("agenda.manage", slug=slug))
    zone = ZoneInfo(workshop.timezone)
    return render_template("agenda/status_confirm.html", workshop=workshop, item=item, form=form,
                           action=action, zone=zone)


def public_link(workshop):
    return _l("Agenda"), url_for("agenda.public_agenda", slug=workshop.slug)


def manage_link(workshop):
    return _l("Agenda"), url_for("agenda.manage", slug=workshop.slug)
