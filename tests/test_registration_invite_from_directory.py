"""Inviting by category says why nobody was invited; contacts are filed in categories and
picked from the directory (search, tick, invite); categories show how many they hold."""

import sqlalchemy as sa

from tests.support.registration import taking_registrations  # noqa: F401


def _team(make_user, workshop):
    from workshop.workshops import service as workshops

    organizer = make_user()
    workshops.add_member(workshop, organizer.email, "organizer")
    return organizer


def _contact(email, name, organization="Mission"):
    from workshop.people import service as people

    return people.save_contact(None, name=name, email=email, organization=organization, country="GH")


def test_inviting_an_empty_category_says_why_and_what_to_do(app, db, client, make_user, login_as, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(mode="invitation")
    organizer = _team(make_user, workshop)
    focal = next(c for c in service.categories_for(workshop) if c.name == "R2P Focal Point")
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/invitations").get_data(as_text=True)
    assert "No contact is in a category of this workshop yet" in page
    assert "R2P Focal Point (0 in it)" in page
    answer = client.post(f"/manage/w/{workshop.slug}/invitations/category", data={"cat-category_id": focal.id},
                         follow_redirects=True).get_data(as_text=True)
    assert "0 invitations sent." not in answer
    assert "no contact is in the category “R2P Focal Point” yet" in answer
    assert "Pick from the directory" in answer


def test_organizers_search_tick_file_and_invite_from_the_directory(app, db, client, make_user, login_as, taking_registrations):
    from workshop.registration import service
    from workshop.registration.models import Invitation

    workshop = taking_registrations(mode="invitation")
    organizer = _team(make_user, workshop)
    focal = next(c for c in service.categories_for(workshop) if c.name == "R2P Focal Point")
    ama = _contact("ama@example.org", "Ama Mensah", "Mission of Ghana")
    bo = _contact("bo@example.org", "Bo Lindqvist", "Mission of Sweden")
    carla = _contact("carla@example.org", "Carla Jiménez", "Mission of Costa Rica")
    db.session.commit()
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/invitations/directory"
    found = client.get(url + "?q=mission of").get_data(as_text=True)
    assert "3 contacts match" in found
    only = client.get(url + "?q=sweden").get_data(as_text=True)
    assert "Bo Lindqvist" in only and "Ama Mensah" not in only

    # Filing only: no invitation, the category counts its members.
    client.post(url, data={"contact": [ama.id, bo.id], "category_id": focal.id, "file": "1"})
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    assert "R2P Focal Point (2 in it)" in client.get(f"/manage/w/{workshop.slug}/invitations").get_data(as_text=True)
    assert "2 contacts" in client.get(f"/manage/w/{workshop.slug}/categories").get_data(as_text=True)
    answer = client.post(f"/manage/w/{workshop.slug}/invitations/category", data={"cat-category_id": focal.id},
                         follow_redirects=True).get_data(as_text=True)
    assert "2 invitations sent." in answer
    again = client.post(f"/manage/w/{workshop.slug}/invitations/category", data={"cat-category_id": focal.id},
                        follow_redirects=True).get_data(as_text=True)
    assert "all 2 contacts in “R2P Focal Point” were already invited" in again

    # Tick and invite; one of the ticked is already invited.
    done = client.post(url, data={"contact": [carla.id, ama.id], "invite": "1"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "1 invitation sent." in text and "1 ticked contact was already invited." in text
    emails = set(db.session.scalars(sa.select(Invitation.email)))
    assert emails == {"ama@example.org", "bo@example.org", "carla@example.org"}
    assert client.post(url, data={"invite": "1"}).status_code == 422  # nothing ticked: said in words
