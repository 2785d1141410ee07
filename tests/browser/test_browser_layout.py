"""The pages people open at a conference, on a phone and at a desk: screenshots written to
``test-artifacts/screens/`` for a person to look at, no sideways scrolling at 390 px, and no
word in a table cell broken in the middle ("co nfir me d") at 390 or 1280 px.

The pages show the demo (``flask demo``), so they grow with every feature's demo data.
"""

from pathlib import Path

import pytest

from tests.support.browser import (DESK, PHONE, assert_no_horizontal_scroll, assert_no_word_split_in_table_cells,
                                   save_screen, sign_in)
from workshop.demo import OPEN_SLUG, ORGANIZER_EMAIL, R2P_SLUG, load_demo


# One row per page: the name of its screenshots and its address. "/manage/" pages are seen signed in
# as the demo organizer; "?show-errors" submits the page's form empty first.
SCREENS = [
    ("home", "/"),
    ("workshop", f"/w/{R2P_SLUG}/"),
    ("workshop-upcoming", f"/w/{OPEN_SLUG}/"),
    ("register", f"/w/{OPEN_SLUG}/register"),
    ("register-errors", f"/w/{OPEN_SLUG}/register?show-errors"),
    ("agenda", f"/w/{OPEN_SLUG}/agenda"),
    ("agenda-past", f"/w/{R2P_SLUG}/agenda"),
    ("memo", f"/w/{R2P_SLUG}/memo"),
    ("recommendations", f"/w/{R2P_SLUG}/recommendations"),
    ("series", "/series/r2p-focal-points-network/"),
    ("login-errors", "/login?show-errors"),
    ("manage-workshop", f"/manage/w/{OPEN_SLUG}/"),
    ("manage-new-workshop-errors", "/manage/workshops/new?show-errors"),
    ("manage-registrations", f"/manage/w/{OPEN_SLUG}/registrations"),
    ("manage-agenda", f"/manage/w/{OPEN_SLUG}/agenda"),
    ("manage-memo", f"/manage/w/{R2P_SLUG}/memo/"),
    ("manage-review", f"/manage/w/{R2P_SLUG}/review"),
    ("manage-recommendations", f"/manage/w/{R2P_SLUG}/recommendations"),
    ("manage-outputs", f"/manage/w/{R2P_SLUG}/outputs"),
    ("manage-dashboard", "/manage/"),
    ("manage-invitations", f"/manage/w/{OPEN_SLUG}/invitations"),
    ("manage-directory", f"/manage/w/{OPEN_SLUG}/invitations/directory"),
    ("manage-categories", f"/manage/w/{OPEN_SLUG}/categories"),
    ("manage-contacts", "/manage/contacts/"),
    ("manage-team", f"/manage/w/{OPEN_SLUG}/team"),
    ("manage-activity", f"/manage/w/{OPEN_SLUG}/audit"),
    ("manage-notes", f"/manage/w/{R2P_SLUG}/notes/"),
    ("manage-agenda-past", f"/manage/w/{R2P_SLUG}/agenda"),
    ("manage-registrations-past", f"/manage/w/{R2P_SLUG}/registrations"),
]
VIEWPORTS = (PHONE, DESK)
# English, then French (long words) and Arabic (right to left): each page in each. The language is
# chosen once per pass with ?lang= and remembered by the cookie, as a visitor would.
LANGUAGES = ("en", "fr", "ar")


@pytest.fixture
def demo(app):
    return load_demo()


def sign_in_as_demo_organizer(page, app) -> None:
    accounts = dict(line.split(" ", 1) for line in
                    (Path(app.instance_path) / "demo-accounts.txt").read_text().splitlines())
    sign_in(page, ORGANIZER_EMAIL, accounts[ORGANIZER_EMAIL])


