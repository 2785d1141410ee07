"""The delivery loop behind ``flask worker``.

Claiming: a worker takes a batch of due messages and gives each a lease (``locked_until``), the
same way the job runner takes its jobs (``workshop/platform/leases.py``: ``SKIP LOCKED`` on
PostgreSQL, a conditional ``UPDATE`` on SQLite). The claim is committed before any mail
leaves; the messages the worker writes itself (``queue_mail_later``) are stored for the whole
batch in one commit, still before any of them leaves; and each result is committed right after
its message, so a worker killed mid-batch loses nothing: its leases run out and the next run
delivers what it had not finished (writing again what it had not stored). Only the one message
in flight at the moment of the crash can go out twice.
"""

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesHeaderParser
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app

from workshop.platform import jobs, leases
from workshop.platform.db import db
from workshop.platform.jobs import HOUSEKEEPING_INTERVAL  # noqa: F401  (how often housekeeping runs)
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import build_letter
from workshop.platform.registry import registry
from workshop.platform.mail.transport import (
    PartiallyDelivered,
    PermanentDeliveryError,
    ServerUnreachable,
    TemporaryDeliveryError,
    transport_from_url,
)
from workshop.platform.types import utcnow

logger = logging.getLogger("workshop.mail")

Clock = Callable[[], datetime]


def _write_pending_letters(pendings: Sequence[dict]) -> list:
    """The Letters of many messages queued with ``queue_mail_later``, in order: each a Letter,
    or the exception that writing it raised. Kinds with a batch renderer write theirs in one
    call; the others one by one. Here, not in the outbox, because a failed write rolls the
    worker's session back, which only the worker may do (it owns its transaction)."""
    results: list = [None] * len(pendings)
    by_kind: dict[str, list[int]] = {}
    for position, pending in enumerate(pendings):
        by_kind.setdefault((pending or {}).get("kind"), []).append(position)
    batch = registry().mail_batch_renderers
    for kind, positions in by_kind.items():
        if kind in batch and kind in registry().mail_renderers:
            try:
                letters = batch[kind]([pendings[p]["args"] for p in positions])
            except Exception as error:  # noqa: BLE001 - each message of the batch gets it
                db.session.rollback()  # a database error leaves the session unusable for the next
                letters = [error] * len(positions)
            for position, letter in zip(positions, letters):
                results[position] = letter
            continue
        for position in positions:
            try:
                render = registry().mail_renderers[kind]
            except KeyError:
                results[position] = LookupError(f"no mail renderer named {kind!r}")
                continue
            try:
                results[position] = render(pendings[position]["args"])
            except Exception as error:  # noqa: BLE001 - the caller records it on the message
                db.session.rollback()  # a database error leaves the session unusable for the next
                results[position] = error
    return results


DEFAULTS = {
    "MAIL_MAX_ATTEMPTS": 8,         # then the message is marked failed (kept, visible)
    "MAIL_LEASE_SECONDS": 300,      # how long a claimed message is reserved for one worker
    "MAIL_BATCH_SIZE": 20,
    "MAIL_RETRY_SECONDS": 60,       # first retry delay; doubles with every failed attempt...
    "MAIL_RETRY_MAX_SECONDS": 3600,  # ...up to this
    "MAIL_POLL_SECONDS": 5,         # pause between rounds of `flask worker` without --once
    "MAIL_SMTP_TIMEOUT": 30,
}


@dataclass(frozen=True)
class WorkerSettings:
    mail_url: str
    max_attempts: int
    lease_seconds: float
    batch_size: int
    retry_seconds: float
    retry_max_seconds: float
    poll_seconds: float
    smtp_timeout: float

    @classmethod
    def from_config(cls, config) -> "WorkerSettings":
        def number(name, kind):
            return kind(config.get(name, DEFAULTS[name]))

        return cls(
            mail_url=config["MAIL_URL"],
            max_attempts=max(1, number("MAIL_MAX_ATTEMPTS", int)),
            lease_seconds=number("MAIL_LEASE_SECONDS", float),
            batch_size=max(1, number("MAIL_BATCH_SIZE", int)),
            retry_seconds=number("MAIL_RETRY_SECONDS", float),
            retry_max_seconds=number("MAIL_RETRY_MAX_SECONDS", float),
            poll_seconds=number("MAIL_POLL_SECONDS", float),
            smtp_timeout=number("MAIL_SMTP_TIMEOUT", float),
        )


