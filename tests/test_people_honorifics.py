"""A person's honorific: a code from a fixed list on contacts and registrations, set by organizers
(contact form, the registration's page) and by participants (registration form, self-service
edit); a forged code is a field error; letters and composed messages address the person by it,
as the real SMTP server receives them; the export carries it."""

import csv
import io

import pytest
import sqlalchemy as sa

from tests.support.hostile import HOSTILE, form_body
from tests.support.registration import body, form_data, link_from_outbox, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401
from tests.test_security_hostile_input import FORM

REFUSED = "Choose an honorific from the list, or none."


@pytest.fixture
def app_config(app_config, smtp_server):
    # Many submissions from one test client: the limits are tested elsewhere.
    return {**app_config, "MAIL_URL": smtp_server.url, "RATELIMIT_ENABLED": False}


@pytest.fixture
def workshop(taking_registrations):
    return taking_registrations()


@pytest.fixture
def organizer(workshop, db):
    from workshop.auth.models import User
    from workshop.workshops.models import Role, WorkshopMember

    user_id = db.session.scalar(sa.select(WorkshopMember.user_id).where(
        WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.ORGANIZER))
    return db.session.get(User, user_id)


def _registration(db, email):
    from workshop.registration.models import Registration

    return db.session.scalar(sa.select(Registration).where(Registration.email == email))


def _mail_to(smtp_server, address):
    return [r.message for r in smtp_server.received if address in r.rcpt_tos]


def test_a_participant_chooses_an_honorific_on_the_form_and_changes_it_on_their_own_page(client, db, workshop):
    page = client.get(f"/w/{workshop.slug}/register").get_data(as_text=True)
    assert 'name="honorific"' in page and ">Ambassador<" in page and ">Mx.<" in page
    response = client.post(f"/w/{workshop.slug}/register",
                           data=form_data("chinedu@example.org", name="Chinedu Okafor", honorific="ambassador"))
    assert response.status_code == 200
    registration = _registration(db, "chinedu@example.org")
    assert registration.honorific == "ambassador"
    link = link_from_outbox(db, "chinedu@example.org")
    edit = client.post(f"{link}/edit", data={**form_data("chinedu@example.org", name="Chinedu Okafor"),
                                             "honorific": "dr"})
    assert edit.status_code == 302
    db.session.refresh(registration)
    assert registration.honorific == "dr"
    # Optional: none at all is fine.
    assert client.post(f"{link}/edit", data={**form_data("chinedu@example.org", name="Chinedu Okafor"),
                                             "honorific": ""}).status_code == 302
    db.session.refresh(registration)
    assert registration.honorific == ""


def test_a_forged_honorific_is_a_field_error_everywhere_never_a_500(client, db, login_as, workshop, organizer):
    # Each of the hostile corpus, and codes that look almost right, on every form that takes one.
    forged = {**HOSTILE, "unknown code": "his-majesty", "label not code": "Ambassador", "upper case": "DR",
              "padded": " dr "}
    client.post(f"/w/{workshop.slug}/register", data=form_data("ruiz@example.org", name="Ana Ruiz"))
    registration = _registration(db, "ruiz@example.org")
    link = link_from_outbox(db, "ruiz@example.org")
    login_as(organizer)
    for n, (label, value) in enumerate(forged.items()):
        posts = {
            "register": (f"/w/{workshop.slug}/register", form_data(f"forged-{n}@example.org", honorific=value)),
            "self-service edit": (f"{link}/edit", {**form_data("ruiz@example.org", name="Ana Ruiz"),
                                                   "honorific": value}),
            "contact": ("/manage/contacts/new", {"name": f"Contact {n}", "email": f"contact-{n}@example.org",
                                                 "honorific": value}),
            "organizer": (f"/manage/w/{workshop.slug}/registrations/{registration.id}/honorific",
                          {"honorific": value}),
        }
        for where, (url, fields) in posts.items():
            response = client.post(url, data=form_body(fields), content_type=FORM)
            assert response.status_code == 422, (label, where, response.status_code)
            page = response.get_data(as_text=True)
            # Said in words at the field (bytes that are not UTF-8 are refused before any field).
            assert REFUSED in page or isinstance(value, bytes) or "\x00" in value or label.startswith("lone"), \
                (label, where)
    from workshop.people.models import Contact
    from workshop.registration.models import Registration

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
    db.session.refresh(registration)
    assert registration.honorific == ""


