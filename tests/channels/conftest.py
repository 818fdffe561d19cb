"""Fixtures of the channel tests: settings with quick SMPP delays, the SMSC stand-in on a
real socket, and the bridge bound to it in this process."""
from __future__ import annotations

import dataclasses

import pytest

from config.settings import Settings
from tests.channels.smsc import Smsc

QUICK_SMPP = {
    "AMU_SMPP_SYSTEM_ID": "amu", "AMU_SMPP_PASSWORD": "secret", "AMU_SMPP_SYSTEM_TYPE": "USSD",
    "AMU_SMPP_ENQUIRE_LINK": "5", "AMU_SMPP_RESPONSE_TIMEOUT": "2",
    "AMU_SMPP_RECONNECT_DELAY": "0.05", "AMU_SMPP_THROTTLE_DELAY": "0.05", "AMU_SMPP_WORKERS": "4",
}


@pytest.fixture
def settings(database_url, redis_url) -> Settings:
    return Settings.from_env({
        "DATABASE_URL": database_url, "REDIS_URL": redis_url or "", "AMU_LOG_LEVEL": "WARNING",
        "AMU_PIN_PROMPT_DELAY": "0", "AMU_FAKE_SETTLE_DELAY": "0.05", "AMU_FAKE_MAGIC_AMOUNTS": "0",
        **QUICK_SMPP,
    })


@pytest.fixture
def hub_name() -> str:
    return "default"


@pytest.fixture
def smsc(hub_name):
    stand_in = Smsc(hub_name)
    yield stand_in
    stand_in.stop()
    assert stand_in.problems == []


@pytest.fixture
def start_bridge(runtime, smsc, hub_name):
    """Start bridges bound to the stand-in (one bind each); stopped at the end."""
    from gateway.smpp.bridge import UssdSmppBridge

    started = []

    def start(**overrides):
        settings = dataclasses.replace(runtime.settings, smpp_host="127.0.0.1", smpp_port=smsc.port,
                                       smpp_dialect=hub_name, **overrides)
        bridge = UssdSmppBridge(runtime, settings).start()
        started.append(bridge)
        smsc.wait_bound(len(started))
        return bridge

    yield start
    for bridge in started:
        bridge.stop(timeout=2)


@pytest.fixture
def bridge(start_bridge):
    return start_bridge()
