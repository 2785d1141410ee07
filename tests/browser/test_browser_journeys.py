"""The journeys of each role, each from a fresh browser context, driving pages by labels and roles.

Mail goes to a real SMTP server on loopback (tests/support/smtp.py) and is read back from it.
"""

import io
import re
from datetime import date, timedelta

import pytest

from workshop.platform.db import db as _db
import sqlalchemy as sa

from tests.support.browser import create_account, sign_in
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.workshops.models import Workshop

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

PASSWORD = "a long passphrase for the browser"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def accounts(runner):
    """The team, made as an operator makes accounts: ``flask create-user``."""
    create_account(runner, "nana.organizer@example.org", "Nana Organizer", PASSWORD, can_create_workshops=True)
    create_account(runner, "rafa.rapporteur@example.org", "Rafa Rapporteur", PASSWORD)
    create_account(runner, "rita.rapporteur@example.org", "Rita Rapporteur", PASSWORD)
    return {"organizer": "nana.organizer@example.org", "rapporteur": "rafa.rapporteur@example.org",
            "rapporteur2": "rita.rapporteur@example.org"}


def fill_workshop_form(page, **values) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


GOOD_WORKSHOP = {
    "Title": "Preparatory Workshop on Early Warning",
    "Web address (slug)": "early-warning-2031",
    "Theme": "Atrocity Prevention in Practice",
    "Convening organizations": "Global Centre for the Responsibility to Protect\nStanley Center",
    "Co-organizers": "Government of Denmark\nGovernment of Ghana\nGovernment of Costa Rica",
    "Venue": "Conference Centre, Room A",
    "City": "Accra",
    "Time zone": "Africa/Accra",
    "First day": "2031-03-10",
    "Last day": "2031-03-11",
    "Purpose": "Focal Points compare their early-warning practice.\n\nA second paragraph.",
}


AGENDA = [
    ("Plenary", "Welcome and purpose", "2031-03-10T09:00", "2031-03-10T09:30", "Room A"),
    ("Working session", "Early warning at the national level", "2031-03-10T09:30", "2031-03-10T11:00", "Room A"),
    ("Working session", "Regional cooperation", "2031-03-11T09:30", "2031-03-11T11:00", "Room A"),
]
INVITEES = [
    ("Ama Mensah", "ama.mensah@example.org", "Ministry of Foreign Affairs, Ghana"),
    ("Bo Lindqvist", "bo.lindqvist@example.org", "Ministry of Foreign Affairs, Denmark"),
    ("Carla Jiménez", "carla.jimenez@example.org", "Ministry of Foreign Affairs, Costa Rica"),
]


def invitation_link(message, base_url: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(base_url) + r"/invitations/[A-Za-z0-9_-]+", text)
    assert match, f"no invitation link to {base_url} in:\n{text}"
    return match.group(0)


def workshop_in_db(db, slug):
    db.session.expire_all()
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))


# Journey 1: the organizer ---------------------------------------------------------------------


