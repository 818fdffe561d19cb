"""USSD routes answer only the operator's gateway when a token or addresses are set."""
import pytest

from config.settings import Settings

FORM = {"sessionId": "ATUid_guard", "serviceCode": "*858#", "phoneNumber": "+22890000012",
        "networkCode": "61501", "text": ""}


@pytest.fixture
def guarded(runtime, monkeypatch):
    def configure(**env):
        settings = Settings.from_env({**runtime.settings.raw, **env})
        monkeypatch.setattr(runtime, "settings", settings)
        from gateway.web import create_app

        app = create_app(runtime=runtime)
        app.testing = True
        return app.test_client()

    return configure


def test_without_the_token_a_hop_is_refused_and_with_it_answered(guarded):
    client = guarded(AMU_USSD_TOKEN="ussd-token-not-real")

    refused = client.post("/ussd/africastalking", data=FORM)
    wrong = client.post("/ussd/africastalking?token=guess", data=FORM)
    answered = client.post("/ussd/africastalking?token=ussd-token-not-real", data=FORM)

    assert (refused.status_code, wrong.status_code) == (403, 403)
    assert answered.status_code == 200 and answered.get_data(as_text=True).startswith("CON AMU Togo")


def test_session_events_need_the_token_too(guarded):
    client = guarded(AMU_USSD_TOKEN="ussd-token-not-real")

    assert client.post("/ussd/africastalking/events", data={"sessionId": "s"}).status_code == 403
    assert client.post("/ussd/africastalking/events?token=ussd-token-not-real",
                       data={"sessionId": "s", "status": "Success"}).status_code == 200


def test_only_allowed_addresses_reach_the_menus(guarded):
    client = guarded(AMU_USSD_ALLOWED_ADDRESSES="10.20.0.0/16, 192.0.2.7")

    outside = client.post("/ussd/africastalking", data=FORM, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    inside = client.post("/ussd/africastalking", data=FORM, environ_base={"REMOTE_ADDR": "10.20.3.4"})
    single = client.post("/ussd/africastalking", data=FORM, environ_base={"REMOTE_ADDR": "192.0.2.7"})

    assert outside.status_code == 403
    assert inside.status_code == 200 and single.status_code == 200


def test_a_malformed_allow_list_is_refused_at_startup():
    with pytest.raises(ValueError, match="AMU_USSD_ALLOWED_ADDRESSES: 'ten.0.0.1'"):
        Settings.from_env({"AMU_USSD_ALLOWED_ADDRESSES": "ten.0.0.1"})


def test_another_phone_posting_the_same_session_id_gets_a_session_of_its_own(client, runtime):
    from tests.gateway.payment_helpers import join

    join(runtime, phone="+22890000061")
    owner = {"sessionId": "ATUid_stolen", "serviceCode": "*858#", "phoneNumber": "+22890000061", "networkCode": "61501"}
    assert client.post("/ussd/africastalking", data={**owner, "text": ""}).get_data(as_text=True).startswith(
        "CON AMU Togo\n1. Payer\n2. Mes droits")

    intruder = client.post("/ussd/africastalking", data={**owner, "phoneNumber": "+22890000062", "text": "4"})

    assert intruder.get_data(as_text=True).startswith("CON AMU Togo\n1. Adhérer")  # its own home, not the member's
    owners_next = client.post("/ussd/africastalking", data={**owner, "text": "2"}).get_data(as_text=True)
    assert owners_next.startswith("END ")  # the member's session went on untouched: Mes droits


def test_production_refuses_to_start_without_a_ussd_token_or_allow_list():
    production = {"AMU_ENV": "production", "DATABASE_URL": "postgresql://u@db/amu", "REDIS_URL": "redis://r:6379/0",
                  "AMU_CALLBACK_TOKEN": "callback-token-not-real"}
    with pytest.raises(ValueError, match="AMU_USSD_TOKEN or AMU_USSD_ALLOWED_ADDRESSES"):
        Settings.from_env(production)
    assert Settings.from_env({**production, "AMU_USSD_TOKEN": "ussd-token-not-real"}).env == "production"
    assert Settings.from_env({**production, "AMU_USSD_ALLOWED_ADDRESSES": "10.20.0.0/16"}).env == "production"


@pytest.mark.parametrize("spelling", ["Production", "PRODUCTION", "production ", "prod", "live"])
def test_a_misspelled_production_is_refused_not_run_open_as_development(spelling):
    """A deployment that meant production must not start without its guards (no token
    required anywhere, /metrics public) because AMU_ENV was spelled another way."""
    services = {"DATABASE_URL": "postgresql://u@db/amu", "REDIS_URL": "redis://r:6379/0"}
    with pytest.raises(ValueError, match="AMU_ENV"):
        Settings.from_env({**services, "AMU_ENV": spelling})
    guarded = {**services, "AMU_CALLBACK_TOKEN": "callback-token-not-real", "AMU_USSD_TOKEN": "ussd-token-not-real"}
    if spelling.strip().lower() == "production":
        assert Settings.from_env({**guarded, "AMU_ENV": spelling}).env == "production"
