"""Operations on the takeaways memo: the only place memos and their published versions change."""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from workshop.platform import audit, registry
from workshop.platform.events import announce
from workshop.agenda.models import AgendaItem
from workshop.platform.collections import add_once
from workshop.platform.db import db
from workshop.memos import attribution, check_words
from workshop.memos.attribution import COUNTRY, ORGANIZATION, PERSON, POSITION, Candidate
from workshop.memos import participation
from workshop.memos.compile import SessionNotes, append_sessions, compile_memo, insert_in_context
from workshop.memos.models import Memo, MemoState, MemoVersion
# What the public reads lives in its own module; callers find it here too.
from workshop.memos.published import (  # noqa: F401
    has_published_version, other_languages, published_pdf, published_version)
from workshop.platform import revisions
from workshop.registration.models import Registration
from workshop.notes import service as notes
from workshop.questions import service as questions
from workshop.platform.types import utcnow
from workshop.workshops.attribution_rules import AttributionRule, strictest
from workshop.workshops.models import Role
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import LANGUAGES, in_language, known, offered

INACTIVE_REGISTRATION_STATES = {"withdrawn", "cancelled", "declined", "rejected"}


class MemoError(UserError):
    """An operation the memo's state does not allow; the message is for the user."""


class AttributionUnresolved(MemoError):
    def __init__(self, names: list[str]):
        super().__init__(N_("The memo still names people or organizations that were not accepted."))
        self.names = names


def memo_title(workshop, language: str = "en") -> str:
    """'<theme> | Discussion Takeaways', in the memo's language (not the reader's)."""
    with in_language(language):
        return _("%(theme)s | Discussion Takeaways", theme=workshop.theme or workshop.title)


def default_disclaimer(language: str = "en") -> str:
    with in_language(language):
        return _("This memo is the rapporteur's summary of the discussion. It has not been reviewed or "
                 "endorsed by the participants, and it does not necessarily reflect the views of any of them "
                 "or of their governments and institutions. The discussion was held under the Chatham House "
                 "Rule: observations are reported without attribution.")


def get_memo(workshop) -> Memo | None:
    """The workshop's memo: its first original (the others translate it, or stand apart)."""
    return db.session.scalar(
        sa.select(Memo).where(Memo.workshop_id == workshop.id, Memo.translation_of_id.is_(None))
        .order_by(Memo.id).limit(1))


def memo_in(workshop, language: str) -> Memo | None:
    return db.session.scalar(sa.select(Memo).where(Memo.workshop_id == workshop.id, Memo.language == language))


def memos_of(workshop) -> list[Memo]:
    """Every memo of the workshop, the first original first, then by language in the site's order."""
    rows = db.session.scalars(sa.select(Memo).where(Memo.workshop_id == workshop.id).order_by(Memo.id)).all()
    first = get_memo(workshop)
    order = list(LANGUAGES)
    return sorted(rows, key=lambda m: (m is not first, order.index(m.language) if m.language in order else 99))


def _new_memo(workshop, language: str, **fields) -> Memo:
    fields = {"credit": "", **fields}
    memo = Memo(workshop_id=workshop.id, language=language, state=MemoState.DRAFT, accepted_names=[],
                revisions=[], versions=[], disclaimer=default_disclaimer(language), **fields)
    memo.workshop = workshop
    return memo


def memo_for(workshop, *, create: bool = True) -> Memo:
    """The workshop's memo, in its default language when new. A missing one is made when
    ``create``; else an unsaved empty memo (with the default disclaimer) is returned, so that
    merely viewing writes nothing."""
    memo = get_memo(workshop)
    if memo is not None:
        return memo
    memo = _new_memo(workshop, known(workshop.default_language) or "en")
    if not create:
        return memo
    return add_once(memo, lambda: get_memo(workshop))


def untranslated_languages(memo: Memo) -> list[str]:
    """The languages the workshop offers that none of its memos is written in."""
    taken = {m.language for m in memos_of(memo.workshop)} | {memo.language}
    return [code for code in offered(memo.workshop) if code not in taken]


def add_translation(original: Memo, language: str, author=None) -> Memo:
    """A new memo translating ``original`` into ``language``, empty, in draft. Raises MemoError
    when the workshop does not offer the language or already has a memo in it."""
    workshop = original.workshop
    _check_language(workshop, language, None)
    root = original.translation_of or original
    memo = _new_memo(workshop, language, translation_of_id=root.id, credit=rapporteur_credit(workshop, language))
    db.session.add(memo)
    db.session.flush()
    audit.record("memo.translation_added", workshop=workshop.id, actor=author, target=memo,
                 language=language, translation_of=root.id)
    return memo


def _check_language(workshop, language: str, memo: Memo | None) -> None:
    if known(language) != language or language not in offered(workshop):
        raise MemoError(N_("The workshop does not offer this language. Choose one of its languages."))
    other = memo_in(workshop, language)
    if other is not None and other is not memo:
        raise MemoError(N_("The workshop already has a memo in %(language)s."), language=LANGUAGES[language])


def _check_translation_of(memo: Memo, original: Memo | None) -> None:
    if original is None:
        return
    if original.workshop_id != memo.workshop_id or original.id == memo.id:
        raise MemoError(N_("A memo can only translate another memo of the same workshop."))
    if original.translation_of_id is not None:
        raise MemoError(N_("Choose the original memo: that one is itself a translation."))
    has_translations = db.session.scalar(
        sa.select(sa.func.count(Memo.id)).where(Memo.translation_of_id == memo.id)) if memo.id else 0
    if has_translations:
        raise MemoError(N_("Other memos translate this one, so it cannot itself be a translation."))