def test_journey_1_an_organizer_creates_staffs_publishes_and_schedules_a_workshop(new_context, accounts, db):
    organizer = new_context().new_page()
    sign_in(organizer, accounts["organizer"], PASSWORD)

    organizer.get_by_role("link", name="New workshop").click()
    expect(organizer.get_by_role("heading", name="New workshop")).to_be_visible()
    fill_workshop_form(organizer, **GOOD_WORKSHOP)
    organizer.get_by_role("button", name="Save workshop").click()

    expect(organizer.get_by_role("status")).to_contain_text("Workshop created as a draft")
    expect(organizer.get_by_role("heading", level=1)).to_have_text(GOOD_WORKSHOP["Title"])
    facts = organizer.locator("dl.facts")
    expect(facts).to_contain_text("10–11 March 2031")
    expect(facts).to_contain_text("Accra time")
    expect(facts).to_contain_text("Government of Denmark; Government of Ghana; Government of Costa Rica")

    # A draft is the team's alone: its team previews the public pages behind a banner.
    visitor = new_context().new_page()
    assert visitor.goto("/w/early-warning-2031/").status == 404
    assert visitor.goto("/w/early-warning-2031/agenda").status == 404
    organizer.goto("/w/early-warning-2031/")
    expect(organizer.get_by_role("note")).to_contain_text("Draft preview, not public.")
    expect(organizer.get_by_role("heading", level=1)).to_have_text(GOOD_WORKSHOP["Title"])
    organizer.goto("/w/early-warning-2031/agenda")
    expect(organizer.get_by_role("note")).to_contain_text("Draft preview, not public.")
    assert visitor.goto("/w/early-warning-2031/").status == 404  # still, after the preview
    organizer.goto("/manage/w/early-warning-2031/")

    organizer.get_by_role("link", name="Team").click()
    organizer.get_by_label("Email").fill(accounts["rapporteur"])
    organizer.get_by_label("Role").select_option(label="Rapporteur")
    organizer.get_by_role("button", name="Add to the team").click()
    expect(organizer.get_by_role("status")).to_contain_text("Rafa Rapporteur is on the team as rapporteur")
    expect(organizer.get_by_role("row", name=re.compile("Rafa Rapporteur"))).to_contain_text("rapporteur")

    organizer.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()
    organizer.get_by_role("button", name="Publish").click()
    expect(organizer.get_by_role("status")).to_contain_text("The workshop is published")

    visitor.goto("/")
    visitor.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(GOOD_WORKSHOP["Title"])
    expect(visitor.locator("dl.facts")).to_contain_text("Conference Centre, Room A, Accra")
    expect(visitor.locator("dl.facts")).to_contain_text(
        "Global Centre for the Responsibility to Protect; Stanley Center")
    expect(visitor.get_by_role("heading", name="Purpose")).to_be_visible()

    workshop = workshop_in_db(db, "early-warning-2031")
    assert workshop.timezone == "Africa/Accra"
    assert [o.name for o in workshop.co_organizers] == [
        "Government of Denmark", "Government of Ghana", "Government of Costa Rica"]
    assert (workshop.start_date, workshop.end_date) == (date(2031, 3, 10), date(2031, 3, 11))

    # A two-day agenda, in the workshop's time zone.
    organizer.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Agenda").click()
    for kind, title, starts, ends, room in AGENDA:
        organizer.get_by_role("link", name="Add an item").click()
        organizer.get_by_label("Kind").select_option(label=kind)
        organizer.get_by_label("Title", exact=True).fill(title)
        organizer.get_by_label("Starts").fill(starts)
        organizer.get_by_label("Ends").fill(ends)
        organizer.get_by_label("Room").fill(room)
        organizer.get_by_role("button", name="Save item").click()
        expect(organizer.get_by_role("heading", level=1)).to_have_text("Agenda")
        expect(organizer.locator("main")).to_contain_text(title)

    # The public agenda shows both days in Accra time.
    visitor.goto("/w/early-warning-2031/agenda")
    expect(visitor.get_by_role("heading", level=2, name=re.compile("March 10, 2031|10 March 2031"))).to_be_visible()
    expect(visitor.get_by_role("heading", level=2, name=re.compile("March 11, 2031|11 March 2031"))).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("09:30–11:00")


def test_journey_1_continued_the_organizer_opens_registration_and_invites_three_contacts(
        app, live_server, smtp_server, new_context, accounts, make_workshop):
    from workshop.auth.service import find_user

    make_workshop(find_user(accounts["organizer"]), title=GOOD_WORKSHOP["Title"], slug="early-warning-2031",
                  timezone="Africa/Accra", start_date=date(2031, 3, 10), end_date=date(2031, 3, 11))
    organizer = new_context().new_page()
    sign_in(organizer, accounts["organizer"], PASSWORD)
    organizer.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()

    # Capacity 2, open registration.
    organizer.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Registrations").click()
    organizer.get_by_role("link", name="Settings").click()
    organizer.get_by_label("Anyone with the link (open registration)").check()
    organizer.get_by_label("Capacity (seats)").fill("2")
    organizer.get_by_role("button", name="Save settings").click()
    expect(organizer.get_by_role("status")).to_contain_text("Registration settings saved.")

    # Three contacts, invited one by one.
    organizer.get_by_role("navigation", name="Site").get_by_role("link", name="My workshops").click()
    organizer.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()
    organizer.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Contacts").click()
    for name, email, organization in INVITEES:
        organizer.get_by_role("link", name="Add a contact").click()
        organizer.get_by_label("Full name").fill(name)
        organizer.get_by_label("Email").fill(email)
        organizer.get_by_label("Organization").fill(organization)
        organizer.get_by_role("button", name="Save contact").click()
        expect(organizer.get_by_role("status")).to_contain_text("Contact saved.")
    organizer.get_by_role("navigation", name="Site").get_by_role("link", name="My workshops").click()
    organizer.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()
    organizer.get_by_role("navigation", name="Manage this workshop").get_by_role("link", name="Invitations").click()
    for name, email, _organization in INVITEES:
        organizer.get_by_label("Contact's email").fill(email)
        organizer.get_by_role("button", name="Invite", exact=True).click()
        expect(organizer.get_by_role("status")).to_contain_text(f"Invitation sent to {email}")
    for name, _email, _organization in INVITEES:
        expect(organizer.get_by_role("row", name=re.compile(name))).to_contain_text("awaiting a reply")

    # The invitations leave through the outbox, each with the invitee's own link on this server.
    deliver_outbox(app)
    assert smtp_server.wait_for(3)
    links = {message["To"].addresses[0].addr_spec: invitation_link(message, live_server.url)
             for message in smtp_server.messages}
    assert sorted(links) == sorted(email for _name, email, _org in INVITEES)
    assert len(set(links.values())) == 3


