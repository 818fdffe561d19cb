"""The embedded default as a newcomer meets it: one process, SQLite, jobs in process,
the fake provider a real HTTP server calling back the gateway over HTTP."""
import time

from click.testing import CliRunner

from gateway.cli import main
from gateway.jobs.queue import InProcessQueue


def test_in_process_jobs_include_delayed_ones_in_what_drain_waits_for():
    from tests.gateway import queue_probe

    queue = InProcessQueue(max_retries=0)
    started = time.monotonic()  # before the delay starts: the late job runs 0.2 s after this at the earliest
    queue.enqueue_in(0.2, "tests.gateway.queue_probe.record", "late")
    assert queue.depth() == 1
    queue.enqueue("tests.gateway.queue_probe.record", "now")
    queue.drain(5)
    assert queue_probe.seen[-2:] == ["now", "late"] and time.monotonic() - started >= 0.2
    assert queue.depth() == 0
    queue.close()  # its job threads stop


def test_a_phone_joins_pays_10000_and_reads_its_waiting_period(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/amu.sqlite3")
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.setenv("AMU_PIN_PROMPT_DELAY", "0")
    monkeypatch.setenv("AMU_FAKE_SETTLE_DELAY", "0.1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("AMU_PUBLIC_URL", "http://127.0.0.1:9")  # no gateway there: `amu ussd` runs its own
    run = lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)  # noqa: E731
    phone = ["ussd", "--phone", "90 00 00 61", "--network", "yas"]
    joined = run(*phone, "--input", "1*Afi Test*14031988*1*1*1*3*1")
    assert "Bienvenue Afi Test" in joined.output
    paid = run(*phone, "--input", "1*1*1")
    assert "code PIN" in paid.output and "10 000 F" in paid.output
    rights = run(*phone, "--input", "2")
    assert "Délai de carence" in rights.output and "Couvert" not in rights.output
    shown = run("members", "show", "+22890000061")
    assert "waiting" in shown.output and "receipt_covered" in shown.output and "sent" in shown.output
    assert run("ledger", "check").exit_code == 0