@dataclass
class RunReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    claimed: int = 0
    errors: list[str] = field(default_factory=list)
    long_work: int = 0  # pieces of long work done (briefing packs built)

    def add(self, other: "RunReport") -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.claimed += other.claimed
        self.errors.extend(other.errors)
        self.long_work += other.long_work


@dataclass(frozen=True)
class Claim:
    id: int
    message_id: str
    recipients: list[str]
    raw: bytes
    attempts: int
    lease: datetime  # our locked_until value: the proof that the message is still ours

    @property
    def sender(self) -> str:
        """The envelope sender: the address in the message's own From header (MAIL_FROM when it
        was written). Read from that one header line (and its folds): ``queue_mail`` wrote it
        from one checked address, so a parse of the whole header block would add nothing."""
        found = _FROM.search(self.raw.split(b"\r\n\r\n", 1)[0])
        address = ""
        if found is not None:
            address = parseaddr(re.sub(r"[\r\n]", "", found.group(1).decode("ascii", "replace")))[1]
        if not address:  # not as queue_mail writes it: let the full parser find it
            headers = BytesHeaderParser(policy=policy.default).parsebytes(self.raw)
            return headers["From"].addresses[0].addr_spec
        return address


# The two statements run once per message, built once: building an UPDATE costs more than
# running it. Core statements on the table, so the session's objects are not looked through.
_OUTBOX = OutboxMessage.__table__
_STORE_WRITTEN = (
    sa.update(_OUTBOX)
    .where(_OUTBOX.c.id == sa.bindparam("b_id"), _OUTBOX.c.locked_until == sa.bindparam("b_lease"))
    .values(raw=sa.bindparam("b_raw"), pending=None, letter_version_id=sa.bindparam("b_version"))
)
_RECORD_SENT = (
    sa.update(_OUTBOX)
    .where(_OUTBOX.c.id == sa.bindparam("b_id"), _OUTBOX.c.status == OutboxStatus.QUEUED)
    .values(status=OutboxStatus.SENT, sent_at=sa.bindparam("b_now"), attempts=_OUTBOX.c.attempts + 1,
            locked_until=None, last_error=sa.bindparam("b_note"))
)


# The From header at the start of a line, with its continuation lines.
_FROM = re.compile(rb"^From:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.MULTILINE | re.IGNORECASE)


def retry_delay(attempts: int, settings: WorkerSettings) -> timedelta:
    """Exponential backoff after the given number of failed attempts, capped."""
    seconds = settings.retry_seconds * (2 ** min(max(attempts - 1, 0), 30))
    return timedelta(seconds=min(seconds, settings.retry_max_seconds))


def _due(now: datetime):
    return sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)


def claim_batch(settings: WorkerSettings, now: datetime) -> list[Claim]:
    """Lease up to ``batch_size`` due messages to this worker and commit the lease."""
    session = db.session
    lease = now + timedelta(seconds=settings.lease_seconds)
    try:
        ids = leases.claim(OutboxMessage, _due(now), order_by=(OutboxMessage.next_attempt_at, OutboxMessage.id),
                           limit=settings.batch_size, lease=lease, now=now)
        rows = []
        if ids:
            rows = session.execute(
                sa.select(OutboxMessage.id, OutboxMessage.message_id, OutboxMessage.recipients,
                          OutboxMessage.raw, OutboxMessage.attempts)
                .where(OutboxMessage.id.in_(ids))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            ).all()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return [
        Claim(id=row.id, message_id=row.message_id,
              recipients=[a for a in row.recipients.split(",") if a], raw=row.raw,
              attempts=row.attempts, lease=lease)
        for row in rows
    ]


