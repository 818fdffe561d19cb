"""The Africa's Talking USSD route, as the telephone network calls it."""
import pytest
from sqlalchemy import select

from gateway.models import UssdSessionEvent

PHONE = "+22890000011"


class Phone:
    """A phone dialling through Africa's Talking: cumulative `text`, one session id."""

    def __init__(self, client, number=PHONE, session_id="ATUid_test_1", network_code="61501"):
        self.client, self.number, self.session_id, self.network_code = client, number, session_id, network_code
        self.entries: list[str] = []

    def dial(self):
        return self._post()

    def send(self, entry: str):
        self.entries.append(entry)
        return self._post()

    def _post(self):
        response = self.client.post(
            "/ussd/africastalking",
            data={
                "sessionId": self.session_id,
                "serviceCode": "*858#",
                "phoneNumber": self.number,
                "networkCode": self.network_code,
                "text": "*".join(self.entries),
            },
        )
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        return response.get_data(as_text=True)


def join(client, number=PHONE, session_id="ATUid_join"):
    phone = Phone(client, number, session_id)
    assert phone.dial().startswith("CON AMU Togo\n1. Adhérer")
    for entry in ("1", "Afi Test", "14031988", "1", "1", "1", "3"):
        screen = phone.send(entry)
        assert screen.startswith("CON "), screen
    return phone.send("1")


def test_a_phone_joins_adds_a_child_and_reads_its_rights_over_http(client, sms, run_jobs):
    welcome = join(client)
    assert welcome.startswith("END Bienvenue Afi Test. Votre numéro AMU: ")
    run_jobs()
    assert sms.sent[0][0] == PHONE and "Votre numéro AMU: " in sms.sent[0][1]

    household = Phone(client, session_id="ATUid_child")
    assert household.dial().startswith("CON AMU Togo\n1. Payer\n2. Mes droits")
    for entry in ("4", "1", "2", "Kodjo Test", "01052015", "2"):
        household.send(entry)
    assert household.send("1") == "END Kodjo Test est ajouté(e) à votre foyer AMU."

    rights = Phone(client, session_id="ATUid_rights")
    rights.dial()
    screen = rights.send("2")
    assert screen.startswith("END Adhésion enregistrée. Payez 10 000 F pour commencer votre couverture.")
    assert "Foyer: vous + 1 enfant" in screen


def test_the_network_of_the_session_is_remembered_at_joining(client, runtime):
    from gateway.models import Member

    join(client, number="+22899000012", session_id="ATUid_moov")
    with runtime.db() as session:
        assert session.scalar(select(Member.network)) == "yas"  # networkCode 61501 wins over the 99 prefix


@pytest.mark.parametrize(
    "form, reason",
    [
        ({"phoneNumber": PHONE, "text": ""}, "sessionId is missing"),
        ({"sessionId": "s1", "text": ""}, "phoneNumber is missing"),
        ({"sessionId": "s" * 101, "phoneNumber": PHONE}, "sessionId is longer"),
        ({"sessionId": "s1", "phoneNumber": PHONE, "text": "1*" * 300}, "text is longer"),
    ],
)
def test_malformed_requests_get_a_400_with_a_one_line_reason(client, form, reason):
    response = client.post("/ussd/africastalking", data=form)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert reason in body and body.count("\n") == 1


def test_a_number_that_is_not_a_togo_mobile_gets_an_end_screen_that_explains(client):
    response = client.post("/ussd/africastalking", data={"sessionId": "s1", "phoneNumber": "+2250700000000", "text": ""})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "END Service réservé aux mobiles du Togo.\nFor Togo mobile numbers only."


def test_wrong_method_is_refused_with_a_reason_not_a_page(client):
    response = client.get("/ussd/africastalking")
    assert response.status_code == 405
    assert response.get_data(as_text=True).startswith("405 Method Not Allowed")


def test_an_expired_session_starts_again_at_home(client, runtime):
    phone = Phone(client, session_id="ATUid_expiring")
    phone.dial()
    phone.send("1")
    runtime.sessions.delete("ATUid_expiring", PHONE)  # as Redis's TTL would
    assert phone.send("Afi Test").startswith("CON AMU Togo\n1. Adhérer")


def test_a_dropped_form_is_offered_for_resuming_in_a_new_session(client):
    first = Phone(client, session_id="ATUid_dropped")
    first.dial()
    first.send("1")
    first.send("Afi Test")
    second = Phone(client, session_id="ATUid_again")
    assert "1. Continuer\n2. Recommencer" in second.dial()
    assert second.send("1").startswith("CON Date de naissance")


def test_a_service_failure_ends_the_session_politely_not_with_a_500(client, runtime, monkeypatch):
    from gateway.services.menu_facade import GatewayMenuServices

    def broken(self, phone):
        raise RuntimeError("database down")

    monkeypatch.setattr(GatewayMenuServices, "member_by_phone", broken)
    response = client.post("/ussd/africastalking", data={"sessionId": "s9", "phoneNumber": PHONE, "text": ""})
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("END Service momentanément indisponible")


def test_end_of_session_notifications_are_recorded_once(client, runtime):
    event = {"sessionId": "ATUid_ev", "phoneNumber": PHONE, "status": "Incomplete", "input": "1*Afi",
             "lastAppResponse": "CON Nom", "hopsCount": "2", "durationInMillis": "15000", "cost": "XOF 0"}
    assert client.post("/ussd/africastalking/events", data=event).status_code == 200
    assert client.post("/ussd/africastalking/events", data=event).status_code == 200
    assert client.post("/ussd/africastalking/events", data={"status": "Success"}).status_code == 400
    with runtime.db() as session:
        (row,) = session.scalars(select(UssdSessionEvent)).all()
    assert (row.status, row.hops, row.duration_ms, row.raw["input"]) == ("Incomplete", 2, 15000, "1*Afi")


def test_an_absurd_number_in_a_notification_is_recorded_as_unknown_not_a_500(client, runtime):
    event = {"sessionId": "ATUid_inf", "phoneNumber": PHONE, "status": "Success", "hopsCount": "1e999",
             "durationInMillis": "inf"}
    assert client.post("/ussd/africastalking/events", data=event).status_code == 200
    with runtime.db() as session:
        row = session.scalar(select(UssdSessionEvent).where(UssdSessionEvent.session_id == "ATUid_inf"))
    assert (row.hops, row.duration_ms) == (None, None)


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["database"] == "ok" and ready.json["queue"] == "ok"


def test_readiness_fails_when_the_database_is_unreachable(client, runtime, monkeypatch):
    from sqlalchemy import create_engine

    monkeypatch.setattr(runtime, "engine", create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["database"] == "down: OperationalError"


def test_metrics_show_latency_by_route_and_payments_by_status(client, runtime, run_jobs):
    from tests.gateway.payment_helpers import join, pay

    member = join(runtime, phone="+22890000019")
    runtime.adapter_settings["AMU_FAKE_BASE_URL"] = "http://127.0.0.1:9"  # unreachable: the payment stays created
    pay(runtime, member.id, 1_000, payer="+22890000019")
    Phone(client, number="+22890000018").dial()
    run_jobs()
    text = client.get("/metrics").get_data(as_text=True)
    assert 'amu_http_request_seconds_count{method="POST",route="/ussd/africastalking",status="200"} 1.0' in text
    assert 'amu_payments{status="created"} 1.0' in text
    assert "amu_queue_depth" in text and 'amu_sms{status="sent"} 1.0' in text
