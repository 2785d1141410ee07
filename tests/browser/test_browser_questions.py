"""An organizer adds a conditional visa question; a participant answers it, fills the follow-up
form with passport details, asks for a letter of invitation, and the PDF has their details and
the letterhead. At 390 and 1280 px wide."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.support.browser import DESK, PHONE, check_accessibility, create_account, save_screen, sign_in
from tests.support.registration import body, outbox
from tests.support.smtp import deliver_outbox
from workshop.platform.db import db as _db

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

PASSWORD = "a long passphrase for the browser"


def registration_link(base: str, email: str) -> str:
    from email import policy
    from email.parser import BytesParser

    for row in reversed(outbox(_db)):
        if email in row.recipients:
            text = body(BytesParser(policy=policy.default).parsebytes(row.raw))
            found = re.search(re.escape(base) + r"(/registrations/[A-Za-z0-9_-]+)(?![A-Za-z0-9_/-])", text)
            if found:
                return found.group(1)
    raise AssertionError(f"no link mailed to {email}")


def add_question(page, label, kind, *, stage="Registration form", condition=None, required=False, sensitive=False):
    page.get_by_label("Question", exact=True).fill(label)
    page.get_by_label("Type of answer").select_option(label=kind)
    page.get_by_role("radio", name=stage).check()
    if required:
        page.get_by_label("An answer is required").check()
    if sensitive:
        page.get_by_label(re.compile(r"Sensitive \(organizers only")).check()
    if condition:
        page.get_by_label("Show only when").select_option(label=condition)
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator("main")).to_contain_text("Question added.")


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1280"])
def test_a_visa_question_leads_to_a_letter_of_invitation(app, live_server, new_context, runner, make_workshop, viewport):
    from workshop.auth.models import User
    from workshop.registration import service

    create_account(runner, "nana.organizer@example.org", "Nana Organizer", PASSWORD, can_create_workshops=True)
    organizer = _db.session.scalar(_db.select(User).where(User.email == "nana.organizer@example.org"))
    workshop = make_workshop(organizer, title="Preparatory workshop on early warning", city="Accra",
                             conveners=["Global Centre for Early Warning"])
    service.update_settings(workshop, mode="open", confirm_email=False)
    _db.session.commit()

    # The CSP is bypassed only so that axe-core can be injected for the accessibility checks.
    page = new_context(viewport=viewport, bypass_csp=True).new_page()
    sign_in(page, "nana.organizer@example.org", PASSWORD)
    page.goto(f"/manage/w/{workshop.slug}/registrations")
    page.get_by_role("link", name="Questions and follow-up form").first.click()
    add_question(page, "Do you need a letter of invitation for a visa?", "Yes or no", required=True)
    condition = "“Do you need a letter of invitation for a visa?” is answered “yes”"
    add_question(page, "Are you travelling with family members?", "Yes or no", condition=condition)
    add_question(page, "Passport number", "Short text", stage="Follow-up form (confirmed participants, later)",
                 condition=condition, required=True, sensitive=True)
    add_question(page, "Embassy or consulate", "Short text", stage="Follow-up form (confirmed participants, later)",
                 condition=condition, required=True)
    if viewport == DESK:  # drag the family question above the visa one: the order is saved
        items = page.locator(".question-list").first.locator(":scope > li")
        with page.expect_navigation():  # the script saves the order, then reloads the page from the server
            items.nth(1).drag_to(items.nth(0), target_position={"x": 5, "y": 2})
        expect(page.locator(".question-list").first.locator(":scope > li").first).to_contain_text("travelling with family")
    save_screen(page, "questions-builder")
    check_accessibility(page)

    page.goto(f"/manage/w/{workshop.slug}/visa-letters")
    page.get_by_label("Letterhead").fill("Global Centre for Early Warning\n1 Example Plaza, Accra")
    page.get_by_label("Signed by").fill("Dr. Efua Signatory")
    page.get_by_label("Question: needs a letter for a visa (yes or no)").select_option(
        label="Do you need a letter of invitation for a visa?")
    page.get_by_label("Question: passport number").select_option(label="Passport number")
    page.get_by_label("Question: embassy or consulate the letter is addressed to").select_option(
        label="Embassy or consulate")
    page.get_by_role("button", name="Save the letter").click()
    expect(page.locator("main")).to_contain_text("The letter is saved.")

    participant = new_context(viewport=viewport, bypass_csp=True).new_page()
    participant.goto(f"/w/{workshop.slug}/register")
    participant.get_by_label("Full name").fill("Ama Mensah") if participant.get_by_label("Full name").count() \
        else participant.locator("input[name=name]").fill("Ama Mensah")
    participant.locator("input[name=email]").fill("ama@example.org")
    participant.locator("select[name=country]").select_option("GH")
    participant.locator("input[name=consent][value=nobody]").check()
    # The question a yes brings stays hidden until the yes (static/questions.js).
    family = participant.get_by_role("group", name=re.compile("travelling with family"))
    expect(family).to_be_hidden()
    participant.get_by_role("group", name=re.compile("Do you need a letter")).get_by_label("Yes").check()
    expect(family).to_be_visible()
    participant.locator("input[name=privacy]").check()
    save_screen(participant, "questions-register")
    check_accessibility(participant)
    participant.get_by_role("button", name="Register").click()
    expect(participant.locator("main")).to_contain_text("inbox")

    link = registration_link(live_server.url, "ama@example.org")
    participant.goto(link)
    participant.get_by_role("link", name="Answer the follow-up questions").click()
    participant.get_by_label("Passport number").fill("G7654321")
    participant.get_by_label("Embassy or consulate").fill("Embassy of Ruritania in Accra")
    save_screen(participant, "questions-follow-up")
    check_accessibility(participant)
    participant.get_by_role("button", name="Save my answers").click()
    expect(participant.locator("main")).to_contain_text("your answers are saved")
    expect(participant.locator("main")).not_to_contain_text("G7654321")
    participant.get_by_role("button", name="Request a letter of invitation").click()
    expect(participant.locator("main")).to_contain_text("Your letter is issued")
    save_screen(participant, "questions-letter")
    check_accessibility(participant)
    deliver_outbox(app)  # the worker's round writes the letter's PDF; the download serves it
    participant.reload()
    with participant.expect_download() as download_info:
        participant.get_by_role("link", name=re.compile("Download letter")).click()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read())).pages)
    for words in ("Global Centre for Early Warning", "Ama Mensah", "G7654321", "Embassy of Ruritania in Accra",
                  "Dr. Efua Signatory"):
        assert words in text, words

    page.goto(f"/manage/w/{workshop.slug}/registrations")
    expect(page.locator("main")).to_contain_text("Who is coming")
    expect(page.locator("main")).to_contain_text("African Group")
    save_screen(page, "questions-dashboard")
    check_accessibility(page)
    page.goto(f"/manage/w/{workshop.slug}/visa-letters")
    expect(page.locator("main")).to_contain_text("WORKSHOP")
    check_accessibility(page)