def write_claimed(claims: list[Claim], settings: WorkerSettings, clock: Clock,
                  report: RunReport) -> list[Claim]:
    """Write the bytes of claimed messages queued with ``queue_mail_later``, store them under our
    lease (so a retry re-sends the same bytes) and drop the renderer's arguments (a link token
    among them). A message whose subject is gone (``LookupError``: the invitation was deleted)
    fails for good, with the reason; any other error (the database went away, a template broke)
    is retried with the usual backoff. The rest of the batch goes on either way."""
    ready, unwritten = [], []
    for claim in claims:
        (ready if claim.raw is not None else unwritten).append(claim)
    if not unwritten:
        return ready
    # Written together: a renderer that writes many at once (one composed message to many
    # people) loads and renders what they share once.
    try:
        pending = dict(db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.pending)
                                          .where(OutboxMessage.id.in_([c.id for c in unwritten]))).all())
        letters = _write_pending_letters([pending.get(c.id) or {} for c in unwritten])
    except Exception as error:  # noqa: BLE001 - the database went away: each is retried
        logger.exception("mail %s could not be written", ", ".join(str(c.id) for c in unwritten))
        db.session.rollback()
        letters = [error] * len(unwritten)
    built = []
    for claim, letter in zip(unwritten, letters):
        try:
            if isinstance(letter, BaseException):
                raise letter
            built.append((claim, build_letter(letter, claim.message_id), letter))
        except Exception as error:  # noqa: BLE001 - recorded on the message, logged when retried
            gone = isinstance(error, LookupError)
            if not gone:
                logger.error("mail %s could not be written", claim.id, exc_info=error)
            # Nothing of this batch is stored yet, so the rollback (a database error leaves the
            # session unusable) takes no other message's bytes with it.
            db.session.rollback()
            _record_failure(claim, f"could not be written: {error}", settings, clock(), report, permanent=gone)
    # The bytes of the whole batch in one commit: nothing has been sent yet, so a crash before
    # it only means the messages are written again by whoever takes them next.
    for claim, raw, letter in built:
        stored = db.session.execute(_STORE_WRITTEN, {
            "b_id": claim.id, "b_lease": claim.lease, "b_raw": raw, "b_version": letter.letter_version_id,
        }).rowcount
        if stored:
            ready.append(replace(claim, raw=raw))
        else:  # our lease ran out while writing: the message is another worker's now
            logger.warning("mail %s was written after our lease ran out; left to its new owner", claim.id)
    db.session.commit()
    order = {claim.id: position for position, claim in enumerate(claims)}
    return sorted(ready, key=lambda claim: order[claim.id])


def deliver_batch(settings: WorkerSettings, transport, *, clock: Clock = utcnow,
                  stop: threading.Event | None = None) -> RunReport:
    """Claim one batch and deliver it through ``transport``."""
    report = RunReport()
    claims = claim_batch(settings, clock())
    report.claimed = len(claims)
    claims = write_claimed(claims, settings, clock, report)
    # Stop sending early enough that the lease cannot run out under a message in flight:
    # after that another worker may take it, and it would go out twice.
    margin = timedelta(seconds=settings.lease_seconds / 4)
    for position, claim in enumerate(claims):
        rest = claims[position:]
        if position and (clock() >= claim.lease - margin or (stop and stop.is_set())):
            _release(rest)
            break
        try:
            transport.send(claim.sender, claim.recipients, claim.raw, claim.message_id)
        except ServerUnreachable as error:
            # Nothing will get through this round: count the attempt for the whole rest.
            for unsent in rest:
                _record_failure(unsent, str(error), settings, clock(), report, permanent=False)
            break
        except PermanentDeliveryError as error:
            _record_failure(claim, str(error), settings, clock(), report, permanent=True)
        except TemporaryDeliveryError as error:
            _record_failure(claim, str(error), settings, clock(), report, permanent=False)
        except PartiallyDelivered as error:
            _record_sent(claim, clock(), report, note=f"not accepted for: {error}")
        else:
            _record_sent(claim, clock(), report)
    return report


def _record_sent(claim: Claim, now: datetime, report: RunReport, note: str = "") -> None:
    # The server has the message: record it whoever holds the lease now.
    result = db.session.execute(_RECORD_SENT, {"b_id": claim.id, "b_now": now, "b_note": note})
    db.session.commit()
    report.sent += 1
    logger.info("mail %s sent: %s to %s%s", claim.id, claim.message_id,
                ", ".join(claim.recipients), f" ({note})" if note else "")
    if result.rowcount == 0:
        logger.warning("mail %s was already recorded by another worker after our lease ran out",
                       claim.id)


