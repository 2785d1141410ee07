"""Operations on the takeaways memo: the only place memos and their published versions change."""

import hashlib
from datetime import date

import sqlalchemy as sa

from workshop.platform import audit
from workshop.agenda.models import AgendaItem
from workshop.platform.collections import add_once
from workshop.platform.db import db
from workshop.memos import attribution
from workshop.memos.attribution import COUNTRY, ORGANIZATION, PERSON, POSITION, Candidate
from workshop.memos import participation
from workshop.memos.compile import SessionNotes, append_sessions, compile_memo, insert_in_context
from workshop.memos.models import DEFAULT_DISCLAIMER, Memo, MemoState, MemoVersion
from workshop.platform import revisions
from workshop.registration.models import Registration
from workshop.notes import service as notes
from workshop.platform.types import utcnow
from workshop.workshops.attribution_rules import AttributionRule, strictest
from workshop.workshops.models import PUBLIC_STATUSES, Role, Workshop
from workshop.platform.errors import N_, UserError

INACTIVE_REGISTRATION_STATES = {"withdrawn", "cancelled", "declined", "rejected"}


class MemoError(UserError):
    """An operation the memo's state does not allow; the message is for the user."""


class AttributionUnresolved(MemoError):
    def __init__(self, names: list[str]):
        super().__init__(N_("The memo still names people or organizations that were not accepted."))
        self.names = names


def memo_title(workshop) -> str:
    return f"{workshop.theme or workshop.title} | Discussion Takeaways"


def get_memo(workshop) -> Memo | None:
    return db.session.scalar(sa.select(Memo).where(Memo.workshop_id == workshop.id))


def memo_for(workshop, *, create: bool = True) -> Memo:
    """The workshop's memo. A missing one is made when ``create``; else an unsaved empty memo
    (with the default disclaimer) is returned, so that merely viewing writes nothing."""
    memo = get_memo(workshop)
    if memo is not None:
        return memo
    memo = Memo(workshop_id=workshop.id, state=MemoState.DRAFT, accepted_names=[], revisions=[],
                versions=[], disclaimer=DEFAULT_DISCLAIMER, credit="")
    memo.workshop = workshop
    if not create:
        return memo
    return add_once(memo, lambda: get_memo(workshop))


def rapporteur_credit(workshop) -> str:
    names = sorted(m.user.name for m in workshop.members if m.role == Role.RAPPORTEUR)
    if not names:
        return ""
    return "Rapporteur: " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]) + "."


def published_version(workshop, *, with_pdf: bool = False) -> MemoVersion | None:
    query = (
        sa.select(MemoVersion).join(Memo).where(Memo.workshop_id == workshop.id)
        .order_by(MemoVersion.number.desc()).limit(1)
    )
    if with_pdf:
        query = query.options(sa.orm.undefer(MemoVersion.pdf))
    return db.session.scalar(query)


_ANY_VERSION = (
    sa.select(MemoVersion.id).join(Memo).where(Memo.workshop_id == sa.bindparam("workshop_id")).limit(1)
)


def has_published_version(workshop) -> bool:
    """For the workshop page's button: an id, not the version's text."""
    return db.session.scalar(_ANY_VERSION, {"workshop_id": workshop.id}) is not None


def _published_pdf_query(with_bytes: bool):
    pdf = MemoVersion.pdf if with_bytes else sa.null().label("pdf")
    return (
        sa.select(MemoVersion.id, MemoVersion.pdf_sha256, pdf)
        .join(Memo, Memo.id == MemoVersion.memo_id)
        .join(Workshop, Workshop.id == Memo.workshop_id)
        .where(Workshop.slug == sa.bindparam("slug"),
               Workshop.status.in_(PUBLIC_STATUSES))
        .order_by(MemoVersion.number.desc()).limit(1)
    )


# Built once: constructing a select costs more than running this one.
_PUBLISHED_PDF = {True: _published_pdf_query(True), False: _published_pdf_query(False)}


def published_pdf(slug: str, *, with_bytes: bool = True):
    """(id, pdf_sha256, pdf) of the newest published memo of a public workshop, or None, in one
    query. ``with_bytes=False`` leaves the PDF out (pdf is None): enough to answer a download's
    If-None-Match, since a published version never changes and its digest is its ETag."""
    return db.session.execute(_PUBLISHED_PDF[with_bytes], {"slug": slug}).first()


# Writing ------------------------------------------------------------------------------------


def _editable(memo: Memo) -> None:
    if memo.is_locked:
        raise MemoError(N_("The memo is approved and locked. An organizer can reopen it for edits."))


def _after_edit(memo: Memo) -> None:
    # Editing a published memo starts the next draft; the published version stays as it is.
    if memo.state == MemoState.PUBLISHED:
        _set_state(memo, MemoState.DRAFT)


def save(memo: Memo, source: str, author, base_number: int | None):
    """Raises MemoError (locked), revisions.StaleRevision or revisions.TooLarge."""
    _editable(memo)
    revision = revisions.save_text(memo, source, author, base_number)
    _after_edit(memo)
    db.session.flush()
    return revision


