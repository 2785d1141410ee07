"""The worker delivers through MAIL_URL: exactly once, with retries and backoff, never twice."""

import email
import logging
import threading
from datetime import timedelta
from email import policy

import pytest

from tests.support.mail import outbox_rows as outbox
from tests.support.mail import queue_many
import sqlalchemy as sa

from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.mail.worker import WorkerSettings, claim_batch, retry_delay, run_forever
from workshop.platform.types import utcnow


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url, "MAIL_BATCH_SIZE": 10,
            "MAIL_RETRY_SECONDS": 60, "MAIL_RETRY_MAX_SECONDS": 3600}






def test_message_is_marked_sent_with_time_after_the_server_accepted_it(app, db, smtp_server):
    [message_id] = queue_many(db, 1)
    before = utcnow()

    deliver_outbox(app)

    [row] = outbox(db)
    assert smtp_server.count_by_message_id() == {message_id: 1}
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None and row.sent_at >= before
    assert row.attempts == 1
    assert row.locked_until is None


def test_smtp_down_keeps_mail_queued_with_backoff_then_delivers_each_exactly_once(
        app, db, smtp_server):
    message_ids = queue_many(db, 100)
    smtp_server.stop()
    start = utcnow()

    report = deliver_outbox(app)

    assert report.sent == 0 and report.retrying == 100
    rows = outbox(db)
    assert {row.status for row in rows} == {OutboxStatus.QUEUED}
    assert {row.attempts for row in rows} == {1}
    assert all("cannot reach" in row.last_error for row in rows)
    assert all(row.next_attempt_at >= start + timedelta(seconds=60) for row in rows)
    assert all(row.locked_until is None for row in rows)

    smtp_server.start()
    # Not due yet: a run right now sends nothing.
    assert deliver_outbox(app).sent == 0
    assert smtp_server.received == []

    report = deliver_outbox(app, clock=lambda: utcnow() + timedelta(minutes=2))

    assert report.sent == 100
    assert smtp_server.count_by_message_id() == {message_id: 1 for message_id in message_ids}
    rows = outbox(db)
    assert {row.status for row in rows} == {OutboxStatus.SENT}
    assert {row.attempts for row in rows} == {2}
    # A later run finds nothing more to send.
    assert deliver_outbox(app, clock=lambda: utcnow() + timedelta(days=1)).sent == 0
    assert len(smtp_server.received) == 100