def _record_failure(claim: Claim, error: str, settings: WorkerSettings, now: datetime,
                    report: RunReport, *, permanent: bool) -> None:
    attempts = claim.attempts + 1
    gives_up = permanent or attempts >= settings.max_attempts
    values = {"attempts": attempts, "last_error": error[:2000], "locked_until": None}
    if gives_up:
        values["status"] = OutboxStatus.FAILED
        values["pending"] = None  # a message never written keeps no link token once it is given up
    else:
        values["next_attempt_at"] = now + retry_delay(attempts, settings)
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == claim.id, OutboxMessage.locked_until == claim.lease,
               OutboxMessage.status == OutboxStatus.QUEUED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    report.errors.append(error)
    if result.rowcount == 0:
        logger.warning("mail %s failed after our lease ran out; left to its new owner: %s",
                       claim.id, error)
    elif gives_up:
        report.failed += 1
        logger.error("mail %s failed for good after %d attempt(s): %s to %s: %s", claim.id,
                     attempts, claim.message_id, ", ".join(claim.recipients), error)
    else:
        report.retrying += 1
        logger.warning("mail %s not delivered (attempt %d), next try at %s: %s: %s", claim.id,
                       attempts, values["next_attempt_at"].isoformat(timespec="seconds"),
                       claim.message_id, error)


def _release(claims: list[Claim]) -> None:
    """Give back leases we will not use this round, so the messages need not wait them out."""
    for claim in claims:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == claim.id, OutboxMessage.locked_until == claim.lease)
            .values(locked_until=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


def run_once(*, clock: Clock = utcnow, stop: threading.Event | None = None,
             settings: WorkerSettings | None = None) -> RunReport:
    """Deliver everything due now, batch after batch; then one piece of each long job (one
    briefing pack, which may take minutes), delivering what became due meanwhile after each
    piece. Mail is never held up by long work still to do, only by the one piece in hand."""
    settings = settings or WorkerSettings.from_config(current_app.config)
    report = RunReport()
    _deliver_due(settings, report, clock, stop)
    for job in registry().worker_long_jobs:
        if stop and stop.is_set():
            break
        done = _long_job(job)
        if done:
            report.long_work += done
            _deliver_due(settings, report, clock, stop)
    return report


def _deliver_due(settings: WorkerSettings, report: RunReport, clock: Clock,
                 stop: threading.Event | None) -> None:
    """The round jobs and due jobs (which may queue mail), then every message due now."""
    round_jobs()
    jobs.run_due(clock())
    # A connection of its own each time: one kept open across a long piece of work would have
    # been dropped by the server by the time it is used again.
    with transport_from_url(settings.mail_url, timeout=settings.smtp_timeout) as transport:
        while not (stop and stop.is_set()):
            batch = deliver_batch(settings, transport, clock=clock, stop=stop)
            report.add(batch)
            if not batch.claimed:
                break


def _long_job(job) -> int:
    """One piece of a long job (it commits itself); one failing is logged and rolled back."""
    try:
        return job() or 0
    except Exception:
        logger.exception("worker long job %s failed; trying again next round", job.__qualname__)
        db.session.rollback()
        return 0


def round_jobs() -> None:
    """The jobs features registered to run before every round (``registry.worker_round_job``),
    each committed on its own; one failing is logged and rolled back, delivery goes on."""
    for job in registry().worker_rounds:
        try:
            job()
            db.session.commit()
        except Exception:
            logger.exception("worker round job %s failed; trying again next round", job.__qualname__)
            db.session.rollback()


def housekeeping() -> None:
    """Every registered housekeeping job now, each in its own transaction, committed here; one
    failing does not stop the others. The looping worker runs them through the job runner
    instead (hourly, once between all workers); this is for tests and one-off use."""
    for job in registry().housekeeping:
        try:
            job()
            db.session.commit()
        except Exception:
            logger.exception("housekeeping job %s failed", job.__qualname__)
            db.session.rollback()
            db.session.remove()


def run_forever(stop: threading.Event, *, clock: Clock = utcnow) -> None:
    """Deliver, pause, repeat until ``stop`` is set; database or server outages are waited out.
    Each round also runs the jobs that are due (``workshop.platform.jobs``), the hourly
    housekeeping among them."""
    settings = WorkerSettings.from_config(current_app.config)
    logger.info("mail worker started, delivering through %s",
                transport_from_url(settings.mail_url).describe())
    housekeeping_scheduled = False
    while not stop.is_set():
        busy = False
        try:
            if not housekeeping_scheduled:
                jobs.schedule_housekeeping(clock())
                housekeeping_scheduled = True
            # Long work done this round (a pack built) may have more behind it: the next round
            # starts at once, and delivers what is due before its own piece.
            busy = run_once(clock=clock, stop=stop, settings=settings).long_work > 0
        except Exception:
            logger.exception("mail worker round failed; trying again in %ss", settings.poll_seconds)
            db.session.rollback()
            db.session.remove()
        if not busy:
            stop.wait(settings.poll_seconds)
    logger.info("mail worker stopped")
