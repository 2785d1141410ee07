"""More than one machine: two app servers and two mail workers, each a process of its own, on one
PostgreSQL and one Redis (README, "More than one machine"). A change made through one server is
shown at once by the other, although the other kept the page in its cache; the abuse limits
are counted once for both; and the two workers deliver each message exactly once."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.browser import Session, csrf_token
from tests.conftest import TEST_PASSWORD
from tests.support.registration import details
from tests.support.smtp import smtp_server  # noqa: F401  (the fixture)

REDIS_URL = "redis://127.0.0.1:6379/15"
ROOT = Path(__file__).resolve().parent.parent

SERVE = """
import json, sys
from workshop import create_app
app = create_app(json.loads(sys.argv[1]), instance_path=sys.argv[2])
app.run(host="127.0.0.1", port=int(sys.argv[3]), threaded=True, use_reloader=False)
"""
WORK = """
import json, sys
from workshop import create_app
from workshop.platform.mail.worker import run_once
app = create_app(json.loads(sys.argv[1]), instance_path=sys.argv[2])
with app.app_context():
    report = run_once()
print(json.dumps({"sent": report.sent, "failed": report.failed}))
"""


@pytest.fixture
def shared(database_url, smtp_server, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (WORKSHOP_TEST_DATABASE_URL): SQLite is one machine's file")
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {error}")
    # What every process is given: the settings of README's "More than one machine".
    return {
        "DATABASE_URL": database_url, "SECRET_KEY": "one-secret-for-every-server",
        "BASE_URL": "http://workshop.test", "MAIL_URL": smtp_server.url, "MAIL_FROM": "workshop@workshop.test",
        "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"scale-out-{uuid.uuid4().hex}",
        "PUBLIC_CACHE_SECONDS": 600, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


@pytest.fixture
def app_config(app_config, shared):
    return {**app_config, **shared}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def two_servers(shared, tmp_path):
    processes, bases = [], []
    for name in ("a", "b"):
        port = _free_port()
        instance = tmp_path / f"instance-{name}"
        instance.mkdir()
        processes.append(subprocess.Popen([sys.executable, "-c", SERVE, json.dumps(shared), str(instance), str(port)],
                                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes):
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                try:
                    if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"{base} did not answer"
                time.sleep(0.2)
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=15)


def _workers(shared, tmp_path) -> list[dict]:
    """Two `flask worker --once` rounds at the same moment, each its own process."""
    processes = [subprocess.Popen([sys.executable, "-c", WORK, json.dumps(shared), str(tmp_path / f"worker-{n}")],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(2)]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
        reports.append(json.loads(out.decode().strip().splitlines()[-1]))
    return reports


def test_two_servers_and_two_workers_share_one_database_and_one_redis(
        app, db, make_user, make_workshop, taking_registrations_for_scale, two_servers, shared, smtp_server,
        tmp_path):
    from workshop.platform.mail.models import OutboxMessage

    server_a, server_b = two_servers
    organizer, workshop = taking_registrations_for_scale
    page = f"/w/{workshop.slug}/"

    # B keeps the workshop page in its cache (the second answer is replayed).
    visitor = Session(server_b)
    assert "This workshop has been cancelled." not in visitor.get(page).text
    assert visitor.get(page).status == 200

    # The organizer cancels the workshop through A; B shows it at once.
    organizer_a = Session(server_a)
    organizer_a.login(organizer.email, TEST_PASSWORD)
    token = csrf_token(organizer_a.get(f"/manage/w/{workshop.slug}/edit").text)
    assert organizer_a.post(f"/manage/w/{workshop.slug}/status/cancel", {"csrf_token": token}).status == 302
    assert "This workshop has been cancelled." in visitor.get(page).text

    # The "lost your link" limit (5 a minute from one address) counts both servers' requests.
    statuses = []
    for n in range(6):
        browser = Session(server_a if n % 2 == 0 else server_b)
        form = csrf_token(browser.get("/links/resend").text)
        statuses.append(browser.post("/links/resend", {"csrf_token": form, "email": f"lost{n}@example.org"}).status)
    assert statuses[:5] == [statuses[0]] * 5 and statuses[0] < 400, statuses
    assert statuses[5] == 429, statuses

    # Every message queued so far (registrations, the cancellation) goes out once, by either worker.
    db.session.expire_all()
    queued = db.session.scalars(db.select(OutboxMessage)).all()
    assert len(queued) >= 8
    reports = _workers(shared, tmp_path)
    assert sum(report["sent"] for report in reports) == len(queued)
    assert all(report["failed"] == 0 for report in reports)
    assert smtp_server.wait_for(len(queued))
    ids = Counter(message["Message-ID"] for message in smtp_server.messages)
    assert len(ids) == len(queued) and set(ids.values()) == {1}


@pytest.fixture
def taking_registrations_for_scale(make_user, make_workshop, db):
    from workshop.registration import service

    organizer = make_user("organizer@example.org", "Olga Organizer")
    workshop = make_workshop(organizer, title="Shared Workshop")
    service.update_settings(workshop, mode="open", confirm_email=False)
    for n in range(6):
        service.register(workshop, details(name=f"Person {n}", email=f"person{n}@example.org"))
    db.session.commit()
    return organizer, workshop
