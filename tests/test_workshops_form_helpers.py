"""The workshop form takes a city for the time zone and makes the web address from the title."""

import sqlalchemy as sa

from tests.test_foundation_workshops import VALID, organizer  # noqa: F401
from workshop.workshops.models import Workshop


def _created(db, title):
    return db.session.scalar(sa.select(Workshop).where(Workshop.title == title).order_by(Workshop.id.desc()))


def test_a_city_name_is_taken_for_the_time_zone(client, db, organizer):
    for typed, zone in (("Geneva", "Europe/Zurich"), ("genève", "Europe/Zurich"), ("Женева", "Europe/Zurich"),
                        ("Нью-Йорк", "America/New_York"), ("New York", "America/New_York"),
                        ("Europe/Zurich — Zurich, Geneva (UTC+01:00)", "Europe/Zurich")):
        title = f"Workshop in {typed}"
        response = client.post("/manage/workshops/new", data=dict(VALID, title=title, slug="", timezone=typed))
        assert response.status_code == 302, typed
        assert _created(db, title).timezone == zone
    response = client.post("/manage/workshops/new", data=dict(VALID, timezone="Atlantis"))
    assert response.status_code == 422 and "is not a known time zone" in response.get_data(as_text=True)


def test_an_empty_web_address_is_made_from_the_title_and_kept_unique(client, db, organizer):
    for _ in range(2):
        client.post("/manage/workshops/new", data=dict(VALID, title="Prévention : atelier 2027", slug=""))
    slugs = db.session.scalars(sa.select(Workshop.slug).where(Workshop.title == "Prévention : atelier 2027")
                               .order_by(Workshop.id)).all()
    assert slugs == ["prevention-atelier-2027", "prevention-atelier-2027-2"]


def test_the_form_offers_zones_by_city(client, organizer):
    page = client.get("/manage/workshops/new").get_data(as_text=True)
    assert 'list="timezone-options"' in page
    assert '<option value="Europe/Zurich">Europe/Zurich — Zurich, Geneva' in page
