"""The provider-neutral edge: requests are validated, amounts are whole francs,
phones are Togolese, times are UTC, adapters are chosen by name."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from payment_adapters import (AdapterConfigError, CallbackRejected, CollectionRequest,
                              InboundCallback, PaymentAdapter, available_adapters,
                              build_adapter, register)
from payment_adapters.http import loads
from payment_adapters.money import positive_francs, reported_amount, whole_francs
from payment_adapters.phones import local_number, to_e164_tg
from payment_adapters.timestamps import parse_optional_timestamp, parse_timestamp

from .stubs import collection_request


@pytest.mark.parametrize("change, problem", [
    ({"amount": 2500.0}, "whole francs"),
    ({"amount": 12.5}, "whole francs"),
    ({"amount": True}, "whole francs"),
    ({"amount": 0}, "positive"),
    ({"amount": -100}, "positive"),
    ({"phone": "90000001"}, "phone"),
    ({"phone": "+2299000000"}, "phone"),
    ({"network": "mtn"}, "network"),
    ({"reference": "  "}, "reference"),
])
def test_a_collection_request_is_checked_at_the_edge(change, problem):
    fields = {"reference": "AMU-PAY-1", "amount": 2500, "phone": "+22890000001",
              "network": "yas", "description": "x", "callback_url": "http://127.0.0.1:9/cb"}
    with pytest.raises(ValueError, match=problem):
        CollectionRequest(**{**fields, **change})


def test_a_valid_collection_request_keeps_its_values():
    request = collection_request(amount=100, network="moov")
    assert (request.amount, request.network, request.phone) == (100, "moov", "+22890000001")


@pytest.mark.parametrize("raw, francs", [
    (2500, 2500), ("2500", 2500), ("2 500", 2500), ("2\u00a0500", 2500), ("2500.00", 2500),
    (2500.0, 2500), (" 100 ", 100),
])
def test_whole_francs_accepts_integral_amounts(raw, francs):
    assert whole_francs(raw) == francs


@pytest.mark.parametrize("raw", ["12.5", 12.5, "", "abc", None, True, "NaN", "1e400", [1]])
def test_whole_francs_refuses_the_rest(raw):
    with pytest.raises(ValueError):
        whole_francs(raw)


def test_positive_francs_refuses_zero():
    with pytest.raises(ValueError, match="positive"):
        positive_francs("0")


@pytest.mark.parametrize("raw, francs", [(Decimal("2500"), 2500), (Decimal("2500.000"), 2500)])
def test_whole_francs_accepts_integral_decimals(raw, francs):
    assert whole_francs(raw) == francs


@pytest.mark.parametrize("raw, problem", [
    (Decimal("1000.00000000000000001"), "fractional"),
    (Decimal("12.5"), "fractional"),
    (Decimal("NaN"), "not an amount"),
    (Decimal("-Infinity"), "not an amount"),
    (Decimal("1E+999999999"), "not an amount"),  # must not build a billion-digit int
])
def test_whole_francs_refuses_fractional_or_absurd_decimals(raw, problem):
    with pytest.raises(ValueError, match=problem):
        whole_francs(raw)


def test_provider_json_keeps_fractions_exact():
    value = loads(b'{"amount": 1000.00000000000000001, "fee": 25}')

    assert value == {"amount": Decimal("1000.00000000000000001"), "fee": 25}
    with pytest.raises(ValueError, match="fractional"):
        whole_francs(value["amount"])


@pytest.mark.parametrize("raw", [0, -100, "-100", Decimal("-1.0"), None, "12.5"])
def test_a_reported_amount_must_be_positive_whole_francs(raw):
    with pytest.raises(CallbackRejected, match=r"^malformed: "):
        reported_amount(raw, CallbackRejected, "malformed: ")


def test_an_optional_reported_amount_may_be_missing_but_not_wrong():
    assert reported_amount(None, CallbackRejected, "x: ", optional=True) is None
    assert reported_amount("", CallbackRejected, "x: ", optional=True) is None
    assert reported_amount("2 500", CallbackRejected, "x: ", optional=True) == 2500
    with pytest.raises(CallbackRejected, match="x: amount must be positive"):
        reported_amount(0, CallbackRejected, "x: ", optional=True)


@pytest.mark.parametrize("raw, e164", [
    ("90000001", "+22890000001"), ("22890000001", "+22890000001"),
    ("+228 90 00 00 01", "+22890000001"), ("0022890000001", "+22890000001"),
    ("99-00-00-02", "+22899000002"), ("+22997808080", None), ("12345", None), (None, None),
])
def test_provider_phone_numbers_become_e164(raw, e164):
    assert to_e164_tg(raw) == e164


def test_aggregators_get_the_eight_local_digits():
    assert local_number("+22890000001") == "90000001"
    with pytest.raises(ValueError):
        local_number("90000001")


@pytest.mark.parametrize("raw", [
    "2025-03-14T10:21:07Z", "2025-03-14T10:21:07+00:00", "2025-03-14 10:21:07",
    "14/03/2025 10:21:07", "2025-03-14T11:21:07+01:00",
])
def test_provider_times_become_aware_utc(raw):
    assert parse_timestamp(raw) == datetime(2025, 3, 14, 10, 21, 7, tzinfo=timezone.utc)


def test_an_unreadable_time_is_an_error_or_none_when_only_informative():
    with pytest.raises(ValueError, match="unreadable"):
        parse_timestamp("yesterday")
    assert parse_optional_timestamp("yesterday") is None
    assert parse_optional_timestamp(None) is None


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "malformed: body is not JSON"),
    (b"\xff\xfe\x00", "malformed: body is not JSON"),
    (b"[1, 2]", "malformed: body is not a JSON object"),
])
def test_a_callback_body_must_be_a_json_object(body, reason):
    with pytest.raises(CallbackRejected, match=reason):
        InboundCallback(headers={}, body=body).json_object()


def test_a_callback_body_keeps_its_fractions_exact():
    body = b'{"amount": 2500.5}'
    assert InboundCallback(headers={}, body=body).json_object() == {"amount": Decimal("2500.5")}


def test_callback_headers_are_looked_up_without_case():
    callback = InboundCallback(headers={"x-fedapay-signature": "t=1,s=2"}, body=b"")
    assert callback.header("X-FEDAPAY-SIGNATURE") == "t=1,s=2"
    assert callback.header("X-Other") is None


def test_the_registry_lists_and_builds_adapters():
    assert {"fake", "paygate", "fedapay"} <= set(available_adapters())
    adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": "http://127.0.0.1:9"})
    assert isinstance(adapter, PaymentAdapter)
    assert (adapter.name, adapter.signed_callbacks) == ("fake", True)
    assert build_adapter("paygate", {"AMU_PAYGATE_AUTH_TOKEN": "t"}).signed_callbacks is False


def test_an_unknown_adapter_or_a_missing_setting_is_a_config_error():
    with pytest.raises(AdapterConfigError, match="unknown payment adapter 'cinetpay'"):
        build_adapter("cinetpay", {})
    with pytest.raises(AdapterConfigError, match="AMU_FEDAPAY_SECRET_KEY"):
        build_adapter("fedapay", {"AMU_FEDAPAY_WEBHOOK_SECRET": "w"})
    with pytest.raises(AdapterConfigError, match="AMU_HTTP_READ_TIMEOUT"):
        build_adapter("paygate", {"AMU_PAYGATE_AUTH_TOKEN": "t", "AMU_HTTP_READ_TIMEOUT": "soon"})
    with pytest.raises(AdapterConfigError, match="AMU_FEDAPAY_ENVIRONMENT"):
        build_adapter("fedapay", {"AMU_FEDAPAY_SECRET_KEY": "k",
                                  "AMU_FEDAPAY_WEBHOOK_SECRET": "w",
                                  "AMU_FEDAPAY_ENVIRONMENT": "staging"})


def test_other_adapters_can_be_registered():
    built = {}

    def factory(settings, session=None, clock=None):
        built["settings"] = settings
        return "an adapter"

    register("test-double", factory)

    assert "test-double" in available_adapters()
    assert build_adapter("test-double", {"A": "1"}) == "an adapter"
    assert built["settings"] == {"A": "1"}
