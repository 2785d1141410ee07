"""Queue mail: build the complete message now, store it in the outbox with the caller's change.

``queue_mail`` never commits and never talks to a mail server: the message is committed (or
rolled back) together with the change that caused it, and ``flask worker`` delivers it later.
"""

import re
from contextlib import nullcontext
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.utils import format_datetime, formatdate, make_msgid

import idna
import sqlalchemy as sa
from flask import current_app, render_template

from workshop.platform.db import db
from workshop.platform.i18n import in_language
from workshop.platform.mail import mime
from workshop.platform.mail.headers import subject_header
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.registry import registry
from workshop.platform.types import utcnow

# SMTP line endings and 7-bit output: non-ASCII bodies are quoted-printable or base64 and
# non-ASCII headers are RFC 2047 encoded words, so any server accepts the bytes unchanged.
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit")

_TOKEN = re.compile(r"^[A-Za-z0-9-]+$")
_MAILBOX = re.compile(r"^\s*(?:(?P<name>.*?)\s*<(?P<addr>[^<>\s,;]+@[^<>\s,;]+)>"
                      r"|(?P<bare>[^<>\s,;\"]+@[^<>\s,;\"]+))\s*$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")
_METHOD_LINE = re.compile(rb"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Attachment:
    filename: str          # e.g. "workshop.ics"
    content_type: str      # e.g. "text/calendar; method=REQUEST; charset=utf-8"
    data: bytes


def queue_mail(to: str | Sequence[str], template: str, *, subject: str,
               context: dict | None = None,
               calendar: bytes | None = None,
               calendar_method: str | None = None,
               attachments: Sequence[Attachment] = (),
               reply_to: str | None = None,
               unsubscribe_url: str | None = None,
               letter_version_id: int | None = None,
               workshop_id: int | None = None) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` and ``.html`` with ``context`` (plus
    ``base_url``), build the whole MIME message, and add it to the outbox in ``db.session``
    without committing.

    ``calendar`` (an iTIP object, RFC 5546) goes in twice: as a ``text/calendar; method=<M>``
    alternative, which Outlook and Gmail turn into Accept/Decline buttons, and as an
    ``invite.ics`` attachment for every other client. Raises ``ValueError`` for a recipient,
    subject or file name that could smuggle in headers, or for an address that is not one.

    ``unsubscribe_url`` (bulk mail only) becomes ``List-Unsubscribe`` with RFC 8058's one-click
    ``List-Unsubscribe-Post``: the URL must accept a POST without a form token.
    ``letter_version_id`` records which edited letter text the message was written from;
    ``workshop_id`` which workshop the message is about (its retention purge deletes it).
    """
    recipients, sender = _checked(to, subject)
    message_id = make_msgid(domain=sender.domain or "localhost")
    raw = _build(Letter(to, template, subject, dict(context or {}), calendar, calendar_method,
                        tuple(attachments), reply_to, unsubscribe_url), message_id, recipients, sender)
    row = _add(recipients, subject, message_id, raw=raw, workshop_id=workshop_id)
    row.letter_version_id = letter_version_id
    return row


def _checked(to: str | Sequence[str], subject: str) -> tuple[list[Address], Address]:
    """The recipients and the sender as addresses; ``ValueError`` for anything that is not one
    or for a subject that could smuggle in headers."""
    recipients = [_address(value, "recipient") for value in _as_list(to)]
    if not recipients:
        raise ValueError("queue_mail needs at least one recipient")
    _reject_line_breaks(subject, "subject")
    return recipients, _address(current_app.config["MAIL_FROM"], "MAIL_FROM")


# Mail the worker writes ---------------------------------------------------------------------------
#
# A bulk send (a thousand invitations) would keep the organizer's request busy for seconds if
# every MIME message were built in it (benchmark figure 5). ``queue_mail_later`` stores only
# who, what subject and the arguments of a *renderer* registered under a name; ``flask worker``
# calls the renderer and builds the message when it first takes the row, stores the bytes, and
# from then on behaves as for any other message (a retry re-sends the same bytes).


@dataclass(frozen=True)
class Letter:
    """What ``queue_mail`` takes, as a value: a renderer returns one."""

    to: str | Sequence[str]
    template: str
    subject: str
    context: dict
    calendar: bytes | None = None
    calendar_method: str | None = None
    attachments: tuple = ()
    reply_to: str | None = None
    unsubscribe_url: str | None = None
    # The language the templates are rendered in when the mail worker writes the message (a
    # renderer's own ``in_language`` block has ended by then); None: the current one.
    language: str | None = None
    letter_version_id: int | None = None
    # The text and HTML parts as the templates give them, when the renderer has them already
    # (it rendered the templates once for many alike messages): they are not rendered again.
    parts: tuple[str, str] | None = None


def _renderers() -> dict:
    """The writers features registered in their ``init_app`` (``registry.mail_renderer``)."""
    return registry().mail_renderers


def queue_mail_later(to: str, kind: str, *, subject: str, args: dict,
                     workshop_id: int | None = None) -> OutboxMessage:
    """Queue a message the worker will write with the renderer registered as ``kind``; ``args`` must be
    JSON (ids, a link token), not rows. Validates the recipient and subject now. No commit.
    ``workshop_id``: as for ``queue_mail``."""
    if kind not in _renderers():
        raise ValueError(f"no mail renderer named {kind!r}")
    recipients, sender = _checked(to, subject)
    message_id = make_msgid(domain=sender.domain or "localhost")
    return _add(recipients, subject, message_id, pending={"kind": kind, "args": args}, workshop_id=workshop_id)


def queue_many_later(kind: str, messages: Sequence[tuple[str, str, dict]], *,
                     workshop_id: int | None = None) -> list[int]:
    """``queue_mail_later`` for many messages at once: ``(to, subject, args)`` each, checked as
    one by one, inserted in one statement (a composed message to 5,000 people must not build
    5,000 ORM objects while the organizer waits). The new rows' ids, in order. No commit."""
    if kind not in _renderers():
        raise ValueError(f"no mail renderer named {kind!r}")
    now, rows = utcnow(), []
    sender = _address(current_app.config["MAIL_FROM"], "MAIL_FROM")
    for to, subject, args in messages:
        recipients, _sender = _checked(to, subject)
        rows.append({"recipients": ",".join(dict.fromkeys(address.addr_spec for address in recipients)),
                     "subject": subject, "message_id": make_msgid(domain=sender.domain or "localhost"),
                     "raw": None, "pending": {"kind": kind, "args": args}, "status": OutboxStatus.QUEUED,
                     "attempts": 0, "next_attempt_at": now, "created_at": now, "last_error": "",
                     "workshop_id": workshop_id})
    if not rows:
        return []
    db.session.execute(sa.insert(OutboxMessage), rows)
    # The ids by Message-ID, unique (RETURNING in parameter order would make SQLite insert the
    # rows one statement each), a few hundred per query.
    found = {}
    for start in range(0, len(rows), 500):
        chunk = [row["message_id"] for row in rows[start:start + 500]]
        found.update(db.session.execute(sa.select(OutboxMessage.message_id, OutboxMessage.id)
                                        .where(OutboxMessage.message_id.in_(chunk))).all())
    return [found[row["message_id"]] for row in rows]


def write_pending(pending: dict, message_id: str) -> bytes:
    """The bytes of a message queued with ``queue_mail_later`` (raises if it cannot be written)."""
    return write_pending_letter(pending, message_id)[0]


def write_pending_letter(pending: dict, message_id: str) -> tuple[bytes, Letter]:
    """The bytes, and the Letter they were built from."""
    try:
        render = _renderers()[pending["kind"]]
    except KeyError:
        raise LookupError(f"no mail renderer named {pending.get('kind')!r}") from None
    letter = render(pending["args"])
    return build_letter(letter, message_id), letter


def build_letter(letter: Letter, message_id: str) -> bytes:
    """The bytes of a Letter a renderer wrote, in its language."""
    with in_language(letter.language) if letter.language else nullcontext():
        return _build(letter, message_id, *_checked(letter.to, letter.subject))


def render_parts(template: str, context: dict, subject: str) -> tuple[str, str]:
    """``templates/email/<template>.txt`` and ``.html`` with ``context`` (plus ``base_url`` and
    ``subject``), in the current language; the text as rendered, before ``_build`` folds its
    runs of blank lines."""
    values = dict(context)
    values.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    values.setdefault("subject", subject)
    return (render_template(f"email/{template}.txt", **values),
            render_template(f"email/{template}.html", **values))


def _build(letter: Letter, message_id: str, recipients: list[Address], sender: Address) -> bytes:
    reply_to = _address(letter.reply_to, "reply_to") if letter.reply_to else None
    if letter.unsubscribe_url:
        _reject_line_breaks(letter.unsubscribe_url, "unsubscribe URL")
        if not letter.unsubscribe_url.startswith(("https://", "http://")) or ">" in letter.unsubscribe_url:
            raise ValueError(f"not a web address to unsubscribe: {letter.unsubscribe_url!r}")
    text, html = letter.parts or render_parts(letter.template, letter.context, letter.subject)
    # Optional paragraphs and the shared sign-off leave runs of blank lines: one is enough.
    text = _BLANK_LINES.sub("\n\n", text)
    if letter.calendar is None and not letter.attachments:
        raw = _build_alternative(letter, message_id, recipients, sender, reply_to, text, html)
        if raw is not None:
            return raw
    return _build_email_message(letter, message_id, recipients, sender, reply_to, text, html)


def _build_email_message(letter: Letter, message_id: str, recipients: list[Address], sender: Address,
                         reply_to: Address | None, text: str, html: str) -> bytes:
    """Any message, built with the standard library's ``EmailMessage``."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = recipients
    if reply_to is not None:
        message["Reply-To"] = reply_to
    # Set as written: the policy's own folding can put a space between two encoded words.
    message.set_raw("Subject", subject_header(letter.subject))
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id
    # Tells auto-responders and vacation replies not to answer.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")

    if letter.calendar is not None:
        method = _calendar_method(letter.calendar, letter.calendar_method)
        message.add_alternative(letter.calendar.decode("utf-8"), subtype="calendar",
                                params={"method": method})
        message.add_attachment(letter.calendar, maintype="application", subtype="ics",
                               filename="invite.ics")
    for attachment in letter.attachments:
        _attach(message, attachment)
    raw = message.as_bytes(policy=MAIL_POLICY)
    if not letter.unsubscribe_url:
        return raw
    # Added to the written header block: the policy would fold a long web address into encoded
    # words, which no mail client reads back as an address (one line holds up to 998).
    head, _, body = raw.partition(b"\r\n\r\n")
    return b"\r\n".join([head, *_unsubscribe_lines(letter.unsubscribe_url), b"", body])


def _unsubscribe_lines(url: str) -> list[bytes]:
    line = f"List-Unsubscribe: <{url}>"
    if not line.isascii() or len(line) > mime.MAX_HEADER_LINE:
        raise ValueError(f"not a web address to unsubscribe: {url!r}")
    return [line.encode("ascii"), b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"]


def _build_alternative(letter: Letter, message_id: str, recipients: list[Address], sender: Address,
                       reply_to: Address | None, text: str, html: str) -> bytes | None:
    """The message of text and HTML alone written straight to bytes (``mime.alternative``), as
    ``EmailMessage`` would write it; None when a header is out of the ordinary."""
    people = [mime.mailbox(address) for address in (sender, *recipients, *([reply_to] if reply_to else []))]
    if None in people:
        return None
    headers = [("From", people[0]), ("To", ", ".join(people[1:1 + len(recipients)]))]
    if reply_to is not None:
        headers.append(("Reply-To", people[-1]))
    headers += [("Subject", subject_header(letter.subject)), ("Date", _now_header()),
                ("Message-ID", message_id), ("Auto-Submitted", "auto-generated")]
    if letter.unsubscribe_url:
        headers += [("List-Unsubscribe", f"<{letter.unsubscribe_url}>"),
                    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    return mime.alternative(headers, text, html)


def _now_header() -> str:
    """The Date header as ``EmailMessage`` writes ``formatdate(usegmt=True)`` back: ``+0000``."""
    return format_datetime(datetime.now(timezone.utc))


def _add(recipients: list[Address], subject: str, message_id: str, *, raw: bytes | None = None,
         pending: dict | None = None, workshop_id: int | None = None) -> OutboxMessage:
    outbox_message = OutboxMessage(
        workshop_id=workshop_id,
        recipients=",".join(dict.fromkeys(address.addr_spec for address in recipients)),
        subject=subject,
        message_id=message_id,
        raw=raw,
        pending=pending,
        status=OutboxStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
        last_error="",
    )
    db.session.add(outbox_message)
    return outbox_message


def _as_list(to: str | Sequence[str]) -> list[str]:
    if isinstance(to, str):
        return [to]
    return list(to)


def _reject_line_breaks(value: str, what: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in the {what}: {value!r}")


def _address(value: str, what: str) -> Address:
    """One mailbox, ``addr@example.org`` or ``Name <addr@example.org>``, as an Address.

    Everything before the final ``<...>`` is the display name, so ``Mensah, Ama <a@b.org>`` is
    one person, not two; a bare list such as ``a@b.org, c@d.org`` is refused.
    """
    _reject_line_breaks(value, what)
    match = _MAILBOX.match(value)
    if not match:
        raise ValueError(f"not one email address in the {what}: {value!r}")
    name = (match.group("name") or "").strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    if "=?" in name:  # already RFC 2047 encoded, e.g. by email.utils.formataddr
        try:
            name = str(make_header(decode_header(name)))
        except (HeaderParseError, LookupError) as error:
            raise ValueError(f"undecodable name in the {what}: {value!r}") from error
    addr_spec = match.group("addr") or match.group("bare")
    local_part, _, domain = addr_spec.rpartition("@")
    if not local_part or not domain or not local_part.isascii():
        # A non-ASCII local part needs SMTPUTF8 end to end; we do not promise that.
        raise ValueError(f"unsupported email address in the {what}: {value!r}")
    if not domain.isascii():
        domain = _ascii_domain(domain, what, value)
    if not _DOMAIN.match(domain):
        raise ValueError(f"not an email domain in the {what}: {value!r}")
    return Address(display_name=name, username=local_part, domain=domain)


def ascii_email(address: str) -> str:
    """``address`` as it travels (and as the file outbox writes it): the domain in A-labels."""
    local_part, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    try:
        return f"{local_part}@{_ascii_domain(domain, 'address', address)}"
    except ValueError:
        return address


def _ascii_domain(domain: str, what: str, value: str) -> str:
    """The A-label form by the rules email_validator checked the address with (IDNA 2008 after
    UTS 46 mapping, non-transitional): Python's own "idna" codec is IDNA 2003 and would send
    ``straße.example`` to ``strasse.example``, someone else's domain."""
    try:
        return idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError) as error:
        raise ValueError(f"unsupported email domain in the {what}: {value!r}") from error


def _calendar_method(calendar: bytes, method: str | None) -> str:
    found = _METHOD_LINE.search(calendar)
    inside = found.group(1).decode("ascii").upper() if found else None
    if method is None:
        method = inside or "PUBLISH"
    elif inside is not None and method.upper() != inside:
        # Outlook acts on the MIME method, other clients on the file's: they must agree.
        raise ValueError(f"calendar_method {method!r} but the calendar says METHOD:{inside}")
    if not _TOKEN.match(method):
        raise ValueError(f"not an iTIP method: {method!r}")
    return method.upper()


def _attach(message: EmailMessage, attachment: Attachment) -> None:
    _reject_line_breaks(attachment.filename, "attachment file name")
    _reject_line_breaks(attachment.content_type, "attachment content type")
    if "/" in attachment.filename or "\\" in attachment.filename or not attachment.filename:
        raise ValueError(f"not a plain file name: {attachment.filename!r}")
    header = EmailMessage()
    header["Content-Type"] = attachment.content_type
    if header["Content-Type"].defects:
        raise ValueError(f"not a content type: {attachment.content_type!r}")
    params = dict(header["Content-Type"].params)
    message.add_attachment(attachment.data, maintype=header.get_content_maintype(),
                           subtype=header.get_content_subtype(), filename=attachment.filename,
                           params=params)
