"""Chairs and speakers are ticked in a list of contacts, found by typing; without JavaScript the
same list works, only without the filter."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.support.browser import save_screen, sign_in
from workshop.agenda.models import AgendaItem
from workshop.people.models import Contact
from workshop.platform.db import db as _db

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
NAMES = ["Kwame Owusu", "Amara Diallo", "Søren Østergaard", "Li Wei", "Ana María Pérez"] + [
    f"Delegate {n:02d}" for n in range(1, 40)]


@pytest.fixture
def setting(make_user, make_workshop):
    organizer = make_user("olga@example.org", "Olga Organizer", can_create_workshops=True)
    workshop = make_workshop(organizer, slug="picker-2031", timezone="Europe/Zurich",
                             start_date=date(2031, 5, 5), end_date=date(2031, 5, 6))
    for n, name in enumerate(NAMES):
        _db.session.add(Contact(name=name, email=f"person{n}@example.org", created_by_id=organizer.id))
    _db.session.commit()
    return organizer, workshop


def fill_item(page, title: str) -> None:
    page.goto("/manage/w/picker-2031/agenda/new")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Starts").fill("2031-05-05T09:00")
    page.get_by_label("Ends").fill("2031-05-05T10:30")


def chosen(item_title: str) -> tuple[list[str], list[str]]:
    _db.session.expire_all()
    item = _db.session.query(AgendaItem).filter_by(title=item_title).one()
    return sorted(c.name for c in item.chairs), sorted(c.name for c in item.speakers)


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_a_chair_is_found_by_typing_part_of_the_name_and_ticked(new_context, setting, viewport):
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "olga@example.org", TEST_PASSWORD)
    fill_item(page, "Opening")
    chairs = page.get_by_role("group", name="Chairs or moderators")
    finder = chairs.get_by_role("searchbox")
    expect(finder).to_be_visible()
    finder.fill("owusu")
    expect(chairs.get_by_role("checkbox", name="Kwame Owusu")).to_be_visible()
    expect(chairs.get_by_role("checkbox", name="Amara Diallo")).to_be_hidden()
    chairs.get_by_role("checkbox", name="Kwame Owusu").check()
    finder.fill("perez")  # "Pérez" found without the accent
    expect(chairs.get_by_role("checkbox", name="Ana María Pérez")).to_be_visible()
    # What is ticked stays in view while another name is searched.
    expect(chairs.get_by_role("checkbox", name="Kwame Owusu")).to_be_visible()
    chairs.get_by_role("checkbox", name="Ana María Pérez").check()
    speakers = page.get_by_role("group", name="Speakers")
    speakers.get_by_role("searchbox").fill("li wei")
    speakers.get_by_role("checkbox", name="Li Wei").check()
    save_screen(page, f"contact-picker-{viewport['width']}")
    page.get_by_role("button", name="Save item").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert chosen("Opening") == (["Ana María Pérez", "Kwame Owusu"], ["Li Wei"])


def test_without_javascript_the_list_of_boxes_works_and_no_filter_shows(new_context, setting):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "olga@example.org", TEST_PASSWORD)
    fill_item(page, "Closing")
    chairs = page.get_by_role("group", name="Chairs or moderators")
    expect(chairs.get_by_role("searchbox")).to_have_count(0)
    chairs.get_by_role("checkbox", name="Delegate 39").check()
    page.get_by_role("group", name="Speakers").get_by_role("checkbox", name="Amara Diallo").check()
    page.get_by_role("button", name="Save item").click()
    assert chosen("Closing") == (["Delegate 39"], ["Amara Diallo"])
