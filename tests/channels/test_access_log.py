"""The web process as the Procfile runs it (gunicorn, its access log on stdout): a USSD
gateway's hit is logged without its query string, which carries the caller's number
(Flares' MSISDN), Flares' password and the route's token."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("2250700000001", "flares-s3cret", "ussd-t0ken")


def _web_command() -> str:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("web:"))


def _wait_for_port(log: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"Listening at: http://[\d.]+:(\d+)", log.read_text())
        if found:
            return int(found[1])
        assert process.poll() is None, log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"gunicorn did not start: {log.read_text()}")


def test_the_web_processs_access_log_names_the_route_but_not_the_number_nor_the_secrets(tmp_path):
    log = tmp_path / "web.log"
    env = {**os.environ, "PORT": "0", "WEB_CONCURRENCY": "1", "REDIS_URL": "",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}", "AMU_LOG_LEVEL": "WARNING",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with log.open("w") as out:
        process = subprocess.Popen(["sh", "-c", f"exec {_web_command()}"], env=env, cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        port = _wait_for_port(log, process)
        query = {"SessionID": "S1", "MSISDN": SECRETS[0], "input": "858", "password": SECRETS[1],
                 "token": SECRETS[2]}
        reply = requests.get(f"http://127.0.0.1:{port}/ussd/flares", params=query, timeout=10)
        assert reply.status_code == 200 and reply.headers["Freeflow"] == "FB"  # a number from abroad
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
    written = log.read_text()
    assert "GET /ussd/flares" in written  # the hit is in the access log...
    assert not [secret for secret in SECRETS if secret in written], written  # ...without its query
