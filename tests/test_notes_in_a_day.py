"""The notes of a day of sessions in few clicks: "Save and submit" saves what was typed first, a
note links to the next session, and organizers approve every submitted note from the list."""

import pytest

from tests.support.memo import add_item, add_member
from workshop.notes import service as notes
from workshop.notes.models import NoteState
from workshop.platform.db import db
from workshop.workshops.models import Role


@pytest.fixture
def day(make_user, make_workshop):
    organizer, rapporteur = make_user(name="Olga Organizer"), make_user(name="Rita Rapporteur")
    workshop = make_workshop(organizer)
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    items = [add_item(workshop, f"Session {n}", hours=2 * n) for n in (1, 2, 3)]
    return workshop, organizer, rapporteur, items


def test_save_and_submit_saves_what_was_typed_then_submits(client, login_as, day):
    workshop, _, rapporteur, items = day
    login_as(rapporteur)
    url = f"/manage/w/{workshop.slug}/notes/{items[0].id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="then" value="submit"' in page
    assert 'action="/manage/w/%s/notes/%d/state/submit"' % (workshop.slug, items[0].id) not in page
    response = client.post(url, data={"source": "- Typed, never saved before.", "base_number": "", "then": "submit"})
    assert response.status_code == 302
    db.session.expire_all()
    note = notes.find_note(items[0])
    assert note.state == NoteState.SUBMITTED and note.current.source == "- Typed, never saved before."
    # Submitted notes may still be corrected: a plain save keeps them submitted.
    page = client.get(url).get_data(as_text=True)
    assert 'name="then"' not in page
    client.post(url, data={"source": "- Corrected.", "base_number": str(note.current.number)})
    db.session.expire_all()
    assert notes.find_note(items[0]).state == NoteState.SUBMITTED


def test_save_and_submit_refuses_an_empty_text_and_a_stale_base_submits_nothing(client, login_as, day):
    workshop, _, rapporteur, items = day
    login_as(rapporteur)
    url = f"/manage/w/{workshop.slug}/notes/{items[1].id}"
    client.post(url, data={"source": "   ", "base_number": "", "then": "submit"})
    db.session.expire_all()
    note = notes.find_note(items[1])
    assert note is None or note.state == NoteState.DRAFT
    client.post(url, data={"source": "first", "base_number": ""})
    response = client.post(url, data={"source": "second", "base_number": "", "then": "submit"})
    assert response.status_code == 409  # the conflict page keeps both texts
    db.session.expire_all()
    assert notes.find_note(items[1]).state == NoteState.DRAFT


def test_a_note_links_to_the_next_session_and_the_list_to_the_workshop(client, login_as, day):
    workshop, _, rapporteur, items = day
    login_as(rapporteur)
    first = client.get(f"/manage/w/{workshop.slug}/notes/{items[0].id}").get_data(as_text=True)
    assert f'href="/manage/w/{workshop.slug}/notes/{items[1].id}"' in first and "Next session: Session 2" in first
    last = client.get(f"/manage/w/{workshop.slug}/notes/{items[2].id}").get_data(as_text=True)
    assert "Next session:" not in last
    listing = client.get(f"/manage/w/{workshop.slug}/notes/").get_data(as_text=True)
    assert f'href="/manage/w/{workshop.slug}/"' in listing


def test_organizers_approve_every_submitted_note_they_saw_in_one_go(client, login_as, day):
    workshop, organizer, rapporteur, items = day
    for item in items[:2]:
        note = notes.note_for(item)
        notes.save(note, f"Notes of {item.title}.", rapporteur, None)
        notes.change_state(note, "submit", rapporteur)
    draft = notes.note_for(items[2])
    notes.save(draft, "Still a draft.", rapporteur, None)
    db.session.commit()
    login_as(rapporteur)
    assert "Approve the" not in client.get(f"/manage/w/{workshop.slug}/notes/").get_data(as_text=True)
    assert client.post(f"/manage/w/{workshop.slug}/notes/approve-submitted").status_code == 403
    client.post("/logout")
    login_as(organizer)
    listing = client.get(f"/manage/w/{workshop.slug}/notes/").get_data(as_text=True)
    assert "2 notes wait for approval" in listing and "Approve the 2 notes" in listing
    seen = [notes.find_note(item).id for item in items[:2]]
    # A note submitted after the organizer looked is not approved with the others.
    notes.change_state(draft, "submit", rapporteur)
    db.session.commit()
    response = client.post(f"/manage/w/{workshop.slug}/notes/approve-submitted",
                           data={"note_ids": " ".join(map(str, seen))}, follow_redirects=True)
    assert "2 notes approved and locked" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [notes.find_note(item).state for item in items] == [NoteState.APPROVED, NoteState.APPROVED,
                                                                NoteState.SUBMITTED]
    damaged = client.post(f"/manage/w/{workshop.slug}/notes/approve-submitted", data={"note_ids": "1 x"},
                          follow_redirects=True)
    assert "The form is damaged" in damaged.get_data(as_text=True)
    db.session.expire_all()
    assert notes.find_note(items[2]).state == NoteState.SUBMITTED
