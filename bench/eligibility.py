"""Eligibility answers on PostgreSQL through the HTTP route, as facilities' software asks.

Households (a member, a spouse, two children) are made through the gateway's services
with cover histories of 0 to 15 months bought (so pending, waiting, active, grace and
suspended members), and facilities with API keys. Then `POST /fhir/CoverageEligibilityRequest`
about random people of those households, several at once, on gunicorn (the Procfile's
web server; 2 sync workers by default, one a core here) + PostgreSQL + Redis: every answer is a check kept, with its code
and the member's SMS queued. The ceilings, in the same run and under the same gunicorn
configuration: a bare Flask route answering the same POST with one indexed SELECT, and
the same with one committed INSERT (keeping an answer needs a commit at the least;
bench/eligibility_ceiling.py). Server-side times come from gunicorn's access log
(%(D)s, the time from reading the request to sending the answer).

Prints server-side p50/p99 and answers per second for both, the ratios, the goal
(p99 <= 20 ms server-side), and the SQL statements one answer runs.

    DATABASE_URL=postgresql://... REDIS_URL=redis://... python bench/eligibility.py \\
        [--households 300] [--requests 2000] [--concurrency 4] [--port 8170]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.servers import BIN, ROOT, fresh_postgres, percentile, redis_bench_url, wait_until_ready  # noqa: E402

GOAL_P99_MS = 20.0
FACILITIES = 10
ACCESS_FORMAT = '%(m)s %(U)s %(s)s %(D)s'


def make_households(env: dict, households: int, seed: int) -> tuple[list[str], list[str]]:
    """(people's beneficiary numbers, facilities' API keys), made through the services."""
    from bench.simulate_year import DroppingQueue, pay
    from config.settings import Settings
    from gateway import clock
    from gateway.runtime import build_runtime
    from gateway.services.facilities import add_facility
    from gateway.services.menu_facade import GatewayMenuServices
    from ussd_menus.services import DependentRequest, EnrolmentRequest

    rng = random.Random(seed)
    runtime = build_runtime(Settings.from_env({**env, "AMU_LOG_LEVEL": "WARNING", "AMU_MAX_PAYMENT": "10000000"}),
                            queue=DroppingQueue())
    services = GatewayMenuServices(runtime)
    today = clock.local_date()
    people = []
    for n in range(households):
        months = rng.randrange(16)  # 0: pending; 15: active today; 13: grace; fewer: suspended
        joined = today - timedelta(days=rng.choice([420, 420, 420, 30]))  # some joined lately: waiting
        with clock.travel_to(datetime.combine(joined, datetime.min.time(), tzinfo=clock.LOME) + timedelta(hours=9)):
            member = services.enrol(EnrolmentRequest(
                phone=f"+2289{n:07d}", network="yas", language="fr", full_name=f"Bench Member {n}",
                birth_date=date(1980, 1, 1), sex="F", occupation="trader", region="maritime", rhythm="monthly"))
            services.add_dependent(member.id, DependentRequest("spouse", f"Bench Spouse {n}", date(1979, 5, 5), "M"))
            for k, born in enumerate((date(2005, 3, 1), date(2012, 7, 9))):
                services.add_dependent(member.id, DependentRequest("child", f"Bench Child {n} {k}", born, "F",
                                                                   in_school=True))
            if months:
                pay(runtime, member.id, months * 10_000, member.phone)
        people += [f"{member.amu_number}-{rank:02d}" for rank in range(4)]
    with runtime.db.begin() as session:
        keys = [add_facility(session, f"Bench Clinic {i}", "clinic", "maritime").api_key for i in range(FACILITIES)]
    runtime.close()
    return people, keys


def statements_per_answer(env: dict, number: str, key: str) -> int:
    """SQL statements the gateway runs for one answer (in process, same code as the route)."""
    from sqlalchemy import event

    from config.settings import Settings
    from bench.simulate_year import DroppingQueue
    from gateway.runtime import build_runtime
    from gateway.web import create_app

    runtime = build_runtime(Settings.from_env({**env, "AMU_LOG_LEVEL": "WARNING"}), queue=DroppingQueue())
    client = create_app(runtime=runtime).test_client()
    post(client, number, key)  # warm: the rules and the pool
    seen = []
    event.listen(runtime.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    assert post(client, number, key).status_code == 200
    runtime.close()
    return len(seen)


def request_body(number: str) -> str:
    return json.dumps({
        "resourceType": "CoverageEligibilityRequest", "status": "active", "purpose": ["validation"],
        "created": date.today().isoformat(), "insurer": {"display": "AMU Togo"},
        "patient": {"identifier": {"system": "urn:amu:member", "value": number}},
    })


def post(http, number: str, key: str, base: str = "", path: str = "/fhir/CoverageEligibilityRequest"):
    return http.post(f"{base}{path}", data=request_body(number),
                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/fhir+json"})


@contextmanager
def gunicorn(app: str, port: int, env: dict, workers: int):
    """The app under gunicorn as the Procfile runs it; yields the access log's path."""
    log = tempfile.NamedTemporaryFile("w+", suffix=".access.log", delete=False)
    errors = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "15",
         "--access-logfile", log.name, "--access-logformat", ACCESS_FORMAT, "--log-level", "warning", app],
        env=env, cwd=ROOT, stdout=errors, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}")
        yield log.name
    finally:
        server.terminate()
        server.wait(timeout=20)


