"""The workshop's documents a composed message carries: small files attached to each mail, the
others (or all, if the organizer prefers) as links.

Kept apart from the rest of composing so that other things a message may carry (a briefing pack
per recipient, say) are added beside it rather than inside it. Which documents a group may get
follows the documents' own visibility: public ones to anyone written to; those for confirmed
participants only when the message goes to confirmed registrants alone. A linked document for
participants opens through the recipient's own link, so it needs their token.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup, escape

from workshop.documents import service as documents
from workshop.documents.models import Document, Visibility
from workshop.messages.models import MessageDocument
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.mail.outbox import Attachment
from workshop.platform.urls import absolute_url

ATTACH, LINK = "attach", "link"
# Mail servers refuse large messages (often above 10 to 25 MB, counted after base64): a file
# above this is linked even when attaching was asked for, and all attached files together stay
# under the total.
ATTACH_MAX_BYTES = 2 * 1024 * 1024
ATTACH_TOTAL_BYTES = 6 * 1024 * 1024


class AttachmentError(UserError):
    pass


def offered(workshop) -> list[Document]:
    """Every document a message of this workshop may carry (to some group)."""
    return documents.documents_for(workshop, "participants")


def allowed_for(workshop, *, to_confirmed_only: bool) -> list[Document]:
    return documents.documents_for(workshop, "participants" if to_confirmed_only else "public")


def check(workshop, ids, how: str, *, to_confirmed_only: bool) -> AttachmentError | None:
    """Why these documents cannot go with this message, or None."""
    if not ids:
        return None
    allowed = {d.id: d for d in allowed_for(workshop, to_confirmed_only=to_confirmed_only)}
    if any(i not in allowed for i in ids):
        return AttachmentError(N_("Documents for confirmed participants go only to confirmed registrants. "
                                  "Untick them, or write to confirmed registrants alone."))
    if how == ATTACH:
        total = sum(allowed[i].size for i in ids if allowed[i].size <= ATTACH_MAX_BYTES)
        if total > ATTACH_TOTAL_BYTES:
            return AttachmentError(N_("The files are too large to attach together (at most %(limit)s MB): "
                                      "send them as links."), limit=ATTACH_TOTAL_BYTES // (1024 * 1024))
    return None


def planned(workshop, ids, how: str) -> list[tuple[Document, bool]]:
    """The documents chosen for a message, each with whether it goes attached (else linked):
    what ``remember`` stores for a message sent, and what a preview and a test show and carry
    before anything is stored. Only this workshop's current documents; no commit."""
    if not ids:
        return []
    rows = db.session.scalars(sa.select(Document).where(
        Document.id.in_(ids), Document.workshop_id == workshop.id).order_by(Document.id))
    return [(document, how == ATTACH and document.size <= ATTACH_MAX_BYTES) for document in rows
            if document.is_current]


def remember(message, ids, how: str) -> None:
    """Which documents the message carries, and how; no commit."""
    for document, attached in planned(message.workshop, ids, how):
        db.session.add(MessageDocument(message_id=message.id, document_id=document.id, title=document.title,
                                       attached=attached))
    db.session.flush()


def carried(message) -> list[MessageDocument]:
    return list(db.session.scalars(sa.select(MessageDocument).where(MessageDocument.message_id == message.id)
                                   .order_by(MessageDocument.id)))


def needs_token(message) -> bool:
    """A linked document for participants opens through the recipient's own link."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(MessageDocument).join(
        Document, Document.id == MessageDocument.document_id).where(
        MessageDocument.message_id == message.id, MessageDocument.attached.is_(False),
        Document.visibility == Visibility.PARTICIPANTS)) > 0


def carried_documents(message) -> list[tuple[Document, bool]]:
    """What a sent message carries now, as ``planned`` gives it, in one query for all its
    recipients: a document removed or replaced since it was sent is left out (the message goes
    without it)."""
    rows = db.session.execute(
        sa.select(Document, MessageDocument.attached)
        .join(MessageDocument, MessageDocument.document_id == Document.id)
        .where(MessageDocument.message_id == message.id).order_by(MessageDocument.id)).all()
    return [(document, attached) for document, attached in rows if document.is_current]


def add_documents(workshop, documents: list[tuple[Document, bool]], text: str, html: str,
                  token: str | None) -> tuple[str, str, tuple[Attachment, ...]]:
    """The text and HTML with the links appended, and the files to attach, for one recipient
    (``token``: their registration link token, for documents for participants). ``documents``
    as ``planned`` (before sending: a preview, a test) or ``carried_documents`` (a sent message)
    give them, so a test carries what each recipient gets."""
    files, links = [], []
    for document, attached in documents:
        if attached:
            files.append(Attachment(document.filename, document.mimetype, document.content))
        elif document.visibility == Visibility.PUBLIC:
            links.append((document.title, absolute_url("documents.public_download", slug=workshop.slug,
                                                       document_id=document.id, filename=document.filename)))
        elif token:
            links.append((document.title, absolute_url("registration.participant_document", token=token,
                                                       document_id=document.id, filename=document.filename)))
    if links:
        heading = _("Documents:")
        text = text.rstrip() + "\n\n" + heading + "\n" + "\n".join(f"- {title}: {url}" for title, url in links)
        items = Markup("").join(Markup('<li><a href="%s">%s</a></li>') % (url, title) for title, url in links)
        html = Markup(html) + Markup("<p>%s</p><ul>%s</ul>") % (escape(heading), items)
    return text, html, tuple(files)
