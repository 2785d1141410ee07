"""The benchmark times the PDFs the mail worker renders as the PDFs themselves, never as the 202
"being prepared" page (figures 1, 2 and 5): it asks, runs the worker's PDF round against its own
database, and refuses any answer that is not the PDF."""

from datetime import datetime, timezone

import pytest

from benchmarks import pdfwork
from workshop.agenda import service as agenda


def _answer(response):
    return response.status_code, response.mimetype, response.data


def test_the_agenda_pdf_is_fetched_as_the_pdf_after_the_workers_round(app, db, client, make_workshop):
    workshop = make_workshop(slug="timed", title="Timed Agenda Workshop")
    agenda.create_item(workshop, title="Opening", room="Room A",
                       starts_at=datetime(2030, 6, 1, 9, tzinfo=timezone.utc),
                       ends_at=datetime(2030, 6, 1, 10, tzinfo=timezone.utc))
    db.session.commit()
    url = "/w/timed/agenda.pdf"
    asked = []

    def get():
        asked.append(client.get(url))
        return _answer(asked[-1])

    body = pdfwork.fetch_stored_pdf(app, get, url)
    # The first answer was the waiting page (what the figures measured before); the second the PDF.
    assert [response.status_code for response in asked] == [202, 200]
    assert body.startswith(b"%PDF") and client.get(url).data == body
    # Once stored, nothing waits: no second request, no round.
    asked.clear()
    assert pdfwork.fetch_stored_pdf(app, get, url) == body and len(asked) == 1
    assert pdfwork.render_stored_pdfs(app) == 0


def test_a_waiting_page_or_another_answer_is_refused():
    with pytest.raises(RuntimeError, match="202 text/html"):
        pdfwork.require_pdf("/w/x/agenda.pdf", 202, "text/html; charset=utf-8", b"<!doctype html>")
    with pytest.raises(RuntimeError):
        pdfwork.require_pdf("/w/x/agenda.pdf", 200, "text/html", b"%PDF-1.7")
    pdfwork.require_pdf("/w/x/agenda.pdf", 200, "application/pdf", b"%PDF-1.7")


def test_the_memory_mix_serves_the_stored_pdfs_and_no_longer_leaves_them_out():
    from benchmarks import figures_memory

    assert not hasattr(figures_memory, "RENDERS_IN_WEB")
    assert set(figures_memory.STORED_PDFS) <= set(figures_memory.PUBLIC) | set(figures_memory.ORGANIZER)
