"""No secret and no personal data in a log: a whole journey (join, pay, the provider's
callback with its token, the receipt SMS, a delivery report, a hop that fails) leaves
no phone number, name, AMU number or token in anything logged."""
import logging

import pytest
from sqlalchemy import select

from config.settings import Settings
from gateway.models import Member, SmsMessage
from gateway.sms.senders import LogSender
from tests.gateway.payment_helpers import settle

PHONE = "+22890000071"
NAME = "Afi Test"
CALLBACK_TOKEN = "callback-token-not-real-7c1"
USSD_TOKEN = "ussd-token-not-real-2b9"


@pytest.fixture
def guarded_runtime(runtime, monkeypatch):
    settings = Settings.from_env({**runtime.settings.raw, "AMU_CALLBACK_TOKEN": CALLBACK_TOKEN,
                                  "AMU_USSD_TOKEN": USSD_TOKEN, "AMU_LOG_LEVEL": "DEBUG"})
    monkeypatch.setattr(runtime, "settings", settings)
    return runtime


class Dialler:
    def __init__(self, client, session_id: str):
        self.client, self.session_id, self.entries = client, session_id, []

    def __call__(self, *entries: str) -> str:
        screen = ""
        for entry in (None, *entries):
            if entry is not None:
                self.entries.append(entry)
            screen = self.client.post(f"/ussd/africastalking?token={USSD_TOKEN}", data={
                "sessionId": self.session_id, "serviceCode": "*858#", "phoneNumber": PHONE, "networkCode": "61501",
                "text": "*".join(self.entries)}).get_data(as_text=True)
        return screen


def everything_logged(caplog, capfd) -> str:
    out, err = capfd.readouterr()
    return "\n".join([caplog.text, out, err])


def test_a_whole_journey_leaves_no_personal_data_or_token_in_the_logs(guarded_runtime, fake_provider, client,
                                                                      run_jobs, caplog, capfd, monkeypatch):
    runtime = guarded_runtime
    caplog.set_level(logging.DEBUG)

    welcome = Dialler(client, "ATUid_log_join")("1", NAME, "14031988", "1", "1", "1", "3", "1")
    assert welcome.startswith(f"END Bienvenue {NAME}")
    assert Dialler(client, "ATUid_log_pay")("1", "1", "1").startswith("END Merci.")
    settle(fake_provider, run_jobs)
    with runtime.db() as session:
        amu_number = session.scalar(select(Member.amu_number))
        receipts = session.scalars(select(SmsMessage.text)).all()
    assert len(receipts) == 2 and amu_number in receipts[0]  # the welcome SMS and the receipt were sent
    client.post(f"/sms/africastalking/delivery?token={CALLBACK_TOKEN}",
                data={"id": "ATXid_nosuch", "status": "Success", "phoneNumber": PHONE})

    from gateway.services.menu_facade import GatewayMenuServices

    def broken(self, phone):
        raise RuntimeError(f"member lookup failed for {phone}")

    monkeypatch.setattr(GatewayMenuServices, "member_by_phone", broken)
    assert Dialler(client, "ATUid_log_broken")().startswith("END Service")

    logged = everything_logged(caplog, capfd)
    assert "SMS to +228 90 XX XX 71" in logged  # the log SMS backend ran, masked
    assert "member lookup failed for +228******71" in logged  # a traceback's message, masked
    assert "token=***" in logged  # the provider's callback URL was logged, its token masked
    for private in (PHONE, PHONE[4:], NAME, amu_number, CALLBACK_TOKEN, USSD_TOKEN):
        assert private not in logged, f"{private!r} is in the log"


def test_the_log_sms_backend_shows_the_text_only_when_asked(caplog, monkeypatch):
    from gateway import logs

    caplog.set_level(logging.INFO)
    monkeypatch.setitem(logs._state, "show_numbers", True)  # as AMU_LOG_PERSONAL_DATA=1 sets it
    LogSender().send(PHONE, f"AMU Togo: {NAME}, votre numéro AMU est 1234567890.")
    LogSender(show_personal_data=True).send(PHONE, f"{NAME}: 1234567890")
    masked, shown = [record.getMessage() for record in caplog.records if record.name == "amu.sms"]
    assert masked == "SMS to +228 90 XX XX 71, 52 characters (AMU_LOG_PERSONAL_DATA=1 shows it)"
    assert shown == f"SMS to {PHONE}: {NAME}: 1234567890"


def test_personal_data_in_the_log_is_refused_in_production():
    with pytest.raises(ValueError, match="AMU_LOG_PERSONAL_DATA"):
        Settings.from_env({"AMU_ENV": "production", "DATABASE_URL": "postgresql://u@db/amu",
                           "REDIS_URL": "redis://r:6379/0", "AMU_CALLBACK_TOKEN": "c", "AMU_USSD_TOKEN": "u",
                           "AMU_LOG_PERSONAL_DATA": "1"})


