"""The words of every kind of email, kept as golden files: a change of wording is a visible
diff in tests/golden/emails/, reviewed like code.

One scripted workshop produces each kind once, through the real services and the outbox; link
tokens are replaced by <token>. After an intended change of wording, run
``UPDATE_GOLDEN=1 make test PYTEST_ARGS=tests/test_mail_golden.py`` and read the diff.
"""

import os
import re
from datetime import date, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.support.agenda import add_item
from tests.support.registration import body, outbox
from workshop.platform.types import utcnow

GOLDEN = Path(__file__).parent / "golden" / "emails"
TOKEN = re.compile(r"(/(?:registrations|invitations)/)[A-Za-z0-9_-]{20,}")
UNSUBSCRIBE = re.compile(r"(/unsubscribe/)[A-Za-z0-9_.-]{20,}")


def _text(row) -> str:
    message = BytesParser(policy=policy.default).parsebytes(row.raw)
    parts = [f"To: {message['To']}", f"Subject: {message['Subject']}"]
    if message["Reply-To"]:
        parts.append(f"Reply-To: {message['Reply-To']}")
    if message["List-Unsubscribe"]:
        parts.append("List-Unsubscribe: " + UNSUBSCRIBE.sub(r"\1<token>", str(message["List-Unsubscribe"])))
    calendar = [p.get_param("method") for p in message.walk()
                if p.get_content_type() == "text/calendar" and p.get_content_disposition() != "attachment"]
    if calendar:
        parts.append(f"Calendar: METHOD:{calendar[0]}")
    text = "\n".join(parts) + "\n\n" + body(message).replace("\r\n", "\n").rstrip() + "\n"
    return TOKEN.sub(r"\1<token>", text)


