"""Where processes spent their CPU, from py-spy's raw stacks (`py-spy record --format raw`:
one line per distinct stack, frames `function (file:line)` joined by `;`, then a count).
py-spy samples a process only while it is on a CPU, so waiting (for the database, for
Redis, for a core on a busy machine) is left out: what remains is the work itself."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*):\d+\)$")
PACKAGES = ("gateway", "payment_adapters", "sqlalchemy", "psycopg", "rq", "redis", "json", "logging")


def _stacks(paths: list[Path]):
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [FRAME.match(frame) for frame in stack.split(";")]
            yield [(m["function"], m["file"]) for m in frames if m], int(count)


def _package(file: str) -> str:
    top = file.split("/", 1)[0]
    return top if top in PACKAGES else "other (python, libraries)"


def summarise(paths: list[Path], most: int = 12) -> list[str]:
    """Lines: the share of samples by package of the innermost frame, then the gateway's
    own functions by share of samples they were on the stack for (callees included)."""
    by_package, inside, total = Counter(), Counter(), 0
    for frames, count in _stacks(paths):
        if not frames:
            continue
        total += count
        by_package[_package(frames[-1][1])] += count
        for name in {f"{function} ({file})" for function, file in frames if _package(file) == "gateway"}:
            inside[name] += count
    if not total:
        return ["no samples"]
    lines = [f"{total} samples on CPU; innermost frame by package: " +
             ", ".join(f"{name} {100 * n / total:.0f} %" for name, n in by_package.most_common())]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in inside.most_common(most)]
    return lines
