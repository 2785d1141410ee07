"""Series and networks of workshops: found by name when an organizer types one on the workshop
form, made when new. The series page itself belongs to a later feature (follow-up)."""

import re
import unicodedata

import sqlalchemy as sa

from workshop.platform import audit
from workshop.platform.db import db
from workshop.workshops.models import PUBLIC_STATUSES, Series, Workshop


def series_slug(name: str) -> str:
    """'R2P Focal Points Network' -> 'r2p-focal-points-network'; 'series' when nothing is left."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:70].rstrip("-") or "series"


def _free_slug(base: str) -> str:
    taken = set(db.session.scalars(sa.select(Series.slug).where(Series.slug.like(base + "%"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def series_named(name: str, *, actor=None, workshop=None) -> Series | None:
    """The series called ``name`` (spaces and case do not matter), made when there is none;
    None for an empty name."""
    name = " ".join((name or "").split())
    if not name:
        return None
    found = db.session.scalar(sa.select(Series).where(sa.func.lower(Series.name) == name.lower()))
    if found is not None:
        return found
    series = Series(name=name, slug=_free_slug(series_slug(name)), description="")
    db.session.add(series)
    db.session.flush()
    audit.record("series.created", workshop=workshop, actor=actor, target=series, name=name, slug=series.slug)
    return series


def series_by_slug(slug: str) -> Series | None:
    return db.session.scalar(sa.select(Series).where(Series.slug == slug))


def names() -> list[str]:
    """Every series' name, for the workshop form's suggestions."""
    return list(db.session.scalars(sa.select(Series.name).order_by(Series.name)))


def workshops_in(series: Series, *, public_only: bool = True) -> list[Workshop]:
    """The series' workshops, earliest first."""
    query = sa.select(Workshop).where(Workshop.series_id == series.id).order_by(Workshop.start_date, Workshop.id)
    if public_only:
        query = query.where(Workshop.status.in_(PUBLIC_STATUSES))
    return list(db.session.scalars(query))


def previous_in_series(workshop: Workshop) -> Workshop | None:
    """The public workshop of the same series that came just before this one."""
    if workshop.series_id is None:
        return None
    earlier = [w for w in workshops_in(workshop.series) if w.start_date < workshop.start_date and w.id != workshop.id]
    return earlier[-1] if earlier else None
