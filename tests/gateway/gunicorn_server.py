"""The Procfile's `web` line run for real: gunicorn with several worker processes."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

PROCFILE = Path(__file__).resolve().parents[2] / "Procfile"


def web_command() -> list[str]:
    line = next(line for line in PROCFILE.read_text().splitlines() if line.startswith("web:"))
    command = shlex.split(line.split(":", 1)[1])
    assert command[0] == "gunicorn", line
    return [str(Path(sys.executable).with_name("gunicorn")), *command[1:]]


class Gunicorn:
    def __init__(self, env: dict, log_path: Path, workers: int):
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [*web_command(), "--bind", "127.0.0.1:0", "--workers", str(workers)],
                env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            )
        try:
            self.url = self._wait_until_listening(workers)
        except BaseException:
            self.stop()  # never leave a server behind a failed start
            raise

    def log(self) -> str:
        return self.log_path.read_text()

    def _wait_until_listening(self, workers: int) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()[-3000:]
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", self.log())
            if found and self.log().count("Booting worker") >= workers:
                url = found.group(1)
                try:
                    if requests.get(f"{url}/healthz", timeout=10).ok:
                        return url
                except requests.RequestException:
                    pass  # workers still booting (a loaded machine is slow to import)
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start: {self.log()[-3000:]}")

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log()

    def worker_pids(self, path: str) -> set[str]:
        """The pids of the workers whose access log shows a request for `path`."""
        return set(re.findall(rf'"[A-Z]+ {re.escape(path)}" \d+ .*pid=<(\d+)>', self.log()))