def rapporteur_credit(workshop, language: str = "en") -> str:
    names = sorted(m.user.name for m in workshop.members if m.role == Role.RAPPORTEUR)
    if not names:
        return ""
    with in_language(language):
        joined = _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1]) \
            if len(names) > 1 else names[0]
        return _("Rapporteur: %(names)s.", names=joined)


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
        memo.credit = rapporteur_credit(workshop, memo.language)
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


_KEEP = object()


def language_options(memo: Memo) -> tuple[list[str], list[tuple[int, str]]]:
    """What the memo's settings offer: the languages it may take (offered by the workshop, not
    another memo's), and (id, language) of the originals it may translate."""
    others = [m for m in memos_of(memo.workshop) if m.id != memo.id]
    taken = {m.language for m in others}
    languages = [code for code in offered(memo.workshop) if code not in taken]
    if memo.language not in languages:  # a language the workshop no longer offers stays shown
        languages.insert(0, memo.language)
    return languages, [(m.id, m.language) for m in others if m.translation_of_id is None]


def update_front_matter(memo: Memo, *, disclaimer: str, credit: str, dated: date | None,
                        language: str | None = None, translation_of_id=_KEEP) -> None:
    """``language`` (None: unchanged) must be offered by the workshop and no other memo's;
    ``translation_of_id`` is the original memo this one translates, or None for an original."""
    _editable(memo)
    if language is not None and language != memo.language:
        _check_language(memo.workshop, language, memo)
        memo.language = language
    if translation_of_id is not _KEEP and translation_of_id != memo.translation_of_id:
        original = db.session.get(Memo, translation_of_id) if translation_of_id is not None else None
        if translation_of_id is not None and original is None:
            raise MemoError(N_("A memo can only translate another memo of the same workshop."))
        _check_translation_of(memo, original)
        memo.translation_of_id = translation_of_id
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
                                  check_words.agenda_source(str(link.role), item.title))
    return candidates


def _registered_participants(workshop) -> list[Candidate]:
    rows = db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop.id))
    candidates = []
    for registration in rows:
        if str(registration.state) in INACTIVE_REGISTRATION_STATES:
            continue
        candidates += _person(registration.name, registration.organization, registration.country,
                              registration.position, check_words.REGISTERED)
    return candidates


def _confidential_answers(workshop) -> list[Candidate]:
    """What participants told the organizers in confidence (sensitive answers) is personal
    data: a memo that repeats it is flagged like a name."""
    return [Candidate(text, attribution.PERSONAL_DATA, "confidential answer")
            for text in questions.sensitive_texts(workshop)]


def attribution_candidates(workshop) -> list[Candidate]:
    """Everyone the memo must not name or point at: chairs and speakers (the workshop's contacts
    on its agenda) and registered participants, with their organizations, countries and
    positions; and what participants said in confidential answers."""
    return _agenda_people(workshop) + _registered_participants(workshop) + _confidential_answers(workshop)


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
    announce("memo.state_changed", memo=memo, to_state=state)


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
    # Later features may hold the approval back (a participants' review still running).
    for message, params in registry.contributions("memo approval", memo):
        raise MemoError(message, **params)
    hits = attribution_hits(memo)
    missing = unresolved_names(memo, hits, accepted)
    if missing and check_required(memo):
        raise AttributionUnresolved(missing)
    named = {hit.name for hit in hits}
    memo.accepted_names = sorted(named & (set(memo.accepted_names or []) | set(accepted)))
    memo.accepted_reasons = {name: reason for name, reason in (memo.accepted_reasons or {}).items()
                             if name in memo.accepted_names} or None
    _set_state(memo, MemoState.APPROVED)
    db.session.flush()


def reopen(memo: Memo) -> None:
    if memo.state not in (MemoState.IN_REVIEW, MemoState.APPROVED):
        raise MemoError(N_("Only a memo in review or approved can be sent back to draft."))
    _set_state(memo, MemoState.DRAFT)
    db.session.flush()


def publish(memo: Memo, user, *, today: date | None = None) -> MemoVersion:
    """Freeze the approved memo as the next numbered version; its PDF is rendered once and
    stored, by the mail worker when this is a web request (``memos.rendering``)."""
    from workshop.memos import rendering

    if memo.state != MemoState.APPROVED:
        raise MemoError(N_("Only an approved memo can be published."))
    workshop = memo.workshop
    dated = memo.dated or today or date.today()
    head = memo.current
    version = MemoVersion(
        memo_id=memo.id,
        number=len(memo.versions) + 1,
        revision_number=head.number,
        title=memo_title(workshop, memo.language),
        dated=dated,
        source=head.source,
        html=head.html,
        disclaimer=memo.disclaimer,
        credit=memo.credit,
        language=memo.language,
        published_at=utcnow(),
        published_by_id=getattr(user, "id", None),
    )
    memo.versions.append(version)
    _set_state(memo, MemoState.PUBLISHED)
    db.session.flush()
    if not rendering.render_in_worker():
        rendering.render_version(version)
    return version


def draft_pdf(memo: Memo, *, today: date | None = None) -> bytes:
    """The current text as PDF, marked DRAFT on every page; nothing is stored."""
    from workshop.memos.document import MemoDocument, render_memo_pdf

    workshop = memo.workshop
    head = memo.current
    with in_language(memo.language):
        document = MemoDocument.from_memo(
            workshop, memo_title(workshop, memo.language), head.source if head else "", head.html if head else "",
            memo.disclaimer, memo.credit, memo.dated or today or date.today(), draft=True, lang=memo.language,
        )
        return render_memo_pdf(document)
