"""Messages organizers write to a chosen group of one workshop's people.

Sending stores the message, one row per recipient and one outbox row each, in the organizer's
request; the mail worker writes every message from those rows (``write_composed``), as it does
for bulk invitations, so a large group does not keep the request busy.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import escape

from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import in_language
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import Attachment, Letter, queue_mail, queue_many_later, render_parts
from workshop.platform.templating import format_date_range
from workshop.platform.transaction import lock_workshop
from workshop.platform.urls import absolute_url
from workshop.briefing import service as briefing
from workshop.messages import attachments, placeholders
from workshop.messages.models import ComposedMessage, MessageRecipient
from workshop.people import honorifics
from workshop.questions import service as questions
from workshop.registration.models import AccessToken, Invitation, InvitationState, Registration
from workshop.registration.notice_models import MailUnsubscribe
from workshop.registration.notify import invitation_language
from workshop.registration.tokens import hash_token, new_token
from workshop.registration.unsubscribe import email_digest, unsubscribe_url
from workshop.workshops.models import Workshop

MAX_BODY = 20_000
MAX_SUBJECT = 200
REGISTRANTS = "registrants"
INVITEES = "invitees"
# A link of the right shape that opens nothing: previews and tests must not hand out a real one.
PREVIEW_TOKEN = "preview-only-link"


class MessageError(UserError):
    pass


@dataclass(frozen=True)
class Audience:
    """Who a message goes to: registrants in some states (and a category, a country), or the
    invitees who have not answered."""

    kind: str = REGISTRANTS
    states: tuple[str, ...] = ()
    category_id: int | None = None
    country: str = ""
    # "<question id>:<answer>": only those who gave that answer to one of the workshop's questions.
    answer: str = ""


@dataclass
class Person:
    email: str
    name: str
    language: str
    registration: Registration | None = None
    invitation: Invitation | None = None
    key: tuple = field(default=())


def recipients(workshop, audience: Audience) -> list[Person]:
    """The people ``audience`` names today, in name order, each address once."""
    if audience.kind == INVITEES:
        rows = db.session.scalars(sa.select(Invitation).where(
            Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING,
            Invitation.purged_at.is_(None)).order_by(Invitation.name, Invitation.id))
        people = [Person(row.email, row.name, invitation_language(row), invitation=row,
                         key=("invitation", row.id)) for row in rows]
    else:
        query = sa.select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.purged_at.is_(None),
            Registration.state.in_(audience.states))
        if audience.category_id is not None:
            query = query.where(Registration.category_id == audience.category_id)
        if audience.country:
            query = query.where(Registration.country == audience.country)
        if audience.answer:
            head, _sep, value = audience.answer.partition(":")
            answering = questions.registrations_answering(workshop, int(head), value) if head.isdigit() else set()
            query = query.where(Registration.id.in_(answering or [-1]))
        rows = db.session.scalars(query.order_by(Registration.name, Registration.id))
        people = [Person(row.email, row.name, row.language, registration=row,
                         key=("registration", row.id)) for row in rows]
    seen, unique = set(), []
    for person in people:
        if person.email.casefold() not in seen:
            seen.add(person.email.casefold())
            unique.append(person)
    return unique


def find_person(workshop, audience: Audience, key: str) -> Person | None:
    """One of the audience by the key a preview picked ("registration-12")."""
    for person in recipients(workshop, audience):
        if "-".join(map(str, person.key)) == key:
            return person
    return None


def check(subject: str, body: str, names: tuple[str, ...] = placeholders.NAMES,
          error: type[UserError] | None = None) -> dict[str, UserError]:
    """Field errors (untranslated messages with their values) before anything is queued or
    saved. Letters and reminders ask the same, with their own placeholders (``names``) and
    their own kind of ``error``."""
    error = error or MessageError
    errors = {}
    for name, text in (("subject", subject), ("body", body)):
        bad = placeholders.unknown(text, names)
        if bad:
            errors[name] = error(
                N_("Unknown placeholder %(names)s. Use only: %(known)s."),
                names=", ".join("{" + b + "}" for b in bad), known=", ".join("{" + n + "}" for n in names))
    if len(body or "") > MAX_BODY:
        errors["body"] = error(N_("The message is too long: at most %(limit)s characters."), limit=MAX_BODY)
    return errors


def _position_and_honorific(person: Person) -> tuple[str, str]:
    """What the salutation goes by: a registrant's own details, else the invitee's contact's."""
    if person.registration is not None:
        return person.registration.position, person.registration.honorific
    contact = person.invitation.contact if person.invitation is not None and person.invitation.contact_id else None
    return (contact.position, contact.honorific) if contact is not None else ("", "")


