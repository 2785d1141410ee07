"""Reminders that go out by themselves, tested with a moved clock: at the due hour in the
workshop's time zone, once per person, through restarts and with two workers at once."""

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.support.registration import body, details, links_in, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401
from workshop.platform import jobs, leases
from workshop.platform.jobs import ScheduledJob
from workshop.reminders import rules
from workshop.reminders.models import ReminderDelivery, ReminderRule

ZONE = "America/New_York"
START, END = date(2030, 6, 10), date(2030, 6, 12)
# 7 days before the start, 9:00 in New York (summer time, UTC-4).
DUE = datetime(2030, 6, 3, 13, 0, tzinfo=timezone.utc)


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop(taking_registrations, db):
    """Two confirmed registrants and a withdrawn one, in New York's time zone."""
    from workshop.registration import service as registration
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    workshops.update_workshop(workshop, timezone=ZONE, start_date=START, end_date=END, venue="UN Plaza",
                              city="New York", contact_email="team@example.org")
    for name, email in (("Ama Mensah", "ama@example.org"), ("Bo Lindqvist", "bo@example.org"),
                        ("Cy Park", "cy@example.org")):
        registration.register(workshop, {**details(name=name), "email": email})
    cy = db.session.scalar(sa.select(registration.Registration).where(
        registration.Registration.email == "cy@example.org"))
    registration.withdraw(cy, reason="")
    db.session.commit()
    return workshop


def _rule(workshop, db, kind=rules.BEFORE_START, days=7, hour=9,
          subject="{workshop_title} is near",
          body_text="Dear {first_name}, we meet at {venue} on {dates}. [Your registration]({self_service_link})"):
    from workshop.reminders import service

    rule = service.add_rule(workshop, kind=kind, days=days, hour=hour, subject=subject, body=body_text)
    db.session.commit()
    return rule


def _reminders(smtp_server, subject_part):
    found = {}
    for received in smtp_server.received:
        if subject_part in str(received.message["Subject"]):
            for rcpt in received.rcpt_tos:
                found.setdefault(rcpt, []).append(received.message)
    return found


def _at(moment):
    return lambda: moment


# When a rule is due, without a request ---------------------------------------------------------

def test_the_due_hour_is_the_workshops_local_hour_on_both_sides_of_a_clock_change():
    assert rules.due(rules.BEFORE_START, 7, 9, ZONE, START, END) == DUE
    # New York in January is UTC-5.
    assert rules.due(rules.BEFORE_START, 7, 9, ZONE, date(2031, 1, 20), date(2031, 1, 21)) == \
        datetime(2031, 1, 13, 14, 0, tzinfo=timezone.utc)
    assert rules.due(rules.AFTER_END, 1, 10, "Africa/Accra", START, END) == \
        datetime(2030, 6, 13, 10, 0, tzinfo=timezone.utc)
    # 2:00 on 10 March 2030 does not exist in New York: the hour after is taken.
    assert rules.at_local_hour(date(2030, 3, 10), 2, ZONE) == datetime(2030, 3, 10, 7, 0, tzinfo=timezone.utc)


def test_an_invitation_reminder_counts_days_from_the_local_day_the_invitation_went():
    # 23:30 on 1 June in New York is already 2 June in UTC: the local day counts.
    sent = datetime(2030, 6, 2, 3, 30, tzinfo=timezone.utc)
    assert rules.due(rules.AFTER_INVITATION, 3, 9, ZONE, START, END, sent) == \
        datetime(2030, 6, 4, 13, 0, tzinfo=timezone.utc)


# The worker sends them -------------------------------------------------------------------------

def test_a_reminder_goes_at_the_due_hour_to_confirmed_participants_once_with_placeholders_filled(
        app, db, workshop, smtp_server):
    _rule(workshop, db)
    deliver_outbox(app, clock=_at(DUE - timedelta(minutes=1)))
    assert _reminders(smtp_server, "is near") == {}

    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    got = _reminders(smtp_server, "is near")
    assert sorted(got) == ["ama@example.org", "bo@example.org"]  # not the withdrawn Cy
    [message] = got["ama@example.org"]
    text = body(message)
    assert str(message["Subject"]) == f"{workshop.title} is near"
    assert "Dear Ama, we meet at UN Plaza, New York on" in text
    [link] = links_in(text)
    assert link.startswith("/registrations/")
    assert message["Reply-To"] == "team@example.org"
    assert message["List-Unsubscribe"]

    smtp_server.received.clear()
    deliver_outbox(app, clock=_at(DUE + timedelta(hours=2)))
    deliver_outbox(app, clock=_at(DUE + timedelta(hours=5)))
    assert _reminders(smtp_server, "is near") == {}


