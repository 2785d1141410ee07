"""The job runner: work the mail worker does at a given time, once, whichever worker does it.

A job is a row: a unique ``name`` (``reminder:12``, ``housekeeping:...``), the ``kind`` of
handler that runs it, JSON ``args`` and the moment it is due (``run_at``). Each round the worker
claims due jobs with a lease, exactly as it claims mail (``workshop/platform/leases.py``), so
with several workers each job runs in one of them; a worker that dies leaves its lease to run
out and the job runs again in the next. A handler ``handler(args, now)`` does its work in the
session and returns when the job is due next (None: the job is finished and removed); the
runner commits that together with the work, so a job that fails or whose worker dies has done
nothing, and runs again. Handlers must therefore make repeating safe (reminders keep a unique
row per rule and person).

Features register handlers with ``registry.job_handler(app, kind, function)`` and schedule with
``schedule(name, kind, args, run_at)`` inside their own transaction. The worker's hourly
housekeeping jobs (``registry.housekeeping_job``) run here too, as jobs named after them, so
several workers run each once an hour between them rather than once each.
"""

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from workshop.platform import leases
from workshop.platform.db import db
from workshop.platform.public_cache import PRIVATE
from workshop.platform.registry import registry
from workshop.platform.types import UTCDateTime, utcnow

logger = logging.getLogger("workshop.jobs")

LEASE = timedelta(minutes=10)
BATCH = 10
# A job that raised is tried again after this long (it did nothing: its work was rolled back).
RETRY = timedelta(minutes=5)
HOUSEKEEPING = "housekeeping"
HOUSEKEEPING_INTERVAL = timedelta(hours=1)


class ScheduledJob(db.Model):
    __tablename__ = "scheduled_jobs"
    # Private: the worker's own schedule.
    __public_owner__ = PRIVATE
    __table_args__ = (sa.Index("ix_scheduled_jobs_run_at", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    args: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")


def schedule(name: str, kind: str, args: dict, run_at: datetime) -> ScheduledJob:
    """Make the job ``name`` due at ``run_at`` (a new one, or the existing one moved). No commit."""
    if kind not in registry().job_handlers:
        raise ValueError(f"no job handler named {kind!r}")
    job = db.session.scalar(sa.select(ScheduledJob).where(ScheduledJob.name == name))
    if job is None:
        job = ScheduledJob(name=name, kind=kind, args=args, run_at=run_at, last_error="")
        db.session.add(job)
    else:
        job.kind, job.args, job.run_at = kind, args, run_at
    db.session.flush()
    return job


def cancel(name: str) -> None:
    db.session.execute(sa.delete(ScheduledJob).where(ScheduledJob.name == name))


def due_at(name: str) -> datetime | None:
    return db.session.scalar(sa.select(ScheduledJob.run_at).where(ScheduledJob.name == name))


def schedule_housekeeping(now: datetime) -> None:
    """One job per registered housekeeping function, due now if it has never run; committed.
    Two workers starting at once may both try: the unique name keeps one."""
    for function in registry().housekeeping:
        name = f"{HOUSEKEEPING}:{function.__module__}.{function.__qualname__}"
        if db.session.scalar(sa.select(ScheduledJob.id).where(ScheduledJob.name == name)) is None:
            try:
                with db.session.begin_nested():
                    db.session.add(ScheduledJob(name=name, kind=HOUSEKEEPING, run_at=now, last_error="",
                                                args={"function": f"{function.__module__}.{function.__qualname__}"}))
            except sa.exc.IntegrityError:
                pass
    db.session.commit()


def _housekeeping(args: dict, now: datetime) -> datetime:
    for function in registry().housekeeping:
        if f"{function.__module__}.{function.__qualname__}" == args.get("function"):
            function()
    return now + HOUSEKEEPING_INTERVAL


def run_due(now: datetime | None = None) -> int:
    """Run every job due at ``now``, a batch at a time; how many ran (successfully or not)."""
    now = now or utcnow()
    handlers = {HOUSEKEEPING: _housekeeping, **registry().job_handlers}
    ran = 0
    while True:
        lease = now + LEASE
        try:
            ids = leases.claim(ScheduledJob, ScheduledJob.run_at <= now, order_by=(ScheduledJob.run_at, ScheduledJob.id),
                               limit=BATCH, lease=lease, now=now)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if not ids:
            return ran
        for job_id in ids:
            _run_one(job_id, lease, now, handlers)
            ran += 1


def _run_one(job_id: int, lease: datetime, now: datetime, handlers: dict) -> None:
    job = db.session.get(ScheduledJob, job_id)
    name, kind, args = job.name, job.kind, dict(job.args or {})
    try:
        handler = handlers[kind]
        next_run = handler(args, now)
        if next_run is None:
            done = sa.delete(ScheduledJob).where(leases.still_ours(ScheduledJob, job_id, lease))
        else:
            done = (sa.update(ScheduledJob).where(leases.still_ours(ScheduledJob, job_id, lease))
                    .values(run_at=next_run, locked_until=None, last_run_at=now, last_error=""))
        if db.session.execute(done.execution_options(synchronize_session=False)).rowcount != 1:
            # Our lease ran out while we worked: the job is another worker's now, and what we did
            # would be done twice. Leave it to them.
            raise LeaseLost(name)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - recorded on the job and logged
        db.session.rollback()
        if not isinstance(error, LeaseLost):
            logger.exception("job %s failed; trying again in %s", name, RETRY)
        else:
            logger.warning("job %s outlived its lease; left to the worker that holds it now", name)
        db.session.execute(
            sa.update(ScheduledJob).where(leases.still_ours(ScheduledJob, job_id, lease))
            .values(run_at=now + RETRY, locked_until=None, last_error=str(error)[:2000])
            .execution_options(synchronize_session=False))
        db.session.commit()


class LeaseLost(Exception):
    pass
