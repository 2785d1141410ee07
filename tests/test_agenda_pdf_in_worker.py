"""agenda.pdf is rendered by the worker and served as stored bytes: until they exist the route
answers a page that says so in words and reloads itself; an edit is never answered with the PDF
of before it; each language is its own PDF; stored PDFs are replaced, not piled up."""

import io
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.support.smtp import deliver_outbox
from workshop.agenda import service as agenda
from workshop.platform.stored_pdfs import StoredPdf


@pytest.fixture
def workshop(make_workshop, db):
    workshop = make_workshop(slug="printed", title="Printed Agenda Workshop")
    agenda.create_item(workshop, title="Opening on early warning", room="Room A",
                       starts_at=datetime(2030, 6, 1, 9, tzinfo=timezone.utc),
                       ends_at=datetime(2030, 6, 1, 10, tzinfo=timezone.utc))
    db.session.commit()
    return workshop


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _assert_being_prepared(response) -> None:
    assert response.status_code == 202 and response.mimetype == "text/html"
    assert response.headers["Refresh"] and response.headers["Retry-After"]
    assert "no-store" in response.headers["Cache-Control"]
    page = response.get_data(as_text=True)
    assert "The PDF is being prepared" in page and 'http-equiv="refresh"' in page


def test_the_worker_renders_the_agenda_and_the_route_then_serves_it(app, db, client, workshop):
    _assert_being_prepared(client.get("/w/printed/agenda.pdf"))
    assert db.session.scalar(sa.select(StoredPdf.pdf_sha256)) is None  # asked for, not rendered

    deliver_outbox(app)  # the worker's round
    response = client.get("/w/printed/agenda.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="printed-agenda.pdf"'
    text = _text(response.data)
    assert "Printed Agenda Workshop" in text and "Opening on early warning" in text
    assert client.get("/w/printed/agenda.pdf", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    # Another round leaves the stored bytes alone.
    deliver_outbox(app)
    assert client.get("/w/printed/agenda.pdf").data == response.data


def test_after_an_edit_the_old_pdf_is_not_served_and_is_replaced(app, db, client, workshop):
    client.get("/w/printed/agenda.pdf")
    deliver_outbox(app)
    before = client.get("/w/printed/agenda.pdf")
    assert "Opening on early warning" in _text(before.data)

    agenda.update_item(agenda.items_for(workshop)[0], title="Renamed for the printed agenda")
    db.session.commit()
    stale = client.get("/w/printed/agenda.pdf", headers={"If-None-Match": before.headers["ETag"]})
    _assert_being_prepared(stale)  # neither the old bytes nor a 304 for them
    deliver_outbox(app)
    after = client.get("/w/printed/agenda.pdf")
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    text = _text(after.data)
    assert "Renamed for the printed agenda" in text and "Opening on early warning" not in text
    # One stored PDF for the workshop's agenda in English, its bytes replaced.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredPdf)) == 1


def test_each_language_is_its_own_stored_pdf(app, db, client, workshop):
    client.get("/w/printed/agenda.pdf")
    client.get("/w/printed/agenda.pdf?lang=fr")
    deliver_outbox(app)
    english = client.get("/w/printed/agenda.pdf?lang=en")
    french = client.get("/w/printed/agenda.pdf?lang=fr")
    assert english.status_code == french.status_code == 200
    assert "Page 1 of 1" in _text(english.data) and "Page 1 sur 1" in _text(french.data)
    assert sorted(db.session.scalars(sa.select(StoredPdf.key))) == [
        f"agenda:{workshop.id}:en", f"agenda:{workshop.id}:fr"]


def test_without_the_worker_the_route_renders_at_once(app, client, workshop):
    app.config["PDF_IN_WORKER"] = False
    response = client.get("/w/printed/agenda.pdf")
    assert response.status_code == 200 and "Opening on early warning" in _text(response.data)


def test_a_renderer_that_fails_leaves_the_others_to_render(app, db, client, workshop, make_workshop):
    from workshop.platform.registry import registry

    make_workshop(slug="second", title="Second Workshop")
    client.get("/w/printed/agenda.pdf")
    client.get("/w/second/agenda.pdf")
    db.session.execute(sa.update(StoredPdf).where(StoredPdf.key == f"agenda:{workshop.id}:en")
                       .values(kind="nothing by that name"))
    db.session.commit()
    deliver_outbox(app)
    assert client.get("/w/second/agenda.pdf").status_code == 200
    _assert_being_prepared(client.get("/w/printed/agenda.pdf"))  # said in words, never a 500
    assert "nothing by that name" not in registry(app).pdf_renderers
