"""Every public page and every form page: no serious or critical axe-core violation, usable with the
keyboard alone, and form errors announced to screen readers.

Add a page by adding a row to PAGES.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.browser import (
    assert_errors_announced,
    assert_keyboard_reachable,
    assert_skip_link_works,
    check_accessibility,
    sign_in,
    wait_for_focus,
)
from workshop.demo import R2P_SLUG, load_demo


@dataclass(frozen=True)
class Screen:
    path: str  # formatted with ``slug`` and what ``needs`` makes: ``item``, ``invitation``, ``registrant``
    signed_in: bool = False  # as the workshop's organizer
    submit_empty: bool = False  # submit the page's form as it is, to show its errors
    keyboard: bool = True  # False where another row already tabs through the same controls
    needs: tuple[str, ...] = ()  # "open" registration, an agenda "item", an "invitation", a "registrant", the "demo"
    status: int = 200


PAGES = [
    pytest.param(Screen("/"), id="home"),
    pytest.param(Screen("/w/{slug}/"), id="workshop"),
    pytest.param(Screen("/login", keyboard=False), id="login"),
    pytest.param(Screen("/login", submit_empty=True), id="login-with-errors"),
    pytest.param(Screen("/w/no-such-workshop/", status=404), id="not-found"),
    pytest.param(Screen("/manage/", signed_in=True), id="dashboard"),
    pytest.param(Screen("/manage/w/{slug}/", signed_in=True), id="manage-workshop"),
    pytest.param(Screen("/manage/workshops/new", signed_in=True, submit_empty=True), id="new-workshop-with-errors"),
    pytest.param(Screen("/manage/w/{slug}/edit", signed_in=True, keyboard=False), id="edit-workshop"),
    pytest.param(Screen("/manage/w/{slug}/team", signed_in=True), id="team"),
    pytest.param(Screen("/manage/w/{slug}/team", signed_in=True, submit_empty=True, keyboard=False), id="team-with-errors"),
    pytest.param(Screen("/manage/organizations/", signed_in=True), id="organizations"),
    pytest.param(Screen("/manage/organizations/new", signed_in=True, submit_empty=True), id="organization-with-errors"),
    # Agenda, notes, memo
    pytest.param(Screen("/w/{slug}/agenda", needs=("item",)), id="agenda"),
    pytest.param(Screen("/manage/w/{slug}/agenda", signed_in=True, needs=("item",)), id="manage-agenda"),
    pytest.param(Screen("/manage/w/{slug}/agenda/new", signed_in=True, submit_empty=True), id="agenda-item-with-errors"),
    pytest.param(Screen("/manage/w/{slug}/notes/", signed_in=True, needs=("item",)), id="notes"),
    pytest.param(Screen("/manage/w/{slug}/notes/{item}", signed_in=True, needs=("item",)), id="notes-editor"),
    pytest.param(Screen("/manage/w/{slug}/memo/", signed_in=True), id="manage-memo"),
    pytest.param(Screen("/manage/w/{slug}/memo/edit", signed_in=True), id="memo-editor"),
    pytest.param(Screen("/manage/w/{slug}/memo/", signed_in=True, needs=("hits",)), id="manage-memo-with-hits"),
    pytest.param(Screen("/manage/w/{slug}/memo/edit", signed_in=True, needs=("hits",)), id="memo-editor-with-hits"),
    pytest.param(Screen(f"/w/{R2P_SLUG}/memo", needs=("demo",)), id="memo"),
    # Review by participants, recommendations, series, the outputs
    pytest.param(Screen(f"/w/{R2P_SLUG}/recommendations", needs=("demo",)), id="recommendations"),
    pytest.param(Screen("/series/r2p-focal-points-network/", needs=("demo",)), id="series"),
    pytest.param(Screen("/manage/w/{slug}/review", signed_in=True), id="manage-review"),
    pytest.param(Screen("/manage/w/{slug}/outputs", signed_in=True), id="manage-outputs"),
    # Registration
    pytest.param(Screen("/w/{slug}/register", needs=("open",)), id="register"),
    pytest.param(Screen("/w/{slug}/register", needs=("open",), submit_empty=True), id="register-with-errors"),
    pytest.param(Screen("/invitations/{invitation}", needs=("invitation",)), id="invitation"),
    pytest.param(Screen("/invitations/{invitation}/accept", needs=("invitation",), keyboard=False), id="invitation-accept"),
    pytest.param(Screen("/invitations/no-such-token", status=404), id="invitation-invalid"),
    pytest.param(Screen("/registrations/{registrant}", needs=("registrant",)), id="self-service"),
    pytest.param(Screen("/registrations/{registrant}/edit", needs=("registrant",), keyboard=False), id="self-service-edit"),
    pytest.param(Screen("/registrations/{registrant}/withdraw", needs=("registrant",)), id="withdraw"),
    pytest.param(Screen("/manage/w/{slug}/registrations", signed_in=True, needs=("registrant",)), id="manage-registrations"),
    pytest.param(Screen("/manage/w/{slug}/registration-settings", signed_in=True), id="registration-settings"),
    pytest.param(Screen("/manage/w/{slug}/invitations", signed_in=True, needs=("invitation",)), id="manage-invitations"),
    pytest.param(Screen("/manage/contacts/new", signed_in=True, submit_empty=True), id="contact-with-errors"),
    pytest.param(Screen("/manage/w/{slug}/agenda/{item}/cancel", signed_in=True, needs=("item",)), id="agenda-cancel-confirmation"),
]


def prepare(workshop, needs: tuple[str, ...]) -> dict:
    """Make what the page shows; returns the values its path is formatted with."""
    from datetime import datetime, timezone

    from workshop.agenda import service as agenda
    from workshop.agenda.models import ItemKind
    from workshop.platform.db import db
    from workshop.people import service as people
    from workshop.registration import invitations, notify
    from workshop.registration import service as registration

    values = {"slug": workshop.slug}
    if "hits" in needs:
        # A confirmed participant from Ghana, and a memo that points at them three ways.
        from workshop.memos import service as memos

        registration.update_settings(workshop, mode="open", capacity=10, confirm_email=False)
        registration.register(workshop, {"name": "Kwame Owusu", "email": "kwame@example.org", "country": "GH"})
        memos.save(memos.memo_for(workshop), "## Context\n\nAs Owusu put it, the Ghanaian delegation argued "
                   "for it. “We must act,” one ambassador said.\n", None, None)
    if "demo" in needs:
        load_demo()
    if {"open", "invitation", "registrant"} & set(needs):
        registration.update_settings(workshop, mode="open", capacity=10)
    if "item" in needs:
        values["item"] = agenda.create_item(
            workshop, kind=ItemKind.WORKING_SESSION, title="Early warning at the national level",
            starts_at=datetime(2030, 2, 24, 14, 30, tzinfo=timezone.utc),
            ends_at=datetime(2030, 2, 24, 16, 0, tzinfo=timezone.utc), room="Room A").id
    if "invitation" in needs:
        contact = people.save_contact(None, name="Ama Mensah", email="ama.mensah@example.org",
                                      organization="Ministry of Foreign Affairs")
        values["invitation"] = notify.issue_invitation_token(invitations.invite(workshop, contact))
    if "registrant" in needs:
        registrant = registration.register(workshop, {"name": "Bo Lindqvist", "email": "bo@example.org"})
        values["registrant"] = notify.issue_registration_token(registrant)
    db.session.commit()
    return values


def open_screen(page, screen: Screen, workshop) -> None:
    values = prepare(workshop, screen.needs)
    if screen.signed_in:
        sign_in(page, "olga@example.org", TEST_PASSWORD)
    response = page.goto(screen.path.format(**values))
    assert response.status == screen.status, f"{screen.path} answered {response.status}"
    if screen.submit_empty:
        page.locator("main form:not(.inline-form) button[type=submit]").last.click()
        page.wait_for_load_state()


@pytest.mark.parametrize("screen", PAGES)
def test_page_passes_axe_and_works_with_the_keyboard_alone(a11y_page, published_workshop, screen):
    """No serious or critical axe-core violation; errors announced; skip link, then every control
    reached by Tab with a visible focus ring."""
    open_screen(a11y_page, screen, published_workshop)
    check_accessibility(a11y_page)
    if screen.submit_empty:
        assert_errors_announced(a11y_page)
    if screen.keyboard:
        assert_skip_link_works(a11y_page)
        assert assert_keyboard_reachable(a11y_page), "nothing on the page takes keyboard focus"


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("screen", PAGES)
def test_page_in_french_and_arabic_passes_axe(a11y_page, published_workshop, screen, language):
    """The same pages in French (long words) and Arabic (right to left), chosen with ?lang= and
    kept by the cookie: no serious or critical violation, and the page says its language."""
    a11y_page.goto(f"/?lang={language}")
    open_screen(a11y_page, screen, published_workshop)
    html = a11y_page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (language, "rtl" if language == "ar" else "ltr")
    check_accessibility(a11y_page)
    if screen.submit_empty:
        assert_errors_announced(a11y_page)


def test_a_person_signs_in_with_the_keyboard_alone(page, organizer):
    page.goto("/login")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    while page.evaluate("() => document.activeElement.id") != "email":
        page.keyboard.press("Tab")
    page.keyboard.type(organizer.email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_text("Signed in as Olga Organizer").wait_for()
    assert urlsplit(page.url).path == "/manage/"


def test_form_errors_lead_the_keyboard_to_the_field_to_fix(page, organizer):
    sign_in(page, organizer.email, TEST_PASSWORD)
    page.goto("/manage/workshops/new")
    page.get_by_label("Title").focus()
    page.keyboard.press("Enter")  # submits the form, empty
    summary = page.get_by_role("alert").filter(has_text="Please correct the following")
    summary.wait_for()
    assert "Enter the workshop's title." in summary.inner_text()
    invalid = assert_errors_announced(page)
    assert {"title", "slug", "timezone", "start_date", "end_date"} <= set(invalid)

    summary.get_by_role("link", name="Time zone").focus()
    page.keyboard.press("Enter")  # follows the link to #timezone, which focuses the field
    wait_for_focus(page, "timezone")
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.get_by_label("Time zone")).to_have_accessible_description(
        "Type the city (Geneva, New York, Accra) and pick it from the list. Choose the time zone of the venue."
    )
    # Hints are text: "<slug>" and "<theme>" are shown, not swallowed as HTML tags.
    expect(page.get_by_label("Web address (slug)")).to_have_accessible_description(
        "Lower-case letters, digits and single hyphens, e.g. r2p-focal-points-2012. It becomes /w/<slug>/. "
        "Left empty, it is made from the title. Choose a web address."
    )
    expect(page.get_by_text("The memo is titled '<theme> | Discussion Takeaways'.")).to_be_visible()
