"""Letters organizers edit: the default text until someone saves one, the edited text (with the
salutation an honorific calls for, a signatory and a reply-by date) in the mail as the real SMTP
server receives it, versions that show what a person got, and reset to the default in one click."""

from datetime import date

import pytest
import sqlalchemy as sa

from tests.support.registration import body, details, links_in, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401
from workshop.people import honorifics
from workshop.people import honorifics as formal
from workshop.letters.models import LetterVersion
from workshop.platform.i18n import in_language
from workshop.platform.mail.models import OutboxMessage


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop(taking_registrations, db):
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    workshops.update_workshop(workshop, venue="Palais des Nations", city="Geneva", contact_email="team@example.org")
    db.session.commit()
    return workshop


@pytest.fixture
def organizer(workshop, client, db):
    from tests.conftest import login
    from workshop.auth.models import User
    from workshop.workshops.models import Role, WorkshopMember

    user_id = db.session.scalar(sa.select(WorkshopMember.user_id).where(
        WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.ORGANIZER))
    user = db.session.get(User, user_id)
    login(client, user)
    return user


def _url(workshop, kind="confirmation", language="en", rest=""):
    return f"/manage/w/{workshop.slug}/letters/{kind}/{language}{rest}"


EDITED = {"subject": "Your seat at {workshop_title}",
          "body": "{salutation}\n\nWe are honoured to confirm your seat at **{workshop_title}** ({dates}, {venue}). "
                  "Kindly confirm your delegation by {reply_by}.",
          "signatory_name": "Olga Organizer", "signatory_title": "Director, Global Centre",
          "reply_by": "2030-05-15", "save": "Save"}


def _plain(message) -> str:
    return body(message).replace("\r\n", "\n")


def _mail_to(smtp_server, address):
    return [r.message for r in smtp_server.received if address in r.rcpt_tos]


# The formal parts, without a request -----------------------------------------------------------

def test_the_salutation_follows_the_honorific(app):
    with app.test_request_context():
        assert formal.salutation("H.E. Ama Mensah") == "Excellency,"
        assert formal.salutation("Her Excellency Ama Mensah", "Minister") == "Excellency,"
        assert formal.salutation("Bo Lindqvist", "Permanent Representative of Sweden") == "Dear Ambassador,"
        assert formal.salutation("Bo Lindqvist", "Ambassador") == "Dear Ambassador,"
        assert formal.salutation("Cy Park", "Programme Officer") == "Dear Cy Park,"
        assert formal.salutation("Hector Ruiz", "") == "Dear Hector Ruiz,"  # "He..." is not "HE"
        with in_language("fr"):
            assert formal.salutation("S.E. M. Dupont") == "Excellence,"
            assert formal.salutation("Anne Dupont", "Ambassadrice") == "Madame l'Ambassadrice, Monsieur l'Ambassadeur,"


@pytest.mark.parametrize("language, code, name, expected", [
    ("en", "he", "Ama Mensah", "Excellency,"),
    ("en", "ambassador", "Chinedu Okafor", "Dear Ambassador Okafor,"),
    ("en", "dr", "Jin Lee", "Dear Dr. Lee,"),
    ("en", "dr", "Dr. Jin Lee", "Dear Dr. Lee,"),  # the title typed into the name is not doubled
    ("en", "ms", "Ana Ruiz", "Dear Ms. Ruiz,"),
    ("en", "minister", "Bo Lindqvist", "Dear Minister Lindqvist,"),
    ("en", "prof", "Cher", "Dear Professor Cher,"),  # one word: the name whole
    ("en", "mx", "Sam Taylor", "Dear Mx. Taylor,"),
    ("fr", "he", "Ama Mensah", "Excellence,"),
    ("fr", "ambassador", "Chinedu Okafor", "Madame l'Ambassadrice, Monsieur l'Ambassadeur,"),
    ("fr", "ms", "Ana Ruiz", "Madame,"),
    ("fr", "mx", "Camille Dupont", "Camille Dupont,"),
    ("es", "ms", "Ana Ruiz García", "Estimada Sra. Ruiz García:"),
    ("es", "he", "Ama Mensah", "Excelencia:"),
    ("ar", "minister", "Chinedu Okafor", "معالي الوزير/الوزيرة Okafor،"),
    ("zh", "ambassador", "Chinedu Okafor", "尊敬的Okafor大使："),
    ("zh", "mr", "Wei Zhang", "尊敬的Zhang先生："),
    ("ru", "he", "Ama Mensah", "Ваше Превосходительство!"),
    ("ru", "prof", "Ivan Petrov", "Уважаемый(ая) профессор Petrov!"),
])
def test_the_salutation_follows_the_honorific_code_in_each_language(app, language, code, name, expected):
    with app.test_request_context(), in_language(language):
        assert honorifics.salutation(name, "Programme Officer", code) == expected


