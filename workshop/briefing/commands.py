"""What runs outside a request and owns its transactions: the worker's long job that builds
the briefing packs that are due, and ``flask build-briefing-packs`` to build them at once.

Each pack is leased to one worker before it is built (a conditional UPDATE, so two workers
never build the same pack at once), and committed on its own right after: a worker killed
mid-round loses at most the pack in hand, whose lease runs out for the next one to take.
"""

import logging
from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from workshop.briefing.models import BriefingPack
from workshop.briefing.service import build_briefing_pack
from workshop.platform.db import db
from workshop.platform.types import utcnow
from workshop.registration.models import Registration, State

logger = logging.getLogger("workshop.briefing")

# One pack may take minutes (a hundred pages under load), and mail such as a participant's
# confirmation must not wait behind a queue of them: the worker builds one per round, after
# delivering the mail that is due (``registry.worker_long_job``).
# How long a worker may take to build one pack before another may take it over, and how long
# a pack whose build failed waits before it is tried again.
LEASE = timedelta(minutes=10)
RETRY_AFTER = timedelta(minutes=10)


def _due(now):
    return sa.and_(
        sa.or_(BriefingPack.built < BriefingPack.wanted, BriefingPack.name != Registration.name,
               BriefingPack.language != Registration.language),
        sa.or_(BriefingPack.locked_until.is_(None), BriefingPack.locked_until <= now))


def _add_missing() -> None:
    """A pack row for every confirmed registration without one (those confirmed before packs
    existed; new ones get theirs when they are confirmed)."""
    missing = db.session.execute(
        sa.select(Registration.id, Registration.workshop_id)
        .outerjoin(BriefingPack, BriefingPack.registration_id == Registration.id)
        .where(Registration.state == State.CONFIRMED, Registration.purged_at.is_(None), BriefingPack.id.is_(None))
        .order_by(Registration.id).limit(100)).all()
    db.session.add_all([BriefingPack(registration_id=rid, workshop_id=wid) for rid, wid in missing])


def _claim(now, limit: int) -> list[tuple[int, int]]:
    """Up to ``limit`` due packs, each leased to this worker (committed)."""
    candidates = db.session.execute(
        sa.select(BriefingPack.id, BriefingPack.registration_id)
        .join(Registration, Registration.id == BriefingPack.registration_id)
        .where(_due(now)).order_by(BriefingPack.id).limit(limit)).all()
    claimed = []
    for pack_id, registration_id in candidates:
        # Repeats the lease condition: of two workers that picked the same pack, one gets it.
        taken = db.session.execute(
            sa.update(BriefingPack).where(BriefingPack.id == pack_id, sa.or_(
                BriefingPack.locked_until.is_(None), BriefingPack.locked_until <= now))
            .values(locked_until=now + LEASE).execution_options(synchronize_session=False)).rowcount
        if taken:
            claimed.append((pack_id, registration_id))
    db.session.commit()
    return claimed


def build_due_packs(*, clock=utcnow, limit: int = 1) -> int:
    """Build up to ``limit`` packs that are due, one after the other, each committed on its own;
    a build that fails is recorded on its pack and not tried again before ``RETRY_AFTER``.
    Returns how many were built."""
    _add_missing()
    db.session.commit()
    built = 0
    for _ in range(limit):
        claimed = _claim(clock(), 1)
        if not claimed:
            break
        [(pack_id, registration_id)] = claimed
        try:
            build_briefing_pack(registration_id)
            db.session.commit()
            built += 1
        except Exception as error:  # noqa: BLE001 - one pack failing must not stop the others
            db.session.rollback()
            logger.exception("briefing pack %s could not be built", pack_id)
            db.session.execute(sa.update(BriefingPack).where(BriefingPack.id == pack_id).values(
                last_error=str(error)[:2000], locked_until=clock() + RETRY_AFTER))
            db.session.commit()
    return built


@click.command("build-briefing-packs")
@with_appcontext
def build_command() -> None:
    """Build every briefing pack that is due now (the worker does this one per round)."""
    total = 0
    while True:
        built = build_due_packs(limit=20)
        total += built
        if not built:
            break
    click.echo(f"{total} briefing pack(s) built.")