def test_retry_delay_doubles_and_is_capped(app):
    settings = WorkerSettings.from_config(app.config)
    delays = [retry_delay(n, settings).total_seconds() for n in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_temporary_smtp_error_is_retried_and_gives_up_after_max_attempts(
        app, db, smtp_server):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    smtp_server.reject_with = "451 4.3.0 Mailbox busy, try later"
    queue_many(db, 1)
    now = utcnow()
    clock = lambda: now  # noqa: E731

    history = []
    for _ in range(3):
        deliver_outbox(app, clock=clock)
        [row] = outbox(db)
        history.append((row.status, row.attempts))
        now = row.next_attempt_at if row.status == OutboxStatus.QUEUED else now

    assert history == [("queued", 1), ("queued", 2), ("failed", 3)]
    assert "451" in row.last_error
    assert row.sent_at is None
    # Failed mail stays in the outbox, visible, and is not tried again.
    smtp_server.reject_with = None
    assert deliver_outbox(app, clock=lambda: utcnow() + timedelta(days=30)).sent == 0
    assert smtp_server.received == []


def test_recipient_refused_for_good_fails_at_once(app, db, smtp_server):
    smtp_server.refuse["nobody@example.org"] = "550 5.1.1 No such user"
    queue_mail("nobody@example.org", "test_message", subject="Hi",
               context={"name": "N", "slug": "w"})
    db.session.commit()

    report = deliver_outbox(app)

    [row] = outbox(db)
    assert report.failed == 1
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 1
    assert "550" in row.last_error and "nobody@example.org" in row.last_error


def test_message_refused_for_one_recipient_is_sent_to_the_others_once(app, db, smtp_server):
    smtp_server.refuse["nobody@example.org"] = "550 5.1.1 No such user"
    queue_mail(["ama@example.org", "nobody@example.org"], "test_message", subject="Hi",
               context={"name": "N", "slug": "w"})
    db.session.commit()

    deliver_outbox(app)
    deliver_outbox(app, clock=lambda: utcnow() + timedelta(days=1))

    [row] = outbox(db)
    assert [r.rcpt_tos for r in smtp_server.received] == [("ama@example.org",)]
    assert row.status == OutboxStatus.SENT
    assert "nobody@example.org" in row.last_error


def test_leased_message_is_left_alone_until_the_lease_runs_out(app, db, smtp_server):
    [message_id] = queue_many(db, 1)
    settings = WorkerSettings.from_config(app.config)
    # Another worker claimed it and died without a word.
    [claim] = claim_batch(settings, utcnow())

    assert deliver_outbox(app).sent == 0
    assert smtp_server.received == []

    after_lease = claim.lease + timedelta(seconds=1)
    assert deliver_outbox(app, clock=lambda: after_lease).sent == 1
    assert smtp_server.count_by_message_id() == {message_id: 1}


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_workers_never_send_a_message_twice(app, db, smtp_server, workers):
    app.config["MAIL_BATCH_SIZE"] = 3
    smtp_server.delay = 0.005  # long enough for the workers' batches to interleave
    message_ids = queue_many(db, 100)
    start = threading.Barrier(workers)
    reports, errors = [], []

    def work():
        try:
            start.wait()
            reports.append(deliver_outbox(app))
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert smtp_server.count_by_message_id() == {message_id: 1 for message_id in message_ids}
    assert sum(report.sent for report in reports) == 100
    assert {row.status for row in outbox(db)} == {OutboxStatus.SENT}


def test_each_delivery_is_logged_with_its_message_id(app, db, smtp_server, caplog):
    message_ids = queue_many(db, 3)
    with caplog.at_level(logging.INFO, logger="workshop.mail"):
        deliver_outbox(app)

    sent_lines = [r.getMessage() for r in caplog.records if " sent: " in r.getMessage()]
    assert len(sent_lines) == 3
    for message_id, line in zip(message_ids, sent_lines):
        assert message_id in line


def test_looping_worker_delivers_new_mail_and_stops_when_asked(app, db, smtp_server):
    app.config["MAIL_POLL_SECONDS"] = 0.05
    stop = threading.Event()

    def loop():
        with app.app_context():
            run_forever(stop)

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        [message_id] = queue_many(db, 1)
        assert smtp_server.wait_for(1)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert smtp_server.count_by_message_id() == {message_id: 1}


def test_flask_worker_once_delivers_through_the_cli(app, db, smtp_server, runner):
    message_ids = queue_many(db, 2)

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "2 sent, 0 to retry, 0 failed." in result.output
    assert smtp_server.count_by_message_id() == {message_id: 1 for message_id in message_ids}


def test_flask_worker_explains_a_bad_mail_url(app, db, runner):
    app.config["MAIL_URL"] = "http://mail.example.org"
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code != 0
    assert "MAIL_URL must start with smtp://, smtps:// or file://" in result.output


class TestFileTransport:
    @pytest.fixture
    def app_config(self, app_config, tmp_path):
        return {**app_config, "MAIL_URL": f"file://{tmp_path / 'outbox'}"}

    def test_file_transport_writes_one_parseable_eml_per_message(self, app, db, tmp_path):
        message_ids = queue_many(db, 3)

        deliver_outbox(app)

        folder = tmp_path / "outbox"
        files = sorted(folder.iterdir())
        assert [f.suffix for f in files] == [".eml"] * 3  # no temporary files left behind
        parsed = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
        assert sorted(m["Message-ID"] for m in parsed) == sorted(message_ids)
        for message in parsed:
            assert message.get_content_type() == "multipart/alternative"
            assert message.get_body(("plain",)).get_content().startswith("Hello Person")
        assert {row.status for row in outbox(db)} == {OutboxStatus.SENT}

    def test_sending_again_replaces_the_file_instead_of_adding_one(self, app, db, tmp_path):
        queue_many(db, 1)
        deliver_outbox(app)
        db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.QUEUED))
        db.session.commit()

        deliver_outbox(app)

        assert len(list((tmp_path / "outbox").iterdir())) == 1

    def test_default_mail_url_is_the_instance_outbox_folder(self, app, db, instance_path):
        from workshop.config import defaults

        assert defaults(str(instance_path))["MAIL_URL"] == f"file://{instance_path / 'outbox'}"


def test_batch_stops_before_its_lease_runs_out_and_hands_the_rest_back(app, db, smtp_server):
    app.config.update(MAIL_BATCH_SIZE=5, MAIL_LEASE_SECONDS=4)
    message_ids = queue_many(db, 5)
    start = utcnow()
    ticks = iter(range(1000))

    def slow_clock():  # every look at the clock finds a second gone
        return start + timedelta(seconds=next(ticks))

    report = deliver_outbox(app, clock=slow_clock)

    assert report.sent == 5
    assert report.claimed > 5  # released messages were claimed again, not left to their lease
    assert smtp_server.count_by_message_id() == {message_id: 1 for message_id in message_ids}
    assert all(row.locked_until is None for row in outbox(db))