def values_for(workshop, person: Person, link: str | None) -> dict:
    """The placeholders' values for one person, in the current language."""
    position, honorific = _position_and_honorific(person)
    return {
        "salutation": honorifics.salutation(person.name, position, honorific),
        "first_name": placeholders.first_name(person.name),
        "full_name": person.name,
        "self_service_link": link or "",
        "workshop_title": workshop.title,
        "dates": format_date_range(workshop.start_date, workshop.end_date),
        "venue": ", ".join(part for part in (workshop.venue, workshop.city) if part),
    }


def _sample_link(person: Person) -> str:
    endpoint = "registration.invitation" if person.invitation is not None else "registration.self_service"
    return absolute_url(endpoint, token=PREVIEW_TOKEN)


def preview(workshop, subject: str, body: str, person: Person) -> tuple[str, str, str]:
    """What ``person`` would read (subject, text, HTML), in their language; nothing is written."""
    with in_language(person.language):
        return placeholders.render(subject, body, values_for(workshop, person, _sample_link(person)))


def send_test(workshop, subject: str, body: str, person: Person, to: str, documents: tuple[int, ...] = (),
              how: str = attachments.ATTACH) -> None:
    """The message as ``person`` would get it, to ``to`` (the organizer) instead: written by the
    same function as each recipient's (``_written``), so the documents are attached or linked as
    theirs will be; the personal link is a sample that opens nothing, and so is a linked
    document's for participants. The briefing pack, built per recipient by the mail worker,
    is not in it."""
    carried = attachments.planned(workshop, documents, how)
    token = PREVIEW_TOKEN if person.registration is not None else None
    with in_language(person.language):
        filled_subject, text, html, files = _written(workshop, subject, body, person, _sample_link(person),
                                                     carried, token)
        queue_mail(to, "composed_message", subject=_("[Test] %(subject)s", subject=filled_subject),
                   context=_context(workshop, text, html), attachments=files,
                   reply_to=workshop.contact_email or None, workshop_id=workshop.id)


def _written(workshop, subject: str, body: str, person: Person, link: str, carried, token: str | None):
    """Subject, text, HTML and files of the message to ``person``, in the current language:
    the one writer of a recipient's mail and of a test."""
    filled_subject, text, html = placeholders.render(subject, body, values_for(workshop, person, link))
    text, html, files = attachments.add_documents(workshop, carried, text, html, token)
    return filled_subject, text, html, files


def to_confirmed_only(audience: Audience) -> bool:
    """Whether the message goes to confirmed registrants alone (documents for participants may go)."""
    return audience.kind == REGISTRANTS and set(audience.states) == {"confirmed"}


def _context(workshop, text: str, html: str) -> dict:
    return {"workshop": workshop, "text_body": text, "html_body": html}