def server_times(access_log: str, path: str, skip: int) -> list[float]:
    """Seconds per POST to `path` answered 200, from gunicorn's %(D)s (microseconds)."""
    times = []
    for line in Path(access_log).read_text().splitlines():
        method, logged, status, micros = line.split()
        if method == "POST" and logged == path and status == "200":
            times.append(int(micros) / 1e6)
    return times[skip:]


def measure(app: str, port: int, env: dict, args, people: list[str], keys: list[str],
            routes: dict[str, str]) -> list[dict]:
    """Each route of `routes` ({name: path}) of `app`, one after the other, under one gunicorn."""
    with gunicorn(app, port, env, args.workers) as access_log:
        return [measure_route(name, path, port, access_log, args, people, keys) for name, path in routes.items()]


def measure_route(name: str, path: str, port: int, access_log: str, args, people: list[str], keys: list[str]) -> dict:
    rng = random.Random(args.seed)
    asks = [(rng.choice(people), rng.choice(keys)) for _ in range(args.requests)]
    warm = 50
    base = f"http://127.0.0.1:{port}"
    local = threading.local()

    def one(ask) -> float:
        if not hasattr(local, "http"):
            local.http = requests.Session()  # one keep-alive connection per client thread
        started = time.perf_counter()
        response = post(local.http, *ask, base=base, path=path)
        assert response.status_code == 200, response.text[:300]
        return time.perf_counter() - started

    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(one, asks[:warm]))
        started = time.perf_counter()
        client = list(pool.map(one, asks))
        elapsed = time.perf_counter() - started
    time.sleep(0.5)  # let gunicorn write its last lines
    server = server_times(access_log, path, warm)
    return {"name": name, "p50": statistics.median(server), "p99": percentile(server, 0.99),
            "client_p99": percentile(client, 0.99), "rate": len(client) / elapsed, "answers": len(server)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=300, help="households made (4 people each)")
    parser.add_argument("--requests", type=int, default=2000, help="requests measured per route")
    parser.add_argument("--concurrency", type=int, default=4, help="requests at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (one a core)")
    parser.add_argument("--port", type=int, default=8170, help="the gateway's port; the ceilings use the next one")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")):
        print("eligibility skipped: it measures PostgreSQL + Redis; set DATABASE_URL (postgresql://...) and REDIS_URL")
        return

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"DATABASE_URL": fresh_postgres(os.environ["DATABASE_URL"]), "REDIS_URL": redis_bench_url(os.environ["REDIS_URL"]),
                "AMU_LOG_LEVEL": "WARNING", "AMU_FACILITY_CHECKS_PER_MINUTE": "10000"})
    subprocess.run([str(BIN / "amu"), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    people, keys = make_households(env, args.households, args.seed)
    print(f"{args.households} households ({len(people)} people), {FACILITIES} facilities made through the services "
          f"in {time.perf_counter() - started:.0f} s", flush=True)
    statements = statements_per_answer(env, people[4], keys[0])
    ceiling, kept = measure("bench.eligibility_ceiling:app", args.port + 1, env, args, people, keys, {
        "ceiling: bare Flask, 1 indexed SELECT": "/fhir/CoverageEligibilityRequest",
        "  the same + 1 INSERT, committed": "/kept/CoverageEligibilityRequest"})
    (gateway,) = measure("gateway.wsgi:app", args.port, env, args, people, keys,
                         {"gateway: FHIR eligibility answer": "/fhir/CoverageEligibilityRequest"})
    print(f"gunicorn {args.workers} sync workers, PostgreSQL + Redis, {args.requests} requests, "
          f"{args.concurrency} at once (server-side times from the access log)")
    print(f"{'':40} {'p50':>8} {'p99':>8} {'client p99':>11} {'answers/s':>10}")
    for row in (ceiling, kept, gateway):
        print(f"{row['name']:40} {row['p50'] * 1000:6.1f}ms {row['p99'] * 1000:6.1f}ms "
              f"{row['client_p99'] * 1000:9.1f}ms {row['rate']:10.0f}")
    for label, base in (("ratio gateway / ceiling", ceiling), ("ratio gateway / ceiling with INSERT", kept)):
        print(f"{label:40} {gateway['p50'] / base['p50']:7.1f}x {gateway['p99'] / base['p99']:7.1f}x "
              f"{'':11} {gateway['rate'] / base['rate']:9.0%}")
    met = "met" if gateway["p99"] * 1000 <= GOAL_P99_MS else "NOT met"
    print(f"goal: p99 <= {GOAL_P99_MS:.0f} ms server-side: {met} ({gateway['p99'] * 1000:.1f} ms); "
          f"SQL statements per answer: {statements}")


if __name__ == "__main__":
    main()
