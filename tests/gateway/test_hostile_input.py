"""Bad input gets a 4xx with a one-line reason, never a 500: NUL bytes, numbers too
large for the database, bodies over the limit (with a length or chunked)."""
import http.client
import logging
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from gateway.models import ProviderCallback, UssdSessionEvent
from gateway.web.limits import MAX_BODY

PHONE = "+22890000041"


@pytest.mark.parametrize("field", ["sessionId", "phoneNumber", "status"])
def test_a_nul_byte_in_a_session_event_is_refused(client, runtime, field):
    event = {"sessionId": "ATUid_nul", "phoneNumber": PHONE, "status": "Success", field: "ATUid\x00nul"}
    response = client.post("/ussd/africastalking/events", data=event)
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    with runtime.db() as session:
        assert session.scalars(select(UssdSessionEvent)).all() == []


def test_a_hop_count_too_large_for_the_database_is_recorded_as_unknown(client, runtime):
    event = {"sessionId": "ATUid_big", "phoneNumber": PHONE, "status": "Success",
             "hopsCount": "9" * 20, "durationInMillis": "-" + "9" * 12}
    assert client.post("/ussd/africastalking/events", data=event).status_code == 200
    with runtime.db() as session:
        row = session.scalar(select(UssdSessionEvent))
    assert (row.hops, row.duration_ms) == (None, None)


@pytest.mark.parametrize("form", [
    {"sessionId": "ATUid\x00", "phoneNumber": PHONE, "text": ""},
    {"sessionId": "ATUid_1", "phoneNumber": PHONE + "\x00", "text": ""},
    {"sessionId": "ATUid_1", "phoneNumber": PHONE, "text": "1*\x00"},
])
def test_a_nul_byte_in_a_hop_is_refused(client, form):
    assert client.post("/ussd/africastalking", data=form).status_code == 400


def test_a_delivery_report_with_a_nul_byte_is_refused(client):
    response = client.post("/sms/africastalking/delivery", data={"id": "ATXid\x00", "status": "Success"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/payments/%00/callback", "/payments/fake/callback?token=%00",
                                  "/healthz?x=%00", "/ussd/africastalking?\x00"])
def test_a_nul_byte_in_the_url_is_refused_before_anything_is_stored(client, runtime, path):
    assert client.post(path, data=b"{}").status_code == 400  # 405 would be the route, not the NUL check
    with runtime.db() as session:
        assert session.scalars(select(ProviderCallback)).all() == []


def post_chunked(url: str, path: str, size: int, chunk: int = 64 * 1024) -> tuple[int, str]:
    """POST `size` bytes with Transfer-Encoding: chunked, as a provider's proxy might."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.putheader("Content-Type", "application/json")
    connection.endheaders()
    sent = 0
    try:
        while sent < size:
            piece = b"x" * min(chunk, size - sent)
            connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
            sent += len(piece)
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered before reading everything: its answer is what counts
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, body


@pytest.fixture
def served(runtime):
    from gateway.web import create_app
    from payment_adapters.wsgi_thread import serve_wsgi_in_thread

    runtime.adapter_settings["AMU_FAKE_BASE_URL"] = "http://127.0.0.1:9"
    url, stop = serve_wsgi_in_thread(create_app(runtime=runtime))
    yield url
    stop()


def test_a_chunked_body_over_the_limit_is_refused_413_not_cut_and_stored(served, runtime):
    status, body = post_chunked(served, "/payments/fake/callback", 10 * 1024 * 1024)
    assert status == 413, body
    with runtime.db() as session:
        assert session.scalars(select(ProviderCallback)).all() == []


def test_a_chunked_body_at_the_limit_is_stored_whole(served, runtime):
    status, _ = post_chunked(served, "/payments/fake/callback", MAX_BODY, chunk=1000)
    assert status == 401  # not signed: refused, but kept as it came
    with runtime.db() as session:
        (row,) = session.scalars(select(ProviderCallback)).all()
    assert len(row.body) == MAX_BODY


def test_a_body_declared_over_the_limit_is_refused_413(client, runtime):
    response = client.post("/payments/fake/callback", data=b"x" * (MAX_BODY + 1))
    assert response.status_code == 413 and response.get_data(as_text=True).startswith("413 ")
    with runtime.db() as session:
        assert session.scalars(select(ProviderCallback)).all() == []


FORGED = "\n2026-12-01 12:00:00,000 INFO amu.sms: SMS to +228 90 XX XX 41, 12 characters"


@pytest.mark.parametrize("route, form", [
    ("/ussd/africastalking", {"sessionId": "ATUid_1" + FORGED, "phoneNumber": PHONE, "text": ""}),
    ("/ussd/africastalking/events", {"sessionId": "ATUid_1" + FORGED, "phoneNumber": PHONE, "status": "Success"}),
    ("/sms/africastalking/delivery", {"id": "ATXid_1\nINFO amu.sms: forged", "status": "Success"}),
])
def test_a_line_break_in_an_id_is_refused(client, route, form):
    """An id is logged: a line break in it would write a line of the caller's choosing."""
    assert client.post(route, data=form).status_code == 400


@pytest.mark.parametrize("route, form", [
    ("/ussd/africastalking/events", {"sessionId": "ATUid_2", "phoneNumber": PHONE, "status": "Success" + FORGED}),
    ("/sms/africastalking/delivery", {"id": "ATXid_2", "status": "Success" + FORGED}),
])
def test_a_status_is_logged_on_one_line(client, caplog, route, form):
    caplog.set_level(logging.INFO)
    assert client.post(route, data=form).status_code == 200
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("amu.")]
    assert logged and not any("\n" in message for message in logged), logged
