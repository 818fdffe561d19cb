"""The fake provider remembers in a journal file shared by every process of one
installation (``make run`` and each ``amu ussd``): provider references never repeat,
across processes alive at once and across restarts, and any process's statement
covers everything any of them did."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from payment_adapters.fake import FakeProvider, journal_path

# A fake provider process on a journal, driven line by line on its stdin.
PROCESS = r"""
import json, sys
from payment_adapters.fake import FakeProvider
provider = FakeProvider(settle_delay=0.0, magic_amounts=False, journal=sys.argv[1],
                        callback_timeout=(0.2, 0.2))
print("ready", flush=True)
for command in sys.stdin:
    name, *args = command.split()
    if name == "pay":
        answers = []
        for reference in args:
            status, body = provider.initiate({
                "reference": reference, "amount": 1000, "phone": "+22890000001",
                "network": "yas", "callback_url": "http://127.0.0.1:9/callback"})
            answers.append([status, body.get("id") or body["collection"]["id"]])
        print(json.dumps(answers), flush=True)
    elif name == "statement":
        provider.wait_idle()
        page = provider.statement_page(None, None, 1, 500)
        print(json.dumps([[line["id"], line["reference"], line["status"]] for line in page["lines"]]),
              flush=True)
"""


class Process:
    def __init__(self, journal: Path):
        self.popen = subprocess.Popen([sys.executable, "-c", PROCESS, str(journal)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.popen.stdout.readline().strip() == "ready"

    def send(self, command: str) -> None:
        self.popen.stdin.write(command + "\n")
        self.popen.stdin.flush()

    def answer(self):
        return json.loads(self.popen.stdout.readline())

    def ask(self, command: str):
        self.send(command)
        return self.answer()

    def stop(self) -> None:
        self.popen.stdin.close()
        assert self.popen.wait(timeout=10) == 0


@pytest.fixture
def processes(tmp_path):
    started: list[Process] = []

    def start() -> Process:
        started.append(Process(tmp_path / "var" / "fake-provider.sqlite3"))
        return started[-1]

    yield start
    for process in started:
        if process.popen.poll() is None:
            process.popen.kill()


def test_processes_alive_at_once_and_after_a_restart_never_give_the_same_reference(processes):
    first, second = processes(), processes()  # both opened the journal before any payment

    answers = [first.ask("pay AMU-A1"), second.ask("pay AMU-B1"),
               first.ask("pay AMU-A2"), second.ask("pay AMU-B2")]

    assert [answer[0] for answer in answers] == [
        [201, "FK000001"], [201, "FK000002"], [201, "FK000003"], [201, "FK000004"]]
    assert second.ask("pay AMU-A1") == [[409, "FK000001"]]  # our reference is taken, whoever took it
    everything = [["FK000001", "AMU-A1", "succeeded"], ["FK000002", "AMU-B1", "succeeded"],
                  ["FK000003", "AMU-A2", "succeeded"], ["FK000004", "AMU-B2", "succeeded"]]
    # (in the order they settled, which timers in two processes decide)
    assert sorted(first.ask("statement")) == sorted(second.ask("statement")) == everything
    first.stop()
    second.stop()

    restarted = processes()
    assert restarted.ask("pay AMU-C1") == [[201, "FK000005"]]
    assert sorted(restarted.ask("statement")) == [*everything, ["FK000005", "AMU-C1", "succeeded"]]


def test_processes_paying_at_the_same_time_share_one_numbering(processes):
    first, second = processes(), processes()
    first.send("pay " + " ".join(f"AMU-A{n}" for n in range(40)))
    second.send("pay " + " ".join(f"AMU-B{n}" for n in range(40)))
    ids = [pair[1] for pair in first.answer() + second.answer()]

    assert sorted(ids) == [f"FK{n:06d}" for n in range(1, 81)]


def test_an_outcome_left_by_a_stopped_process_is_settled_by_another(tmp_path):
    journal = tmp_path / "fake.sqlite3"
    leaving = FakeProvider(settle_delay=0.2, magic_amounts=False, journal=journal)
    leaving.initiate({"reference": "AMU-LEFT", "amount": 2500, "phone": "+22890000001",
                      "network": "moov", "callback_url": "http://127.0.0.1:9/callback"})
    leaving.close()  # stopped before its timer settled the collection and called back
    staying = FakeProvider(magic_amounts=False, journal=journal, fee_rate=0.02)
    assert staying.status("AMU-LEFT")[1]["status"] == "pending"

    time.sleep(0.25)

    status, view = staying.status("AMU-LEFT")
    [line] = staying.statement_page(None, None, 1, 10)["lines"]
    assert (status, view["status"], line["status"], line["fee"]) == (200, "succeeded", "succeeded", 50)
    assert line["occurred_at"] == view["settled_at"]  # settled when it was due, not when asked
    assert leaving.deliveries == staying.deliveries == []  # nobody called back: like a dropped callback


@pytest.mark.parametrize("settings, expected", [
    ({"AMU_FAKE_STATE": "/srv/amu/fake.sqlite3"}, "/srv/amu/fake.sqlite3"),
    ({"DATABASE_URL": "sqlite:////data/amu/amu.sqlite3"}, "/data/amu/fake-provider.sqlite3"),
    ({}, "var/fake-provider.sqlite3"),
    ({"DATABASE_URL": "postgresql://db/amu"}, "var/fake-provider.sqlite3"),
    ({"DATABASE_URL": "sqlite:///:memory:"}, "var/fake-provider.sqlite3"),
])
def test_the_journal_lives_next_to_the_embedded_database_unless_told(settings, expected):
    assert journal_path(settings) == expected
