"""MAIL_URL: which transport it gives, and SMTP servers that want a login."""

import pytest
import sqlalchemy as sa

from tests.support.smtp import SMTPRecorder, deliver_outbox
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.mail.transport import FileTransport, SMTPTransport, transport_from_url

# The loopback login server has no TLS; aiosmtpd warns about that, rightly, but not for tests.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_smtps_url_gives_implicit_tls_with_decoded_credentials():
    transport = transport_from_url("smtps://mailer%40example.org:p%40ss%3Aword@mail.example.org")
    assert isinstance(transport, SMTPTransport)
    assert (transport.host, transport.port) == ("mail.example.org", 465)
    assert transport.implicit_tls is True
    assert (transport.username, transport.password) == ("mailer@example.org", "p@ss:word")


def test_smtp_url_defaults_to_port_25_without_tls_and_can_ask_for_starttls():
    plain = transport_from_url("smtp://localhost")
    assert (plain.port, plain.implicit_tls, plain.starttls) == (25, False, False)
    assert plain.username is None
    assert transport_from_url("smtp://localhost:587?starttls=true").starttls is True


def test_file_url_gives_the_folder(tmp_path):
    transport = transport_from_url(f"file://{tmp_path}/outbox")
    assert isinstance(transport, FileTransport)
    assert transport.folder == tmp_path / "outbox"


@pytest.mark.parametrize("url", ["http://example.org", "smtp://", "file://", "mail.example.org"])
def test_unusable_mail_url_is_refused(url):
    with pytest.raises(ValueError):
        transport_from_url(url)


def test_error_about_a_mail_url_never_shows_the_password():
    with pytest.raises(ValueError) as error:
        transport_from_url("imap://user:secret@mail.example.org")
    assert "secret" not in str(error.value)
    assert "user:***@" in str(error.value)


@pytest.fixture
def login_server():
    server = SMTPRecorder(credentials=("mailer", "s3cret pass"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config, login_server):
    return {**app_config,
            "MAIL_URL": f"smtp://mailer:s3cret%20pass@{login_server.host}:{login_server.port}"}


def queue_one(db):
    queue_mail("ama@example.org", "test_message", subject="Hi", context={"name": "A", "slug": "w"})
    db.session.commit()


def test_worker_logs_in_with_the_credentials_from_mail_url(app, db, login_server):
    queue_one(db)

    assert deliver_outbox(app).sent == 1
    assert len(login_server.received) == 1


def test_wrong_password_keeps_the_mail_queued_and_says_why(app, db, login_server):
    app.config["MAIL_URL"] = f"smtp://mailer:wrong@{login_server.host}:{login_server.port}"
    queue_one(db)

    deliver_outbox(app)

    row = db.session.scalars(sa.select(OutboxMessage)).one()
    assert row.status == OutboxStatus.QUEUED
    assert "refused the login" in row.last_error
    assert "wrong" not in row.last_error
    assert login_server.received == []