def send(workshop, *, by, subject: str, body: str, audience: Audience, audience_label: str,
         key: str, documents: tuple[int, ...] = (), how: str = attachments.ATTACH,
         attach_briefing_pack: bool = False) -> tuple[ComposedMessage, bool]:
    """Queue the message to everyone ``audience`` names. Returns the message and whether it is
    new: a key already used finds the message it sent (a form submitted twice queues once)."""
    lock_workshop(workshop.id)
    existing = db.session.scalar(sa.select(ComposedMessage).where(ComposedMessage.idempotency_key == key))
    if existing is not None:
        if existing.workshop_id != workshop.id:
            raise MessageError(N_("This form was already used. Open the page again."))
        return existing, False
    errors = check(subject, body)
    if errors:
        raise next(iter(errors.values()))
    refused = attachments.check(workshop, documents, how, to_confirmed_only=to_confirmed_only(audience))
    if refused is not None:
        raise refused
    people = recipients(workshop, audience)
    if not people:
        raise MessageError(N_("Nobody matches this choice: choose other people to write to."))
    message = ComposedMessage(workshop_id=workshop.id, sent_by_id=getattr(by, "id", None),
                              sender_name=getattr(by, "name", "") or "", subject=subject, body=body,
                              audience=audience_label, idempotency_key=key)
    db.session.add(message)
    db.session.flush()
    attachments.remember(message, documents, how)
    opted_out = set(db.session.scalars(sa.select(MailUnsubscribe.email_hash).where(
        MailUnsubscribe.workshop_id == workshop.id)))
    needs_link = placeholders.uses(body, "self_service_link") or attachments.needs_token(message)
    # Core inserts, a statement per table: a message to 5,000 people stays well within the
    # organizer's request (benchmark figure 7); the worker writes each mail later.
    rows = [{"message_id": message.id, "email": person.email, "name": person.name,
             "registration_id": person.registration.id if person.registration else None,
             "invitation_id": person.invitation.id if person.invitation else None,
             "unsubscribed": email_digest(person.email) in opted_out} for person in people]
    db.session.execute(sa.insert(MessageRecipient), rows)
    # Each address is once in a message: the new rows' ids by address (RETURNING in parameter
    # order would make SQLite insert them one statement each).
    by_email = dict(db.session.execute(sa.select(MessageRecipient.email, MessageRecipient.id).where(
        MessageRecipient.message_id == message.id)).all())
    ids = [by_email[row["email"]] for row in rows]
    tokens, links = [], []
    for row in rows:
        token = new_token() if needs_link and not row["unsubscribed"] else None
        if token is not None:
            links.append({"token_hash": hash_token(token), "registration_id": row["registration_id"],
                          "invitation_id": row["invitation_id"]})
        tokens.append(token)
    if links:
        db.session.execute(sa.insert(AccessToken), links)
    going = [(row_id, row, token) for row_id, row, token in zip(ids, rows, tokens) if not row["unsubscribed"]]
    outbox_ids = queue_many_later("composed_message", [
        (row["email"], subject, {"recipient_id": row_id, "token": token,
                                     **briefing_pack_choice(attach_briefing_pack)}) for row_id, row, token in going],
        workshop_id=workshop.id)
    if outbox_ids:
        db.session.execute(sa.update(MessageRecipient), [
            {"id": row_id, "outbox_message_id": outbox_id} for (row_id, _row, _token), outbox_id in zip(going, outbox_ids)])
    db.session.flush()
    return message, True


def write_composed(args: dict) -> Letter:
    """The mail worker's half: one recipient's message, in their language."""
    [letter] = write_composed_many([args])
    if isinstance(letter, BaseException):
        raise letter
    return letter


# Stand-ins for what differs per person in the mail templates: letters and digits, so that
# neither Jinja's escaping nor the blank-line folding touches them.
_TEXT_BODY, _HTML_BODY, _SUBJECT = ("Zq7composedTextBodyq", "Zq7composedHtmlBodyq", "Zq7composedSubjectq")


class _Written:
    """What the recipients of one message in one language share: the body rendered once with
    stand-ins for their names and link, the mail templates rendered once around stand-ins for
    the body and subject, and the documents it carries."""

    def __init__(self, message, workshop, documents):
        self.message, self.workshop, self.documents = message, workshop, documents
        shared = {name: value for name, value in values_for(workshop, Person("", "", ""), "").items()
                  if name not in placeholders.PERSONAL}
        self.body = placeholders.Prepared(message.subject, message.body, shared)
        text, html = render_parts("composed_message", _context(workshop, _TEXT_BODY, _HTML_BODY), _SUBJECT)
        self.text = text.split(_TEXT_BODY)
        self.html = [part.split(_SUBJECT) for part in html.split(_HTML_BODY)]
        # The stand-ins must stand where the values go and nowhere else (the subject in the
        # HTML's title); otherwise each mail renders the templates itself.
        self.usable = (len(self.text) == 2 and _SUBJECT not in text and len(self.html) == 2
                       and len(self.html[1]) == 1)

    def parts(self, subject: str, text: str, html: str) -> tuple[str, str] | None:
        if not self.usable or any(mark in value for value in (subject, text, html)
                                  for mark in (_TEXT_BODY, _HTML_BODY, _SUBJECT)):
            return None
        title = str(escape(subject))
        return (text.join(self.text), title.join(self.html[0]) + html + self.html[1][0])