def test_every_honorific_has_a_salutation_in_every_language():
    from workshop.platform.i18n import LANGUAGES

    assert set(honorifics.SALUTATIONS) == set(LANGUAGES)
    for language, table in honorifics.SALUTATIONS.items():
        assert set(table) == set(honorifics.CODES), language


def test_with_no_honorific_or_an_unknown_code_the_salutation_is_guessed_as_before(app):
    with app.test_request_context():
        assert honorifics.salutation("Bo Lindqvist", "Ambassador", "") == "Dear Ambassador,"
        assert honorifics.salutation("Cy Park", "", "his-majesty") == "Dear Cy Park,"


# The editor ----------------------------------------------------------------------------------

def test_an_unedited_letter_opens_with_its_default_text_in_the_letters_language(client, workshop, organizer):
    page = client.get(_url(workshop)).get_data(as_text=True)
    assert "The default text goes out." in page
    assert "Registration confirmed: {workshop_title}" in page
    assert "{salutation}" in page and "Your registration for {workshop_title}, {dates}, is confirmed" in page
    french = client.get(_url(workshop, language="fr")).get_data(as_text=True)
    assert "Votre inscription" in french or "inscription" in french.split("{salutation}")[1][:200]
    overview = client.get(f"/manage/w/{workshop.slug}/letters").get_data(as_text=True)
    assert overview.count("default text") >= 7


def test_the_preview_fills_in_the_formal_parts_and_saves_and_sends_nothing(db, client, workshop, organizer):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    response = client.post(_url(workshop), data={**EDITED, "save": "", "preview": "Preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dear Ambassador Mensah," in page  # the sample reader is an ambassador
    assert f"Your seat at {workshop.title}" in page
    assert "<strong>" + workshop.title + "</strong>" in page
    assert "15 May 2030" in page and "Director, Global Centre" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LetterVersion)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before


def test_an_edited_confirmation_reaches_the_registrant_with_their_salutation_and_keeps_its_links(
        app, db, client, workshop, organizer, smtp_server):
    from workshop.registration import service as registration

    assert client.post(_url(workshop), data=EDITED).status_code == 302
    [version] = db.session.scalars(sa.select(LetterVersion)).all()
    registration.register(workshop, {**details(name="Bo Lindqvist", position="Permanent Representative"),
                                     "email": "bo@example.org"})
    registration.register(workshop, {**details(name="H.E. Ama Mensah"), "email": "ama@example.org"})
    deliver_outbox(app)
    [bo] = _mail_to(smtp_server, "bo@example.org")
    [ama] = _mail_to(smtp_server, "ama@example.org")
    text = _plain(bo)
    assert str(bo["Subject"]) == f"Your seat at {workshop.title}"
    assert text.startswith("Dear Ambassador,\n\nWe are honoured to confirm your seat at")
    assert "Kindly confirm your delegation by 15 May 2030." in text
    assert "Olga Organizer\nDirector, Global Centre" in text
    assert _plain(ama).startswith("Excellency,")
    assert "<strong>" in body(bo, "html")
    # What the letter does not let anyone edit is still there: the personal link and the calendar.
    assert [link for link in links_in(text) if link.startswith("/registrations/")]
    assert any(part.get_content_type() == "text/calendar" for part in bo.walk())
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.letter_version_id == version.id)).all()
    assert sorted(row.recipients for row in rows) == ["ama@example.org", "bo@example.org"]


def test_a_letter_edited_in_french_reaches_french_readers_only(app, db, client, workshop, organizer, smtp_server):
    from workshop.registration import service as registration

    french = {**EDITED, "subject": "Votre place : {workshop_title}", "body": "{salutation}\n\nNous confirmons votre place."}
    assert client.post(_url(workshop, language="fr"), data=french).status_code == 302
    registration.register(workshop, {**details(name="Anne Dupont", position="Ambassadrice"), "email": "anne@example.org"},
                          language="fr")
    registration.register(workshop, {**details(name="Ed Jones"), "email": "ed@example.org"})
    deliver_outbox(app)
    [anne] = _mail_to(smtp_server, "anne@example.org")
    [ed] = _mail_to(smtp_server, "ed@example.org")
    assert _plain(anne).startswith("Madame l'Ambassadrice, Monsieur l'Ambassadeur,\n\nNous confirmons votre place.")
    assert str(ed["Subject"]).startswith("Registration confirmed:")
    assert _plain(ed).startswith("Dear Ed Jones,")