def test_the_personal_link_in_a_reminder_opens_the_registration(app, db, client, workshop, smtp_server):
    _rule(workshop, db)
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    [message] = _reminders(smtp_server, "is near")["bo@example.org"]
    [link] = links_in(body(message))
    page = client.get(link)
    assert page.status_code == 200 and "Bo Lindqvist" in page.get_data(as_text=True)


def test_someone_who_registers_after_the_reminder_went_gets_it_at_the_next_look_and_nobody_twice(
        app, db, workshop, smtp_server):
    from workshop.registration import service as registration

    _rule(workshop, db)
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    registration.register(workshop, {**details(name="Dee Late"), "email": "dee@example.org"})
    db.session.commit()
    smtp_server.received.clear()
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=30)))  # before the next look
    assert _reminders(smtp_server, "is near") == {}
    deliver_outbox(app, clock=_at(DUE + timedelta(hours=1, minutes=2)))
    assert sorted(_reminders(smtp_server, "is near")) == ["dee@example.org"]


def test_the_rule_stops_once_the_workshop_has_begun(app, db, workshop, smtp_server):
    _rule(workshop, db)
    after = datetime(2030, 6, 11, 12, 0, tzinfo=timezone.utc)
    deliver_outbox(app, clock=_at(after))
    assert _reminders(smtp_server, "is near") == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledJob)) == 0


def test_an_address_that_unsubscribed_is_not_sent_the_reminder(app, db, workshop, smtp_server):
    from workshop.registration.notice_models import MailUnsubscribe
    from workshop.registration.unsubscribe import email_digest

    db.session.add(MailUnsubscribe(workshop_id=workshop.id, email_hash=email_digest("bo@example.org")))
    db.session.commit()
    _rule(workshop, db)
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    assert sorted(_reminders(smtp_server, "is near")) == ["ama@example.org"]


def test_a_cancelled_workshop_sends_no_reminder(app, db, workshop, smtp_server):
    from workshop.workshops.models import WorkshopStatus

    _rule(workshop, db)
    workshop.status = WorkshopStatus.CANCELLED
    db.session.commit()
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    assert _reminders(smtp_server, "is near") == {}


def test_invitees_who_have_not_answered_are_reminded_days_after_their_invitation(app, db, workshop, smtp_server):
    from workshop.people.models import Contact
    from workshop.registration import invitations

    pending = Contact(name="Eve Quiet", email="eve@example.org")
    answered = Contact(name="Fay Busy", email="fay@example.org")
    db.session.add_all([pending, answered])
    db.session.flush()
    invitations.invite(workshop, pending)
    declined = invitations.invite(workshop, answered)
    invitations.transition(declined, "declined")
    db.session.commit()
    sent = db.session.scalar(sa.select(invitations.Invitation.sent_at).where(
        invitations.Invitation.email == "eve@example.org"))
    due = rules.due(rules.AFTER_INVITATION, 3, 9, ZONE, START, END, sent)
    _rule(workshop, db, kind=rules.AFTER_INVITATION, days=3, subject="Will you join {workshop_title}?",
          body_text="Dear {full_name}, please answer: {self_service_link}")

    deliver_outbox(app, clock=_at(due - timedelta(minutes=5)))
    assert _reminders(smtp_server, "Will you join") == {}
    deliver_outbox(app, clock=_at(due + timedelta(minutes=5)))
    got = _reminders(smtp_server, "Will you join")
    assert sorted(got) == ["eve@example.org"]
    [link] = links_in(body(got["eve@example.org"][0]))
    assert link.startswith("/invitations/")
    smtp_server.received.clear()
    deliver_outbox(app, clock=_at(due + timedelta(days=1)))
    assert _reminders(smtp_server, "Will you join") == {}


