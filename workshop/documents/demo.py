"""Demo documents, written for the demo and marked illustrative: for the 2012 workshop a public
concept note and a background paper for participants only (marked confidential, so a
participant's briefing pack shows their name in its margin); for the open workshop a public
concept note. The PDFs are rendered at demo load (WeasyPrint), so no binary sits in the
repository.

Idempotent: a workshop that already has documents (from an earlier run or a user) is left alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from workshop.agenda.models import AgendaItem
from workshop.documents import service
from workshop.documents.models import Document, Kind, Visibility
from workshop.platform.db import db
from workshop.platform.pdf import render_pdf

# English, as the demo workshops are: demo content, not the application's interface.
NOTICE = ("Illustrative document written for the demo of this application; it is not an original "
          "document of the workshop and quotes no one.")
FOOTER = "Illustrative document written for the demo"

R2P = [
    (Kind.CONCEPT_NOTE, Visibility.PUBLIC, None, "Concept note: preparing the second meeting of the R2P Focal Points Network",
     "concept-note-r2p-focal-points-2012.pdf",
     "Why the workshop meets, what it should prepare for the Focal Points' second meeting, and how the "
     "discussion is held (illustrative).",
     [("Purpose", "The workshop brings together national R2P Focal Points, experts and practitioners to "
                  "prepare the second meeting of the Focal Points Network on mass violence and atrocities."),
      ("Expected outcome", "A short memo of discussion takeaways, without attribution, that the co-organizers "
                           "can draw on when preparing the network's meeting."),
      ("Format", "Plenary and working sessions under the Chatham House Rule.")]),
    (Kind.BACKGROUND_PAPER, Visibility.PARTICIPANTS, "The mandate of a national R2P Focal Point",
     "Background paper: what a national Focal Point is asked to do", "background-paper-focal-point-mandate.pdf",
     "For the session on the Focal Point's mandate; for participants only (illustrative).",
     [("The appointment", "Governments appoint a senior official to coordinate atrocity prevention across "
                          "ministries and to take part in the network."),
      ("Questions for the session", "Which mandate, which seniority and which resources make the role "
                                    "effective?")]),
]
OPEN = [
    (Kind.CONCEPT_NOTE, Visibility.PUBLIC, None, "Concept note of the open workshop", "concept-note-open-workshop.pdf",
     "What the workshop is for and how to take part (illustrative).",
     [("Purpose", "A workshop open to registration, to try every step of the application."),
      ("Taking part", "Register on the workshop page; confirmed participants find the documents for "
                      "participants on their registration page.")]),
]


def _item(workshop, title: str | None) -> int | None:
    if title is None:
        return None
    return db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.workshop_id == workshop.id,
                                                            AgendaItem.title == title))


def _load(workshop, documents, organizer) -> None:
    if db.session.scalar(sa.select(Document.id).where(Document.workshop_id == workshop.id).limit(1)):
        return
    for kind, visibility, session, title, filename, description, sections in documents:
        pdf = render_pdf(render_template("pdf/demo_document.html", title=title, workshop=workshop.title,
                                         kind=str(Kind(kind).name.replace("_", " ").capitalize()),
                                         sections=sections, notice=NOTICE, footer=FOOTER))
        service.upload(workshop, filename=filename, data=pdf, by=organizer, title=title, description=description,
                       language="en", kind=kind, visibility=visibility, agenda_item_id=_item(workshop, session),
                       confidential=visibility == Visibility.PARTICIPANTS)


def load(demo) -> None:
    _load(demo.r2p, R2P, demo.organizer)
    _load(demo.open_workshop, OPEN, demo.organizer)
