"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and a one-shot worker.

    from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (the fixture)

    @pytest.fixture
    def app_config(app_config, smtp_server):
        return {**app_config, "MAIL_URL": smtp_server.url}

    def test_something(app, smtp_server):
        ...  # queue mail, commit
        deliver_outbox(app)
        [message] = smtp_server.messages   # email.message.EmailMessage objects

The server can be stopped and started again on the same port (``stop()``/``start()``), made slow
(``delay`` seconds before it answers the message), told to answer every message with a
temporary error (``reject_with = "451 ..."``), or to refuse recipients (``refuse``).
"""

import asyncio
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class SMTPRecorder:
    def __init__(self, host: str = "127.0.0.1", credentials: tuple[str, str] | None = None):
        self.host = host
        self.credentials = credentials  # when set, clients must log in (AUTH PLAIN/LOGIN)
        self.port = _free_port(host)
        self.received: list[Received] = []
        self.delay = 0.0
        self.reject_with: str | None = None
        self.refuse: dict[str, str] = {}  # recipient -> reply, e.g. "550 5.1.1 No such user"
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [item.message for item in self.received]

    def count_by_message_id(self) -> Counter:
        return Counter(message["Message-ID"] for message in self.messages)

    def wait_for(self, count: int, timeout: float = 30.0) -> bool:
        """Wait until at least ``count`` messages arrived; False if they did not in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return True
            time.sleep(0.01)
        return False

    def start(self) -> None:
        options = {}
        if self.credentials:
            options = {"authenticator": self._authenticate, "auth_required": True,
                       "auth_require_tls": False}
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                      ready_timeout=10, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        login, password = self.credentials
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == login.encode()
              and auth_data.password == password.encode())
        # handled=False: let aiosmtpd answer "535" itself (handled=True means we replied).
        return AuthResult(success=ok, handled=False)

    def _record(self, envelope) -> None:
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        with self._lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message,
                                          raw))


class _Handler:
    def __init__(self, recorder: SMTPRecorder):
        self.recorder = recorder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.recorder.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.recorder.reject_with:
            return self.recorder.reject_with
        # Kept before the (optional) pause: a client that dies while waiting for our answer has
        # still handed the message over, as with a real server.
        self.recorder._record(envelope)
        if self.recorder.delay:
            await asyncio.sleep(self.recorder.delay)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    server = SMTPRecorder()
    server.start()
    yield server
    server.stop()


def deliver_outbox(app, **options):
    """Run the mail worker once in-process (``flask worker --once``), in its own app context,
    after committing what the test has done (the worker sees only committed mail)."""
    from flask import has_app_context

    from workshop.platform.db import db
    from workshop.platform.mail.worker import run_once

    if has_app_context():  # a worker thread of the test's own has nothing to commit
        db.session.commit()
    with app.app_context():
        return run_once(**options)


def delivered(app, smtp_server) -> dict[str, list]:
    """Run the worker, then everything the SMTP server received since the last call, by
    recipient, in order."""
    deliver_outbox(app)
    by_recipient: dict[str, list] = {}
    for received in smtp_server.received:
        for rcpt in received.rcpt_tos:
            by_recipient.setdefault(rcpt, []).append(received.message)
    smtp_server.received.clear()
    return by_recipient