def _publish_memo(db, workshop):
    from workshop.memos.models import Memo, MemoVersion

    memo = Memo(workshop_id=workshop.id, language="en")
    db.session.add(memo)
    db.session.flush()
    db.session.add(MemoVersion(memo_id=memo.id, number=1, revision_number=1, title="Takeaways", dated=END,
                               source="", html="", disclaimer="", pdf=b"%PDF", pdf_sha256="0" * 64))
    db.session.commit()


def test_a_thank_you_after_the_end_waits_for_the_memo_and_links_it(app, db, workshop, smtp_server):
    _rule(workshop, db, kind=rules.AFTER_END, days=1, hour=10, subject="Thank you",
          body_text="Thank you, {first_name}. The takeaways: {memo_link}")
    due = datetime(2030, 6, 13, 14, 0, tzinfo=timezone.utc)
    deliver_outbox(app, clock=_at(due + timedelta(minutes=1)))
    assert _reminders(smtp_server, "Thank you") == {}
    _publish_memo(db, workshop)
    deliver_outbox(app, clock=_at(due + timedelta(days=2)))
    got = _reminders(smtp_server, "Thank you")
    assert sorted(got) == ["ama@example.org", "bo@example.org"]
    assert f"The takeaways: http://workshop.test/w/{workshop.slug}/memo" in body(got["ama@example.org"][0])


# Restarts and several workers -------------------------------------------------------------------

def test_a_worker_that_died_holding_the_job_leaves_it_to_the_next_once_its_lease_runs_out(
        app, db, workshop, smtp_server):
    _rule(workshop, db)
    now = DUE + timedelta(minutes=1)
    # A worker claims the job, then dies before doing anything.
    ids = leases.claim(ScheduledJob, ScheduledJob.run_at <= now, order_by=(ScheduledJob.id,), limit=5,
                       lease=now + jobs.LEASE, now=now)
    db.session.commit()
    assert len(ids) == 1
    deliver_outbox(app, clock=_at(now + timedelta(minutes=1)))
    assert _reminders(smtp_server, "is near") == {}
    deliver_outbox(app, clock=_at(now + jobs.LEASE + timedelta(minutes=1)))
    assert sorted(_reminders(smtp_server, "is near")) == ["ama@example.org", "bo@example.org"]


def test_a_run_that_fails_half_way_has_sent_nothing_and_the_next_sends_each_once(
        app, db, workshop, smtp_server, monkeypatch):
    from workshop.reminders import service

    _rule(workshop, db)
    real, calls = service.queue_mail_later, []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "queue_mail_later", failing)
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    assert _reminders(smtp_server, "is near") == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderDelivery)) == 0
    job = db.session.scalar(sa.select(ScheduledJob))
    assert "the database went away" in job.last_error
    deliver_outbox(app, clock=_at(DUE + jobs.RETRY + timedelta(minutes=2)))
    got = _reminders(smtp_server, "is near")
    assert {email: len(messages) for email, messages in got.items()} == {"ama@example.org": 1, "bo@example.org": 1}


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_at_once_send_each_reminder_once(app, db, workshop, smtp_server, workers):
    from workshop.registration import service as registration

    for n in range(20):
        registration.register(workshop, {**details(name=f"Person {n}"), "email": f"p{n}@example.org"})
    db.session.commit()
    _rule(workshop, db)
    _rule(workshop, db, days=3, subject="Three days to {workshop_title}")
    start, errors = threading.Barrier(workers), []
    smtp_server.received.clear()

    def work():
        try:
            start.wait()
            deliver_outbox(app, clock=_at(datetime(2030, 6, 7, 14, 0, tzinfo=timezone.utc)))
        except Exception as error:  # a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    deliver_outbox(app, clock=_at(datetime(2030, 6, 7, 14, 1, tzinfo=timezone.utc)))  # whatever is left
    for subject in ("is near", "Three days to"):
        counts = {email: len(m) for email, m in _reminders(smtp_server, subject).items()}
        assert counts == {email: 1 for email in ["ama@example.org", "bo@example.org"]
                          + [f"p{n}@example.org" for n in range(20)]}, subject


