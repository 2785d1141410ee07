"""An organizer writes to a filtered group: compose, preview, send; the recipients' mail, read
back from the real SMTP server, has the placeholders filled; the progress bar follows delivery
without a reload."""

import re
from datetime import date

import pytest

from tests.support.browser import create_account, sign_in
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.platform.db import db as _db

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

PASSWORD = "a long passphrase for the browser"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop(app, runner, make_workshop, smtp_server):
    from workshop.auth.service import find_user
    from workshop.registration import service as registration

    create_account(runner, "nana.organizer@example.org", "Nana Organizer", PASSWORD, can_create_workshops=True)
    organizer = find_user("nana.organizer@example.org")
    workshop = make_workshop(organizer, title="Preparatory Workshop on Early Warning", slug="early-warning-2031",
                             timezone="Africa/Accra", venue="Kofi Annan Centre", city="Accra",
                             start_date=date(2031, 3, 10), end_date=date(2031, 3, 11),
                             contact_email="early.warning@example.org")
    registration.update_settings(workshop, by=organizer, mode="open", confirm_email=False)
    for name, email, country in (("Ama Mensah", "ama@example.org", "GH"), ("Kofi Boateng", "kofi@example.org", "GH"),
                                 ("Bo Lindqvist", "bo@example.org", "DK")):
        registration.register(workshop, {"name": name, "email": email, "position": "", "organization": "Ministry",
                                         "country": country, "consent": "nobody"})
    _db.session.commit()
    deliver_outbox(app)  # the confirmations go first: this journey reads only what it sends
    smtp_server.received.clear()
    return workshop


def test_an_organizer_writes_to_the_registrants_from_one_country(app, live_server, smtp_server, new_context, workshop):
    page = new_context().new_page()
    sign_in(page, "nana.organizer@example.org", PASSWORD)
    page.get_by_role("link", name=workshop.title).click()
    page.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Write to participants").click()

    page.get_by_label("Country").select_option(label="Ghana")
    page.get_by_label("Subject").fill("Practical details: {workshop_title}")
    page.get_by_label("Message").fill("Dear {first_name},\n\nWe meet at **{venue}** on {dates}.\n\n"
                                      "Check [your registration]({self_service_link}).")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview (nothing was sent)")
    expect(preview).to_contain_text("Dear Ama,")
    expect(preview).to_contain_text("We meet at Kofi Annan Centre, Accra on 10–11 March 2031.")
    expect(page.get_by_text("2 people match.")).to_be_visible()
    page.get_by_label("Preview as").select_option(label="Kofi Boateng <kofi@example.org>")
    page.get_by_role("button", name="Preview").click()
    expect(preview).to_contain_text("Dear Kofi,")
    assert smtp_server.messages == []  # a preview sends nothing

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The message is on its way to 2 people.")
    expect(page.locator(".progress-count")).to_have_text("0 of 2")
    deliver_outbox(app)
    # The page asks the server again by itself: no reload.
    expect(page.locator(".progress-count")).to_have_text("2 of 2", timeout=10_000)
    expect(page.locator("#delivery-progress")).to_have_attribute("value", "2")
    page.reload()
    expect(page.get_by_role("row", name=re.compile("Ama Mensah"))).to_contain_text("sent")

    assert smtp_server.wait_for(2)
    by_address = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert sorted(by_address) == ["ama@example.org", "kofi@example.org"]  # Bo is in Denmark
    for address, first_name in (("ama@example.org", "Ama"), ("kofi@example.org", "Kofi")):
        message = by_address[address]
        assert message["Subject"] == "Practical details: Preparatory Workshop on Early Warning"
        assert message["Reply-To"] == "early.warning@example.org"
        text = message.get_body(preferencelist=("plain",)).get_content()
        # The text part reads as a letter: the Markdown's emphasis marks are gone.
        assert f"Dear {first_name}," in text and "at Kofi Annan Centre, Accra on 10–11 March 2031" in text
        assert "{" not in text and "**" not in text
        link = re.search(re.escape(live_server.url) + r"/registrations/[A-Za-z0-9_-]+", text).group(0)
        html = message.get_body(preferencelist=("html",)).get_content()
        assert f'href="{link}"' in html and "<strong>Kofi Annan Centre, Accra</strong>" in html
    # Ama's link opens her own registration.
    participant = new_context().new_page()
    participant.goto(re.search(re.escape(live_server.url) + r"/registrations/[A-Za-z0-9_-]+",
                               by_address["ama@example.org"].get_body(preferencelist=("plain",)).get_content()).group(0))
    expect(participant.get_by_text("Ama Mensah").first).to_be_visible()


def test_an_organizer_sets_an_honorific_previews_with_a_document_and_sends_a_test(
        app, live_server, smtp_server, new_context, workshop):
    from tests.support.browser import assert_no_horizontal_scroll, save_screen
    from tests.support.documents import pdf
    from workshop.documents import service as documents

    documents.upload(workshop, filename="concept-note.pdf", data=pdf("Concept note"), title="Concept note",
                     visibility="public", description="", language="en", kind="background_paper", agenda_item_id=None)
    _db.session.commit()
    page = new_context().new_page()
    sign_in(page, "nana.organizer@example.org", PASSWORD)
    page.get_by_role("link", name=workshop.title).click()
    overview = page.url
    page.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Registrations").click()
    page.get_by_role("link", name="Ama Mensah").click()
    page.get_by_label("Honorific").select_option(label="Ambassador")
    page.get_by_role("button", name="Save the honorific").click()
    expect(page.get_by_role("status")).to_contain_text("The honorific is saved")
    expect(page.locator("dl.facts")).to_contain_text("Ambassador")

    page.goto(overview)
    page.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Write to participants").click()
    page.get_by_label("Subject").fill("Reading for {workshop_title}")
    page.get_by_label("Message").fill("{salutation}\n\nPlease read the concept note before we meet.")
    page.get_by_label("Concept note").check()
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview (nothing was sent)")
    expect(preview).to_contain_text("Dear Ambassador Mensah,")
    expect(preview.get_by_role("list", name="Documents with this message")).to_contain_text(
        re.compile(r"Concept note\s+\(concept-note\.pdf, [\d.]+ (Bytes|kB)\)\s+·\s+attached"))
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        preview.scroll_into_view_if_needed()
        assert_no_horizontal_scroll(page)
        save_screen(page, "messages-preview-with-documents")
    assert smtp_server.messages == []  # a preview sends nothing

    page.get_by_role("button", name="Send a test to me").click()
    expect(page.get_by_role("status")).to_contain_text("A test was sent to nana.organizer@example.org")
    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    [test] = smtp_server.messages
    assert test["To"].addresses[0].addr_spec == "nana.organizer@example.org"
    assert test["Subject"] == "[Test] Reading for Preparatory Workshop on Early Warning"
    assert test.get_body(preferencelist=("plain",)).get_content().startswith("Dear Ambassador Mensah,")
    assert {part.get_filename(): part.get_content() for part in test.iter_attachments()} == {
        "concept-note.pdf": pdf("Concept note")}
