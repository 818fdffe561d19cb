"""`amu ussd-smpp` as it runs in production: separate processes, one bind each, sharing
the sessions in Redis. One dies mid-journey (SIGKILL); the other carries on."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile

import pytest
from sqlalchemy import select

from gateway.models import Member

pytestmark = pytest.mark.services
PHONE = "22890000111"


@pytest.fixture
def bridge_processes(runtime, smsc, tmp_path):
    if runtime.engine.dialect.name != "postgresql" or runtime.redis is None:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: processes share sessions through Redis")
    env = {**os.environ, "DATABASE_URL": runtime.settings.database_url, "REDIS_URL": runtime.settings.redis_url,
           "AMU_LOG_LEVEL": "INFO", "AMU_SMPP_HOST": "127.0.0.1", "AMU_SMPP_PORT": str(smsc.port),
           "AMU_SMPP_SYSTEM_ID": "amu", "AMU_SMPP_PASSWORD": "secret", "AMU_SMPP_SYSTEM_TYPE": "USSD",
           "AMU_FAKE_BASE_URL": "http://127.0.0.1:9"}
    started = []
    for n in range(2):
        log = tempfile.NamedTemporaryFile("w+", dir=tmp_path, suffix=f"-{n}.log", delete=False)
        process = subprocess.Popen([sys.executable, "-m", "gateway.cli", "ussd-smpp"], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        process.log_path = log.name
        started.append(process)
    smsc.wait_bound(2, timeout=30)
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_two_bridge_processes_share_a_session_and_survive_one_dying(bridge_processes, smsc, runtime):
    first, second = bridge_processes
    assert smsc.dial(PHONE, bind=0).text.startswith("AMU Togo")
    for n, entry in enumerate(["1", "Afi Test", "14031988", "1"]):
        assert not smsc.send(PHONE, entry, bind=n % 2).end  # the hub spreads the dialogue over both binds
    first.kill()  # a crash: no unbind, the hub notices the connection gone
    first.wait(10)
    smsc.wait_bound(1)
    for entry in ["1", "1", "3"]:
        assert not smsc.send(PHONE, entry).end
    assert smsc.send(PHONE, "1").text.startswith("Bienvenue Afi Test")
    with runtime.db() as session:
        assert session.scalar(select(Member.phone)) == "+" + PHONE

    second.send_signal(signal.SIGTERM)
    assert second.wait(20) == 0
    log = open(second.log_path).read()
    assert re.search(r"stopped: \d+ hops \(median [\d.]+ ms from deliver_sm to submit_sm, the bridge's own "
                     r"[\d.]+ ms\), 0 aborts", log), log