def test_organizers_set_the_honorific_on_a_contact_and_on_a_registration(client, db, login_as, workshop, organizer):
    from workshop.people.models import Contact

    login_as(organizer)
    assert client.post("/manage/contacts/new", data={"name": "Jin Lee", "email": "lee@example.org",
                                                     "honorific": "dr"}).status_code == 302
    contact = db.session.scalar(sa.select(Contact))
    assert contact.honorific == "dr"
    assert "Dr." in client.get("/manage/contacts/").get_data(as_text=True)
    assert '<option selected value="dr">' in client.get(f"/manage/contacts/{contact.id}/edit").get_data(as_text=True)

    client.post(f"/w/{workshop.slug}/register", data=form_data("okafor@example.org", name="Chinedu Okafor"))
    registration = _registration(db, "okafor@example.org")
    url = f"/manage/w/{workshop.slug}/registrations/{registration.id}"
    assert "How letters address them" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/honorific", data={"honorific": "ambassador"}).status_code == 302
    db.session.refresh(registration)
    assert registration.honorific == "ambassador"
    assert registration.changes[-1].detail == "honorific"  # in the registration's history
    # In French, the label is French.
    assert "Ambassadeur ou ambassadrice" in client.get(f"{url}?lang=fr").get_data(as_text=True)


def test_an_invitee_s_form_starts_from_their_contact_s_honorific(client, db, make_workshop, organizer, smtp_server,
                                                                 taking_registrations):
    from workshop.people import service as people
    from workshop.registration import invitations

    workshop = taking_registrations(mode="invitation")
    contact = people.save_contact(None, name="Ama Mensah", email="ama@example.org", honorific="he")
    invitations.invite(workshop, contact, by=organizer)
    db.session.commit()
    link = link_from_outbox(db, "ama@example.org", "invitations")
    page = client.get(f"{link}/accept").get_data(as_text=True)
    assert '<option selected value="he">' in page


def test_the_letters_and_a_composed_message_address_each_person_by_their_honorific(
        app, client, db, login_as, workshop, organizer, smtp_server):
    from workshop.letters import service as letters

    letters.save(workshop, "confirmation", "en", subject="Your seat", body="{salutation}\n\nYour seat is held.")
    letters.save(workshop, "confirmation", "fr", subject="Votre place", body="{salutation}\n\nVotre place est réservée.")
    db.session.commit()
    for email, name, code, lang in (("okafor@example.org", "Chinedu Okafor", "ambassador", "en"),
                                    ("lee@example.org", "Jin Lee", "dr", "en"),
                                    ("ruiz@example.org", "Ana Ruiz", "ms", "en"),
                                    ("dupont@example.org", "Anne Dupont", "ambassador", "fr"),
                                    ("plain@example.org", "Cy Park", "", "en")):
        assert client.post(f"/w/{workshop.slug}/register?lang={lang}",
                           data=form_data(email, name=name, honorific=code, mail_language=lang,
                                          position="Programme Officer")).status_code == 200
    deliver_outbox(app)
    first_lines = {email: body(_mail_to(smtp_server, email)[0]).split("\n")[0].strip()
                   for email in ("okafor@example.org", "lee@example.org", "ruiz@example.org",
                                 "dupont@example.org", "plain@example.org")}
    assert first_lines == {
        "okafor@example.org": "Dear Ambassador Okafor,", "lee@example.org": "Dear Dr. Lee,",
        "ruiz@example.org": "Dear Ms. Ruiz,", "dupont@example.org": "Madame l'Ambassadrice, Monsieur l'Ambassadeur,",
        "plain@example.org": "Dear Cy Park,"}

    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/messages/new", data={
        "audience": "registrants", "states": ["confirmed"], "category": "None", "country": "",
        "subject": "Practical details", "body": "{salutation}\n\nThe venue opens at nine.",
        "key": "honorific-message-key-000001", "document_delivery": "attach", "send": "Send"})
    assert response.status_code == 302
    deliver_outbox(app)
    composed = {email: [m for m in _mail_to(smtp_server, email) if str(m["Subject"]).startswith(("Practical",))]
                for email in first_lines}
    assert body(composed["lee@example.org"][0]).startswith("Dear Dr. Lee,\r\n")
    assert body(composed["dupont@example.org"][0]).startswith("Madame l'Ambassadrice, Monsieur l'Ambassadeur,\r\n")
    # The sign-off is in the recipient's language too, not the worker's.
    assert "Veuillez agréer nos salutations distinguées," in body(composed["dupont@example.org"][0])


def test_the_export_has_the_honorific_in_the_reader_s_language(client, db, login_as, workshop, organizer):
    client.post(f"/w/{workshop.slug}/register", data=form_data("lee@example.org", name="Jin Lee", honorific="dr"))
    client.post(f"/w/{workshop.slug}/register", data=form_data("park@example.org", name="Cy Park"))
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index("Honorific")
    assert {row[1]: row[column] for row in rows[1:]} == {"lee@example.org": "Dr.", "park@example.org": ""}
