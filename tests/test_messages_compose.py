"""Organizers write to a chosen group of a workshop's people: placeholders, preview, a test to
oneself, sending through the outbox once, delivery as the real SMTP server receives it, history."""

import re

import pytest
import sqlalchemy as sa

from tests.support.registration import body, details, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, delivered, smtp_server  # noqa: F401
from workshop.messages import placeholders
from workshop.messages.models import ComposedMessage, MessageRecipient
from workshop.platform.mail.models import OutboxMessage

KEY = "k" * 24


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


def _outbox_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


@pytest.fixture
def workshop(taking_registrations, make_user, db):
    """Three registrants: two confirmed (Ghana, Chile), one withdrawn; the organizer signed in."""
    from workshop.registration import service as registration
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    workshops.update_workshop(workshop, venue="Kofi Annan Centre", city="Accra",
                              contact_email="team@example.org")
    ama = registration.register(workshop, {**details(name="Ama Mensah", country="GH"), "email": "ama@example.org"})
    registration.register(workshop, {**details(name="Bo Lindqvist", country="CL"), "email": "bo@example.org"})
    cy = registration.register(workshop, {**details(name="Cy Park", country="GH"), "email": "cy@example.org"})
    registration.withdraw(cy, reason="")
    workshop.ama = ama
    db.session.commit()
    return workshop


@pytest.fixture
def organizer(workshop, client, db):
    from workshop.auth.models import User
    from workshop.workshops.models import Role, WorkshopMember
    from tests.conftest import login

    user_id = db.session.scalar(sa.select(WorkshopMember.user_id).where(
        WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.ORGANIZER))
    user = db.session.get(User, user_id)
    login(client, user)
    return user


def _form(**overrides):
    data = {"audience": "registrants", "states": ["confirmed"], "category": "None", "country": "",
            "subject": "About {workshop_title}", "key": KEY,
            "body": "Dear {first_name},\n\nSee you at {venue} on {dates}: [your registration]({self_service_link})."}
    data.update(overrides)
    return data


def _url(workshop, what="new"):
    return f"/manage/w/{workshop.slug}/messages/{what}"


# The placeholders, without a request ---------------------------------------------------------

def test_unknown_placeholders_are_named_once_each():
    assert placeholders.unknown("Hi {first_name} {frist_name} {frist_name} {x y} {}") == ["frist_name"]


def test_a_name_is_filled_in_as_typed_never_as_markup():
    values = {"first_name": "[Ana](https://evil.example)*", "self_service_link": "https://w.test/r/abc"}
    subject, text, html = placeholders.render("Hi {first_name}", "Hi {first_name}, [link]({self_service_link})", values)
    assert subject == "Hi [Ana](https://evil.example)*"
    assert text == "Hi [Ana](https://evil.example)*, link (https://w.test/r/abc)"
    assert 'href="https://evil.example"' not in html
    assert "[Ana](https://evil.example)*" in html.replace("&amp;", "&")
    assert 'href="https://w.test/r/abc"' in html


# Compose, preview, test ----------------------------------------------------------------------

def test_the_preview_shows_one_recipient_filled_in_and_sends_nothing(client, db, workshop, organizer):
    before = _outbox_count(db)
    response = client.post(_url(workshop), data=_form(preview="Preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Dear Ama," in page and "Kofi Annan Centre, Accra" in page and "1–3 June 2030" in page
    assert f"About {workshop.title}" in page
    assert "2 people match." in page
    assert _outbox_count(db) == before
    # Another recipient picked for the preview.
    assert db.session.scalar(sa.select(MessageRecipient)) is None
    bo = re.search(r'value="(registration-\d+)">Bo Lindqvist', page).group(1)
    page = client.post(_url(workshop), data=_form(preview="Preview", preview_as=bo)).get_data(as_text=True)
    assert "Dear Bo," in page
    assert _outbox_count(db) == before


def test_a_test_goes_to_the_organizer_alone(app, client, db, smtp_server, workshop, organizer):
    delivered(app, smtp_server)
    response = client.post(_url(workshop), data=_form(test="Send a test to me"))
    assert response.status_code == 200
    mail = delivered(app, smtp_server)
    assert list(mail) == [organizer.email]
    [message] = mail[organizer.email]
    assert message["Subject"] == f"[Test] About {workshop.title}"
    assert "Dear Ama," in body(message)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ComposedMessage)) == 0


