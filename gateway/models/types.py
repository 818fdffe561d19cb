from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on every engine (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    from gateway.clock import now

    return now()


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK constraint that `column` holds one of `values`, written from
    the same tuple the code uses (models and new migrations alike)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