def test_a_second_insert_of_the_same_person_for_the_same_rule_is_refused_by_the_database(app, db, workshop):
    rule = _rule(workshop, db)
    db.session.add(ReminderDelivery(rule_id=rule.id, person="registration-1", email="a@example.org"))
    db.session.commit()
    db.session.add(ReminderDelivery(rule_id=rule.id, person="registration-1", email="a@example.org"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


# The organizer's page ----------------------------------------------------------------------------

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


def _form(**overrides):
    return {"kind": rules.BEFORE_START, "days": "7", "hour": "9", "subject": "Soon: {workshop_title}",
            "body": "Dear {first_name}, see you on {dates}.", **overrides}


def test_an_organizer_sets_up_a_reminder_and_the_timeline_says_when_it_goes_to_how_many(
        app, db, client, workshop, organizer, smtp_server):
    url = f"/manage/w/{workshop.slug}/reminders"
    assert client.post(url, data=_form()).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Soon: {workshop_title}" in page
    assert "7 days before the start, to confirmed participants" in page
    assert "2 people so far" in page
    assert "3 June 2030" in page and "09:00" in page  # New York's hour, not UTC's
    assert "Reminder set up" in client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)

    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    page = client.get(url).get_data(as_text=True)
    assert "sent to 2 people" in page


def test_bad_reminder_input_gets_field_errors_and_saves_nothing(db, client, workshop, organizer):
    url = f"/manage/w/{workshop.slug}/reminders"
    for bad in ({"body": "Hi {frist_name}"}, {"days": "0"}, {"days": "many"}, {"hour": "24"},
                {"kind": "whenever"}, {"subject": ""}, {"body": "x" * 20_001}):
        response = client.post(url, data=_form(**bad))
        assert response.status_code == 422, bad
        assert 'role="alert"' in response.get_data(as_text=True)
    assert "{frist_name}" in client.post(url, data=_form(body="Hi {frist_name}")).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderRule)) == 0


def test_removing_a_reminder_stops_it(app, db, client, workshop, organizer, smtp_server):
    rule = _rule(workshop, db)
    response = client.post(f"/manage/w/{workshop.slug}/reminders/{rule.id}/remove")
    assert response.status_code == 302
    assert client.post(f"/manage/w/{workshop.slug}/reminders/{rule.id}/remove").status_code == 404
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    assert _reminders(smtp_server, "is near") == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledJob)) == 0


def test_another_workshops_organizer_cannot_remove_the_rule(db, client, workshop, make_workshop, make_user, login_as):
    rule = _rule(workshop, db)
    other = make_user()
    theirs = make_workshop(other)
    login_as(other)
    assert client.post(f"/manage/w/{theirs.slug}/reminders/{rule.id}/remove").status_code == 404
    assert client.post(f"/manage/w/{workshop.slug}/reminders/{rule.id}/remove").status_code == 403
    assert db.session.get(ReminderRule, rule.id) is not None


def test_hostile_input_in_every_field_of_the_reminder_form_is_refused_or_shown_inert(
        app, db, client, workshop, organizer, smtp_server):
    from email import policy
    from email.parser import BytesParser

    from tests.support.hostile import HOSTILE, Findings, active_markup, form_body
    from tests.support.registration import outbox

    url = f"/manage/w/{workshop.slug}/reminders"
    findings = Findings()
    for label, value in HOSTILE.items():
        for name in ("kind", "days", "hour", "subject", "body"):
            response = client.post(url, data=form_body(_form(**{name: value})),
                                   content_type="application/x-www-form-urlencoded")
            findings.check(response, label, value, f"reminder {name}")
    findings.check(client.get(url), "timeline", "", "reminders page", allowed=(200,))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderRule)) > 0
    deliver_outbox(app, clock=_at(DUE + timedelta(minutes=1)))
    for row in outbox(db):
        html = body(BytesParser(policy=policy.default).parsebytes(row.raw), "html")
        for piece in active_markup(html):
            findings.append(f"mail {row.subject!r}: active markup {piece!r}")
    assert findings == []
