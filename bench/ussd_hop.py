"""Time of a USSD hop through the HTTP route, as Africa's Talking would call it.

Each simulated phone dials, joins (8 hops), dials again and reads `Mes droits`
(2 hops): 10 hops a phone, several phones at once. Prints the median and the 99th
percentile per mode: the embedded default (amu serve, SQLite, sessions in memory) and,
when DATABASE_URL and REDIS_URL are set, gunicorn on PostgreSQL + Redis.

    python bench/ussd_hop.py [--phones 200] [--concurrency 8]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.servers import percentile, running_gateway  # noqa: E402

JOIN = ["1", "Afi Bench", "14031988", "1", "1", "1", "3", "1"]


def one_phone(url: str, n: int) -> list[float]:
    timings = []
    http = requests.Session()
    phone = f"+2289{n:07d}"[:12]

    def session(session_id: str, entries: list[str]) -> None:
        for k in range(len(entries) + 1):
            form = {"sessionId": session_id, "serviceCode": "*858#", "phoneNumber": phone,
                    "networkCode": "61501", "text": "*".join(entries[:k])}
            start = time.perf_counter()
            reply = http.post(f"{url}/ussd/africastalking", data=form, timeout=15)
            timings.append(time.perf_counter() - start)
            assert reply.status_code == 200 and reply.text[:4] in ("CON ", "END "), reply.text

    session(f"bench-join-{n}", JOIN)
    session(f"bench-rights-{n}", ["2"])
    return timings


def run(mode: str, phones: int, concurrency: int, port: int) -> None:
    with running_gateway(mode, port, workers=concurrency // 2 or 1) as (url, _env):
        one_phone(url, 9_999_999)  # warm up
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            timings = [t for phone in pool.map(lambda n: one_phone(url, n), range(phones)) for t in phone]
        elapsed = time.perf_counter() - start
    print(f"{mode:9} hops={len(timings):5d} concurrency={concurrency:2d} "
          f"median={statistics.median(timings) * 1000:6.1f} ms  p99={percentile(timings, 0.99) * 1000:6.1f} ms  "
          f"max={max(timings) * 1000:6.1f} ms  throughput={len(timings) / elapsed:6.0f} hops/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    run("embedded", args.phones, args.concurrency, args.port)
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        run("services", args.phones, args.concurrency, args.port + 1)
    else:
        print("services  skipped: set DATABASE_URL and REDIS_URL to measure PostgreSQL + Redis")


if __name__ == "__main__":
    main()
