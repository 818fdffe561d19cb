"""Redis or PostgreSQL down: a hop ENDs politely in the member's language (never an HTTP
500 or a session left hanging), and /readyz names the dependency that is down.

Outages are made without stopping any shared server: a session store pointed at a
closed port, or a TCP proxy in front of the real server that the test cuts."""
import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy.engine import make_url

from config.settings import Settings
from gateway.runtime import build_runtime, set_runtime
from gateway.ussd_hop import sorry
from gateway.ussd_sessions import RedisSessionStore
from tests.gateway.payment_helpers import join
from tests.tcp_proxy import TcpProxy

ENGLISH = "+22890000051"
NEW_PHONE = "+22890000052"
BOTH = sorry("fr") + "\n" + sorry("en")


def hop(client, session_id: str, phone: str, text: str = "") -> str:
    response = client.post("/ussd/africastalking", data={
        "sessionId": session_id, "serviceCode": "*858#", "phoneNumber": phone, "networkCode": "61501", "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


@pytest.fixture
def english_member(runtime):
    return join(runtime, phone=ENGLISH, language="en")


def closed_redis_store(runtime) -> RedisSessionStore:
    return RedisSessionStore(Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1), 180, 300)


def test_a_hop_with_redis_down_ends_politely_in_the_members_language(runtime, client, english_member, monkeypatch):
    monkeypatch.setattr(runtime, "sessions", closed_redis_store(runtime))

    assert hop(client, "ATUid_redis_down", ENGLISH) == "END " + sorry("en")
    assert hop(client, "ATUid_redis_down2", NEW_PHONE) == "END " + sorry("fr")  # a new phone is spoken to in French


def test_readiness_names_the_dependency_that_is_down(runtime, client, monkeypatch):
    monkeypatch.setattr(runtime, "sessions", closed_redis_store(runtime))

    ready = client.get("/readyz")

    assert ready.status_code == 503
    assert ready.json["database"] == "ok" and ready.json["sessions"].startswith("down")
    assert ready.json["status"] == "not ready"


@pytest.fixture
def redis_through_proxy(runtime, monkeypatch):
    if runtime.redis is None:
        pytest.skip("needs REDIS_URL: the session store is in process")
    address = runtime.redis.connection_pool.connection_kwargs
    proxy = TcpProxy(address["host"], address["port"]).start()
    client = Redis(host="127.0.0.1", port=proxy.port, db=address.get("db", 0), socket_timeout=2,
                   socket_connect_timeout=2, retry=Retry(NoBackoff(), 1))  # the default retries take ~5 s
    monkeypatch.setattr(runtime, "sessions", RedisSessionStore(client, 180, 300))
    yield proxy
    proxy.stop()


def test_redis_lost_in_the_middle_of_a_session_ends_it_in_the_members_language(client, english_member, redis_through_proxy):
    assert hop(client, "ATUid_mid", ENGLISH).startswith("CON AMU Togo\n1. Pay")
    redis_through_proxy.cut()
    assert hop(client, "ATUid_mid", ENGLISH, "2") == "END " + sorry("en")
    redis_through_proxy.restore()
    assert hop(client, "ATUid_after", ENGLISH).startswith("CON AMU Togo\n1. Pay")


@pytest.fixture
def database_through_proxy(runtime):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("needs DATABASE_URL (PostgreSQL): a SQLite file cannot go down")
    from gateway.web import create_app

    url = make_url(runtime.settings.database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings.from_env({**runtime.settings.raw, "DATABASE_URL": proxied})
    behind = build_runtime(settings, queue=runtime.queue, sms_sender=runtime.sms_sender)
    behind.sessions = runtime.sessions
    app = create_app(runtime=behind)
    set_runtime(runtime)
    yield app.test_client(), proxy
    proxy.stop()
    behind.engine.dispose()


def test_a_hop_with_the_database_down_ends_politely(english_member, database_through_proxy):
    client, proxy = database_through_proxy
    assert hop(client, "ATUid_pg", ENGLISH).startswith("CON AMU Togo\n1. Pay")
    proxy.cut()

    assert hop(client, "ATUid_pg", ENGLISH, "2") == "END " + sorry("en")  # the session knows the language
    assert hop(client, "ATUid_pg_new", ENGLISH) == "END " + BOTH  # nothing can tell it: both are said
    assert client.get("/readyz").json["database"].startswith("down")

    proxy.restore()
    assert hop(client, "ATUid_pg_back", ENGLISH).startswith("CON AMU Togo\n1. Pay")


def test_a_hop_on_the_one_entry_channels_with_redis_down_ends_in_the_members_language(runtime, english_member,
                                                                                     monkeypatch):
    """Flares, Infobip and SMPP hubs keep their text so far in the session store too: when
    it is down, the apology is the member's, as on Africa's Talking."""
    from gateway.web import create_app

    monkeypatch.setattr(runtime, "sessions", closed_redis_store(runtime))
    client = create_app(runtime=runtime).test_client()
    msisdn = ENGLISH.lstrip("+")

    flares_first = client.get("/ussd/flares", query_string={"SessionID": "F1", "MSISDN": msisdn, "input": "858",
                                                            "newrequest": "1"})
    flares_next = client.get("/ussd/flares", query_string={"SessionID": "F1", "MSISDN": msisdn, "input": "2"})
    infobip = client.post("/ussd/infobip/session/I1/start", json={"msisdn": msisdn, "text": "*858#"})

    assert [flares_first.get_data(as_text=True), flares_next.get_data(as_text=True)] == [sorry("en")] * 2
    assert flares_next.headers["Freeflow"] == "FB"
    assert (infobip.json["ussdMenu"], infobip.json["shouldClose"]) == (sorry("en"), True)
