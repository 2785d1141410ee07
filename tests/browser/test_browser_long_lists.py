"""An organizer pages through 120 registrations, filters them, and the page links keep the
filter; the list fits a phone and a desk screen (screenshots at 390 and 1280 px)."""

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.browser import DESK, PHONE, assert_no_horizontal_scroll, check_accessibility, save_screen, sign_in
from tests.support.registration import taking_registrations  # noqa: F401
from tests.support.scale import grow
from workshop.platform.db import db as _db

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect


@pytest.fixture
def crowded(app, make_user, taking_registrations):  # noqa: F811
    from workshop.workshops import service as workshops

    organizer = make_user("olga@example.org", "Olga Organizer")
    workshop = taking_registrations()
    workshops.add_member(workshop, organizer.email, "organizer")
    _db.session.commit()
    grow(_db, workshop, organizer, 120, "crowd")
    return workshop


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1280"])
def test_an_organizer_pages_through_a_long_filtered_registration_list(new_context, crowded, viewport):
    page = new_context(viewport=viewport, bypass_csp=True).new_page()
    sign_in(page, "olga@example.org", TEST_PASSWORD)
    page.goto(f"/manage/w/{crowded.slug}/registrations")
    pages = page.get_by_role("navigation", name="Pages of registrations")
    expect(pages).to_contain_text("Showing 1–50 of 120")
    expect(page.locator("main table.table tbody tr").filter(has=page.locator("a"))).to_have_count(50)
    pages.get_by_role("link", name="Next page").click()
    expect(pages).to_contain_text("Showing 51–100 of 120")
    expect(pages).to_contain_text("Page 2 of 3")
    expect(pages.get_by_role("link", name="Previous page")).to_be_visible()
    save_screen(page, "registrations-page-2-of-3")

    page.get_by_label("Search").fill("person 00")  # Person 0000 to Person 0099
    page.get_by_role("button", name="Filter").click()
    expect(pages).to_contain_text("Showing 1–50 of 100")
    pages.get_by_role("link", name="Next page").click()
    expect(pages).to_contain_text("Showing 51–100 of 100")
    expect(page.get_by_label("Search")).to_have_value("person 00")  # the filter is still on
    assert "q=person+00" in page.url and "page=2" in page.url
    assert_no_horizontal_scroll(page)
    check_accessibility(page)
    save_screen(page, "registrations-filtered-last-page")
