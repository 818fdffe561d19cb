"""Start the gateway the way it runs for real, for the benchmarks: `amu serve` on a
fresh SQLite file (embedded default) or gunicorn on PostgreSQL + Redis."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_SCHEMA = "amu_bench"
BENCH_REDIS_DB = 12


def postgres_bench_url(url: str) -> str:
    from config.settings import normalise_database_url

    url = normalise_database_url(url)
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{BENCH_SCHEMA}"


def fresh_postgres(url: str) -> str:
    from config.settings import normalise_database_url

    admin = create_engine(normalise_database_url(url))
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
    admin.dispose()
    return postgres_bench_url(url)


def redis_bench_url(url: str) -> str:
    from redis import Redis

    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    bench = f"{base}/{BENCH_REDIS_DB}"
    Redis.from_url(bench).flushdb()
    return bench


def wait_until_ready(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the gateway at {url} did not become ready")


@contextmanager
def running_gateway(mode: str, port: int, env_extra: dict | None = None, workers: int = 2):
    """Yield (base_url, env). mode: 'embedded' or 'services' (needs DATABASE_URL, REDIS_URL)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"AMU_LOG_LEVEL": "WARNING", "AMU_PUBLIC_URL": f"http://127.0.0.1:{port}"}, **(env_extra or {}))
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    if mode == "embedded":
        folder = tempfile.mkdtemp(prefix="amu-bench-")
        env["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        command = [str(BIN / "amu"), "serve", "--port", str(port)]
    else:
        env["DATABASE_URL"] = fresh_postgres(os.environ["DATABASE_URL"])
        env["REDIS_URL"] = redis_bench_url(os.environ["REDIS_URL"])
        subprocess.run([str(BIN / "amu"), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                   "--log-level", "warning", "gateway.wsgi:app"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}", env
    finally:
        server.terminate()
        server.wait(timeout=20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
