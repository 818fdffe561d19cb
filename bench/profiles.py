"""Where worker processes spent their time, from py-spy's raw stacks (`py-spy record
--format raw`: one line per distinct stack, frames `function (file:line)` joined by `;`,
then a count). Only the main thread counts (the worker; its ticker and pub/sub threads
sleep). Samples whose innermost frame waits on a socket are told apart from work: on a
busy machine py-spy cannot always tell a waiting thread from a running one."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*):\d+\)$")
MAIN = ("_run_module_as_main", "<module>")
WAITS = {  # innermost frame -> what the process waits for
    ("Connection.wait", "psycopg/connection.py"): "waiting for PostgreSQL",
    ("SocketBuffer._read_from_socket", "redis/_parsers/socket.py"): "waiting for Redis",
    ("AbstractConnection.send_packed_command", "redis/connection.py"): "waiting for Redis",
}
PACKAGES = ("gateway", "payment_adapters", "sqlalchemy", "psycopg", "rq", "redis")


def _stacks(paths: list[Path]):
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [m for m in (FRAME.match(frame) for frame in stack.split(";")) if m]
            if frames and frames[0]["function"] in MAIN:
                yield [(m["function"], m["file"]) for m in frames], int(count)


def _where(function: str, file: str) -> str:
    waiting = WAITS.get((function, file))
    if waiting:
        return waiting
    top = file.split("/", 1)[0]
    return f"work in {top}" if top in PACKAGES else "work in Python and other libraries"


def summarise(paths: list[Path], most: int = 12) -> list[str]:
    """Lines: the share of samples waiting and working (by package of the innermost frame),
    the share inside jobs, then the gateway's functions by share of samples on the stack."""
    where, inside, total, in_jobs = Counter(), Counter(), 0, 0
    for frames, count in _stacks(paths):
        total += count
        where[_where(*frames[-1])] += count
        in_jobs += count if any(function == "Job._execute" for function, _ in frames) else 0
        for name in {f"{function} ({file})" for function, file in frames if file.startswith("gateway/")}:
            inside[name] += count
    if not total:
        return ["no samples"]
    lines = [f"{total} samples of the workers' main threads; innermost frame: " +
             ", ".join(f"{name} {100 * n / total:.0f} %" for name, n in where.most_common()),
             f"inside jobs {100 * in_jobs / total:.0f} %, the rest is RQ's own loop (dequeue, bookkeeping, results)"]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in inside.most_common(most)
              if not name.startswith(("<module>", "worker ", "main "))]
    return lines
