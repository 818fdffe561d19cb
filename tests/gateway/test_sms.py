"""SMS sending goes through Africa's Talking's real
HTTP API shape (served locally); failures are retried, then marked failed."""
import threading

import pytest
from flask import Flask, request
from sqlalchemy import select
from werkzeug.serving import make_server

from gateway.jobs.sms import send_sms
from gateway.models import SmsMessage
from gateway.sms.senders import AfricasTalkingSender, SmsSendError

class FakeAfricasTalking:
    """Africa's Talking's POST /version1/messaging, answering documented payloads."""

    def __init__(self):
        self.app = Flask("fake-at")
        self.received = []
        self.replies = []
        self.app.add_url_rule("/version1/messaging", view_func=self.messaging, methods=["POST"])

    def messaging(self):
        self.received.append((request.headers.get("apiKey"), request.form.to_dict()))
        status, body = self.replies.pop(0)
        return body, status, {"Content-Type": "application/json"}

    def __enter__(self):
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


def recipient(code: int, status: str) -> dict:
    return {
        "SMSMessageData": {
            "Message": "Sent to 1/1 Total Cost: XOF 0",
            "Recipients": [
                {"statusCode": code, "number": "+22890000001", "status": status, "cost": "XOF 25", "messageId": "ATXid_test1"}
            ],
        }
    }


def test_africastalking_sender_posts_the_documented_form_with_our_key():
    with FakeAfricasTalking() as at:
        at.replies.append((201, recipient(101, "Success")))
        sender = AfricasTalkingSender("amu-test", "test-key-not-real", "AMU", timeout=2, base_url=at.url)
        result = sender.send("+22890000001", "Bonjour")
    assert result.accepted and result.provider_message_id == "ATXid_test1"
    key, form = at.received[0]
    assert key == "test-key-not-real"
    assert form["to"] == "+22890000001" and form["message"] == "Bonjour" and form["from"] == "AMU"


def test_a_refused_number_is_final_and_a_server_error_is_retryable():
    with FakeAfricasTalking() as at:
        at.replies += [(201, recipient(403, "InvalidPhoneNumber")), (500, {"error": "boom"})]
        sender = AfricasTalkingSender("amu-test", "test-key-not-real", timeout=2, base_url=at.url)
        refused = sender.send("+22890000001", "Bonjour")
        with pytest.raises(SmsSendError):
            sender.send("+22890000001", "Bonjour")
    assert not refused.accepted and "403" in refused.detail


def test_an_unreachable_provider_is_a_retryable_error():
    sender = AfricasTalkingSender("amu-test", "test-key-not-real", timeout=1, base_url="http://127.0.0.1:9")
    with pytest.raises(SmsSendError):
        sender.send("+22890000001", "Bonjour")


class FlakySender:
    def __init__(self, failures: int):
        self.failures, self.calls = failures, 0

    def send(self, phone, text):
        self.calls += 1
        if self.calls <= self.failures:
            raise SmsSendError("network down")
        from gateway.sms.senders import SendResult

        return SendResult("ATXid_flaky", True, "Success")


def _queued_message(runtime) -> int:
    with runtime.db.begin() as session:
        message = SmsMessage(phone="+22890000001", kind="welcome", text="Bonjour", status="queued")
        session.add(message)
        session.flush()
        return message.id


def test_a_failing_send_is_retried_then_sent_once(runtime):
    runtime.sms_sender = FlakySender(failures=2)
    message_id = _queued_message(runtime)
    for _ in range(2):
        with pytest.raises(SmsSendError):
            send_sms(message_id)
    send_sms(message_id)
    send_sms(message_id)  # a duplicate job changes nothing
    with runtime.db() as session:
        message = session.get(SmsMessage, message_id)
    assert (message.status, message.attempts, runtime.sms_sender.calls) == ("sent", 3, 3)


def test_after_the_last_retry_the_message_is_marked_failed_with_the_reason(runtime):
    runtime.sms_sender = FlakySender(failures=100)
    message_id = _queued_message(runtime)
    for _ in range(runtime.settings.job_retries):
        with pytest.raises(SmsSendError):
            send_sms(message_id)
    send_sms(message_id)  # the last attempt gives up quietly
    with runtime.db() as session:
        message = session.get(SmsMessage, message_id)
    assert (message.status, message.last_error) == ("failed", "network down")


def test_delivery_reports_update_the_message(runtime, client):
    message_id = _queued_message(runtime)
    send_sms(message_id)
    with runtime.db() as session:
        provider_id = session.get(SmsMessage, message_id).provider_message_id
    assert client.post("/sms/africastalking/delivery", data={"id": provider_id, "status": "Success"}).status_code == 200
    assert client.post("/sms/africastalking/delivery", data={"id": "unknown-id", "status": "Failed"}).status_code == 200
    assert client.post("/sms/africastalking/delivery", data={"status": "Failed"}).status_code == 400
    with runtime.db() as session:
        assert session.scalar(select(SmsMessage.status)) == "delivered"


def test_delivery_reports_need_the_token_when_one_is_set(runtime, client):
    message_id = _queued_message(runtime)
    send_sms(message_id)
    with runtime.db() as session:
        provider_id = session.get(SmsMessage, message_id).provider_message_id
    runtime.settings = type(runtime.settings).from_env({**runtime.settings.raw, "AMU_CALLBACK_TOKEN": "s3cret-test"})
    report = {"id": provider_id, "status": "Failed", "failureReason": "forged"}
    assert client.post("/sms/africastalking/delivery", data=report).status_code == 403
    with runtime.db() as session:
        assert session.scalar(select(SmsMessage.status)) == "sent"  # a stranger cannot mark it undelivered
    assert client.post("/sms/africastalking/delivery?token=s3cret-test", data={"id": provider_id, "status": "Success"}).status_code == 200
    with runtime.db() as session:
        assert session.scalar(select(SmsMessage.status)) == "delivered"
