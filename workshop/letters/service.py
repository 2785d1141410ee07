"""Letters organizers edit: the text of seven kinds of mail, per workshop and language.

A letter is unedited until an organizer saves a text for it; the mail then keeps its own
working parts (the personal link, the calendar invitation, the sign-off) and takes the edited
subject and opening from the latest version. The registration feature's mail renderers ask for
it where they write the message (``letter_for``, contributed as "letter"), so the edited text
is used wherever and whenever the message is written: in the request, or later by the worker.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from workshop.letters.models import LetterVersion
from workshop.messages import placeholders
from workshop.messages.service import check as messages_check
from workshop.people import honorifics
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import UserError
from workshop.platform.mail.models import OutboxMessage
from workshop.platform.templating import format_date_range, format_day
from workshop.platform.transaction import lock_workshop

INVITATION, CONFIRMATION, WAITLIST, PROMOTION = "invitation", "confirmation", "waitlist", "promotion"
REJECTION, REMINDER, CANCELLATION = "rejection", "reminder", "cancellation"
LABELS = {
    INVITATION: _l("Invitation"), CONFIRMATION: _l("Confirmation"), WAITLIST: _l("Waitlist"),
    PROMOTION: _l("Seat from the waitlist"), REJECTION: _l("Registration not accepted"),
    REMINDER: _l("Invitation reminder"), CANCELLATION: _l("Workshop cancelled"),
}
KINDS = tuple(LABELS)
NAMES = placeholders.NAMES + ("reply_by", "waitlist_place")


class LetterError(UserError):
    pass


def default_subject(kind: str) -> str:
    """The subject the mail has when nobody edited it, with the title as a placeholder."""
    title = "{workshop_title}"
    return {
        INVITATION: _("Invitation: %(title)s", title=title),
        CONFIRMATION: _("Registration confirmed: %(title)s", title=title),
        WAITLIST: _("You are on the waitlist: %(title)s", title=title),
        PROMOTION: _("A seat is yours: %(title)s", title=title),
        REJECTION: _("Your registration: %(title)s", title=title),
        REMINDER: _("Reminder: invitation to %(title)s", title=title),
        CANCELLATION: _("Cancelled: %(title)s", title=title),
    }[kind]


def default_body(kind: str) -> str:
    """The opening of the mail when nobody edited it, as Markdown with placeholders: the words
    the unedited mail says, in the current language."""
    title, dates = "{workshop_title}", "{dates}"
    opening = {
        INVITATION: _("You are invited to %(title)s, %(dates)s.", title=title, dates=dates),
        CONFIRMATION: _("Your registration for %(title)s, %(dates)s, is confirmed: a seat is reserved for you.",
                        title=title, dates=dates),
        WAITLIST: _("%(title)s is full, so you are on the waitlist, number %(n)s. When a seat frees up it goes to "
                    "the first person on the waitlist, and we will tell you by email.", title=title,
                    n="{waitlist_place}"),
        PROMOTION: _("Good news: a seat has become free at %(title)s, %(dates)s, and it is yours. Your registration "
                     "is now confirmed.", title=title, dates=dates),
        REJECTION: _("We are sorry: the organizers of %(title)s could not accept your registration.", title=title),
        REMINDER: _("A reminder: you are invited to %(title)s, %(dates)s, and we have not yet had your answer.",
                    title=title, dates=dates),
        CANCELLATION: _("We are sorry to tell you that %(title)s (%(dates)s) has been cancelled.",
                        title=title, dates=dates),
    }[kind]
    return "{salutation}\n\n" + opening


def check(subject: str, body: str) -> dict[str, LetterError]:
    """Field errors before anything is saved: the composed messages' check, with these placeholders."""
    return messages_check(subject, body, NAMES, LetterError)


# Versions --------------------------------------------------------------------------------------


def versions(workshop, kind: str, language: str) -> list[LetterVersion]:
    """Newest first."""
    return list(db.session.scalars(sa.select(LetterVersion).where(
        LetterVersion.workshop_id == workshop.id, LetterVersion.kind == kind, LetterVersion.language == language)
        .order_by(LetterVersion.number.desc())))


def current(workshop_id: int, kind: str, language: str) -> LetterVersion | None:
    """The edited text in use, or None: the default goes out."""
    latest = db.session.scalar(sa.select(LetterVersion).where(
        LetterVersion.workshop_id == workshop_id, LetterVersion.kind == kind, LetterVersion.language == language)
        .order_by(LetterVersion.number.desc()).limit(1))
    return None if latest is None or latest.is_default else latest


def version(workshop, kind: str, language: str, number: int) -> LetterVersion | None:
    return db.session.scalar(sa.select(LetterVersion).where(
        LetterVersion.workshop_id == workshop.id, LetterVersion.kind == kind, LetterVersion.language == language,
        LetterVersion.number == number))


