"""The accounts journey: an organizer invites a new rapporteur by email; the rapporteur opens
the link from the real SMTP server's mailbox, sets a password, turns on two-factor sign-in,
signs in with a code and writes session notes. The account pages are captured at 390 and
1280 px and must not scroll sideways on a phone."""

import re
from datetime import date, datetime, timezone

import pyotp
import pytest

from tests.support.browser import DESK, PHONE, assert_no_horizontal_scroll, create_account, save_screen, sign_in
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

ORGANIZER = "nana.organizer@example.org"
NEWCOMER = "nia.newcomer@example.org"
PASSWORD = "a long passphrase for the browser"
NEW_PASSWORD = "the newcomer's own passphrase"
TITLE = "Preparatory Workshop on Early Warning"
SESSION = "Early warning at the national level"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop_with_a_session(runner, make_workshop):
    from workshop.agenda import service as agenda
    from workshop.agenda.models import ItemKind
    from workshop.auth.service import find_user
    from workshop.platform.db import db

    create_account(runner, ORGANIZER, "Nana Organizer", PASSWORD, can_create_workshops=True)
    workshop = make_workshop(find_user(ORGANIZER), title=TITLE, slug="early-warning-2031", timezone="Africa/Accra",
                             start_date=date(2031, 3, 10), end_date=date(2031, 3, 11))
    agenda.create_item(workshop, kind=ItemKind.WORKING_SESSION, title=SESSION,
                       starts_at=datetime(2031, 3, 10, 9, 30, tzinfo=timezone.utc),
                       ends_at=datetime(2031, 3, 10, 11, 0, tzinfo=timezone.utc), room="Room A")
    db.session.commit()
    return workshop


def _link(smtp_server, base_url: str, address: str, kind: str) -> str:
    for message in reversed(smtp_server.messages):
        if message["To"].addresses[0].addr_spec == address:
            text = message.get_body(preferencelist=("plain",)).get_content()
            match = re.search(re.escape(base_url) + rf"/{kind}/[A-Za-z0-9_-]+", text)
            if match:
                return match.group(0)
    raise AssertionError(f"no /{kind}/ link mailed to {address}")


def _capture(page, name: str) -> None:
    save_screen(page, name)
    assert_no_horizontal_scroll(page)


def test_journey_7_a_new_rapporteur_is_invited_by_email_turns_on_two_factor_and_writes_notes(
        app, live_server, smtp_server, new_context, workshop_with_a_session):
    workshop = workshop_with_a_session

    # The organizer invites someone who has no account.
    organizer = new_context().new_page()
    sign_in(organizer, ORGANIZER, PASSWORD)
    organizer.goto(f"/manage/w/{workshop.slug}/team")
    expect(organizer.locator("main")).not_to_contain_text("flask create-user")
    organizer.get_by_label("Email").fill(NEWCOMER)
    organizer.get_by_label("Role").select_option("rapporteur")
    organizer.get_by_role("button", name="Add to the team").click()
    expect(organizer.get_by_role("status")).to_contain_text(f"No account uses {NEWCOMER} yet")
    expect(organizer.get_by_role("table", name="Pending team invitations")).to_contain_text(NEWCOMER)

    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    invitation_url = _link(smtp_server, live_server.url, NEWCOMER, "team-invitations")

    # The newcomer opens the mailed link and creates the account.
    newcomer_context = new_context()
    newcomer = newcomer_context.new_page()
    newcomer.goto(invitation_url)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(f"Join the team of {TITLE}")
    newcomer.get_by_label("Your name").fill("Nia Newcomer")
    newcomer.get_by_label("New password", exact=True).fill("short")
    newcomer.get_by_label("New password again").fill("short")
    newcomer.get_by_role("button", name="Create my account and join").click()
    expect(newcomer.get_by_role("alert").first).to_contain_text("at least 10 characters")
    newcomer.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("New password again").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Create my account and join").click()
    expect(newcomer.get_by_role("status")).to_contain_text("Welcome, Nia Newcomer")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Two-factor sign-in, from the account page.
    newcomer.get_by_role("navigation", name="Site").get_by_role("link", name="Account").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(newcomer.locator("main")).to_contain_text(TITLE)
    newcomer.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(newcomer.locator("svg.qr-code")).to_be_visible()
    secret = newcomer.locator("code.totp-secret").inner_text()
    newcomer.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    newcomer.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    assert newcomer.locator("ul.recovery-codes li").count() == 10
    newcomer.get_by_role("link", name="I have kept them").click()
    newcomer.goto("/logout")
    newcomer.get_by_role("button", name="Sign out now").click()

    # Signing in again asks for a code after the password.
    newcomer.goto("/login")
    newcomer.get_by_label("Email").fill(NEWCOMER)
    newcomer.get_by_label("Password").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Sign in").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    newcomer.get_by_label("Code from your authenticator app").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    newcomer.get_by_role("button", name="Continue").click()
    expect(newcomer.get_by_role("alert").first).to_contain_text("That code is not right")
    newcomer.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    newcomer.get_by_role("button", name="Continue").click()
    expect(newcomer.get_by_role("status")).to_contain_text("Signed in as Nia Newcomer")

    # And writes the notes of a session.
    newcomer.get_by_role("navigation", name="Site").get_by_role("link", name="My workshops").click()
    newcomer.get_by_role("link", name=TITLE).click()
    if newcomer.get_by_role("heading", level=1).inner_text() != "Session notes":
        newcomer.get_by_role("link", name="Session notes").click()
    newcomer.get_by_role("link", name=SESSION).click()
    newcomer.get_by_label("Text").fill("## Observations\n\n- Early warning needs one senior convener.")
    newcomer.get_by_role("button", name="Save", exact=True).click()
    expect(newcomer.get_by_role("status")).to_contain_text("Notes saved.")

    # The organizer's Team page now lists the newcomer, and no pending invitation.
    organizer.goto(f"/manage/w/{workshop.slug}/team")
    expect(organizer.locator("main table").first).to_contain_text("Nia Newcomer")
    expect(organizer.locator("main")).not_to_contain_text("Invited, not yet joined")


def test_the_account_pages_fit_the_phone_and_the_desk_and_are_captured(
        app, live_server, smtp_server, new_context, workshop_with_a_session):
    from workshop.platform.db import db
    from workshop.workshops import team
    from workshop.auth.service import find_user

    workshop = workshop_with_a_session
    team.invite(workshop, "pending.person@example.org", "rapporteur", by=find_user(ORGANIZER))
    db.session.commit()
    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    invitation_url = _link(smtp_server, live_server.url, "pending.person@example.org", "team-invitations")
    for viewport in (PHONE, DESK):
        anonymous = new_context(viewport=viewport).new_page()
        for name, path in (("password-forgot", "/password/forgot"), ("team-join", invitation_url),
                           ("password-reset-unknown", "/password/reset/not-a-real-token")):
            anonymous.goto(path)
            _capture(anonymous, name)
        anonymous.goto("/password/forgot")
        anonymous.get_by_label("Email").fill("someone@example.org")
        anonymous.get_by_role("button", name="Send me a reset link").click()
        expect(anonymous.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        _capture(anonymous, "password-reset-sent")
        page = new_context(viewport=viewport).new_page()
        sign_in(page, ORGANIZER, PASSWORD)
        for name, path in (("account", "/account"), ("two-factor-setup", "/account/two-factor"),
                           ("manage-team-invited", f"/manage/w/{workshop.slug}/team")):
            assert page.goto(path).status == 200
            _capture(page, name)