# Journey 1, unhappy paths --------------------------------------------------------------------


def test_a_form_with_errors_says_what_to_fix_keeps_the_input_and_then_saves(new_context, accounts, db):
    page = new_context().new_page()
    sign_in(page, accounts["organizer"], PASSWORD)
    page.goto("/manage/workshops/new")
    fill_workshop_form(page, **dict(
        GOOD_WORKSHOP,
        **{"Web address (slug)": "Early Warning!", "Time zone": "Mars/Olympus_Mons",
           "First day": "2031-03-11", "Last day": "2031-03-10"},
    ))
    page.get_by_role("button", name="Save workshop").click()

    summary = page.get_by_role("alert").filter(has_text="Please correct the following")
    expect(summary).to_contain_text("Use only lower-case letters, digits and single hyphens")
    expect(summary).to_contain_text("'Mars/Olympus_Mons' is not a known time zone")
    expect(summary).to_contain_text("The last day cannot be before the first day.")
    expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_value(GOOD_WORKSHOP["Title"])
    expect(page.get_by_label("Co-organizers")).to_have_value(GOOD_WORKSHOP["Co-organizers"])
    assert workshop_in_db(db, "early-warning-2031") is None

    fill_workshop_form(page, **{"Web address (slug)": "early-warning-2031", "Time zone": "Africa/Accra",
                                "Last day": "2031-03-12"})
    page.get_by_role("button", name="Save workshop").click()
    expect(page.get_by_role("status")).to_contain_text("Workshop created as a draft")
    assert workshop_in_db(db, "early-warning-2031").end_date == date(2031, 3, 12)


def test_a_form_left_open_after_the_session_expired_says_so_and_saves_nothing(new_context, accounts, db):
    context = new_context()
    page = context.new_page()
    sign_in(page, accounts["organizer"], PASSWORD)
    page.goto("/manage/workshops/new")
    fill_workshop_form(page, **GOOD_WORKSHOP)

    context.clear_cookies()  # the session cookie expired while the person was typing
    response_status = []
    page.on("response", lambda r: response_status.append(r.status) if r.request.method == "POST" else None)
    page.get_by_role("button", name="Save workshop").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")
    expect(page.locator("main")).to_contain_text("reload the page, and submit the form again")
    assert response_status == [400]
    assert workshop_in_db(db, "early-warning-2031") is None

    # What the page says to do works: sign in again, reload the form, submit.
    sign_in(page, accounts["organizer"], PASSWORD)
    page.goto("/manage/workshops/new")
    fill_workshop_form(page, **GOOD_WORKSHOP)
    page.get_by_role("button", name="Save workshop").click()
    expect(page.get_by_role("status")).to_contain_text("Workshop created as a draft")