def test_a_database_error_in_the_log_carries_no_sql_parameters_or_row(runtime, caplog):
    from sqlalchemy.exc import DBAPIError

    caplog.set_level(logging.INFO)
    try:
        with runtime.db.begin() as session:
            session.add(SmsMessage(phone=PHONE, kind="receipt", text=f"{NAME} 1234567890", status="bogus"))
    except DBAPIError:
        logging.getLogger("amu.test").exception("the insert failed")
    assert "the insert failed" in caplog.text and "ck_sms_messages_status" in caplog.text  # the error is there
    assert PHONE not in caplog.text and NAME not in caplog.text


def test_the_startup_log_masks_the_redis_password(tmp_path, caplog):
    from gateway.web import create_app

    caplog.set_level(logging.INFO)
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path}/amu.sqlite3",
                                  "REDIS_URL": "redis://:redis-pass-not-real@127.0.0.1:1/0"})
    app = create_app(settings)
    app.extensions["amu"].close()
    assert "gateway ready" in caplog.text and "redis://:***@127.0.0.1:1/0" in caplog.text
    assert "redis-pass-not-real" not in caplog.text


def test_the_web_process_access_log_drops_query_strings(runtime, tmp_path):
    """The Procfile's web line, run: a token or a phone number in a URL never reaches the log."""
    from tests.gateway.gunicorn_server import Gunicorn

    env = {"DATABASE_URL": runtime.settings.database_url, "REDIS_URL": runtime.settings.redis_url or "",
           "AMU_CALLBACK_TOKEN": CALLBACK_TOKEN, "AMU_LOG_LEVEL": "INFO", "AMU_FAKE_BASE_URL": "http://127.0.0.1:9"}
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=2)
    try:
        import requests

        assert requests.get(f"{server.url}/healthz?phone={PHONE}&token={CALLBACK_TOKEN}", timeout=10).ok
        refused = requests.post(f"{server.url}/payments/fake/callback?token={CALLBACK_TOKEN}", data=b"{}", timeout=10)
        assert refused.status_code == 401  # the token was right; the signature is missing
    finally:
        logged = server.stop()
    assert '"GET /healthz" 200' in logged and '"POST /payments/fake/callback" 401' in logged
    for private in (CALLBACK_TOKEN, PHONE, PHONE[4:], "token="):
        assert private not in logged, f"{private!r} is in the access log"


@pytest.mark.parametrize("written", ["+228 90 00 00 71", "00228 90 00 00 71", "228-90-00-00-71", "+228 90-00-00-71",
                                     "90 00 00 71", "90-00-00-71", "+228 90000071", "+22890000071"])
def test_a_phone_written_with_separators_is_masked_too(runtime, caplog, written):
    """As people and providers write numbers: only the country code and the last two digits stay."""
    caplog.set_level(logging.INFO)
    logging.getLogger("amu.test").warning("lookup failed for %s (%s)", written, "10.20.30.40")
    (message,) = [record.getMessage() for record in caplog.records if record.name == "amu.test"]
    shown = message.removeprefix("lookup failed for ").removesuffix(" (10.20.30.40)")
    assert "".join(filter(str.isdigit, shown)) in ("71", "22871", "0022871"), message
    assert shown.endswith("71")


def test_the_masked_form_and_dates_are_left_alone(runtime, caplog):
    caplog.set_level(logging.INFO)
    line = "SMS to +228 90 XX XX 71 on 2026-12-01 15:53:28 from 10.20.30.40, ref AMU5WKECN7809"
    logging.getLogger("amu.test").warning(line)
    assert [record.getMessage() for record in caplog.records if record.name == "amu.test"] == [line]


def test_the_traceback_rq_keeps_with_a_failed_job_is_redacted(runtime):
    """RQ keeps a failed job's traceback in Redis (a year by default) for rq info and
    dashboards: it carries no more than the log does."""
    if runtime.redis is None:
        pytest.skip("needs REDIS_URL: the traceback is kept by RQ")
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    from gateway.jobs.worker import run_worker

    runtime.queue.enqueue("tests.gateway.queue_probe.fail", f"refused for {PHONE}: DETAIL:  Key (phone)=({PHONE})")
    run_worker(runtime, burst=True)

    (job_id,) = FailedJobRegistry(runtime.settings.queue_name, connection=runtime.redis).get_job_ids()
    job = Job.fetch(job_id, connection=runtime.redis)
    kept = [job.latest_result().exc_string]
    assert all("refused for +228******71" in text for text in kept), kept
    assert not any(PHONE in text or PHONE[4:] in text for text in kept), kept