def participation_paragraph(workshop) -> str:
    """Who took part, in counts, in the workshop's language; empty when nobody is confirmed."""
    return participation.paragraph(participation.participation(workshop), workshop.default_language)


def save_with_participation(memo: Memo, source: str, author, base_number: int | None):
    """Save what was typed, with the participation paragraph drafted from the registrations at
    the end of its Context (an editable block of text from then on)."""
    return save(memo, insert_in_context(source, participation_paragraph(memo.workshop)), author, base_number)


def restore(memo: Memo, number: int, author):
    _editable(memo)
    revision = revisions.restore(memo, number, author)
    _after_edit(memo)
    audit.record("memo.restored", workshop=memo.workshop_id, actor=author, target=memo, from_revision=number)
    db.session.flush()
    return revision


class EditedSinceCompile(MemoError):
    """Compiling would replace text written since the last compile: show it and ask first."""

    def __init__(self):
        super().__init__(N_("The memo was edited since it was last compiled. Look at what compiling would replace, then confirm."))


def compiled_source(memo: Memo) -> str:
    """The text a compile from the approved notes would produce now; nothing is saved."""
    workshop = memo.workshop
    sessions = [SessionNotes(item.title, note.current.source) for item, note in notes.approved_notes(workshop)]
    return compile_memo(workshop.description, sessions)


def notes_since_compile(memo: Memo) -> list:
    """Approved notes the last compile did not take in, in agenda order: (agenda item, note).
    Empty when the memo was never compiled: then there is nothing to add to."""
    if memo.compiled_note_ids is None:
        return []
    taken = set(memo.compiled_note_ids)
    return [(item, note) for item, note in notes.approved_notes(memo.workshop) if note.id not in taken]


def _remember_compile(memo: Memo, revision, note_ids, *, produced: bool) -> None:
    memo.compiled_at = utcnow()
    memo.compiled_note_ids = sorted(set(memo.compiled_note_ids or []) | set(note_ids))
    if produced:
        memo.compiled_revision_number = revision.number


def compile_from_notes(memo: Memo, author, *, replacing: int | None = None):
    """A new revision built from the approved notes, in agenda order (history keeps the old).

    Text edited since the last compile is replaced only when ``replacing`` names the current
    revision, i.e. the writer has seen what goes; otherwise EditedSinceCompile."""
    _editable(memo)
    workshop = memo.workshop
    head = memo.current
    if memo.edited_since_compile and replacing != head.number:
        raise EditedSinceCompile()
    approved = notes.approved_notes(workshop)
    sessions = [SessionNotes(item.title, note.current.source) for item, note in approved]
    source = compile_memo(workshop.description, sessions)
    if not memo.credit:
        memo.credit = rapporteur_credit(workshop)
    revision = revisions.save_text(memo, source, author, head.number if head else None)
    memo.compiled_note_ids = []
    _remember_compile(memo, revision, [note.id for _, note in approved], produced=True)
    _after_edit(memo)
    audit.record("memo.compiled", workshop=memo.workshop_id, actor=author, target=memo,
                 revision=revision.number, sessions=len(sessions))
    db.session.flush()
    return revision


def add_notes_since_compile(memo: Memo, author, base_number: int | None):
    """Append the themes of the notes approved since the last compile to the current text,
    leaving every other line as it is. Raises MemoError when there are none, or
    revisions.StaleRevision when the text changed since ``base_number`` was read."""
    _editable(memo)
    new = notes_since_compile(memo)
    if not new:
        raise MemoError(N_("No notes were approved since the last compile."))
    head = memo.current
    was_edited = memo.edited_since_compile
    sessions = [SessionNotes(item.title, note.current.source) for item, note in new]
    source = append_sessions(head.source if head else "", sessions)
    revision = revisions.save_text(memo, source, author, base_number)
    # Text edited by hand before stays "edited": a later full compile still asks first.
    _remember_compile(memo, revision, [note.id for _, note in new], produced=not was_edited)
    _after_edit(memo)
    audit.record("memo.notes_added", workshop=memo.workshop_id, actor=author, target=memo,
                 revision=revision.number, sessions=len(sessions))
    db.session.flush()
    return revision


def update_front_matter(memo: Memo, *, disclaimer: str, credit: str, dated: date | None) -> None:
    _editable(memo)
    memo.disclaimer = disclaimer.strip()
    memo.credit = credit.strip()
    memo.dated = dated
    _after_edit(memo)
    audit.record("memo.settings_changed", workshop=memo.workshop_id, target=memo)
    db.session.flush()


# The non-attribution check ------------------------------------------------------------------


def _person(name, organization, country, position, source) -> list[Candidate]:
    """A person in the room as the check sees them: their name, and what points at them, i.e.
    their organization, the country they represent and their position."""
    found = [Candidate(name, PERSON, source)]
    if organization:
        found.append(Candidate(organization, ORGANIZATION, source))
    if country:
        found.append(Candidate(country, COUNTRY, source))
    if position:
        found.append(Candidate(position, POSITION, source))
    return found


def _agenda_people(workshop) -> list[Candidate]:
    items = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.workshop_id == workshop.id))
    candidates = []
    for item in items:
        for link in item.people:
            contact = link.contact
            candidates += _person(contact.name, contact.organization, contact.country, contact.position,
                                  f"{link.role}: {item.title}")
    return candidates


