"""Text typed in a browser keeps its paragraphs.

A browser sends a textarea's lines ending in CR LF, so two paragraphs arrive separated by
"\r\n\r\n". The form base class stores them with LF only, and text is split into paragraphs by one
function that also copes with older stored text.
"""

import sqlalchemy as sa
from wtforms import StringField, TextAreaField

from tests.support.html import paragraphs
from tests.support.memo import add_item
from workshop.platform.forms import SafeForm
from workshop.platform.markup import normalize_newlines, paragraphs as split_paragraphs
from workshop.workshops.models import Workshop, WorkshopStatus

TYPED = "Focal points compare their practice.\r\n\r\nA second paragraph,\r\non two lines."
SHOWN = ["Focal points compare their practice.", "A second paragraph, on two lines."]


def test_line_endings_become_line_feeds():
    assert normalize_newlines("a\r\nb\rc\nd\r\n\r\ne") == "a\nb\nc\nd\n\ne"


def test_paragraphs_are_split_on_blank_lines_whatever_the_line_endings():
    assert split_paragraphs(TYPED) == ["Focal points compare their practice.", "A second paragraph,\non two lines."]
    assert split_paragraphs("one\r\r\rtwo") == ["one", "two"]
    assert split_paragraphs("one\n  \t\ntwo\n\n\n\n") == ["one", "two"]
    assert split_paragraphs(None) == split_paragraphs("  \r\n ") == []


def test_the_form_base_stores_a_textarea_with_line_feeds_and_still_refuses_breaks_in_a_line(app):
    class Form(SafeForm):
        body = TextAreaField()
        name = StringField()

    from werkzeug.datastructures import MultiDict

    with app.test_request_context():
        form = Form(formdata=MultiDict({"body": TYPED, "name": "Olga\r\nBcc: x"}), meta={"csrf": False})
        assert not form.validate()
        assert form.body.data == "Focal points compare their practice.\n\nA second paragraph,\non two lines."
        assert "name" in form.errors and "body" not in form.errors


def test_a_workshop_description_typed_in_a_browser_shows_two_paragraphs(client, db, make_user, login_as):
    from tests.test_foundation_workshops import VALID
    from workshop.workshops import service

    login_as(make_user("organizer@example.org", "Olga Organizer", can_create_workshops=True))
    assert client.post("/manage/workshops/new", data=VALID).status_code == 302
    assert client.post("/manage/w/r2p-2012/edit", data=dict(VALID, description=TYPED)).status_code == 302
    workshop = db.session.scalar(sa.select(Workshop))
    assert workshop.description == "Focal points compare their practice.\n\nA second paragraph,\non two lines."
    service.set_status(workshop, WorkshopStatus.PUBLISHED)
    page = client.get("/w/r2p-2012/").get_data(as_text=True)
    assert [p for p in paragraphs(page) if p in SHOWN] == SHOWN


def test_a_description_stored_with_browser_line_endings_still_shows_two_paragraphs(client, make_workshop):
    # Text saved before input was normalized keeps its CR LF in the database.
    workshop = make_workshop(slug="stored-crlf", description=TYPED)
    page = client.get(f"/w/{workshop.slug}/").get_data(as_text=True)
    assert [p for p in paragraphs(page) if p in SHOWN] == SHOWN


def test_an_agenda_item_description_typed_in_a_browser_shows_two_paragraphs(client, make_user, make_workshop, login_as):
    organizer = make_user("organizer@example.org", "Olga Organizer")
    workshop = make_workshop(organizer, slug="london-2030", timezone="Europe/London")
    login_as(organizer)
    response = client.post("/manage/w/london-2030/agenda/new", data={
        "kind": "working_session", "title": "Early warning", "starts_at": "2030-06-01T09:00",
        "ends_at": "2030-06-01T10:30", "room": "Main hall", "description": TYPED, "guiding_questions": ""})
    assert response.status_code == 302
    page = client.get(f"/w/{workshop.slug}/agenda").get_data(as_text=True)
    assert [p for p in paragraphs(page) if p in SHOWN] == SHOWN


def test_notes_typed_in_a_browser_keep_two_paragraphs(client, db, make_user, make_workshop, login_as):
    from workshop.notes.models import Note

    organizer = make_user("organizer@example.org", "Olga Organizer")
    workshop = make_workshop(organizer)
    item = add_item(workshop, "Opening plenary")
    login_as(organizer)
    editor = f"/manage/w/{workshop.slug}/notes/{item.id}"
    response = client.post(editor, data={"source": TYPED, "base_number": ""})
    assert response.status_code == 302
    note = db.session.scalar(sa.select(Note).where(Note.agenda_item_id == item.id))
    assert note.current.source == "Focal points compare their practice.\n\nA second paragraph,\non two lines."
    page = client.get(f"{editor}/revisions/1").get_data(as_text=True)
    assert [p for p in paragraphs(page) if p in SHOWN] == SHOWN
