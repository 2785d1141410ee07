"""What a confirmed participant alone is given, behind their registration link: the documents
for participants and the online meeting links.

A participant needs no account: the token of their registration is what opens these downloads,
and a document they may not see (team only, another workshop's, or any while they hold no seat)
answers 404, as an unknown one does. Meeting links never appear on a public page.
"""

from workshop.agenda import service as agenda
from workshop.calendar.ics import meeting_link
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



def meetings_of(registration) -> list[tuple[object, str, str]]:
    """``(session or None for the workshop, link, access details)`` for a confirmed
    registrant: the workshop's meeting, then each scheduled session with a link of its own."""
    if registration.state != State.CONFIRMED:
        return []
    workshop = registration.workshop
    found = []
    link, details = meeting_link(workshop)
    if link:
        found.append((None, link, details))
    for item in agenda.items_for(workshop, include_cancelled=False):
        own = meeting_link(None, item)
        if own[0]:
            found.append((item, *own))
    return found