@pytest.mark.parametrize("fields, field, words", [
    ({"body": "Dear {frist_name}"}, "body", "Unknown placeholder {frist_name}"),
    ({"subject": "About {title}"}, "subject", "Unknown placeholder {title}"),
    ({"body": "x" * 20_001}, "body", "at most 20000 characters"),
    ({"country": "FR"}, "audience", "Nobody matches this choice"),
    ({"states": []}, "states", "Choose at least one state."),
    ({"body": ""}, "body", "Write the message."),
])
def test_bad_input_is_a_field_error_and_nothing_is_queued(client, db, workshop, organizer, fields, field, words):
    before = _outbox_count(db)
    response = client.post(_url(workshop), data=_form(send="Send", **fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error" role="alert">[^<]*{re.escape(words)}', page), page
    assert _outbox_count(db) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ComposedMessage)) == 0


# Sending -------------------------------------------------------------------------------------

def test_sending_reaches_the_filtered_group_with_placeholders_filled(app, client, db, smtp_server, workshop, organizer):
    delivered(app, smtp_server)
    response = client.post(_url(workshop), data=_form(send="Send", country="GH"))
    assert response.status_code == 302
    mail = delivered(app, smtp_server)
    assert list(mail) == ["ama@example.org"]  # Bo is in Chile, Cy withdrew
    [message] = mail["ama@example.org"]
    assert message["Subject"] == f"About {workshop.title}"
    assert message["Reply-To"] == "team@example.org"
    assert message["List-Unsubscribe"].startswith("<http://workshop.test/unsubscribe/")
    text = body(message)
    assert "Dear Ama," in text and "Kofi Annan Centre, Accra" in text and "1–3 June 2030" in text
    link = re.search(r"http://workshop\.test(/registrations/[A-Za-z0-9_-]+)", text).group(1)
    assert "Ama Mensah" in client.get(link).get_data(as_text=True)
    html = body(message, "html")
    assert f'href="http://workshop.test{link}"' in html


def test_a_double_submit_queues_once(client, db, workshop, organizer):
    before = _outbox_count(db)
    first = client.post(_url(workshop), data=_form(send="Send"))
    second = client.post(_url(workshop), data=_form(send="Send"))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ComposedMessage)) == 1
    assert _outbox_count(db) == before + 2


def test_unsubscribed_addresses_are_skipped_and_shown(app, client, db, smtp_server, workshop, organizer):
    from workshop.registration.unsubscribe import email_digest, unsubscribe

    unsubscribe(workshop, email_digest("bo@example.org"))
    db.session.commit()
    delivered(app, smtp_server)
    location = client.post(_url(workshop), data=_form(send="Send")).headers["Location"]
    assert list(delivered(app, smtp_server)) == ["ama@example.org"]
    page = client.get(location).get_data(as_text=True)
    assert "not sent: unsubscribed" in page
    assert '<progress id="delivery-progress" max="1" value="1">' in page


def test_invitees_who_have_not_answered(app, client, db, smtp_server, workshop, organizer):
    from workshop.people import service as people
    from workshop.registration import invitations

    waiting = people.save_contact(None, name="Chen Wei", email="chen@example.org", organization="Mission")
    answered = people.save_contact(None, name="Dana Ivanova", email="dana@example.org", organization="Mission")
    invitations.invite(workshop, waiting)
    declined = invitations.invite(workshop, answered)
    invitations.decline(declined)
    db.session.commit()
    delivered(app, smtp_server)
    response = client.post(_url(workshop), data=_form(send="Send", audience="invitees",
                                                      body="Dear {full_name}: <{self_service_link}>"))
    assert response.status_code == 302
    mail = delivered(app, smtp_server)
    assert list(mail) == ["chen@example.org"]
    link = re.search(r"http://workshop\.test(/invitations/[A-Za-z0-9_-]+)", body(mail["chen@example.org"][0])).group(1)
    assert client.get(link).status_code == 200


# History and progress ------------------------------------------------------------------------

def test_history_shows_who_sent_what_to_whom_and_each_delivery(app, client, db, smtp_server, workshop, organizer):
    location = client.post(_url(workshop), data=_form(send="Send")).headers["Location"]
    message_id = int(location.rsplit("/", 1)[1])
    assert client.get(f"{location}/progress.json").get_json() == {
        "sent": 0, "failed": 0, "queued": 2, "unsubscribed": 0, "total": 2, "done": False, "label": "0 of 2"}
    page = client.get(location).get_data(as_text=True)
    assert "message_progress.js" in page and page.count(">queued<") == 2
    # The server refuses Bo's address for good; Ama's message goes.
    smtp_server.refuse["bo@example.org"] = "550 5.1.1 No such user"
    deliver_outbox(app)
    assert client.get(f"{location}/progress.json").get_json()["label"] == "1 of 2"
    page = client.get(location).get_data(as_text=True)
    assert '<progress id="delivery-progress" max="2" value="1">' in page
    assert "failed: " in page and ">sent<" in page
    assert "message_progress.js" not in page  # nothing left to wait for
    history = client.get(_url(workshop, "")[:-1]).get_data(as_text=True)
    assert f"/messages/{message_id}" in history and organizer.name in history
    assert "Registrants: confirmed" in history and "1 of 2" in history


