"""Wall-clock times in a workshop's time zone and the UTC moments we store.

Forms show and take naive wall-clock values (``datetime-local`` inputs); the database holds
aware UTC datetimes. These are the only conversions between the two.
"""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo


class NonexistentTime(ValueError):
    """A wall-clock time the clocks skip in that zone (the spring-forward hour)."""


def localize(naive: datetime, tz_name: str) -> datetime | None:
    """The aware moment a wall-clock time names in ``tz_name``; None when the clocks skip it.

    In the autumn hour that happens twice, the first occurrence is meant (fold=0).
    """
    zone = ZoneInfo(tz_name)
    aware = naive.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(timezone.utc).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive.replace(fold=0):
        return None
    return aware


def to_utc(value: datetime | None, tz_name: str) -> datetime | None:
    """A wall-clock time typed in ``tz_name``, as an aware UTC datetime; raises
    NonexistentTime for a time the clocks skip."""
    if value is None:
        return None
    aware = localize(value.replace(tzinfo=None), tz_name)
    if aware is None:
        raise NonexistentTime(value)
    return aware.astimezone(timezone.utc)


def to_local(value: datetime | None, tz_name_or_zone) -> datetime | None:
    """A stored moment as the naive wall-clock value a ``datetime-local`` input shows."""
    if value is None:
        return None
    zone = tz_name_or_zone if isinstance(tz_name_or_zone, ZoneInfo) else ZoneInfo(tz_name_or_zone)
    return value.astimezone(zone).replace(tzinfo=None)