def write_composed_many(many: list[dict]) -> list:
    """``write_composed`` for a batch of recipients, each a Letter, or the error of one that
    could not be written (a LookupError: its message is gone). The rows are read in three queries, and what recipients of one
    message share is rendered once per language (``_Written``)."""
    ids = [args["recipient_id"] for args in many]
    found = {row.id: (row, message, workshop) for row, message, workshop in db.session.execute(
        sa.select(MessageRecipient, ComposedMessage, Workshop)
        .join(ComposedMessage, ComposedMessage.id == MessageRecipient.message_id)
        .join(Workshop, Workshop.id == ComposedMessage.workshop_id)
        .where(MessageRecipient.id.in_(ids)))}
    registration_ids = {row.registration_id for row, _m, _w in found.values() if row.registration_id}
    invitation_ids = {row.invitation_id for row, _m, _w in found.values() if row.invitation_id}
    registrations = {r.id: r for r in db.session.scalars(
        sa.select(Registration).where(Registration.id.in_(registration_ids)))} if registration_ids else {}
    invitations = {i.id: i for i in db.session.scalars(
        sa.select(Invitation).where(Invitation.id.in_(invitation_ids)))} if invitation_ids else {}
    documents: dict[int, list] = {}
    shared: dict[tuple[int, str], _Written] = {}
    letters = []
    for args in many:
        if args["recipient_id"] not in found:
            letters.append(LookupError("the message no longer exists"))
            continue
        try:
            letters.append(_write_one(args, *found[args["recipient_id"]], registrations, invitations,
                                      documents, shared))
        except Exception as error:  # noqa: BLE001 - this one is retried; the others go on
            letters.append(error)
    return letters


def _write_one(args, row, message, workshop, registrations, invitations, documents, shared) -> Letter:
    """One recipient's mail, in their language, from what the batch loaded (``documents`` and
    ``shared`` fill up as messages and languages come)."""
    registration = registrations.get(row.registration_id)
    invitation = invitations.get(row.invitation_id)
    if registration is not None:
        language, endpoint = registration.language, "registration.self_service"
    elif invitation is not None:
        language, endpoint = invitation_language(invitation), "registration.invitation"
    else:
        language, endpoint = workshop.default_language, None
    person = Person(row.email, row.name, language, registration, invitation)
    link = absolute_url(endpoint, token=args["token"]) if args.get("token") and endpoint else ""
    with in_language(language):
        if message.id not in documents:
            documents[message.id] = attachments.carried_documents(message)
        if (message.id, language) not in shared:
            shared[message.id, language] = _Written(message, workshop, documents[message.id])
        written = shared[message.id, language]
        subject, text, html = written.body.render(values_for(workshop, person, link))
        token = args.get("token") if registration is not None else None
        text, html, files = attachments.add_documents(workshop, documents[message.id], text, html, token)
        return Letter(row.email, "composed_message", subject=subject, context=_context(workshop, text, html),
                      attachments=files + briefing_pack_attachment(registration, args),
                      reply_to=workshop.contact_email or None,
                      unsubscribe_url=unsubscribe_url(workshop, row.email), language=language,
                      parts=written.parts(subject, text, str(html)))


def briefing_pack_choice(attach: bool) -> dict:
    """What the worker is told when the organizer ticked "attach each recipient's briefing pack"."""
    return {"briefing_pack": True} if attach else {}


