"""The attribution rule on the agenda's outputs: agenda.json says the workshop's rule and each
session's, the printed agenda (PDF) explains the workshop's rule and names a session's own."""

import io

import pytest
from pypdf import PdfReader

from tests.support.agenda import add_item
from tests.support.pdfs import fetch_pdf
from workshop.platform.db import db


@pytest.fixture
def workshop(make_workshop):
    workshop = make_workshop(slug="rules", title="Focal Points Workshop", timezone="Europe/Zurich")
    add_item(workshop, start="09:00", end="10:00", title="Opening plenary")
    closed = add_item(workshop, start="10:00", end="11:00", title="Restricted exchange")
    closed.attribution_rule = "closed"
    db.session.commit()
    return workshop


def _pdf_text(client, path):
    reader = PdfReader(io.BytesIO(fetch_pdf(client, path).data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_agenda_json_gives_the_workshops_rule_and_each_sessions(client, workshop):
    document = client.get("/w/rules/agenda.json").get_json()
    assert document["workshop"]["attribution_rule"] == "chatham_house"
    assert [(i["title"], i["attribution_rule"]) for i in document["items"]] == [
        ("Opening plenary", "chatham_house"), ("Restricted exchange", "closed")]
    workshop.attribution_rule = "on_record"
    db.session.commit()
    document = client.get("/w/rules/agenda.json").get_json()
    assert document["workshop"]["attribution_rule"] == "on_record"
    assert [i["attribution_rule"] for i in document["items"]] == ["on_record", "closed"]


def test_the_printed_agenda_explains_the_rule_and_names_a_sessions_own(client, workshop):
    text = _pdf_text(client, "/w/rules/agenda.pdf")
    assert "Chatham House Rule: participants are free to use the information received" in text
    assert "Sessions held under another rule say so." in text
    closed_row = text[text.index("Restricted exchange"):]
    assert "Closed (no record)" in closed_row
    assert "Closed (no record)" not in text[:text.index("Restricted exchange")]
    text = _pdf_text(client, "/w/rules/agenda.pdf?lang=fr")
    assert "Règle de Chatham House" in text or "règle de Chatham House" in text


def test_an_agenda_under_one_rule_says_no_more_than_that_rule(client, make_workshop):
    workshop = make_workshop(slug="record", attribution_rule="on_record")
    add_item(workshop, title="Opening plenary")
    text = _pdf_text(client, "/w/record/agenda.pdf")
    assert "On the record: what is said may be attributed to the speaker." in text
    assert "another rule" not in text and "Chatham House Rule:" not in text