def _registered_participants(workshop) -> list[Candidate]:
    rows = db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop.id))
    candidates = []
    for registration in rows:
        if str(registration.state) in INACTIVE_REGISTRATION_STATES:
            continue
        candidates += _person(registration.name, registration.organization, registration.country,
                              registration.position, "registered participant")
    return candidates


def attribution_candidates(workshop) -> list[Candidate]:
    """Everyone the memo must not name or point at: chairs and speakers (the workshop's contacts
    on its agenda) and registered participants, with their organizations, countries and positions."""
    return _agenda_people(workshop) + _registered_participants(workshop)


def attribution_hits(memo: Memo, candidates: list[Candidate] | None = None) -> list[attribution.Hit]:
    if candidates is None:
        candidates = attribution_candidates(memo.workshop)
    texts = {"body": memo.current.source if memo.current else "", "disclaimer": memo.disclaimer,
             "credit": memo.credit}
    return attribution.find_attributions(texts, candidates)


def check_rule(memo: Memo) -> str:
    """The rule the non-attribution check applies: the strictest of the sessions the memo draws
    on (those with approved notes; a closed session's never enter it), else the workshop's."""
    workshop = memo.workshop
    return strictest([item.rule for item, _ in notes.approved_notes(workshop)], default=workshop.attribution_rule)


def check_required(memo: Memo) -> bool:
    """On the record, the check is offered but approval does not wait for it."""
    return check_rule(memo) != AttributionRule.ON_RECORD


def unresolved_names(memo: Memo, hits=None, accepted=()) -> list[str]:
    hits = attribution_hits(memo) if hits is None else hits
    ok = set(memo.accepted_names or []) | set(accepted)
    return sorted({hit.name for hit in hits} - ok)


# Workflow: draft -> in_review -> approved -> published ---------------------------------------


def _set_state(memo: Memo, state: str) -> None:
    audit.record("memo.state_changed", workshop=memo.workshop_id, target=memo,
                 from_state=memo.state, to_state=state)
    memo.state = state
    memo.state_changed_at = utcnow()


def submit_for_review(memo: Memo) -> None:
    if memo.state != MemoState.DRAFT:
        raise MemoError(N_("Only a draft can be sent for review."))
    if memo.current is None:
        raise MemoError(N_("Write the memo, or compile it from the notes, first."))
    _set_state(memo, MemoState.IN_REVIEW)
    db.session.flush()


def approve(memo: Memo, accepted: list[str] = ()) -> None:
    """Approval needs the non-attribution check clean, or every remaining name accepted, unless
    every session the memo draws on was on the record."""
    if memo.state != MemoState.IN_REVIEW:
        raise MemoError(N_("Only a memo in review can be approved."))
    hits = attribution_hits(memo)
    missing = unresolved_names(memo, hits, accepted)
    if missing and check_required(memo):
        raise AttributionUnresolved(missing)
    named = {hit.name for hit in hits}
    memo.accepted_names = sorted(named & (set(memo.accepted_names or []) | set(accepted)))
    _set_state(memo, MemoState.APPROVED)
    db.session.flush()


def reopen(memo: Memo) -> None:
    if memo.state not in (MemoState.IN_REVIEW, MemoState.APPROVED):
        raise MemoError(N_("Only a memo in review or approved can be sent back to draft."))
    _set_state(memo, MemoState.DRAFT)
    db.session.flush()


def publish(memo: Memo, user, *, today: date | None = None) -> MemoVersion:
    """Freeze the approved memo as the next numbered version, its PDF rendered once and stored."""
    from workshop.memos.document import MemoDocument, render_memo_pdf

    if memo.state != MemoState.APPROVED:
        raise MemoError(N_("Only an approved memo can be published."))
    workshop = memo.workshop
    dated = memo.dated or today or date.today()
    head = memo.current
    document = MemoDocument.from_memo(workshop, memo_title(workshop), head.source, head.html,
                                      memo.disclaimer, memo.credit, dated)
    pdf = render_memo_pdf(document)
    version = MemoVersion(
        memo_id=memo.id,
        number=len(memo.versions) + 1,
        revision_number=head.number,
        title=document.title,
        dated=dated,
        source=head.source,
        html=head.html,
        disclaimer=memo.disclaimer,
        credit=memo.credit,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        published_at=utcnow(),
        published_by_id=getattr(user, "id", None),
    )
    memo.versions.append(version)
    _set_state(memo, MemoState.PUBLISHED)
    db.session.flush()
    return version


def draft_pdf(memo: Memo, *, today: date | None = None) -> bytes:
    """The current text as PDF, marked DRAFT on every page; nothing is stored."""
    from workshop.memos.document import MemoDocument, render_memo_pdf

    workshop = memo.workshop
    head = memo.current
    document = MemoDocument.from_memo(
        workshop, memo_title(workshop), head.source if head else "", head.html if head else "",
        memo.disclaimer, memo.credit, memo.dated or today or date.today(), draft=True,
    )
    return render_memo_pdf(document)
