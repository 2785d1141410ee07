"""The pages people open at a conference, on a phone and at a desk: screenshots written to
``test-artifacts/screens/`` for a person to look at, and no sideways scrolling at 390 px.

The pages show the demo (``flask demo``), so they grow with every feature's demo data.
"""

from pathlib import Path

import pytest

from tests.support.browser import DESK, PHONE, assert_no_horizontal_scroll, save_screen, sign_in
from workshop.demo import OPEN_SLUG, ORGANIZER_EMAIL, R2P_SLUG, load_demo


def needs(branch: str):
    return pytest.mark.skip(reason=f"needs feature/{branch} merge")


# One row per page: the name of its screenshots and its address; "manage" rows are seen signed in
# as the demo organizer, "?show-errors" submits the page's form empty first.
SCREENS = [
    pytest.param("home", "/", id="home"),
    pytest.param("workshop", f"/w/{R2P_SLUG}/", id="workshop"),
    pytest.param("workshop-upcoming", f"/w/{OPEN_SLUG}/", id="workshop-upcoming"),
    pytest.param("login-errors", "/login?show-errors", id="login-errors"),
    pytest.param("manage-workshop", f"/manage/w/{OPEN_SLUG}/", id="manage-workshop"),
    pytest.param("manage-new-workshop-errors", "/manage/workshops/new?show-errors", id="manage-new-workshop-errors"),
    # TODO after the merges: drop the ``needs`` marks.
    pytest.param("register", f"/w/{OPEN_SLUG}/register", id="register", marks=needs("registration")),
    pytest.param("agenda", f"/w/{OPEN_SLUG}/agenda", id="agenda"),
    pytest.param("agenda-past", f"/w/{R2P_SLUG}/agenda", id="agenda-past"),
    pytest.param("memo", f"/w/{R2P_SLUG}/memo", id="memo"),
]
VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(DESK, id="desk")]


@pytest.fixture
def demo(app):
    return load_demo()


def sign_in_as_demo_organizer(page, app) -> None:
    accounts = dict(line.split(" ", 1) for line in
                    (Path(app.instance_path) / "demo-accounts.txt").read_text().splitlines())
    sign_in(page, ORGANIZER_EMAIL, accounts[ORGANIZER_EMAIL])


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name, path", SCREENS)
def test_page_fits_the_screen_and_is_captured(app, new_context, demo, name, path, viewport):
    page = new_context(viewport=viewport).new_page()
    if path.startswith("/manage/"):
        sign_in_as_demo_organizer(page, app)
    response = page.goto(path.replace("?show-errors", ""))
    assert response.status == 200, f"{path} answered {response.status}"
    if path.endswith("?show-errors"):
        page.locator("main form:not(.inline-form) button[type=submit]").last.click()
        page.get_by_role("alert").first.wait_for()
    save_screen(page, name)
    assert_no_horizontal_scroll(page)


def test_a_long_unbroken_word_does_not_widen_the_phone_page(new_context, make_workshop):
    """Guards the check itself: a title no one can wrap must still not make the page scroll."""
    workshop = make_workshop(title="Preparatory" + "Workshop" * 12, venue="https://example.org/" + "x" * 80)
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"/w/{workshop.slug}/")
    assert_no_horizontal_scroll(page)


def test_the_sideways_scroll_check_catches_a_too_wide_element(new_context, demo):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    page.evaluate("() => { const d = document.createElement('div'); d.className = 'too-wide';"
                  " d.style.width = '600px'; d.style.height = '1px'; document.querySelector('main').append(d); }")
    with pytest.raises(AssertionError, match=r"scrolls sideways by \d+px.*div\.too-wide"):
        assert_no_horizontal_scroll(page)