def _add_version(workshop, kind: str, language: str, by, **fields) -> LetterVersion:
    # Under the workshop's lock: two organizers saving at once get numbers one after the other.
    lock_workshop(workshop.id)
    last = db.session.scalar(sa.select(sa.func.max(LetterVersion.number)).where(
        LetterVersion.workshop_id == workshop.id, LetterVersion.kind == kind, LetterVersion.language == language))
    row = LetterVersion(workshop_id=workshop.id, kind=kind, language=language, number=(last or 0) + 1,
                        created_by_id=getattr(by, "id", None), created_by_name=getattr(by, "name", "") or "",
                        **fields)
    db.session.add(row)
    db.session.flush()
    return row


def save(workshop, kind: str, language: str, *, subject: str, body: str, signatory_name: str = "",
         signatory_title: str = "", reply_by: date | None = None, by=None) -> LetterVersion:
    errors = check(subject, body)
    if errors:
        raise next(iter(errors.values()))
    row = _add_version(workshop, kind, language, by, subject=subject, body=body, signatory_name=signatory_name,
                       signatory_title=signatory_title, reply_by=reply_by)
    audit.record("letter.edited", workshop=workshop, title=str(LABELS[kind]), language=language,
                 revision=row.number)
    return row


def reset(workshop, kind: str, language: str, by=None) -> LetterVersion | None:
    """Back to the default text; None when it was in use already (nothing to record)."""
    if current(workshop.id, kind, language) is None:
        return None
    row = _add_version(workshop, kind, language, by, is_default=True)
    audit.record("letter.reset", workshop=workshop, title=str(LABELS[kind]), language=language,
                 revision=row.number)
    return row


def sent_with(row: LetterVersion, limit: int = 200) -> tuple[int, list]:
    """How many messages were written from this version, and the latest of them (whom, when)."""
    query = sa.select(OutboxMessage).where(OutboxMessage.letter_version_id == row.id)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    latest = db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return count, latest


# Writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenLetter:
    """An edited letter for one person: what the mail templates put in place of their opening."""

    subject: str
    text: str
    html: Markup
    version_id: int | None


def values(workshop, person: dict, row) -> dict:
    """The placeholders' values for ``person`` (name, position, honorific, link, waitlist_place)."""
    name = person.get("name") or ""
    return {
        "first_name": placeholders.first_name(name), "full_name": name,
        "self_service_link": person.get("link") or "", "workshop_title": workshop.title,
        "dates": format_date_range(workshop.start_date, workshop.end_date),
        "venue": ", ".join(part for part in (workshop.venue, workshop.city) if part),
        "salutation": honorifics.salutation(name, person.get("position") or "", person.get("honorific") or ""),
        "reply_by": format_day(row.reply_by) if row.reply_by else "",
        "waitlist_place": str(person.get("waitlist_place") or ""),
    }


def write(workshop, row, person: dict) -> WrittenLetter:
    """``row`` (a version, or an unsaved one for a preview) as ``person`` reads it, in the
    current language; the signatory closes the text."""
    # Written for one person after another with the same version (bulk invitations, reminders):
    # the Markdown is rendered once per version and language, each person filled in.
    subject, text, html = placeholders.render_one_of_many(row.subject, row.body, values(workshop, person, row))
    signature = [part for part in (row.signatory_name, row.signatory_title) if part]
    if signature:
        text = text.rstrip() + "\n\n" + "\n".join(signature)
        html = Markup(html) + Markup("<p>%s</p>") % Markup("<br>").join(escape(part) for part in signature)
    return WrittenLetter(subject, text.rstrip(), Markup(html), getattr(row, "id", None))


def letter_for(kind: str, workshop, language: str, person: dict, pinned="current") -> WrittenLetter | None:
    """What the mail renderers ask (contributed as "letter"): the edited letter for ``person``,
    or None when the default text goes out. Called inside the reader's language.

    ``pinned``: the id of the version that was in force when the message was decided (None: the
    default), for a message the mail worker writes later; an organizer who edits or resets the
    letter meanwhile does not change what that person is sent."""
    if pinned == "current":
        row = current(workshop.id, kind, language)
    else:
        row = db.session.get(LetterVersion, pinned) if pinned else None
        if row is not None and (row.is_default or row.workshop_id != workshop.id):
            row = None
    return write(workshop, row, person) if row is not None else None


def version_in_force(kind: str, workshop, language: str) -> int | None:
    """Contributed as "letter version": the id of the edited version in use, or None.

    Asked for every registration, under the workshop lock: two columns of the newest row, not
    the letter's text."""
    latest = db.session.execute(_NEWEST_VERSION, {"workshop_id": workshop.id, "kind": kind,
                                                  "language": language}).first()
    return None if latest is None or latest.is_default else latest.id


_NEWEST_VERSION = (  # built once: see version_in_force
    sa.select(LetterVersion.id, LetterVersion.is_default)
    .where(LetterVersion.workshop_id == sa.bindparam("workshop_id"), LetterVersion.kind == sa.bindparam("kind"),
           LetterVersion.language == sa.bindparam("language"))
    .order_by(LetterVersion.number.desc()).limit(1))


def sample_person(kind: str) -> dict:
    """Who a preview is written for: an ambassador, so the formal parts show."""
    return {"name": "Ama Mensah", "position": "Ambassador", "honorific": honorifics.AMBASSADOR,
            "link": "https://example.org/preview-only-link", "waitlist_place": 3}
