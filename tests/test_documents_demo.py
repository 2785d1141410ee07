"""The demo's documents: written for the demo, marked illustrative, each where CONTRACT.md says."""

from datetime import date
from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from workshop.demo import OPEN_SLUG, R2P_SLUG, load_demo
from workshop.documents.models import Document
from workshop.workshops.service import get_public_workshop


def documents_of(db, slug):
    workshop = get_public_workshop(slug)
    return list(db.session.scalars(sa.select(Document).where(Document.workshop_id == workshop.id)
                                   .order_by(Document.id)))


def test_the_demo_documents_are_where_the_contract_says_and_load_once(app, db, client):
    load_demo(today=date(2030, 1, 10))
    r2p = documents_of(db, R2P_SLUG)
    assert [(d.kind, d.visibility) for d in r2p] == [("concept_note", "public"), ("background_paper", "participants")]
    assert r2p[1].agenda_item is not None  # beside its session
    assert [d.confidential for d in r2p] == [False, True]  # the participants' paper: name in the pack's margin
    assert [d.visibility for d in documents_of(db, OPEN_SLUG)] == ["public"]
    for document in r2p + documents_of(db, OPEN_SLUG):
        text = " ".join(page.extract_text() for page in PdfReader(BytesIO(document.content)).pages)
        assert "Illustrative document written for the demo" in text
    # Public ones are listed and served; the participants' paper is not.
    page = client.get(f"/w/{R2P_SLUG}/documents").get_data(as_text=True)
    assert r2p[0].title in page and r2p[1].title not in page
    assert client.get(f"/w/{OPEN_SLUG}/documents").status_code == 200
    load_demo(today=date(2030, 1, 10))
    assert len(documents_of(db, R2P_SLUG)) == 2 and len(documents_of(db, OPEN_SLUG)) == 1
