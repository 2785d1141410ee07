"""The documents a confirmed participant may read, behind their registration link.

A participant needs no account: the token of their registration is what opens these downloads,
and a document they may not see (team only, another workshop's, or any while they hold no seat)
answers 404, as an unknown one does.
"""

from workshop.documents import service as documents
from workshop.registration.models import State


def documents_of(registration) -> list:
    """What the registrant may download: nothing until they hold a seat."""
    if registration.state != State.CONFIRMED:
        return []
    return documents.documents_for(registration.workshop, "participants")


def get(registration, document_id: int):
    """The document, if this registrant may download it; else None."""
    if registration.state != State.CONFIRMED:
        return None
    return documents.get(registration.workshop, document_id, "participants")

