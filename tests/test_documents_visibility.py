"""Who finds which document where: public pages, agenda.json, a participant's own page, the team."""

import pytest

from tests.support.agenda import add_item
from tests.support.documents import pdf
from tests.support.registration import details, link_from_outbox, taking_registrations  # noqa: F401


@pytest.fixture
def world(app, db, taking_registrations):
    from workshop.documents import service as documents
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    item = add_item(workshop, title="Opening plenary")
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    service.register(workshop, details(email="li@example.org", name="Li Wei"))  # waitlisted
    made = {}
    for visibility, on_item in (("public", False), ("public", True), ("participants", True), ("team", False)):
        title = f"{visibility.capitalize()} paper {'on the session' if on_item else 'for the workshop'}"
        made[(visibility, on_item)] = documents.upload(
            workshop, filename=f"{visibility}-{int(on_item)}.pdf", data=pdf(title), title=title,
            description="", language="en", kind="background_paper", visibility=visibility,
            agenda_item_id=item.id if on_item else None)
    db.session.commit()
    return workshop, item, made, link_from_outbox(db, "ama@example.org"), link_from_outbox(db, "li@example.org")


def titles(html: str, made) -> set:
    return {key for key, document in made.items() if document.title in html}


def test_public_pages_show_the_public_ones_only(client, world):
    workshop, item, made, _, _ = world
    public = {("public", False), ("public", True)}
    # The workshop's own on its page (and above the agenda); the session's beside it on the
    # agenda; all on /documents.
    assert titles(client.get(f"/w/{workshop.slug}/").get_data(as_text=True), made) == {("public", False)}
    agenda = client.get(f"/w/{workshop.slug}/agenda").get_data(as_text=True)
    assert titles(agenda, made) == public
    session = agenda[agenda.index(f'id="item-{item.id}"'):]
    assert made[("public", True)].title in session[:session.index("</li>")]
    assert titles(client.get(f"/w/{workshop.slug}/documents").get_data(as_text=True), made) == public
    for (visibility, on_item), document in made.items():
        response = client.get(f"/w/{workshop.slug}/documents/{document.id}/{document.filename}")
        assert response.status_code == (200 if visibility == "public" else 404)


def test_agenda_json_lists_the_public_ones_with_urls(client, world):
    workshop, item, made, _, _ = world
    data = client.get(f"/w/{workshop.slug}/agenda.json").get_json()
    [entry] = data["items"]
    [on_item] = entry["documents"]
    [for_workshop] = data["workshop"]["documents"]
    assert on_item["title"] == made[("public", True)].title
    assert for_workshop["title"] == made[("public", False)].title
    assert on_item["url"].startswith("http://workshop.test/w/")
    assert client.get(on_item["url"].removeprefix("http://workshop.test")).data == pdf(on_item["title"])
    text = str(data)
    assert made[("participants", True)].title not in text and made[("team", False)].title not in text


def test_a_confirmed_participant_finds_theirs_on_their_page_and_downloads_them(client, world):
    workshop, _, made, link, _ = world
    page = client.get(link).get_data(as_text=True)
    assert titles(page, made) == {("public", False), ("public", True), ("participants", True)}
    participants = made[("participants", True)]
    response = client.get(f"{link}/documents/{participants.id}/{participants.filename}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    team = made[("team", False)]
    assert client.get(f"{link}/documents/{team.id}/{team.filename}").status_code == 404


def test_a_waitlisted_registrant_sees_none_and_downloads_none(client, world):
    workshop, _, made, _, waitlisted = world
    assert titles(client.get(waitlisted).get_data(as_text=True), made) == set()
    participants = made[("participants", True)]
    assert client.get(f"{waitlisted}/documents/{participants.id}/x.pdf").status_code == 404


def test_another_workshops_registrant_cannot_open_these(client, db, world, taking_registrations):
    from workshop.registration import service

    _, _, made, _, _ = world
    elsewhere = taking_registrations()
    service.register(elsewhere, details(email="olga@example.org", name="Olga Ivanova"))
    db.session.commit()
    link = link_from_outbox(db, "olga@example.org")
    for document in made.values():
        assert client.get(f"{link}/documents/{document.id}/{document.filename}").status_code == 404


def test_the_team_sees_every_one_on_the_organizer_page(client, db, world, login_as):
    from workshop.auth.models import User
    from workshop.workshops.models import WorkshopMember

    workshop, _, made, _, _ = world
    organizer = db.session.get(User, db.session.query(WorkshopMember).filter_by(workshop_id=workshop.id).first().user_id)
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/documents").get_data(as_text=True)
    assert titles(page, made) == set(made)
    team = made[("team", False)]
    assert client.get(f"/manage/w/{workshop.slug}/documents/{team.id}/file").status_code == 200


def test_public_pages_refresh_when_a_document_changes(client, db, world):
    from workshop.documents import service as documents

    workshop, item, made, _, _ = world
    pages = [f"/w/{workshop.slug}/", f"/w/{workshop.slug}/agenda", f"/w/{workshop.slug}/agenda.json",
             f"/w/{workshop.slug}/documents"]
    for page in pages:
        client.get(page)  # now in the page cache
    documents.upload(workshop, filename="late.pdf", data=pdf(), title="A paper added late", description="",
                     language="fr", kind="other", visibility="public", agenda_item_id=None)
    db.session.commit()
    for page in pages[:1] + pages[2:]:
        assert "A paper added late" in client.get(page).get_data(as_text=True), page
    documents.update(made[("public", True)], workshop=workshop, title="Now team only", description="",
                     language="en", kind="other", visibility="team", agenda_item_id=item.id)
    db.session.commit()
    assert made[("public", True)].title not in client.get(pages[1]).get_data(as_text=True)
    assert "Now team only" not in client.get(pages[1]).get_data(as_text=True)


def test_a_draft_workshops_documents_are_not_public(client, db, make_workshop):
    from workshop.documents import service as documents
    from workshop.workshops.models import WorkshopStatus

    draft = make_workshop(status=WorkshopStatus.DRAFT)
    document = documents.upload(draft, filename="a.pdf", data=pdf(), title="Draft paper", description="",
                                language="en", kind="other", visibility="public", agenda_item_id=None)
    db.session.commit()
    assert client.get(f"/w/{draft.slug}/documents").status_code == 404
    assert client.get(f"/w/{draft.slug}/documents/{document.id}/a.pdf").status_code == 404
