"""USSD hops over SMPP against hops over HTTP, in the same run.

Phones join (9 hops) then read `Mes droits` (2 hops). Over SMPP, the SMSC stand-in of
the tests plays them over TCP to `amu ussd-smpp` running as its own process (deliver_sm
sent -> submit_sm received); over HTTP, the same journeys go to the gateway's Africa's
Talking route (`amu serve` on the embedded default, gunicorn on PostgreSQL + Redis).
The ceiling is the engine's own hop (UssdHop.handle in this process, same database and
session store): what a channel adds is its hop minus that.

Latency: one phone at a time. Throughput: --concurrency phones at once through one
bridge process (and, for comparison, the web processes). Goals: the bridge adds under
1 ms a hop and one bridge process holds 200 hops/s.

    python bench/ussd_smpp.py [--phones 40] [--concurrency 16] [--port 8150]
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.servers import ROOT, percentile, running_gateway  # noqa: E402
from tests.channels.smsc import Smsc  # noqa: E402

JOIN = ["1", "Afi Bench", "14031988", "1", "1", "1", "3", "1"]
RIGHTS = ["2"]


def journeys(dial, send) -> list[float]:
    """Time each hop of a join then of Mes droits, for one phone."""
    timings = []
    for entries in (JOIN, RIGHTS):
        start = time.perf_counter()
        dial()
        timings.append(time.perf_counter() - start)
        for entry in entries:
            start = time.perf_counter()
            send(entry)
            timings.append(time.perf_counter() - start)
    return timings


def smpp_phone(smsc: Smsc, n: int) -> list[float]:
    msisdn = f"2289{n:07d}"
    return journeys(lambda: smsc.dial(msisdn), lambda entry: smsc.send(msisdn, entry))


def http_phone(url: str, n: int) -> list[float]:
    http, phone, state = requests.Session(), f"+2289{n:07d}", {}

    def post(text: str) -> None:
        form = {"sessionId": state["session"], "serviceCode": "*858#", "phoneNumber": phone,
                "networkCode": "61501", "text": text}
        reply = http.post(f"{url}/ussd/africastalking", data=form, timeout=15)
        assert reply.status_code == 200 and reply.text[:4] in ("CON ", "END "), reply.text

    def dial() -> None:
        state["session"], state["entries"] = f"bench-{n}-{time.perf_counter_ns()}", []
        post("")

    def send(entry: str) -> None:
        state["entries"].append(entry)
        post("*".join(state["entries"]))

    return journeys(dial, send)


def engine_phone(hop, n: int) -> list[float]:
    from ussd_menus import UssdRequest

    phone, state = f"+2289{n:07d}", {}

    def dial() -> None:
        state["session"], state["entries"] = f"engine-{n}-{time.perf_counter_ns()}", []
        hop.handle(UssdRequest(state["session"], phone, "yas", "*858#", ""))

    def send(entry: str) -> None:
        state["entries"].append(entry)
        hop.handle(UssdRequest(state["session"], phone, "yas", "*858#", "*".join(state["entries"])))

    return journeys(dial, send)


def latency(name: str, phone, first: int, phones: int) -> dict:
    phone(first - 1)  # warm up
    timings = [t for n in range(first, first + phones) for t in phone(n)]
    return {"name": name, "hops": len(timings), "median": statistics.median(timings),
            "p99": percentile(timings, 0.99)}


def throughput(phone, first: int, phones: int, concurrency: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        hops = sum(len(t) for t in pool.map(phone, range(first, first + phones)))
    return hops / (time.perf_counter() - start)


def redis_round_trip(redis) -> float:
    """The median time of one GET on this Redis, the store's unit of cost."""
    timings = []
    for _ in range(500):
        start = time.perf_counter()
        redis.get("amu:bench:nothing")
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


