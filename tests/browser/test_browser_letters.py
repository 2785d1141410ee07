"""An organizer sets up a reminder and reads its timeline, then edits the confirmation letter,
previews it with the formal parts filled in and saves it; the next registrant's confirmation,
read back from the real SMTP server, is the edited letter. Screens at 390 and 1280 px."""

from datetime import date, timedelta

import pytest

from tests.support.browser import (assert_no_horizontal_scroll, check_accessibility, create_account, save_screen,
                                   sign_in)
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.platform.db import db as _db

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

PASSWORD = "a long passphrase for the browser"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop(app, runner, make_workshop, smtp_server):
    from workshop.auth.service import find_user
    from workshop.registration import service as registration

    create_account(runner, "nana.organizer@example.org", "Nana Organizer", PASSWORD, can_create_workshops=True)
    organizer = find_user("nana.organizer@example.org")
    start = date.today() + timedelta(days=30)
    workshop = make_workshop(organizer, title="Preparatory Workshop on Early Warning", slug="early-warning-2031",
                             timezone="Africa/Accra", venue="Kofi Annan Centre", city="Accra",
                             start_date=start, end_date=start + timedelta(days=1),
                             contact_email="early.warning@example.org")
    registration.update_settings(workshop, by=organizer, mode="open", confirm_email=False)
    registration.register(workshop, {"name": "Ama Mensah", "email": "ama@example.org", "position": "",
                                     "organization": "Ministry", "country": "GH", "consent": "nobody"})
    _db.session.commit()
    deliver_outbox(app)
    smtp_server.received.clear()
    return workshop


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_an_organizer_sets_up_a_reminder_and_edits_the_confirmation_letter(
        app, live_server, smtp_server, new_context, workshop, viewport):
    from workshop.registration import service as registration

    page = new_context(viewport=viewport, bypass_csp=True).new_page()  # axe-core is injected
    sign_in(page, "nana.organizer@example.org", PASSWORD)
    page.goto(f"/manage/w/{workshop.slug}/")
    page.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Reminders").click()
    page.get_by_label("Days before the start, to confirmed participants").check()
    page.get_by_label("Days", exact=True).fill("7")
    page.get_by_label("Subject").fill("One week to {workshop_title}")
    page.get_by_label("Message").fill("Dear {first_name}, we meet at {venue} on {dates}.")
    page.get_by_role("button", name="Add the reminder").click()
    expect(page.get_by_role("status")).to_contain_text("The reminder is set up.")
    timeline = page.get_by_role("table", name="What goes out when")
    expect(timeline).to_contain_text("One week to {workshop_title}")
    expect(timeline).to_contain_text("1 person so far")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    save_screen(page, f"reminders-{viewport['width']}")

    page.goto(f"/manage/w/{workshop.slug}/")
    page.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Letters").click()
    assert_no_horizontal_scroll(page)
    check_accessibility(page)
    save_screen(page, f"letters-{viewport['width']}")
    page.get_by_role("listitem").filter(has_text="Confirmation").get_by_role("link", name="English").click()
    expect(page.get_by_label("Opening of the letter")).to_have_value(
        "{salutation}\n\nYour registration for {workshop_title}, {dates}, is confirmed: a seat is reserved for you.")
    page.get_by_label("Opening of the letter").fill(
        "{salutation}\n\nWe have the honour to confirm your seat at **{workshop_title}**.")
    page.get_by_label("Signed by (name)").fill("Nana Organizer")
    page.get_by_label("Signatory's title").fill("Head of Programmes")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview (nothing was saved or sent)")
    expect(preview).to_contain_text("Dear Ambassador Mensah,")
    expect(preview).to_contain_text("We have the honour to confirm your seat at Preparatory Workshop on Early Warning.")
    expect(preview).to_contain_text("Head of Programmes")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    save_screen(page, f"letter-preview-{viewport['width']}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 of the letter is saved")
    save_screen(page, f"letter-saved-{viewport['width']}")

    registration.register(workshop, {"name": "H.E. Kofi Boateng", "email": "kofi@example.org", "position": "Minister",
                                     "organization": "Ministry", "country": "GH", "consent": "nobody"})
    _db.session.commit()
    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    [message] = [m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == "kofi@example.org"]
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Excellency,\n\nWe have the honour to confirm your seat at")
    assert "Nana Organizer\nHead of Programmes" in text
    assert "/registrations/" in text  # the personal link stays

    page.get_by_role("button", name="Reset to the default text").click()
    expect(page.get_by_role("status")).to_contain_text("The letter is back to its default text.")
