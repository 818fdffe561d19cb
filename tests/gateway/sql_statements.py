"""Counting what a piece of work asks the database."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(runtime):
    """The SQL statements run inside the block (a statement run for many rows counts once)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        seen.append(statement)

    event.listen(runtime.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(runtime.engine, "before_cursor_execute", record)
