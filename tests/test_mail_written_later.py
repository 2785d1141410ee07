"""Bulk invitations: the organizer's request stores invitations and tokens; the mail worker
writes each email when it first takes it, and delivers it to a real SMTP server (benchmark figure 5)."""

import re

import pytest
import sqlalchemy as sa

from tests.support.registration import taking_registrations  # noqa: F401  (the fixture)
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (the fixture)
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import queue_mail_later


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url, "BASE_URL": "http://workshop.test"}


def _invite_everyone(workshop, count: int) -> list:
    from workshop.people import service as people
    from workshop.registration import invitations

    contacts = [people.save_contact(None, name=f"Delegate {n}", email=f"delegate{n}@example.org",
                                    organization="Mission", country="GH") for n in range(count)]
    assert invitations.invite_many(workshop, contacts) == count
    return contacts


def _link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://workshop\.test(/invitations/[A-Za-z0-9_-]+)", text).group(1)


def test_bulk_invitations_are_queued_unwritten_and_the_worker_writes_and_delivers_them(
        app, db, client, smtp_server, taking_registrations):
    from workshop.workshops import service as workshops

    workshop = taking_registrations(mode="invitation")
    workshops.update_workshop(workshop, title="Preparatory Workshop")
    _invite_everyone(workshop, 5)
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    assert len(rows) == 5
    assert all(row.raw is None and row.pending["kind"] == "invitation" for row in rows)
    assert all(row.subject == "Invitation: Preparatory Workshop" for row in rows)

    report = deliver_outbox(app)
    assert (report.sent, report.failed) == (5, 0)
    assert smtp_server.wait_for(5)
    by_recipient = {message["To"].addresses[0].addr_spec: message for message in smtp_server.messages}
    assert sorted(by_recipient) == [f"delegate{n}@example.org" for n in range(5)]
    message = by_recipient["delegate3@example.org"]
    assert message["Subject"] == "Invitation: Preparatory Workshop"
    assert "Delegate 3" in message.get_body(preferencelist=("plain",)).get_content()
    # Each link opens that delegate's invitation.
    page = client.get(_link(message))
    assert page.status_code == 200 and "Delegate 3" in page.get_data(as_text=True)

    db.session.expire_all()
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    # The bytes are kept (a retry sends the same message); the token no longer sits in `pending`.
    assert all(row.raw is not None and row.pending is None and row.status == OutboxStatus.SENT for row in rows)
    stored = next(row.raw for row in rows if row.recipients == "delegate3@example.org")
    assert stored == next(r.raw for r in smtp_server.received if "delegate3@example.org" in r.rcpt_tos)


def test_a_message_that_cannot_be_written_fails_with_its_reason_and_the_rest_go_out(
        app, db, smtp_server, taking_registrations):
    from workshop.registration.models import Invitation

    workshop = taking_registrations(mode="invitation")
    _invite_everyone(workshop, 3)
    gone = db.session.scalars(sa.select(Invitation).filter_by(email="delegate1@example.org")).one()
    db.session.delete(gone)
    db.session.commit()

    report = deliver_outbox(app)
    assert (report.sent, report.failed) == (2, 1)
    failed = db.session.scalars(sa.select(OutboxMessage).filter_by(status=OutboxStatus.FAILED)).one()
    assert failed.recipients == "delegate1@example.org"
    assert "could not be written: the invitation no longer exists" in failed.last_error


def test_inviting_the_same_people_again_queues_nothing(app, db, taking_registrations):
    from workshop.registration import invitations

    workshop = taking_registrations(mode="invitation")
    contacts = _invite_everyone(workshop, 2)
    assert invitations.invite_many(workshop, contacts) == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 2


def test_queueing_for_an_unknown_writer_or_a_bad_recipient_is_refused(app):
    with app.test_request_context():
        with pytest.raises(ValueError, match="no mail renderer"):
            queue_mail_later("a@example.org", "nonexistent", subject="Hi", args={})
        with pytest.raises(ValueError):
            queue_mail_later("not an address", "invitation", subject="Hi", args={})
        with pytest.raises(ValueError):
            queue_mail_later("a@example.org", "invitation", subject="Hi\r\nBcc: x@example.org", args={})


