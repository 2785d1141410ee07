"""Briefing packs: which participants have one, when it is due again, and building it.

A pack is never built while a page loads: changes only mark packs due (``mark_workshop``,
in the changing request's transaction), and the worker builds them (``commands.build_due_packs``,
a long job of ``flask worker``, one pack per round after the mail). ``build_briefing_pack(registration_id)`` is the one function a
worker calls for one pack, whatever runs it; it flushes and leaves the commit to its caller.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from sqlalchemy.orm import undefer

from workshop.agenda import service as agenda
from workshop.agenda.forms import KIND_LABELS
from workshop.briefing.models import BriefingPack
from workshop.documents import service as documents
from workshop.platform.db import db
from workshop.platform.i18n import in_language
from workshop.platform.pdf import render_pdf
from workshop.platform.types import utcnow
from workshop.platform.urls import absolute_url
from workshop.registration.models import Registration, State

logger = logging.getLogger("workshop.briefing")

PDF = "application/pdf"


# Reading ----------------------------------------------------------------------------------------


def pack_of(registration, *, with_content: bool = False) -> BriefingPack | None:
    query = sa.select(BriefingPack).where(BriefingPack.registration_id == registration.id)
    if with_content:
        query = query.options(undefer(BriefingPack.content))
    return db.session.scalar(query)


def filename_for(registration) -> str:
    return f"{registration.workshop.slug}-briefing-pack.pdf"


# Marking packs due (reactions, in the changing transaction) ------------------------------------


def registration_changed(registration, from_state, to_state) -> None:
    """A seat taken wants a pack; a seat given up (withdrawn, rejected) takes it away."""
    if to_state == State.CONFIRMED and registration.purged_at is None:
        # A registration made just now (no old state) has no pack yet: no need to look.
        pack = pack_of(registration) if from_state is not None else None
        if pack is None:
            db.session.add(BriefingPack(registration_id=registration.id, workshop_id=registration.workshop_id))
        else:
            _raise_wanted(BriefingPack.id == pack.id)
    elif from_state == State.CONFIRMED and to_state != State.CONFIRMED:
        db.session.execute(sa.delete(BriefingPack).where(BriefingPack.registration_id == registration.id)
                           .execution_options(synchronize_session="fetch"))
    db.session.flush()


def purge_pack(*, registration, **_details) -> None:
    """The retention purge: the pack bears the participant's name on its cover and in the
    margins of confidential papers, so it goes with their other personal data."""
    db.session.execute(sa.delete(BriefingPack).where(BriefingPack.registration_id == registration.id)
                       .execution_options(synchronize_session="fetch"))
    db.session.flush()


def mark_workshop(*, workshop=None, workshop_id=None, item=None, withdrawn: bool = False, **_details) -> None:
    """Something every pack of the workshop shows changed (a document, the agenda, its dates):
    each is due again. Reacts to the documents', agenda's and workshop's announcements.

    ``withdrawn``: a paper was removed, kept for the team alone or marked confidential. A
    participant otherwise keeps the previous pack until the new one is built, and that one
    still holds the paper as it was (for as long as no worker runs, for good): the stored
    files go at once, and their page says "being prepared" until the worker builds anew."""
    if workshop_id is None:
        workshop_id = item.workshop_id if item is not None else getattr(workshop, "id", workshop)
    _raise_wanted(BriefingPack.workshop_id == workshop_id)
    if withdrawn:
        db.session.execute(sa.update(BriefingPack).where(BriefingPack.workshop_id == workshop_id)
                           .values(content=None, size=0, pages=0, built_at=None)
                           .execution_options(synchronize_session=False))


def _raise_wanted(condition) -> None:
    # In SQL, not in Python: a build storing its result at the same time keeps this raise.
    db.session.execute(sa.update(BriefingPack).where(condition).values(wanted=BriefingPack.wanted + 1)
                       .execution_options(synchronize_session=False))


# Building ---------------------------------------------------------------------------------------


def in_agenda_order(workshop, items, papers) -> list[tuple[object | None, object]]:
    """``(session or None, document)``: the workshop's own papers first, then each session's
    in the order of the agenda; papers of a session no longer on it last."""
    position = {item.id: index for index, item in enumerate(items)}
    by_id = {item.id: item for item in items}
    ordered = sorted(enumerate(papers), key=lambda pair: (
        -1 if pair[1].agenda_item_id is None else position.get(pair[1].agenda_item_id, len(items)), pair[0]))
    return [(by_id.get(paper.agenda_item_id, paper.agenda_item), paper) for _, paper in ordered]


def _margin_maker(registration):
    text = _("Confidential · prepared for %(name)s · please do not pass on", name=registration.name)

    def margin(width: float, height: float) -> bytes:
        return render_pdf(render_template("pdf/briefing_margin.html", width=width, height=height, text=text))

    return margin


def render_pack(registration) -> tuple[bytes, int]:
    """The pack's bytes and page count, in the current language (the caller chooses it)."""
    # pypdf (and the fontTools it pulls in, ~8 MiB) only in the process that builds packs, the
    # mail worker: every web worker imports this module, none of them builds a pack.
    from workshop.briefing import assemble

    workshop = registration.workshop
    items = agenda.items_for(workshop, include_cancelled=False)
    listed = in_agenda_order(workshop, items, documents.documents_for(workshop, "participants"))
    papers = [(item, paper) for item, paper in listed if paper.mimetype == PDF]
    ready, left_out = assemble.prepare(
        [assemble.Part(title=paper.title, pdf=paper.content, confidential=paper.confidential,
                       section=item.title if item is not None else None) for item, paper in papers],
        _margin_maker(registration))
    cover = render_pdf(render_template(
        "pdf/briefing_cover.html", workshop=workshop, registration=registration, built_at=utcnow(),
        ready=ready, left_out=[part.title for part in left_out],
        other_files=[(item, paper) for item, paper in listed if paper.mimetype != PDF],
        page_url=absolute_url("workshops.show", slug=workshop.slug)))
    agenda_pdf = render_pdf(render_template(
        "pdf/agenda.html", workshop=workshop, days=agenda.group_by_day(workshop, items),
        zone=ZoneInfo(workshop.timezone), kinds=KIND_LABELS,
        agenda_url=absolute_url("agenda.public_agenda", slug=workshop.slug)))
    return assemble.combine(cover=cover, agenda=agenda_pdf, ready=ready,
                            titles={"cover": _("Cover"), "agenda": _("Agenda")},
                            metadata_title=_("Briefing pack · %(title)s", title=workshop.title))