def _scenario(db, make_user, make_workshop):
    """Every kind of mail, in the order a workshop's life produces them."""
    from workshop.people import service as people
    from workshop.registration import invitations
    from workshop.registration import service as registration
    from workshop.workshops import service as workshops

    organizer = make_user("organizer@example.org", "Olga Organizer")
    workshop = make_workshop(organizer, title="Early Warning at the National Level", slug="early-warning",
                             timezone="Africa/Accra", venue="Kofi Annan Centre", city="Accra",
                             start_date=date(2031, 3, 10), end_date=date(2031, 3, 11),
                             conveners=["Global Centre for the Responsibility to Protect"],
                             contact_email="early.warning@example.org")
    item = add_item(workshop, title="Early warning in practice", room="Room A")
    registration.update_settings(workshop, mode="open", capacity=1, confirm_email=False)
    contact = people.save_contact(None, name="Chen Wei", email="chen.wei@example.org", organization="Mission")
    invitations.invite(workshop, contact, by=organizer)                       # invitation
    invitations.send_reminders(workshop)                                       # reminder
    details = {"position": "", "organization": "Ministry", "country": "GH", "consent": "nobody"}
    ama = registration.register(workshop, {**details, "name": "Ama Mensah", "email": "ama@example.org"})  # confirmed
    bo = registration.register(workshop, {**details, "name": "Bo Lindqvist", "email": "bo@example.org"})  # waitlisted
    outbox(db)  # the mail worker writes the two registrations' emails, as it does within seconds
    registration.withdraw(ama, reason="")                                      # withdrawn, Bo promoted
    registration.resend_link("bo@example.org")                                 # link re-sent
    from workshop.agenda import service as agenda
    from workshop.registration import session_notices

    def quiet_period_over():  # the mail worker's round, once the agenda was left alone
        session_notices.send_due_notices(now=utcnow() + timedelta(hours=1))

    add_item(workshop, title="Regional cooperation", start="11:00", end="12:00")
    agenda.update_item(item, room="Room B")
    quiet_period_over()                                                        # agenda changes (two new)
    agenda.update_item(item, room="Room C")
    quiet_period_over()                                                        # session changed
    agenda.cancel_item(item)
    quiet_period_over()                                                        # session cancelled
    workshops.update_workshop(workshop, city="Kumasi")                         # workshop moved
    registration.move_to_waitlist(bo, by=organizer)                           # waitlisted by organizer
    registration.approve(bo, by=organizer)                                     # confirmed again
    moderated = make_workshop(organizer, title="Closed Consultation", slug="closed-consultation",
                              start_date=date(2031, 4, 1), end_date=date(2031, 4, 1))
    registration.update_settings(moderated, mode="open", moderation=True, confirm_email=False)
    dana = registration.register(moderated, {**details, "name": "Dana Ivanova", "email": "dana@example.org"})  # received
    registration.reject(dana, by=organizer, reason="The room is for government delegations.")  # rejected
    workshops.set_status(workshop, "cancelled")                                # workshop cancelled
    forum = make_workshop(organizer, title="Open Forum", slug="open-forum",
                          start_date=date(2031, 5, 1), end_date=date(2031, 5, 1))
    registration.update_settings(forum, mode="open")                           # addresses confirmed by link
    registration.register(forum, {**details, "name": "Eve Okafor", "email": "eve@example.org"})  # confirm your address
    from workshop.messages import service as messages

    briefing = make_workshop(organizer, title="Briefing for Delegations", slug="briefing", venue="Palais des Nations",
                             city="Geneva", start_date=date(2031, 6, 2), end_date=date(2031, 6, 3),
                             contact_email="briefing@example.org")
    registration.update_settings(briefing, mode="open", confirm_email=False)
    from workshop.messages import team

    team.choose(briefing, organizer, daily_digest=False)
    registration.register(briefing, {**details, "name": "Fatima Al-Sayed", "email": "fatima@example.org"})  # the team told at once
    messages.send(briefing, by=organizer, subject="Practical details: {workshop_title}",
                  body="Dear {first_name},\n\nWe look forward to seeing you at **{venue}** on {dates}.\n\n"
                       "- Bring your badge.\n- Check [your registration]({self_service_link}).\n\nOlga",
                  audience=messages.Audience(states=("confirmed",)), audience_label="Registrants: confirmed",
                  key="golden-composed-message-key")                          # composed message
    team.choose(briefing, organizer, daily_digest=True)
    registration.register(briefing, {**details, "name": "Gao Yan", "email": "gao@example.org"})
    team.send_digests()                                                        # the team's daily digest
    from workshop.visas import service as visas
    from workshop.questions import service as questions

    def ask(label, kind, stage, condition=""):
        return questions.save_question(briefing, {"label": label, "kind": kind, "stage": stage, "required": True,
                                                  "sensitive": stage == "follow_up", "help_text": "", "choices": [],
                                                  "category_ids": [], "condition": condition})
    visa = ask("Do you need a letter of invitation for a visa?", "yes_no", "registration")
    passport = ask("Passport number", "short_text", "follow_up", f"{visa.id}:yes")
    fatima = registration.find_registration(briefing, "fatima@example.org")
    questions.save_answers(fatima, {visa.id: "yes"})
    questions.send_follow_up(briefing, by=organizer)                          # the follow-up form
    questions.remind_follow_up(briefing, by=organizer)                        # its reminder
    questions.save_answers(fatima, {passport.id: "GOLDEN-PASSPORT-1"})
    visas.save_template(briefing, {"body": "We invite {name}, passport {passport_number}.",
                                     "letterhead": "Briefing Centre", "visa_question_id": visa.id,
                                     "passport_question_id": passport.id})
    visas.issue(fatima)                                                      # letter of invitation
    db.session.commit()


def test_every_email_reads_as_its_golden_file(app, db, make_user, make_workshop):
    with app.test_request_context():
        _scenario(db, make_user, make_workshop)
    texts = [_text(row) for row in outbox(db)]
    assert len(texts) >= 15
    names = [f"{n:02d}-{re.sub(r'[^a-z0-9]+', '-', t.split(chr(10))[1].lower()).strip('-')[:60]}.txt"
             for n, t in enumerate(texts, start=1)]
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.glob("*.txt"):
            old.unlink()
        for name, text in zip(names, texts):
            (GOLDEN / name).write_text(text, encoding="utf-8")
        pytest.skip("golden files written; review the diff")
    expected = sorted(GOLDEN.glob("*.txt"))
    assert [p.name for p in expected] == names, "a message was added, removed or renamed"
    for path, text in zip(expected, texts):
        # Bytes as written: read_text would turn the bodies' CRLF line ends into LF.
        assert text == path.read_bytes().decode("utf-8"), f"{path.name} changed"
