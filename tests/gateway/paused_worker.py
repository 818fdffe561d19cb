"""`amu worker --burst` that stops for good right after its first ledger insert, before
the commit: a test kills it there and proves (from PostgreSQL) that it did.

    python -m tests.gateway.paused_worker MARKER_FILE

When the first `INSERT INTO ledger_entries` has run, MARKER_FILE receives the worker's
pid, its PostgreSQL backend pid and the inserted entry's key, and the worker sleeps
inside the open transaction until it is killed. Test code only.
"""
from __future__ import annotations

import json
import os
import sys
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(marker: str) -> None:
    @event.listens_for(Engine, "after_cursor_execute")
    def pause_after_ledger_insert(connection, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("INSERT INTO LEDGER_ENTRIES"):
            return
        row = parameters[0] if executemany else parameters
        with open(marker + ".tmp", "w") as out:
            json.dump({"pid": os.getpid(), "key": row["key"],
                       "backend_pid": connection.connection.dbapi_connection.info.backend_pid}, out)
        os.rename(marker + ".tmp", marker)
        time.sleep(3600)  # mid-transaction, until killed


if __name__ == "__main__":
    install(sys.argv[1])
    from gateway.cli import main

    main(["worker", "--burst"])