def build_briefing_pack(registration_id: int) -> BriefingPack | None:
    """Build and store one participant's pack (flushed; the caller commits). A registration
    that no longer holds a seat loses its pack instead. Returns the pack, or None."""
    registration = db.session.get(Registration, registration_id)
    pack = db.session.scalar(sa.select(BriefingPack).where(BriefingPack.registration_id == registration_id))
    if registration is None or registration.state != State.CONFIRMED or registration.purged_at is not None:
        if pack is not None:
            db.session.delete(pack)
            db.session.flush()
        return None
    if pack is None:
        pack = BriefingPack(registration_id=registration.id, workshop_id=registration.workshop_id)
        db.session.add(pack)
        db.session.flush()
    # What this build answers: read now, so a change made while it runs makes the pack due again.
    target = db.session.scalar(sa.select(BriefingPack.wanted).where(BriefingPack.id == pack.id))
    with in_language(registration.language):
        content, pages = render_pack(registration)
    pack.content, pack.size, pack.pages = content, len(content), pages
    pack.built, pack.built_at = target, utcnow()
    pack.name, pack.language = registration.name, registration.language
    pack.locked_until, pack.last_error = None, ""
    db.session.flush()
    logger.info("briefing pack %s built: %d pages, %d bytes", pack.id, pages, len(content))
    return pack


def current_pack(registration) -> BriefingPack | None:
    """The registrant's pack as it should be now, built first if it is not (only in the worker:
    a mail it writes attaches it). None when they hold no seat."""
    if registration.state != State.CONFIRMED or registration.purged_at is not None:
        return None
    pack = pack_of(registration, with_content=True)
    if pack is None or not pack.is_current_for(registration):
        pack = build_briefing_pack(registration.id)
    return pack
