"""A draft's team previews its public pages behind a banner; everybody else still gets 404, and
the public page cache never keeps or replays a preview."""

import pytest

from tests.conftest import login
from tests.support.agenda import add_item
from workshop.platform import public_cache
from workshop.workshops.models import Role, WorkshopMember, WorkshopStatus

BANNER = "Draft preview, not public."
PAGES = ("/w/draft/", "/w/draft/agenda")


@pytest.fixture
def draft(make_workshop, make_user):
    organizer = make_user("organizer@example.org")
    workshop = make_workshop(organizer, slug="draft", title="Quiet Draft", status=WorkshopStatus.DRAFT)
    add_item(workshop, title="Opening session")
    return workshop


def _add_member(workshop, user, role):
    from workshop.platform.db import db

    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=user.id, role=role))
    db.session.commit()


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.RAPPORTEUR])
def test_team_members_preview_the_draft_behind_a_banner(client, draft, make_user, role):
    member = make_user()
    _add_member(draft, member, role)
    login(client, member)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert BANNER in page and "Quiet Draft" in page, path
        assert "no-store" in response.headers["Cache-Control"]
    assert "Opening session" in client.get("/w/draft/agenda").get_data(as_text=True)


def test_everybody_else_gets_404_for_a_draft(client, app, draft, make_user):
    for path in (*PAGES, "/w/draft/memo", "/w/draft/agenda.json", "/w/draft/calendar.ics",
                 "/w/draft/register"):
        assert client.get(path).status_code == 404, path
    login(client, make_user())  # signed in, but not on the team
    for path in PAGES:
        assert client.get(path).status_code == 404, path


def test_a_published_workshop_shows_no_preview_banner(client, make_workshop):
    make_workshop(slug="open")
    assert BANNER not in client.get("/w/open/").get_data(as_text=True)


def test_the_public_cache_never_stores_or_serves_a_preview(client, app, draft, make_user):
    app.config["PUBLIC_CACHE_SECONDS"] = 30
    public_cache.clear()
    organizer = make_user()
    _add_member(draft, organizer, Role.ORGANIZER)
    login(client, organizer)
    for path in PAGES:
        assert BANNER in client.get(path).get_data(as_text=True)
    assert len(public_cache._cache) == 0
    client.post("/logout")
    for path in PAGES:
        assert client.get(path).status_code == 404, path
    assert len(public_cache._cache) == 0

