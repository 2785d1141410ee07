"""The worker as a real process: killed mid-batch it loses nothing; SIGTERM stops it cleanly."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.mail import outbox_rows as outbox
from tests.support.mail import queue_many as queue_messages
import sqlalchemy as sa

from tests.support.smtp import smtp_server  # noqa: F401  (fixture)
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.types import utcnow

REPO_ROOT = Path(__file__).resolve().parent.parent
LEASE_SECONDS = 3


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def worker(database_url, smtp_server, tmp_path):
    """Start ``flask --app workshop worker`` processes against the test database and server."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAIL_URL": smtp_server.url,
        "MAIL_FROM": "workshop@workshop.test",
        "SECRET_KEY": "fault-test",
        "MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
        "MAIL_BATCH_SIZE": "5",
        "MAIL_POLL_SECONDS": "0.2",
        "MAIL_SMTP_TIMEOUT": "10",
    }
    env.pop("FLASK_APP", None)
    started = []

    def start(*args):
        log = open(tmp_path / f"worker-{len(started)}.log", "w+b")
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "workshop", "worker", *args],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        process.log.close()


def output_of(process) -> str:
    process.log.seek(0)
    return process.log.read().decode("utf-8", "replace")






def test_worker_killed_mid_batch_loses_nothing_and_repeats_only_the_message_in_flight(
        app, db, smtp_server, worker):
    message_ids = queue_messages(db, 30)
    smtp_server.delay = 0.3  # the server is slow to answer each message

    first = worker()
    assert smtp_server.wait_for(7, timeout=60), output_of(first)  # mid-way through batch 2
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    rows = outbox(db)
    # In flight: the server has it, but the worker died before it could record it as sent.
    in_flight = set(smtp_server.count_by_message_id()) - {
        r.message_id for r in rows if r.status == OutboxStatus.SENT}
    assert len(in_flight) <= 1
    leased = [r for r in rows if r.status == OutboxStatus.QUEUED and r.locked_until is not None]
    assert leased, "the kill should have left claimed, undelivered messages behind"

    smtp_server.delay = 0
    # Restarted before the lease runs out, a worker leaves the dead worker's messages alone...
    lease_end = max(r.locked_until for r in leased)
    early = worker("--once")
    assert early.wait(timeout=60) == 0, output_of(early)
    if utcnow() < lease_end:
        assert all(r.status == OutboxStatus.QUEUED for r in outbox(db) if r.id in
                   {leased_row.id for leased_row in leased})
    # ...and once it has run out, they are delivered.
    time.sleep(max(0.0, (lease_end - utcnow()).total_seconds()) + 0.5)
    second = worker("--once")
    assert second.wait(timeout=60) == 0, output_of(second)

    counts = smtp_server.count_by_message_id()
    assert set(counts) == set(message_ids)  # none lost
    duplicated = {message_id for message_id, n in counts.items() if n > 1}
    assert duplicated <= in_flight
    assert max(counts.values()) <= 2
    assert {row.status for row in outbox(db)} == {OutboxStatus.SENT}
    log = output_of(first) + output_of(early) + output_of(second)
    for message_id in message_ids:
        assert message_id in log  # one log line per delivery names the message


def test_sigterm_finishes_the_message_in_flight_and_exits_cleanly(app, db, smtp_server, worker):
    message_ids = queue_messages(db, 12)
    smtp_server.delay = 0.3

    process = worker()
    assert smtp_server.wait_for(2, timeout=60), output_of(process)
    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=30) == 0, output_of(process)
    assert "mail worker stopped" in output_of(process)
    received = set(smtp_server.count_by_message_id())
    rows = outbox(db)
    # Everything the server got is recorded as sent; the rest is free for the next run at once.
    assert {r.message_id for r in rows if r.status == OutboxStatus.SENT} == received
    assert all(r.locked_until is None for r in rows)
    assert len(received) < len(message_ids)

    smtp_server.delay = 0
    again = worker("--once")
    assert again.wait(timeout=60) == 0, output_of(again)
    assert smtp_server.count_by_message_id() == {message_id: 1 for message_id in message_ids}
