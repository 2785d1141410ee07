"""Delivery through ``MAIL_URL``: ``smtp://host:port``, ``smtps://user:pass@host:port`` or
``file:///folder`` (one ``.eml`` file per message, for development and demos).

A transport is used for one batch: ``with transport: transport.send(...)``. ``send`` returns
only once the message is safely handed over; otherwise it raises ``TemporaryDeliveryError``
(try again later) or ``PermanentDeliveryError`` (the server refused it for good).
"""

import os
import re
import smtplib
import ssl
import tempfile
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class DeliveryError(Exception):
    pass


class TemporaryDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


class ServerUnreachable(TemporaryDeliveryError):
    """No connection at all: every message of the batch would fail the same way."""


_TRUE = {"1", "true", "yes", "on"}


def transport_from_url(url: str, *, timeout: float = 30.0):
    parts = urlsplit(url)
    if parts.scheme == "file":
        # file:///srv/outbox is absolute; file://outbox is relative to the working directory.
        folder = unquote(parts.netloc + parts.path)
        if not folder:
            raise ValueError(f"MAIL_URL names no folder: {url!r}")
        return FileTransport(Path(folder))
    if parts.scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ValueError(f"MAIL_URL names no host: {_redact(url)!r}")
        options = parse_qs(parts.query)
        return SMTPTransport(
            host=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            implicit_tls=parts.scheme == "smtps",
            starttls=options.get("starttls", [""])[0].lower() in _TRUE,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=timeout,
        )
    raise ValueError(f"MAIL_URL must start with smtp://, smtps:// or file://, not {_redact(url)!r}")


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)


class FileTransport:
    """Writes ``<Message-ID>.eml``: written to a temporary file and renamed, so a reader never
    sees half a message, and a retry replaces the file instead of adding a second one."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc_info):
        return False

    def describe(self) -> str:
        return f"file://{self.folder}"

    def send(self, sender: str, recipients: list[str], raw: bytes, message_id: str) -> None:
        name = file_name(message_id)
        try:
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(raw)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, self.folder / name)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
        except OSError as error:
            raise TemporaryDeliveryError(f"cannot write {self.folder / name}: {error}") from error


def file_name(message_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]", "_", message_id.strip("<>")) + ".eml"


def delete_file_copies(mail_url: str, message_ids: set[str], addresses: set[str]) -> int:
    """With a ``file://`` MAIL_URL, delete the .eml copies of the given messages and of any other
    message addressed (To, Cc) to one of ``addresses``; how many. Other transports keep nothing.

    Files are not part of the database transaction: they go when this runs."""
    if urlsplit(mail_url).scheme != "file":
        return 0
    folder = transport_from_url(mail_url).folder
    if not folder.is_dir():
        return 0
    wanted = {address.lower() for address in addresses}
    names = {file_name(message_id) for message_id in message_ids}
    deleted = 0
    for path in folder.glob("*.eml"):
        if path.name in names or _addressed_to(path) & wanted:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _addressed_to(path: Path) -> set[str]:
    try:
        with path.open("rb") as handle:
            headers = BytesParser(policy=policy.default).parse(handle, headersonly=True)
    except OSError:
        return set()
    values = [str(value) for name in ("To", "Cc") for value in headers.get_all(name, [])]
    return {address.lower() for _, address in getaddresses(values) if address}


class SMTPTransport:
    """One SMTP connection per batch, opened on the first message and reopened after an error."""

    def __init__(self, *, host: str, port: int, implicit_tls: bool = False, starttls: bool = False,
                 username: str | None = None, password: str | None = None, timeout: float = 30.0):
        self.host = host
        self.port = port
        self.implicit_tls = implicit_tls
        self.starttls = starttls
        self.username = username
        self.password = password
        self.timeout = timeout
        self._connection: smtplib.SMTP | None = None

    def describe(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.implicit_tls:
                connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                              context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                connection.ehlo()
                if self.starttls:
                    connection.starttls(context=ssl.create_default_context())
                    connection.ehlo()
                if self.username:
                    connection.login(self.username, self.password or "")
            except BaseException:
                connection.close()
                raise
        except smtplib.SMTPAuthenticationError as error:
            # A configuration mistake: keep the mail queued until someone fixes MAIL_URL.
            raise ServerUnreachable(
                f"{self.describe()} refused the login: {_reply(error)}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise ServerUnreachable(f"cannot reach {self.describe()}: {error}") from error
        return connection

    def send(self, sender: str, recipients: list[str], raw: bytes, message_id: str) -> None:
        if self._connection is None:
            self._connection = self._connect()
        try:
            refused = self._connection.sendmail(sender, recipients, raw)
        except smtplib.SMTPRecipientsRefused as error:
            self._reset()
            codes = [code for code, _ in error.recipients.values()]
            detail = "; ".join(f"{rcpt}: {code} {_text(msg)}"
                               for rcpt, (code, msg) in error.recipients.items())
            if all(500 <= code < 600 for code in codes):
                raise PermanentDeliveryError(f"all recipients refused: {detail}") from error
            raise TemporaryDeliveryError(f"recipients refused: {detail}") from error
        except smtplib.SMTPResponseException as error:
            self._reset()
            if 500 <= error.smtp_code < 600:
                raise PermanentDeliveryError(_reply(error)) from error
            raise TemporaryDeliveryError(_reply(error)) from error
        except (OSError, smtplib.SMTPException) as error:
            # Disconnected mid-message: we do not know whether it arrived; sending it again
            # risks a duplicate, never a loss.
            self._drop()
            raise TemporaryDeliveryError(f"{self.describe()}: {error}") from error
        if refused:
            # Accepted for the others: retrying would duplicate it for them. Say who missed it.
            raise PartiallyDelivered("; ".join(
                f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in refused.items()))

    def _reset(self) -> None:
        try:
            self._connection.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


class PartiallyDelivered(Exception):
    """The server took the message for some recipients and refused the others."""


def _text(message) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"