def test_bulk_invitations_written_by_the_worker_use_the_edited_letter(app, db, client, workshop, organizer, smtp_server):
    from workshop.people.models import Contact
    from workshop.registration import invitations

    invitation = {"subject": "An invitation from the Global Centre", "save": "Save",
                  "body": "{salutation}\n\nOn behalf of the conveners, I have the honour to invite you to "
                          "{workshop_title}. [Answer here]({self_service_link})"}
    assert client.post(_url(workshop, kind="invitation"), data=invitation).status_code == 302
    contact = Contact(name="Chen Wei", email="chen@example.org", position="Ambassador")
    db.session.add(contact)
    db.session.flush()
    assert invitations.invite_many(workshop, [contact]) == 1
    db.session.commit()
    deliver_outbox(app)
    [chen] = _mail_to(smtp_server, "chen@example.org")
    assert str(chen["Subject"]) == "An invitation from the Global Centre"
    text = _plain(chen)
    assert text.startswith("Dear Ambassador,\n\nOn behalf of the conveners")
    # The organizer's link in the text and the letter's own one below it: the same personal link.
    [link] = {link for link in links_in(text) if link.startswith("/invitations/")}
    assert client.get(link).status_code == 200
    assert chen["List-Unsubscribe"]
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipients == "chen@example.org"))
    assert row.letter_version_id is not None


def test_reset_is_one_click_and_the_versions_show_what_each_person_got(app, db, client, workshop, organizer,
                                                                        smtp_server):
    from workshop.registration import service as registration

    client.post(_url(workshop), data=EDITED)
    registration.register(workshop, {**details(name="Bo Lindqvist"), "email": "bo@example.org"})
    db.session.commit()
    assert client.post(_url(workshop, rest="/reset")).status_code == 302
    registration.register(workshop, {**details(name="Cy Park"), "email": "cy@example.org"})
    deliver_outbox(app)
    assert _plain(_mail_to(smtp_server, "cy@example.org")[0]).startswith("Dear Cy Park,\n\nYour registration for")
    page = client.get(_url(workshop)).get_data(as_text=True)
    assert "The default text goes out." in page and "Version 2" in page and "back to the default text" in page
    first = client.get(_url(workshop, rest="/versions/1")).get_data(as_text=True)
    assert "We are honoured to confirm" in first and "bo@example.org" in first and "cy@example.org" not in first
    assert "Written from this version: 1 message" in first
    assert client.get(_url(workshop, rest="/versions/9")).status_code == 404
    audit = client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)
    assert "Letter edited" in audit and "Letter reset to its default text" in audit


def test_an_edited_cancellation_letter_goes_with_the_calendar_cancellation(app, db, client, workshop, organizer,
                                                                           smtp_server):
    from workshop.registration import service as registration
    from workshop.workshops import service as workshops

    registration.register(workshop, {**details(name="Bo Lindqvist"), "email": "bo@example.org"})
    db.session.commit()
    client.post(_url(workshop, kind="cancellation"), data={
        "subject": "{workshop_title} will not take place", "body": "{salutation}\n\nWe regret to inform you.",
        "save": "Save"})
    deliver_outbox(app)
    smtp_server.received.clear()
    workshops.set_status(workshop, "cancelled")
    deliver_outbox(app)
    [bo] = _mail_to(smtp_server, "bo@example.org")
    assert str(bo["Subject"]) == f"{workshop.title} will not take place"
    assert _plain(bo).startswith("Dear Bo Lindqvist,\n\nWe regret to inform you.")
    assert [p.get_param("method") for p in bo.walk() if p.get_content_type() == "text/calendar"][0] == "CANCEL"


def test_bad_letters_get_field_errors_and_unknown_letters_are_not_found(db, client, workshop, organizer):
    for bad in ({"body": "{salutation} {frist_name}"}, {"subject": ""}, {"body": ""}, {"reply_by": "someday"},
                {"body": "x" * 20_001}):
        response = client.post(_url(workshop), data={**EDITED, **bad})
        assert response.status_code == 422, bad
        assert 'role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LetterVersion)) == 0
    assert client.get(_url(workshop, kind="love-letter")).status_code == 404
    assert client.get(_url(workshop, language="de")).status_code == 404


def test_hostile_input_in_the_letter_form_is_refused_or_shown_inert(app, db, client, workshop, organizer, smtp_server):
    from email import policy
    from email.parser import BytesParser

    from tests.support.hostile import HOSTILE, Findings, active_markup, form_body
    from tests.support.registration import outbox
    from workshop.registration import service as registration

    findings = Findings()
    for label, value in HOSTILE.items():
        for name in ("subject", "body", "signatory_name", "signatory_title", "reply_by"):
            for button in ("preview", "save"):
                fields = {**EDITED, "save": "", name: value, button: "x"}
                response = client.post(_url(workshop), data=form_body(fields),
                                       content_type="application/x-www-form-urlencoded")
                findings.check(response, label, value, f"letter {name} ({button})", allowed=(200, 302, 422))
    findings.check(client.get(_url(workshop)), "editor", "", "letter editor", allowed=(200,))
    for number in range(1, 4):
        findings.check(client.get(_url(workshop, rest=f"/versions/{number}")), "version", "", "letter version",
                       allowed=(200,))
    registration.register(workshop, {**details(name="Bo Lindqvist"), "email": "bo@example.org"})
    db.session.commit()
    for row in outbox(db):
        html = body(BytesParser(policy=policy.default).parsebytes(row.raw), "html")
        for piece in active_markup(html):
            findings.append(f"mail {row.subject!r}: active markup {piece!r}")
    assert findings == []
