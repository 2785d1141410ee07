"""The organizer's agenda screens: add, edit, move, cancel; errors and warnings in words."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from tests.support.agenda import add_item
from workshop.agenda.models import AgendaItem
from workshop.people.models import Contact
from workshop.workshops import service as workshops


@pytest.fixture
def organizer(make_user):
    return make_user("organizer@example.org", "Olga Organizer")


@pytest.fixture
def workshop(make_workshop, organizer):
    return make_workshop(organizer, slug="london-2030", timezone="Europe/London")


@pytest.fixture
def signed_in(login_as, organizer):
    login_as(organizer)


def form(**fields):
    values = {"kind": "working_session", "title": "Early warning", "starts_at": "2030-06-01T09:00",
              "ends_at": "2030-06-01T10:30", "room": "Main hall", "description": "", "guiding_questions": ""}
    values.update(fields)
    return values


def only_item(db):
    return db.session.scalars(sa.select(AgendaItem)).one()


def test_an_organizer_adds_an_item_in_local_time_and_it_is_stored_in_utc(client, workshop, signed_in, db):
    response = client.post("/manage/w/london-2030/agenda/new", data=form())
    assert response.status_code == 302
    item = only_item(db)
    assert item.starts_at == datetime(2030, 6, 1, 8, 0, tzinfo=timezone.utc)  # 09:00 BST
    page = client.get("/manage/w/london-2030/agenda").get_data(as_text=True)
    assert "Early warning" in page and "09:00–10:30" in page and "Europe/London" in page


def test_save_and_add_another_saves_the_item_and_opens_an_empty_form(client, workshop, signed_in, db):
    page = client.get("/manage/w/london-2030/agenda/new").get_data(as_text=True)
    assert 'name="and_another"' in page
    response = client.post("/manage/w/london-2030/agenda/new", data=form(and_another="1"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/w/london-2030/agenda/new")
    assert only_item(db).title == "Early warning"
    assert client.post("/manage/w/london-2030/agenda/new", data=form(starts_at="2030-06-01T11:00",
                       ends_at="2030-06-01T12:00")).headers["Location"].endswith("/manage/w/london-2030/agenda")


@pytest.mark.parametrize("fields, message", [
    ({"ends_at": "2030-06-01T08:00"}, "The end must be after the start."),
    ({"starts_at": "2030-05-31T09:00"}, "starts before the workshop&#39;s first day (1 June 2030)"),
    ({"ends_at": "2030-06-04T09:00"}, "ends after the workshop&#39;s last day (3 June 2030)"),
    ({"starts_at": "tomorrow morning"}, "Enter a date and time such as 2030-06-01 09:30."),
    ({"ends_at": ""}, "Enter when the item ends."),
    ({"title": ""}, "Give the item a title."),
    ({"new_chairs": "Amina <amina@example.org"}, "Line 1 is not in the form Name &lt;email&gt;."),
    ({"new_speakers": "Bo <not-an-email@>"}, "is not a valid email address"),
    ({"chairs": "999"}, "Choose only people from the list."),
])
def test_bad_input_gets_an_error_in_words_and_nothing_is_saved(client, workshop, signed_in, db, fields, message):
    response = client.post("/manage/w/london-2030/agenda/new", data=form(**fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 0


def test_a_time_skipped_by_the_clock_change_is_refused_in_words(client, make_workshop, organizer, signed_in):
    make_workshop(organizer, slug="spring", timezone="Europe/London", start_date=datetime(2030, 3, 31).date(),
                  end_date=datetime(2030, 3, 31).date())
    response = client.post("/manage/w/spring/agenda/new",
                           data=form(starts_at="2030-03-31T01:30", ends_at="2030-03-31T03:00"))
    assert response.status_code == 422
    assert "does not exist in London time" in response.get_data(as_text=True)


def test_chairs_and_speakers_come_from_contacts_or_new_lines(client, workshop, signed_in, db, organizer):
    # One the organizer added to the directory: theirs to pick.
    known = Contact(name="Kofi Mensah", email="kofi@example.org", created_by_id=organizer.id)
    db.session.add(known)
    db.session.commit()
    response = client.post("/manage/w/london-2030/agenda/new", data=form(
        chairs=[str(known.id)], new_speakers="Li Wei <LI@example.cn>\nKofi M <kofi@example.org>"))
    assert response.status_code == 302
    item = only_item(db)
    assert [c.name for c in item.chairs] == ["Kofi Mensah"]
    assert [c.email for c in item.speakers] == ["li@example.cn", "kofi@example.org"]
    assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 2


def test_rapporteurs_are_chosen_among_the_workshops_rapporteurs(client, workshop, signed_in, make_user, db):
    rapporteur = make_user("rap@example.org", "Rafael Rapporteur")
    outsider = make_user("out@example.org", "Not On Team")
    workshops.add_member(workshop, rapporteur.email, "rapporteur")
    page = client.get("/manage/w/london-2030/agenda/new").get_data(as_text=True)
    assert "Rafael Rapporteur" in page and "Not On Team" not in page
    refused = client.post("/manage/w/london-2030/agenda/new", data=form(rapporteurs=[str(outsider.id)]))
    assert refused.status_code == 422
    client.post("/manage/w/london-2030/agenda/new", data=form(rapporteurs=[str(rapporteur.id)]))
    assert [u.email for u in only_item(db).rapporteurs] == ["rap@example.org"]


def test_an_overlap_is_saved_with_a_warning(client, workshop, signed_in, db):
    add_item(workshop, start="09:00", end="10:00", room="Main hall", title="Opening")
    response = client.post("/manage/w/london-2030/agenda/new", data=form(starts_at="2030-06-01T09:30"),
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Warning: Main hall is also booked for “Opening”" in text
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 2


def test_editing_shows_local_times_and_moving_changes_them(client, workshop, signed_in, db):
    item = add_item(workshop, start="09:00", end="10:00")
    edit_page = client.get(f"/manage/w/london-2030/agenda/{item.id}/edit").get_data(as_text=True)
    assert 'value="2030-06-01T09:00"' in edit_page
    response = client.post(f"/manage/w/london-2030/agenda/{item.id}/move",
                           data={"starts_at": "2030-06-02T14:00", "ends_at": "2030-06-02T15:00", "room": "Room B"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.starts_at == datetime(2030, 6, 2, 13, 0, tzinfo=timezone.utc)
    assert (item.room, item.sequence) == ("Room B", 1)


def test_editing_the_description_only_keeps_the_sequence(client, workshop, signed_in, db):
    item = add_item(workshop, start="09:00", end="10:00", kind="plenary", title="Opening plenary")
    client.post(f"/manage/w/london-2030/agenda/{item.id}/edit",
                data=form(kind="plenary", title="Opening plenary", starts_at="2030-06-01T09:00",
                          ends_at="2030-06-01T10:00", description="New words."))
    db.session.refresh(item)
    assert (item.description, item.sequence) == ("New words.", 0)


def test_cancel_and_reinstate(client, workshop, signed_in, db):
    item = add_item(workshop)
    client.post(f"/manage/w/london-2030/agenda/{item.id}/cancel")
    db.session.refresh(item)
    assert item.status == "cancelled"
    client.post(f"/manage/w/london-2030/agenda/{item.id}/reinstate")
    db.session.refresh(item)
    assert item.status == "scheduled"


def test_people_who_are_not_organizers_cannot_touch_the_agenda(client, workshop, make_user, login_as):
    item = add_item(workshop)
    login_as(make_user())
    assert client.get("/manage/w/london-2030/agenda").status_code == 403
    assert client.post(f"/manage/w/london-2030/agenda/{item.id}/cancel").status_code == 403


def test_an_item_of_another_workshop_is_not_found(client, workshop, make_workshop, signed_in):
    other = add_item(make_workshop(slug="other"))
    assert client.get(f"/manage/w/london-2030/agenda/{other.id}/edit").status_code == 404


def test_the_overview_links_to_the_agenda(client, workshop, signed_in):
    assert "/manage/w/london-2030/agenda" in client.get("/manage/w/london-2030/").get_data(as_text=True)


def test_user_input_echoed_in_an_error_is_escaped(client, workshop, signed_in):
    response = client.post("/manage/w/london-2030/agenda/new",
                           data=form(new_speakers="Eve <x<script>alert(1)</script>@example.org>"))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in text
