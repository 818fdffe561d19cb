"""`amu ussd-smpp` refuses settings it cannot bind with, with a one-line reason (exit 2)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from gateway.cli import main


@pytest.mark.parametrize("environment, reason", [
    ({"AMU_SMPP_HOST": ""}, "set AMU_SMPP_HOST and AMU_SMPP_SYSTEM_ID (and AMU_SMPP_PASSWORD) to the operator's USSD hub"),
    ({"AMU_SMPP_DIALECT": "huawei"}, "AMU_SMPP_DIALECT 'huawei' is not a known dialect (default, mica, 6d, smpp34)"),
    ({"AMU_SMPP_PASSWORD": "longer than 8"}, "AMU_SMPP_PASSWORD must be at most 8 ASCII characters (SMPP 3.4)"),
    ({"AMU_SMPP_NETWORK": "orange"}, "AMU_SMPP_NETWORK must be yas, moov or empty, not 'orange'"),
    ({"AMU_SMPP_WINDOW": "0"}, "AMU_SMPP_WINDOW must be between 1 and 1000, not 0"),
    ({"AMU_SMPP_ENQUIRE_LINK": "soon"}, "AMU_SMPP_ENQUIRE_LINK must be a number of seconds, not 'soon'"),
])
def test_settings_it_cannot_bind_with_are_refused_with_a_reason(runtime, monkeypatch, environment, reason):
    for name, value in {**runtime.settings.raw, "AMU_SMPP_HOST": "127.0.0.1", **environment}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["ussd-smpp"])
    assert result.exit_code == 2
    assert result.output == f"amu: {reason}\n"


def test_help_names_the_settings_and_the_dialects():
    text = " ".join(CliRunner().invoke(main, ["ussd-smpp", "--help"]).output.split())
    for name in ("AMU_SMPP_HOST", "AMU_SMPP_SYSTEM_TYPE", "AMU_SMPP_DIALECT (default | mica | 6d | smpp34"):
        assert name in text