def test_a_message_of_another_workshop_is_not_found(client, db, workshop, organizer, make_workshop):
    location = client.post(_url(workshop), data=_form(send="Send")).headers["Location"]
    other = make_workshop(organizer)
    message_id = location.rsplit("/", 1)[1]
    assert client.get(f"/manage/w/{other.slug}/messages/{message_id}").status_code == 404
    assert client.get(f"/manage/w/{other.slug}/messages/{message_id}/progress.json").status_code == 404


HOSTILE_NAMES = ["<b>Bo</b> & Cy", "فاطمة الزهراء", "{{ 7*7 }} *Ana*", "Ana María Pérez", "[Eve](http://evil.example)",
                 "Dr. Ngozi (Chair)", "O'Neil &amp; Sons"]
MARKDOWN_BODY = ("# Practical details\n\nDear {first_name},\n\nWe meet at **{venue}** on {dates}, *{full_name}*.\n\n"
                 "- Bring your badge.\n- Check [your registration]({self_service_link}).\n\n> Coffee at nine.\n\nOlga")


def test_the_worker_writes_each_mail_as_rendering_it_alone_would(app, db, workshop, organizer):
    """The batch writer renders once per message and fills each person in: every recipient's
    parts, names hostile or not, are those of the templates and the Markdown rendered for them alone."""
    from workshop.messages import service
    from workshop.platform.i18n import in_language
    from workshop.platform.mail.outbox import render_parts
    from workshop.platform.urls import absolute_url
    from workshop.registration import service as registration

    for n, name in enumerate(HOSTILE_NAMES):
        registration.register(workshop, {**details(name=name, country="GH"), "email": f"p{n}@example.org"})
    db.session.commit()
    with app.test_request_context():
        service.send(workshop, by=organizer, subject="{first_name}: {workshop_title}", body=MARKDOWN_BODY,
                     audience=service.Audience(states=("confirmed", "pending", "waitlisted")),
                     audience_label="everyone", key=KEY)
        db.session.commit()
        rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.raw.is_(None))).all()
        args = [row.pending["args"] for row in rows if row.pending["kind"] == "composed_message"]
        letters = service.write_composed_many(args)
        assert len(letters) == len(HOSTILE_NAMES) + 2
        recipients = {r.id: r for r in db.session.scalars(sa.select(MessageRecipient))}
        for one, letter in zip(args, letters):
            recipient = recipients[one["recipient_id"]]
            person = service.Person(recipient.email, recipient.name, letter.language)
            link = absolute_url("registration.self_service", token=one["token"])
            with in_language(letter.language):
                subject, text, html = placeholders.render("{first_name}: {workshop_title}", MARKDOWN_BODY,
                                                          service.values_for(workshop, person, link))
                assert (letter.subject, letter.context["text_body"], str(letter.context["html_body"])) == \
                    (subject, text, html)
                assert letter.parts is not None
                assert letter.parts == render_parts(letter.template, letter.context, letter.subject)


def test_the_plain_text_part_reads_as_a_letter(app, client, db, smtp_server, workshop, organizer):
    """Both parts, as the SMTP server receives them: the text without Markdown marks."""
    delivered(app, smtp_server)
    response = client.post(_url(workshop), data=_form(send="Send", country="GH", body=MARKDOWN_BODY))
    assert response.status_code == 302
    [message] = delivered(app, smtp_server)["ama@example.org"]
    text, html = body(message).replace("\r\n", "\n"), body(message, "html")
    link = re.search(r"http://workshop\.test/registrations/[A-Za-z0-9_-]+", html).group(0)
    assert text.startswith(
        "Practical details\n\nDear Ama,\n\nWe meet at Kofi Annan Centre, Accra on 1–3 June 2030, Ama Mensah.\n\n"
        f"- Bring your badge.\n- Check your registration ({link}).\n\n    Coffee at nine.\n\nOlga\n\n")
    assert not re.search(r"\*\*|\]\(|^#|^>|&[a-z]+;", text, re.MULTILINE)
    assert "<h1>Practical details</h1>" in html and "<strong>Kofi Annan Centre, Accra</strong>" in html
    assert f'<a href="{link}" rel="nofollow noopener">your registration</a>' in html
