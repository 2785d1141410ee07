"""When a reminder rule is due: pure, takes dates, a zone and the rule's numbers.

Every moment is a local wall-clock hour in the workshop's time zone turned into UTC, so "7 days
before the start at 9:00" is 9:00 in Accra or in New York, whatever the server's zone, and
across a clock change. An hour the clocks skip is taken as the hour after.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

BEFORE_START = "before_start"
AFTER_INVITATION = "after_invitation"
AFTER_END = "after_end"
KINDS = (BEFORE_START, AFTER_INVITATION, AFTER_END)
# How long a thank-you waits for the memo to be published before it gives up.
THANK_YOU_WAITS = timedelta(days=60)


def at_local_hour(day: date, hour: int, zone_name: str) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone_name``, in UTC."""
    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, time(hour), tzinfo=zone)
    back = local.astimezone(timezone.utc).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):  # skipped by the clock change
        local = datetime.combine(day, time(hour), tzinfo=zone) + timedelta(hours=1)
    return local.astimezone(timezone.utc)


def local_day(moment: datetime, zone_name: str) -> date:
    return moment.astimezone(ZoneInfo(zone_name)).date()


def due(kind: str, days: int, hour: int, zone_name: str, start: date, end: date,
        invited_at: datetime | None = None) -> datetime | None:
    """When the rule is due (for an invitation rule: for the invitation sent at ``invited_at``)."""
    if kind == BEFORE_START:
        return at_local_hour(start - timedelta(days=days), hour, zone_name)
    if kind == AFTER_END:
        return at_local_hour(end + timedelta(days=days), hour, zone_name)
    if kind == AFTER_INVITATION:
        if invited_at is None:
            return None
        return at_local_hour(local_day(invited_at, zone_name) + timedelta(days=days), hour, zone_name)
    raise ValueError(f"not a reminder kind: {kind!r}")


def closes(kind: str, days: int, zone_name: str, start: date, end: date) -> datetime:
    """After this moment the rule reaches nobody new: reminders to come stop at the end of the
    first day; a thank-you stops waiting for the memo some weeks after it was due."""
    if kind in (BEFORE_START, AFTER_INVITATION):
        return at_local_hour(start + timedelta(days=1), 0, zone_name)
    return at_local_hour(end + timedelta(days=days), 0, zone_name) + THANK_YOU_WAITS