def briefing_pack_attachment(registration, args: dict) -> tuple:
    """The recipient's own briefing pack, when the organizer chose to attach it and the
    recipient holds a seat; built here, in the worker, if it is not up to date."""
    if not args.get("briefing_pack") or registration is None:
        return ()
    pack = briefing.current_pack(registration)
    if pack is None:
        return ()
    return (Attachment(briefing.filename_for(registration), briefing.PDF, pack.content),)


# History ---------------------------------------------------------------------------------------

QUEUED, SENT, FAILED, UNSUBSCRIBED = "queued", "sent", "failed", "unsubscribed"


def messages_query(workshop) -> sa.Select:
    """The workshop's messages, newest first, as one statement (the history is paginated)."""
    return (sa.select(ComposedMessage).where(ComposedMessage.workshop_id == workshop.id)
            .order_by(ComposedMessage.created_at.desc(), ComposedMessage.id.desc()))


def messages_of(workshop) -> list[tuple[ComposedMessage, dict]]:
    """Every message of the workshop, newest first, with its progress."""
    rows = db.session.scalars(messages_query(workshop)).all()
    return list(zip(rows, progress_of_many(rows)))


def progress_of_many(messages: list[ComposedMessage]) -> list[dict]:
    """``progress`` of each message, in two queries for all of them rather than two each."""
    ids = [message.id for message in messages]
    if not ids:
        return []
    counts: dict = {}
    for message_id, status, n in db.session.execute(
        sa.select(MessageRecipient.message_id, OutboxMessage.status, sa.func.count())
        .join(MessageRecipient, MessageRecipient.outbox_message_id == OutboxMessage.id)
        .where(MessageRecipient.message_id.in_(ids))
        .group_by(MessageRecipient.message_id, OutboxMessage.status)
    ):
        counts.setdefault(message_id, {})[status] = n
    skipped = dict(db.session.execute(
        sa.select(MessageRecipient.message_id, sa.func.count())
        .where(MessageRecipient.message_id.in_(ids), MessageRecipient.unsubscribed.is_(True))
        .group_by(MessageRecipient.message_id)).all())
    return [_progress(counts.get(message_id, {}), skipped.get(message_id, 0)) for message_id in ids]


def message_of(workshop, message_id: int) -> ComposedMessage | None:
    return db.session.scalar(sa.select(ComposedMessage).where(
        ComposedMessage.id == message_id, ComposedMessage.workshop_id == workshop.id))


def progress(message: ComposedMessage) -> dict:
    """How far delivery has come: counts by state, and ``sent`` of ``total`` to be sent."""
    counts = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count())
        .join(MessageRecipient, MessageRecipient.outbox_message_id == OutboxMessage.id)
        .where(MessageRecipient.message_id == message.id).group_by(OutboxMessage.status)).all())
    skipped = db.session.scalar(sa.select(sa.func.count()).select_from(MessageRecipient).where(
        MessageRecipient.message_id == message.id, MessageRecipient.unsubscribed.is_(True)))
    return _progress(counts, skipped)


def _progress(counts: dict, skipped: int) -> dict:
    sent, failed = counts.get(OutboxStatus.SENT, 0), counts.get(OutboxStatus.FAILED, 0)
    total = sum(counts.values())
    return {"sent": sent, "failed": failed, "queued": counts.get(OutboxStatus.QUEUED, 0),
            "unsubscribed": skipped, "total": total, "done": sent + failed >= total}


def deliveries(message: ComposedMessage) -> list[tuple[MessageRecipient, str, str]]:
    """Each recipient with their delivery state and, when it failed, the reason."""
    rows = db.session.execute(
        sa.select(MessageRecipient, OutboxMessage.status, OutboxMessage.last_error)
        .outerjoin(OutboxMessage, MessageRecipient.outbox_message_id == OutboxMessage.id)
        .where(MessageRecipient.message_id == message.id).order_by(MessageRecipient.name, MessageRecipient.id)).all()
    result = []
    for row, status, error in rows:
        if row.unsubscribed:
            state = UNSUBSCRIBED
        else:
            state = status or QUEUED
        result.append((row, state, (error or "") if state == FAILED else ""))
    return result
