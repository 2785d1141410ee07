"""Operations on a workshop's documents: the only place they change, and who may see which.

Upload checks everything before a row is added (type by content, size, name), so a refused file
leaves nothing behind. Replacing adds the new version and points the old one at it; removing a
document removes every version of it.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from workshop.agenda.models import AgendaItem
from workshop.documents import files
from workshop.documents.models import Document, Kind, Visibility
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.events import announce
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import LANGUAGES
from workshop.platform.markup import normalize_newlines
from workshop.platform.types import utcnow
from workshop.workshops.models import Workshop

# What each audience may see: the team sees everything, confirmed participants the public ones
# and theirs, everybody else the public ones.
AUDIENCES = {
    "public": (Visibility.PUBLIC,),
    "participants": (Visibility.PUBLIC, Visibility.PARTICIPANTS),
    "team": (Visibility.PUBLIC, Visibility.PARTICIPANTS, Visibility.TEAM),
}


def max_bytes() -> int:
    return current_app.config["DOCUMENT_MAX_BYTES"]


def upload_limit(app) -> int:
    """The request limit of the upload routes: the file plus room for the form around it."""
    return app.config["DOCUMENT_MAX_BYTES"] + 256 * 1024


def _checked_file(filename: str | None, data: bytes) -> tuple[str, files.FileType]:
    name = files.checked_name(filename)
    if len(data) > max_bytes():
        raise UserError(N_("The file is larger than %(size)s. Make it smaller or split it, and upload it again."),
                        size=_megabytes(max_bytes()))
    return name, files.file_type(data)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _fields(workshop: Workshop, *, title, description, language, kind, visibility, agenda_item_id,
            confidential: bool = False) -> dict:
    title = (title or "").strip()
    if not title:
        raise UserError(N_("Give the document a title."))
    if language not in LANGUAGES:
        raise UserError(N_("Choose the language of the document."))
    if kind not in set(Kind) or visibility not in set(Visibility):
        raise UserError(N_("Choose what kind of document it is and who may see it."))
    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.workshop_id != workshop.id:
            raise UserError(N_("Choose a session of this workshop, or none."))
    return {"title": title[:300], "description": normalize_newlines(description or "").strip(),
            "language": language, "kind": kind, "visibility": visibility, "agenda_item_id": agenda_item_id,
            "confidential": bool(confidential)}


def upload(workshop: Workshop, *, filename: str | None, data: bytes, by=None, **fields) -> Document:
    """A new document, or UserError with nothing stored."""
    values = _fields(workshop, **fields)
    name, kind = _checked_file(filename, data)
    document = Document(workshop_id=workshop.id, filename=name, mimetype=kind.mimetype, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), content=data, uploaded_at=utcnow(),
                        uploaded_by_id=getattr(by, "id", None), **values)
    db.session.add(document)
    db.session.flush()
    audit.record("document.uploaded", workshop=workshop, target=document, title=document.title,
                 filename=document.filename, visibility=document.visibility)
    announce("documents.changed", workshop_id=workshop.id)
    return document


def replace(document: Document, *, filename: str | None, data: bytes, by=None) -> Document:
    """A new version of ``document`` with the same title and settings; the old one is kept,
    marked superseded."""
    if not document.is_current:
        raise UserError(N_("This version has already been replaced; replace the current one."))
    name, kind = _checked_file(filename, data)
    newer = Document(workshop_id=document.workshop_id, agenda_item_id=document.agenda_item_id,
                     title=document.title, description=document.description, language=document.language,
                     kind=document.kind, visibility=document.visibility, confidential=document.confidential,
                     filename=name,
                     mimetype=kind.mimetype, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                     content=data, uploaded_at=utcnow(), uploaded_by_id=getattr(by, "id", None))
    db.session.add(newer)
    db.session.flush()
    # Every earlier version points at the current one, so one query finds them all.
    for older in [document, *versions_of(document)]:
        older.superseded_by_id = newer.id
    db.session.flush()
    audit.record("document.replaced", workshop=document.workshop_id, target=newer, title=newer.title,
                 filename=newer.filename)
    announce("documents.changed", workshop_id=document.workshop_id)
    return newer


def update(document: Document, *, workshop: Workshop, **fields) -> Document:
    """New title, description, language, kind, visibility or session, for every version."""
    values = _fields(workshop, **fields)
    # Fewer readers than before (participants to the team alone) or newly confidential: copies
    # already made for participants must not keep handing it out (the briefing packs).
    narrowed = (document.visibility != Visibility.TEAM and values["visibility"] == Visibility.TEAM
                or values["confidential"] and not document.confidential)
    for version in [document, *versions_of(document)]:
        for name, value in values.items():
            setattr(version, name, value)
    db.session.flush()
    audit.record("document.changed", workshop=document.workshop_id, target=document, title=document.title,
                 visibility=document.visibility)
    announce("documents.changed", workshop_id=document.workshop_id, withdrawn=narrowed)
    return document


def remove(document: Document) -> None:
    """The document and every earlier version of it."""
    current = document if document.is_current else db.session.get(Document, document.superseded_by_id)
    audit.record("document.removed", workshop=current.workshop_id, target=current, title=current.title,
                 filename=current.filename)
    for version in [*versions_of(current), current]:
        db.session.delete(version)
    db.session.flush()
    announce("documents.changed", workshop_id=current.workshop_id, withdrawn=True)


def versions_of(document: Document) -> list[Document]:
    """The versions the current ``document`` replaced, newest first."""
    return list(db.session.scalars(
        sa.select(Document).where(Document.workshop_id == document.workshop_id,
                                  Document.superseded_by_id == document.id).order_by(Document.id.desc())))


# Reading ----------------------------------------------------------------------------------------


def _ordered(query):
    return query.options(selectinload(Document.agenda_item)).order_by(Document.agenda_item_id.is_not(None),
                                                                      Document.kind, Document.id)


# The workshop page and the agenda page read these on every full render: built once per audience,
# since building the select and its cache key cost more than SQLite takes to run it.
_CURRENT_FOR = {audience: _ordered(sa.select(Document).where(
    Document.workshop_id == sa.bindparam("workshop_id"), Document.superseded_by_id.is_(None),
    Document.visibility.in_(visibilities))) for audience, visibilities in AUDIENCES.items()}


def documents_for(workshop: Workshop, audience: str) -> list[Document]:
    """The current documents ``audience`` ("public", "participants", "team") may see."""
    return list(db.session.scalars(_CURRENT_FOR[audience], {"workshop_id": workshop.id}))


def all_versions(workshop: Workshop) -> list[Document]:
    """Every document of the workshop, superseded versions included (for its organizers)."""
    return list(db.session.scalars(_ordered(sa.select(Document).where(Document.workshop_id == workshop.id))))


def by_item(documents: list[Document]) -> dict[int | None, list[Document]]:
    """The documents grouped by agenda item id (None: the workshop's own)."""
    grouped: dict[int | None, list[Document]] = {}
    for document in documents:
        grouped.setdefault(document.agenda_item_id, []).append(document)
    return grouped


def get(workshop: Workshop, document_id: int, audience: str, *, current_only: bool = True) -> Document | None:
    """The document, if it belongs to the workshop and ``audience`` may see it."""
    document = db.session.get(Document, document_id)
    if document is None or document.workshop_id != workshop.id:
        return None
    if document.visibility not in AUDIENCES[audience]:
        return None
    if current_only and not document.is_current:
        return None
    return document