def test_a_passing_failure_while_writing_is_retried_not_given_up(app, db, smtp_server, monkeypatch):
    """The database going away or a broken template is not the message's fault: it waits for
    the next attempt like a message the server turned away for now."""
    from datetime import timedelta

    from workshop.platform.mail import outbox
    from workshop.platform.types import utcnow

    broken = {"now": True}

    def flaky(args):
        if broken["now"]:
            raise RuntimeError("database connection lost")
        return outbox.Letter("ama@example.org", "test_message", "Hello", {"name": args["name"], "slug": "w"})

    from workshop.platform.registry import registry

    monkeypatch.setitem(registry(app).mail_renderers, "test_flaky", flaky)
    with app.test_request_context():
        queue_mail_later("ama@example.org", "test_flaky", subject="Hello", args={"name": "Ama"})
        db.session.commit()

    report = deliver_outbox(app)
    assert (report.sent, report.failed, report.retrying) == (0, 0, 1)
    row = db.session.scalars(sa.select(OutboxMessage)).one()
    db.session.refresh(row)
    assert row.status == OutboxStatus.QUEUED and row.raw is None and row.pending is not None
    assert "could not be written: database connection lost" in row.last_error

    broken["now"] = False
    report = deliver_outbox(app, clock=lambda: utcnow() + timedelta(hours=1))
    assert report.sent == 1
    assert smtp_server.wait_for(1)
    assert "Ama" in smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()


def test_a_message_given_up_keeps_no_link_token(app, db, smtp_server, taking_registrations):
    from workshop.registration.models import Invitation

    workshop = taking_registrations(mode="invitation")
    _invite_everyone(workshop, 1)
    db.session.delete(db.session.scalars(sa.select(Invitation)).one())
    db.session.commit()
    deliver_outbox(app)
    row = db.session.scalars(sa.select(OutboxMessage)).one()
    db.session.refresh(row)
    assert row.status == OutboxStatus.FAILED and row.pending is None


def test_a_worker_stopped_between_writing_and_sending_loses_nothing_and_sends_once(
        app, db, smtp_server, taking_registrations):
    """The written bytes of a batch are committed together before anything is sent: a worker
    that dies then leaves them stored under its lease, and the next worker sends those bytes,
    once each, when the lease has run out."""
    from datetime import timedelta

    from workshop.platform.mail import worker
    from workshop.platform.types import utcnow

    workshop = taking_registrations(mode="invitation")
    _invite_everyone(workshop, 3)
    db.session.commit()
    with app.app_context():
        settings = worker.WorkerSettings.from_config(app.config)
        claims = worker.claim_batch(settings, utcnow())
        written = worker.write_claimed(claims, settings, utcnow, worker.RunReport())
        assert len(written) == 3
        worker.db.session.remove()  # the worker dies here, before its first message

    db.session.expire_all()
    rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert all(row.status == OutboxStatus.QUEUED and row.raw is not None and row.pending is None
               and row.locked_until is not None for row in rows)
    assert deliver_outbox(app).sent == 0  # still leased to the worker that died

    report = deliver_outbox(app, clock=lambda: utcnow() + timedelta(seconds=settings.lease_seconds + 1))
    assert report.sent == 3
    assert smtp_server.wait_for(3)
    assert sorted(r.rcpt_tos for r in smtp_server.received) == [(f"delegate{n}@example.org",) for n in range(3)]
    assert sorted(r.raw for r in smtp_server.received) == sorted(row.raw for row in rows)


def test_one_message_failing_to_be_written_keeps_the_rest_of_the_batch_written(
        app, db, smtp_server, monkeypatch):
    """A failed write rolls the worker's session back: the messages of the batch written before it
    must still be stored (their bytes are committed together, after every write was tried)."""
    from workshop.platform.mail import outbox
    from workshop.platform.registry import registry

    def writer(args):
        if args["broken"]:
            raise RuntimeError("database connection lost")
        return outbox.Letter(args["to"], "test_message", "Hello", {"name": "Ama", "slug": "w"})

    monkeypatch.setitem(registry(app).mail_renderers, "test_sometimes", writer)
    with app.test_request_context():
        for to, broken in (("ama@example.org", False), ("bo@example.org", True), ("chen@example.org", False)):
            queue_mail_later(to, "test_sometimes", subject="Hello", args={"to": to, "broken": broken})
        db.session.commit()

    report = deliver_outbox(app)
    assert (report.sent, report.retrying) == (2, 1)
    db.session.expire_all()
    rows = {row.recipients: row for row in db.session.scalars(sa.select(OutboxMessage))}
    assert rows["bo@example.org"].raw is None and rows["bo@example.org"].status == OutboxStatus.QUEUED
    for to in ("ama@example.org", "chen@example.org"):
        assert rows[to].status == OutboxStatus.SENT and rows[to].raw is not None and rows[to].pending is None
        assert rows[to].raw == next(r.raw for r in smtp_server.received if to in r.rcpt_tos)