@contextmanager
def bridge_process(env: dict, smsc: Smsc):
    """`amu ussd-smpp` bound to the stand-in; yields a dict that gets, once it has
    stopped, its own medians: deliver_sm to submit_sm, and the menus' share of it."""
    bridge_env = {**env, "AMU_SMPP_HOST": "127.0.0.1", "AMU_SMPP_PORT": str(smsc.port),
                  "AMU_SMPP_SYSTEM_ID": "amu", "AMU_SMPP_PASSWORD": "secret", "AMU_SMPP_SYSTEM_TYPE": "USSD",
                  "AMU_LOG_LEVEL": "WARNING"}
    log = tempfile.NamedTemporaryFile("w+", suffix="-bridge.log", delete=False)
    bridge = subprocess.Popen([str(Path(sys.executable).parent / "amu"), "ussd-smpp"], env=bridge_env,
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    own: dict = {}
    try:
        smsc.wait_bound(len([b for b in smsc.binds if b.bound]) + 1, timeout=60)
        yield own
    finally:
        bridge.send_signal(signal.SIGTERM)
        bridge.wait(60)
    found = re.search(r"median ([\d.]+) ms from deliver_sm to submit_sm, the bridge's own ([\d.]+) ms",
                      Path(log.name).read_text())
    if found:
        own["hop"], own["own"] = float(found[1]) / 1000, float(found[2]) / 1000


def run(mode: str, phones: int, concurrency: int, port: int) -> None:
    from config.settings import Settings
    from gateway.runtime import build_runtime, set_runtime
    from gateway.ussd_hop import UssdHop

    with running_gateway(mode, port, workers=2) as (url, env):
        smsc = Smsc("default")
        runtime = build_runtime(Settings.from_env({**env, "AMU_LOG_LEVEL": "WARNING"}))
        set_runtime(runtime)  # the jobs the engine's hops queue (SMS) find it
        hop = UssdHop(runtime)
        store_trip = redis_round_trip(runtime.redis) if runtime.redis is not None else None
        try:
            engine = latency("engine", lambda n: engine_phone(hop, n), 1_000, phones)
            with bridge_process(env, smsc) as own:
                smpp = latency("SMPP", lambda n: smpp_phone(smsc, n), 2_000, phones)
            http = latency("HTTP", lambda n: http_phone(url, n), 3_000, phones)
            rates = {"engine": throughput(lambda n: engine_phone(hop, n), 4_000, phones, concurrency),
                     "HTTP": throughput(lambda n: http_phone(url, n), 6_000, phones, concurrency)}
            with bridge_process(env, smsc) as loaded:
                rates["SMPP"] = throughput(lambda n: smpp_phone(smsc, n), 5_000, phones, concurrency)
        finally:
            smsc.stop()
            runtime.close()
    for result in (engine, smpp, http):
        print(f"{mode:9} {result['name']:6} hops={result['hops']:5d} median={result['median'] * 1000:6.2f} ms "
              f"p99={result['p99'] * 1000:6.2f} ms  {rates[result['name']]:6.0f} hops/s with {concurrency} phones "
              f"at once ({'this process' if result is engine else 'one bridge process' if result is smpp else 'gunicorn, 2 workers' if mode == 'services' else 'amu serve'})")
    adds = own["own"] * 1000 if own else float("nan")
    if store_trip is not None:
        print(f"{mode:9} a Redis round trip takes {store_trip * 1000:.2f} ms here (median); a continuing SMPP hop makes "
              f"two of them to keep the text so far")
    print(f"{mode:9} as the hub sees them, SMPP hops take {smpp['median'] / http['median']:.2f}x the HTTP hops "
          f"(median); inside the bridge a hop takes {own.get('hop', 0) * 1000:.2f} ms from deliver_sm to submit_sm, "
          f"of which the bridge's own (all but the menus) {adds:.2f} ms (goal < 1 ms); "
          f"one bridge process: {rates['SMPP']:.0f} hops/s (goal 200), {rates['SMPP'] / rates['engine']:.2f}x "
          f"the engine alone; stand-in problems: {len(smsc.problems)}; under load a hop took "
          f"{loaded.get('hop', 0) * 1000:.2f} ms in the bridge, {loaded.get('own', 0) * 1000:.2f} ms of it its own")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=40, help="phones per channel for latency, again for throughput")
    parser.add_argument("--concurrency", type=int, default=16, help="phones at once for throughput")
    parser.add_argument("--port", type=int, default=8150, help="the web process's port (and the next one)")
    args = parser.parse_args()
    services = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
    for offset, mode in enumerate(["embedded", "services"][:1 + services]):
        run(mode, args.phones, args.concurrency, args.port + offset)
    if not services:
        print("services  skipped: set DATABASE_URL and REDIS_URL to measure PostgreSQL + Redis")


if __name__ == "__main__":
    main()
