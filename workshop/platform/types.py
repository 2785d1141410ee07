"""Column types shared by the feature models."""

from datetime import datetime, timezone

import sqlalchemy as sa


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zones; PostgreSQL has ``timestamptz``. Either way the application sees an
    aware datetime in UTC and must never hand over a naive one.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def normalize_email(email: str | None) -> str:
    """The one spelling of an address we store and compare: trimmed, lower case."""
    return (email or "").strip().lower()