def test_every_page_fits_the_phone_and_the_desk_and_is_captured(app, new_context, demo):
    """One pass over SCREENS per language and viewport (the demo is loaded once); the failure
    lists every page that overflows or does not say its language and direction."""
    problems = []
    for language in LANGUAGES:
        direction = "rtl" if language == "ar" else "ltr"
        for viewport in VIEWPORTS:
            page = new_context(viewport=viewport).new_page()
            page.goto(f"/?lang={language}")
            # Anonymous pages first, then the organizer's (signed in, /login would redirect).
            for name, path in sorted(SCREENS, key=lambda row: row[1].startswith("/manage/")):
                if path.startswith("/manage/") and page.locator("header a[href='/logout']").count() == 0:
                    sign_in_as_demo_organizer(page, app)
                response = page.goto(path.replace("?show-errors", ""))
                if response.status != 200:
                    problems.append(f"{path} ({language}) answered {response.status}")
                    continue
                html = page.locator("html")
                if (html.get_attribute("lang"), html.get_attribute("dir")) != (language, direction):
                    problems.append(f"{path} ({language}) is not marked lang={language} dir={direction}")
                if path.endswith("?show-errors"):
                    page.locator("main form:not(.inline-form) button[type=submit]").last.click()
                    page.get_by_role("alert").first.wait_for()
                save_screen(page, name if language == "en" else f"{name}-{language}")
                for check in (assert_no_horizontal_scroll, assert_no_word_split_in_table_cells):
                    try:
                        check(page)
                    except AssertionError as error:
                        problems.append(f"({language}) {error}")
    assert not problems, "\n".join(problems)


def test_a_long_unbroken_word_does_not_widen_the_phone_page(new_context, make_workshop):
    """Guards the check itself: a title no one can wrap must still not make the page scroll."""
    workshop = make_workshop(title="Preparatory" + "Workshop" * 12, venue="https://example.org/" + "x" * 80)
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"/w/{workshop.slug}/")
    assert_no_horizontal_scroll(page)


def test_the_word_split_check_catches_a_cell_too_narrow_for_its_word(new_context, live_server):
    """Guards the check itself: a cell squeezed below its longest word, as `overflow-wrap: anywhere`
    lets a table do, is reported with the word."""
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    # Styles set through the CSSOM: the page's CSP refuses inline style attributes.
    page.evaluate("() => { const t = document.createElement('table'); const c = t.insertRow().insertCell();"
                  " c.textContent = 'Restaurant confirmed'; c.style.overflowWrap = 'anywhere';"
                  " t.style.width = '3rem'; document.querySelector('main').append(t); }")
    with pytest.raises(AssertionError, match=r'"Restaurant" is split over \d lines'):
        assert_no_word_split_in_table_cells(page)


def test_the_sideways_scroll_check_catches_a_too_wide_element(new_context, live_server):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    page.evaluate("() => { const d = document.createElement('div'); d.className = 'too-wide';"
                  " d.style.width = '600px'; d.style.height = '1px'; document.querySelector('main').append(d); }")
    with pytest.raises(AssertionError, match=r"scrolls sideways by \d+px.*div\.too-wide"):
        assert_no_horizontal_scroll(page)


def test_the_agenda_change_and_draft_preview_pages_fit_and_are_captured(app, new_context, make_workshop, organizer):
    """The pages an organizer sees while preparing: the draft preview, an empty agenda, and the
    confirmation before cancelling an item."""
    from tests.conftest import TEST_PASSWORD
    from tests.support.agenda import add_item
    from workshop.platform.db import db
    from workshop.workshops.models import WorkshopStatus

    draft = make_workshop(organizer, slug="draft-preview", title="A draft workshop on early warning",
                          status=WorkshopStatus.DRAFT)
    published = make_workshop(organizer, slug="with-items", title="A published workshop")
    make_workshop(organizer, slug="empty-agenda", title="A workshop without an agenda yet")
    item = add_item(published, title="Early warning at the national level", room="Room A")
    db.session.commit()
    screens = [("draft-preview", f"/w/{draft.slug}/"), ("draft-preview-agenda", f"/w/{draft.slug}/agenda"),
               ("agenda-empty", "/w/empty-agenda/agenda"),
               ("manage-agenda-cancel", f"/manage/w/{published.slug}/agenda/{item.id}/cancel")]
    problems = []
    for viewport in VIEWPORTS:
        page = new_context(viewport=viewport).new_page()
        sign_in(page, organizer.email, TEST_PASSWORD)
        for name, path in screens:
            response = page.goto(path)
            if response.status != 200:
                problems.append(f"{path} answered {response.status}")
                continue
            save_screen(page, name)
            try:
                assert_no_horizontal_scroll(page)
            except AssertionError as error:
                problems.append(str(error))
    assert not problems, "\n".join(problems)