def test_a_form_from_another_session_is_refused_as_expired(new_context, accounts, make_workshop, db):
    """The CSRF token in the page no longer matches the session (signed in again elsewhere)."""
    from workshop.auth.service import find_user
    from workshop.workshops.models import WorkshopStatus

    make_workshop(find_user(accounts["organizer"]), slug="draft-one", status=WorkshopStatus.DRAFT)
    first = new_context()
    page = first.new_page()
    sign_in(page, accounts["organizer"], PASSWORD)
    page.goto("/manage/w/draft-one/")

    second = new_context()
    sign_in(second.new_page(), accounts["organizer"], PASSWORD)
    first.clear_cookies()
    first.add_cookies(second.cookies())  # same person, a different session

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")
    assert workshop_in_db(db, "draft-one").status == WorkshopStatus.DRAFT

    page.goto("/manage/w/draft-one/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("The workshop is published")


# Journeys 2-5: written out, automated after the merges --------------------------------------


def workshop_open_for_registration(accounts, make_workshop, *, capacity=2):
    """Journey 1's outcome, made through the services: published, open registration, capacity."""
    from workshop.auth.service import find_user
    from workshop.registration import service as registration

    organizer = find_user(accounts["organizer"])
    workshop = make_workshop(organizer, title=GOOD_WORKSHOP["Title"], slug="early-warning-2031",
                             timezone="Africa/Accra", city="Accra",
                             start_date=date(2031, 3, 10), end_date=date(2031, 3, 11))
    registration.update_settings(workshop, by=organizer, mode="open", capacity=capacity)
    _db.session.commit()  # the live server reads through its own connection
    return workshop, organizer


def invite(workshop, organizer, name, email, organization=""):
    from workshop.people import service as people
    from workshop.registration import invitations

    contact = people.save_contact(None, name=name, email=email, organization=organization)
    invitation = invitations.invite(workshop, contact, by=organizer)
    _db.session.commit()  # the live server reads through its own connection
    return invitation


def mail_to(smtp_server, address: str, subject_part: str):
    found = [m for m in smtp_server.messages
             if m["To"].addresses[0].addr_spec == address and subject_part in m["Subject"]]
    assert found, f"no mail to {address} about {subject_part!r}: " + "; ".join(
        f"{m['To']}: {m['Subject']}" for m in smtp_server.messages)
    return found[-1]


def link_in(message, base_url: str, kind: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(base_url) + rf"/{kind}/[A-Za-z0-9_-]+", text)
    assert match, f"no /{kind}/ link to {base_url} in:\n{text}"
    return match.group(0)


def register_on_form(page, *, name=None, email=None, position="", country=None, consent=None) -> None:
    if name is not None:
        page.get_by_label("Full name").fill(name)
    if email is not None:
        page.get_by_label("Email", exact=True).fill(email)
    if position:
        page.get_by_label("Title or position").fill(position)
    if country:
        page.get_by_label("Country").select_option(label=country)
    if consent:
        page.get_by_label(consent).check()
    page.get_by_label("I have read the privacy notice and agree to it.").check()
    page.get_by_role("button", name="Register").click()


def fetch_link(page, link, content_type: str) -> bytes:
    """What following ``link`` downloads, fetched with the page's cookies: Chromium would show a
    PDF inline rather than save it."""
    response = page.request.get(link.get_attribute("href"))
    assert response.ok, f"{response.url} answered {response.status}"
    assert response.headers["content-type"].startswith(content_type), response.headers["content-type"]
    return response.body()


def test_journey_2_an_invitee_registers_from_the_emailed_link(
        app, live_server, smtp_server, new_context, accounts, make_workshop):
    import vobject

    workshop, organizer = workshop_open_for_registration(accounts, make_workshop)
    invite(workshop, organizer, "Ama Mensah", "ama.mensah@example.org", "Ministry of Foreign Affairs")
    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    invitation_url = link_in(mail_to(smtp_server, "ama.mensah@example.org", "Invitation"), live_server.url,
                             "invitations")

    page = new_context().new_page()
    page.goto(invitation_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(GOOD_WORKSHOP["Title"])
    expect(page.locator("main")).to_contain_text("Dear Ama Mensah, you are invited to this workshop.")
    page.get_by_role("link", name="Accept and register").click()

    expect(page.get_by_label("Full name")).to_have_value("Ama Mensah")
    expect(page.get_by_label("Organization")).to_have_value("Ministry of Foreign Affairs")
    register_on_form(page, position="Director, Human Rights", country="Ghana",
                     consent="Other participants of this workshop")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are registered")
    expect(page.locator("main")).to_contain_text("ama.mensah@example.org")

    deliver_outbox(app)
    assert smtp_server.wait_for(2)
    confirmation = mail_to(smtp_server, "ama.mensah@example.org", "")
    assert confirmation is not smtp_server.messages[0]
    self_service_url = link_in(confirmation, live_server.url, "registrations")

    page.goto(self_service_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    expect(page.locator("main")).to_contain_text("confirmed")
    expect(page.locator("dl.facts")).to_contain_text("Director, Human Rights")

    # The confirmation carries the workshop as a calendar invitation (iTIP REQUEST) and as a file.
    invitation_part = [p for p in confirmation.walk() if p.get_content_type() == "text/calendar"]
    attachment = [p for p in confirmation.iter_attachments() if p.get_content_type() == "application/ics"]
    assert invitation_part and attachment, [p.get_content_type() for p in confirmation.walk()]
    attached = vobject.readOne(attachment[0].get_content().decode())
    assert attached.method.value == "REQUEST"
    assert GOOD_WORKSHOP["Title"] in attached.vevent.summary.value
    assert "ama.mensah@example.org" in str(attached.vevent.attendee.value).lower()

    personal = fetch_link(page, page.get_by_role("link", name="Download my calendar (.ics)"), "text/calendar")
    calendar = vobject.readOne(personal.decode())
    assert any(GOOD_WORKSHOP["Title"] in event.summary.value for event in calendar.vevent_list)

    # A delegate clicks the invitation mail again: where they stand, not a dead link.
    again = new_context().new_page()
    assert again.goto(invitation_url).status == 200
    expect(again.locator("main")).to_contain_text("You accepted this invitation.")
    expect(again.locator("main")).to_contain_text("Your registration is confirmed")
    again.get_by_role("button", name="Email me the link to my registration").click()
    expect(again.locator("main")).to_contain_text("We have sent the link to your registration to ama.mensah@example.org")


def test_an_expired_invitation_link_says_what_to_do(app, live_server, smtp_server, new_context, accounts,
                                                    make_workshop, db):
    from workshop.platform.types import utcnow

    workshop, organizer = workshop_open_for_registration(accounts, make_workshop)
    invitation = invite(workshop, organizer, "Bo Lindqvist", "bo.lindqvist@example.org")
    deliver_outbox(app)
    assert smtp_server.wait_for(1)
    url = link_in(smtp_server.messages[0], live_server.url, "invitations")
    invitation.expires_at = utcnow() - timedelta(minutes=1)  # the deadline passed
    db.session.commit()

    page = new_context().new_page()
    response = page.goto(url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    expect(page.locator("main")).to_contain_text("has expired")
    page.get_by_label("Your email").fill("bo.lindqvist@example.org")
    page.get_by_role("button", name="Send me my links").click()
    expect(page.locator("main")).not_to_contain_text("Traceback")


def test_journey_3_the_third_person_is_waitlisted_then_promoted_when_someone_withdraws(
        app, live_server, smtp_server, new_context, accounts, make_workshop):
    workshop_open_for_registration(accounts, make_workshop, capacity=2)
    people = [("Ama Mensah", "ama.mensah@example.org"), ("Bo Lindqvist", "bo.lindqvist@example.org"),
              ("Carla Jiménez", "carla.jimenez@example.org")]
    pages = {}
    for name, email in people:
        page = new_context().new_page()
        page.goto("/w/early-warning-2031/")
        page.get_by_role("link", name="Register").click()
        register_on_form(page, name=name, email=email)
        # The same answer for everyone: the seat is taken once the address is confirmed.
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        pages[email] = page

    deliver_outbox(app)
    assert smtp_server.wait_for(3)
    links = {email: link_in(mail_to(smtp_server, email, "Confirm your registration"), live_server.url, "registrations")
             for _name, email in people}
    for _name, email in people:  # each confirms by the link in their mail, in this order
        pages[email].goto(links[email])
        pages[email].get_by_role("button", name="Confirm my registration").click()
    expect(pages["ama.mensah@example.org"].locator(".status")).to_have_text("confirmed")
    expect(pages["bo.lindqvist@example.org"].locator(".status")).to_have_text("confirmed")
    carla = pages["carla.jimenez@example.org"]
    expect(carla.locator(".status")).to_have_text("on the waitlist")
    expect(carla.locator("main")).to_contain_text("You are number 1 on the waitlist")
    ama_link, carla_link = links["ama.mensah@example.org"], links["carla.jimenez@example.org"]
    deliver_outbox(app)
    assert smtp_server.wait_for(6)  # each one's new state

    # The workshop is full: the organizer is offered a seat above capacity, not an Approve that fails.
    organizer = new_context().new_page()
    sign_in(organizer, accounts["organizer"], PASSWORD)
    organizer.goto("/manage/w/early-warning-2031/registrations")
    waiting_row = organizer.get_by_role("row", name=re.compile("Carla Jiménez"))
    expect(waiting_row).to_contain_text("on the waitlist #1")
    expect(waiting_row.get_by_role("button", name="Approve")).to_have_count(0)
    expect(waiting_row.get_by_role("link", name="Seat above capacity…")).to_be_visible()

    ama = pages["ama.mensah@example.org"]
    ama.goto(ama_link)
    ama.get_by_role("link", name="Withdraw").click()
    expect(ama.locator("main")).to_contain_text("Your seat will go to the next person on the waitlist.")
    expect(ama.locator("main")).not_to_contain_text("to come after all")
    ama.get_by_role("button", name="Yes, withdraw my registration").click()
    expect(ama.get_by_role("status")).to_contain_text("Your registration is withdrawn.")
    expect(ama.locator("main")).to_contain_text("You have withdrawn this registration.")

    deliver_outbox(app)
    assert smtp_server.wait_for(8)  # Ama's withdrawal, Carla's promotion
    promoted = mail_to(smtp_server, "carla.jimenez@example.org", "")
    assert "a seat has become free" in promoted.get_body(preferencelist=("plain",)).get_content()
    carla.goto(carla_link)
    expect(carla.locator(".status")).to_have_text("confirmed")

    organizer.goto("/manage/w/early-warning-2031/registrations")
    expect(organizer.get_by_role("row", name=re.compile("Ama Mensah"))).to_contain_text("withdrawn")
    expect(organizer.get_by_role("row", name=re.compile("Carla Jiménez"))).to_contain_text("confirmed")
    expect(organizer.get_by_role("row", name=re.compile("Bo Lindqvist"))).to_contain_text("confirmed")


def workshop_with_a_session(accounts, make_workshop):
    """A published workshop with one session, the organizer, and rapporteurs Rafa and Rita."""
    from datetime import datetime, timezone

    from workshop.agenda import service as agenda
    from workshop.agenda.models import ItemKind
    from workshop.auth.service import find_user
    from workshop.workshops import service as workshops

    organizer = find_user(accounts["organizer"])
    workshop = make_workshop(organizer, title=GOOD_WORKSHOP["Title"], slug="early-warning-2031",
                             theme="Atrocity Prevention in Practice", timezone="Africa/Accra",
                             start_date=date(2031, 3, 10), end_date=date(2031, 3, 11))
    workshops.add_member(workshop, accounts["rapporteur"], "rapporteur")
    workshops.add_member(workshop, accounts["rapporteur2"], "rapporteur")
    item = agenda.create_item(workshop, kind=ItemKind.WORKING_SESSION, title="Early warning at the national level",
                              starts_at=datetime(2031, 3, 10, 9, 30, tzinfo=timezone.utc),
                              ends_at=datetime(2031, 3, 10, 11, 0, tzinfo=timezone.utc), room="Room A")
    _db.session.commit()  # the live server reads through its own connection
    return workshop, item


def open_notes(page, title: str) -> None:
    page.get_by_role("navigation", name="Site").get_by_role("link", name="My workshops").click()
    page.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()
    if page.get_by_role("heading", level=1).inner_text() != "Session notes":  # organizers see the overview
        page.get_by_role("link", name="Session notes").click()
    # The list of all sessions (organizers also see the submitted ones listed for approval).
    page.get_by_role("table").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


RAFA_1 = "## Observations\n\n- Early warning needs one senior person who can convene the rest of government."
RAFA_2 = RAFA_1 + "\n- Information rarely reaches the Focal Point in time."
RITA = RAFA_1 + "\n- Several participants asked for a shared list of risk indicators."


def test_journey_4_two_rapporteurs_edit_the_same_notes_and_merge_the_conflict(
        new_context, accounts, make_workshop):
    _workshop, item = workshop_with_a_session(accounts, make_workshop)

    rafa = new_context().new_page()
    sign_in(rafa, accounts["rapporteur"], PASSWORD)
    open_notes(rafa, item.title)
    rafa.get_by_label("Text", exact=True).fill(RAFA_1)
    rafa.get_by_role("button", name="Save", exact=True).click()
    expect(rafa.get_by_role("status")).to_contain_text("Notes saved.")

    rita = new_context().new_page()
    sign_in(rita, accounts["rapporteur2"], PASSWORD)
    open_notes(rita, item.title)
    expect(rita.get_by_label("Text", exact=True)).to_have_value(RAFA_1)

    rafa.get_by_label("Text", exact=True).fill(RAFA_2)  # Rafa saves again while Rita is writing
    rafa.get_by_role("button", name="Save", exact=True).click()
    expect(rafa.get_by_role("status")).to_contain_text("Notes saved.")

    rita.get_by_label("Text", exact=True).fill(RITA)
    rita.get_by_role("button", name="Save", exact=True).click()
    expect(rita.get_by_role("heading", level=1)).to_have_text("Someone else saved first")
    expect(rita.get_by_role("alert")).to_contain_text("nothing was lost")
    expect(rita.get_by_role("alert")).to_contain_text("saved by Rafa Rapporteur")
    expect(rita.locator("main")).to_contain_text("Information rarely reaches the Focal Point in time.")
    expect(rita.get_by_label("Text", exact=True)).to_have_value(RITA)  # her text waits in the merge box

    merged = RAFA_2 + "\n- Several participants asked for a shared list of risk indicators."
    rita.get_by_label("Text", exact=True).fill(merged)
    rita.get_by_role("button", name="Save merged text").click()
    expect(rita.get_by_role("status")).to_contain_text("Notes saved.")
    expect(rita.locator("main")).to_contain_text("revision 3")
    expect(rita.get_by_label("Text", exact=True)).to_have_value(merged)
    rita.get_by_role("button", name="Save and submit for approval").click()  # saves what is typed first
    expect(rita.get_by_role("status")).to_contain_text("Notes saved and submitted")

    organizer = new_context().new_page()
    sign_in(organizer, accounts["organizer"], PASSWORD)
    open_notes(organizer, item.title)
    organizer.get_by_role("button", name="Approve").click()
    expect(organizer.get_by_role("status")).to_contain_text("Notes approved and locked")
    expect(organizer.locator(".status")).to_have_text("approved")


def test_journey_5_the_memo_is_compiled_checked_for_attribution_published_and_downloaded(
        app, new_context, accounts, make_workshop):
    from pypdf import PdfReader

    from workshop.auth.service import find_user
    from workshop.notes import service as notes
    from workshop.registration import service as registration

    workshop, item = workshop_with_a_session(accounts, make_workshop)
    registration.update_settings(workshop, mode="open", capacity=10)
    registration.register(workshop, {"name": "Ama Mensah", "email": "ama.mensah@example.org"})
    note = notes.note_for(item)
    notes.save(note, RAFA_2 + "\n- Ama Mensah said her ministry has no early-warning desk yet.",
               find_user(accounts["rapporteur"]), None)
    notes.change_state(note, "approve", find_user(accounts["organizer"]))
    _db.session.commit()  # the live server reads through its own connection

    rafa = new_context().new_page()
    sign_in(rafa, accounts["rapporteur"], PASSWORD)
    rafa.get_by_role("navigation", name="Site").get_by_role("link", name="My workshops").click()
    rafa.get_by_role("link", name=GOOD_WORKSHOP["Title"]).click()  # a rapporteur lands on the notes
    rafa.get_by_role("link", name="Takeaways memo").click()
    rafa.get_by_role("button", name=re.compile(r"Compile from notes \(1 approved\)")).click()
    expect(rafa.get_by_role("status")).to_contain_text("Compiled from the approved notes")
    check = rafa.get_by_role("region", name="Non-attribution check")
    expect(check).to_contain_text("The memo names or points at a participant")
    expect(check.get_by_role("row", name=re.compile("Ama Mensah"))).to_contain_text("registered participant")

    rafa.get_by_role("link", name="Edit text").click()
    text = rafa.get_by_label("Text", exact=True).input_value()
    assert "Ama Mensah said" in text
    rafa.get_by_label("Text", exact=True).fill(text.replace("Ama Mensah said her ministry", "One participant said their ministry"))
    rafa.get_by_role("button", name="Save", exact=True).click()
    expect(rafa.get_by_role("status")).to_contain_text("Memo saved.")
    rafa.goto("/manage/w/early-warning-2031/memo/")
    expect(rafa.get_by_role("region", name="Non-attribution check")).to_contain_text("Clean")

    # Compiling again would bring the removed name back: the page shows what goes and asks.
    rafa.get_by_role("link", name=re.compile(r"Compile from notes \(1 approved\)")).click()
    expect(rafa.get_by_role("heading", level=1)).to_have_text("Compile from notes?")
    replaced = rafa.get_by_role("region", name="What compiling would replace")
    expect(replaced.get_by_role("row", name=re.compile("One participant said"))).to_contain_text("Ama Mensah said")
    rafa.get_by_role("link", name="Cancel, keep the text").click()
    expect(rafa.get_by_role("region", name="Non-attribution check")).to_contain_text("Clean")
    rafa.get_by_role("link", name=re.compile(r"Compile from notes \(1 approved\)")).click()
    rafa.get_by_role("button", name="Replace the text with the compiled notes").click()
    expect(rafa.get_by_role("status")).to_contain_text("The text before is revision 2")
    expect(rafa.get_by_role("region", name="Non-attribution check")).to_contain_text("The memo names or points at a participant")
    rafa.get_by_role("button", name="Restore revision 2").click()  # the edited text, one click away
    expect(rafa.get_by_role("status")).to_contain_text("Revision 2 restored as revision 4.")
    expect(rafa.get_by_role("region", name="Non-attribution check")).to_contain_text("Clean")
    rafa.get_by_role("button", name="Send for review").click()
    expect(rafa.get_by_role("status")).to_contain_text("The memo is in review.")

    organizer = new_context().new_page()
    sign_in(organizer, accounts["organizer"], PASSWORD)
    organizer.goto("/manage/w/early-warning-2031/memo/")
    organizer.get_by_role("button", name="Approve", exact=True).click()
    expect(organizer.get_by_role("status")).to_contain_text("The memo is approved and locked.")
    organizer.get_by_role("button", name="Publish", exact=True).click()
    expect(organizer.get_by_role("status")).to_contain_text("Version 1 is published.")

    deliver_outbox(app)  # the worker's round renders the published version's PDF
    visitor = new_context().new_page()
    visitor.goto("/w/early-warning-2031/")
    visitor.get_by_role("navigation", name="This workshop").get_by_role("link", name=re.compile("memo|Takeaways", re.I)).click()
    title = "Atrocity Prevention in Practice | Discussion Takeaways"
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.locator("main")).to_contain_text("One participant said their ministry")
    expect(visitor.locator("main")).not_to_contain_text("Ama Mensah")
    pdf = PdfReader(io.BytesIO(fetch_link(visitor, visitor.get_by_role("link", name="Download the memo as PDF").first,
                                          "application/pdf")))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Discussion Takeaways" in text
    assert "One participant said their ministry" in " ".join(text.split())
    assert "Ama Mensah" not in text


def test_the_agenda_pdf_link_says_it_is_being_prepared_then_reloads_itself_into_the_pdf(
        app, new_context, accounts, make_workshop):
    """The worker renders the agenda PDF: a visitor who follows the link first reads that it is
    being prepared, and the page reloads by itself (no JavaScript) until the PDF is there."""
    from pypdf import PdfReader

    workshop, _item = workshop_with_a_session(accounts, make_workshop)
    visitor = new_context(java_script_enabled=False).new_page()
    visitor.goto(f"/w/{workshop.slug}/agenda")
    link = visitor.get_by_role("link", name="Download PDF")
    href = link.get_attribute("href")
    answers = []
    visitor.on("response", lambda response: answers.append(response.status)
               if response.url.endswith(href) else None)
    link.click()
    expect(visitor.get_by_role("status")).to_contain_text("The PDF is being prepared")
    assert answers == [202]

    deliver_outbox(app)  # the worker's round
    # The page reloads by itself and then gets the PDF (which the browser takes as a download).
    for _ in range(40):
        if 200 in answers:
            break
        visitor.wait_for_timeout(500)
    assert answers[-1] == 200 and set(answers) == {200, 202}, answers
    response = visitor.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    assert "Early warning at the national level" in " ".join(page.extract_text() for page in pdf.pages)


def test_the_journeys_run_under_the_strict_content_security_policy(new_context):
    """The journeys prove the pages work without inline scripts or styles: every page is served
    with the strict CSP, and a violation in any page is noticed (and fails that test)."""
    page = new_context().new_page()
    response = page.goto("/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy

    page.evaluate("() => { const s = document.createElement('style'); s.textContent = 'body{}'; document.head.append(s); }")
    for _ in range(50):
        if new_context.problems.items:
            break
        page.wait_for_timeout(50)
    assert any(item.startswith("CSP violation") for item in new_context.problems.items), new_context.problems.items
    new_context.problems.items.clear()  # seen: this one is on purpose


def test_journey_6_agenda_changes_on_a_published_workshop_reach_a_participant_once(
        app, live_server, smtp_server, new_context, accounts, make_workshop):
    from datetime import datetime, timezone as tz

    from tests.support.agenda import add_item
    from tests.support.itip import itip_parts
    from workshop.registration import service as registration
    from workshop.registration import session_notices

    workshop, _organizer = workshop_open_for_registration(accounts, make_workshop, capacity=10)
    add_item(workshop, day=0, start="09:30", end="11:00", title="Opening plenary", room="Room A")
    add_item(workshop, day=0, start="14:00", end="15:30", title="Regional dialogue", room="Room B")
    registration.update_settings(workshop, confirm_email=False)  # Ama's seat at once, as journey 3 shows the check
    registration.register(workshop, {"name": "Ama Mensah", "email": "ama@example.org"})
    _db.session.commit()

    def tell_and_deliver(minutes_later: int) -> list:
        """The worker's round, as if ``minutes_later`` had passed; the mail to Ama it delivered."""
        session_notices.send_due_notices(now=datetime.now(tz.utc) + timedelta(minutes=minutes_later))
        _db.session.commit()
        before = len(smtp_server.messages)
        deliver_outbox(app)
        return [m for m in smtp_server.messages[before:] if m["To"].addresses[0].addr_spec == "ama@example.org"]

    first = tell_and_deliver(11)
    assert [str(m["Subject"]) for m in first if "Agenda" in str(m["Subject"])], first

    page = new_context().new_page()
    sign_in(page, accounts["organizer"], PASSWORD)
    page.goto("/manage/w/early-warning-2031/agenda")

    # Cancelling asks first, and says participants will be told.
    page.get_by_role("link", name="Cancel item Regional dialogue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel “Regional dialogue”?")
    expect(page.get_by_label("Tell participants")).to_be_checked()
    page.get_by_role("link", name="Keep it as it is").click()
    expect(page.get_by_role("row", name=re.compile("Regional dialogue"))).not_to_contain_text("Cancelled")
    page.get_by_role("link", name="Cancel item Regional dialogue").click()
    page.get_by_role("button", name="Cancel the item").click()
    expect(page.get_by_role("status")).to_contain_text("is cancelled")
    expect(page.get_by_role("status")).to_contain_text("Participants get one message")

    # A move a minute later, with the same choice, on by default.
    page.get_by_role("link", name="Move Opening plenary").click()
    expect(page.get_by_label("Tell participants")).to_be_checked()
    page.get_by_label("Starts").fill("2031-03-10T10:00")
    page.get_by_label("Ends").fill("2031-03-10T11:30")
    page.get_by_role("button", name="Move item").click()
    expect(page.get_by_role("status")).to_contain_text("moved")

    assert tell_and_deliver(5) == []  # still within the quiet period
    [message] = tell_and_deliver(11)
    assert str(message["Subject"]) == f"Agenda changes: {workshop.title}"
    assert sorted(part.method for part in itip_parts(message)) == ["CANCEL", "REQUEST"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Opening plenary" in text and "10:00" in text and "Regional dialogue" in text
    assert tell_and_deliver(30) == []  # told once
