"""Timestamped HMAC-SHA256 over the raw body (FedaPay's scheme, also the fake's)."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from payment_adapters import CallbackRejected
from payment_adapters.signing import signature_header, verify_signature

BODY = b'{"name":"transaction.approved"}'
SECRET = "wh_test-not-real"


def test_the_header_is_t_and_s_over_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signature_header(SECRET, BODY, 1700000000) == f"t=1700000000,s={expected}"


def test_a_good_signature_returns_its_timestamp():
    header = signature_header(SECRET, BODY, 1700000000)
    assert verify_signature(header, BODY, SECRET, now=1700000100) == 1700000000


def test_one_matching_signature_among_several_is_enough():
    good = signature_header(SECRET, BODY, 1700000000).split(",s=")[1]
    header = f"t=1700000000,s={'0' * 64},s={good}"
    assert verify_signature(header, BODY, SECRET, now=1700000000) == 1700000000


def test_a_bad_signature_is_reported_before_a_stale_one():
    header = signature_header("other", BODY, 1)
    with pytest.raises(CallbackRejected, match="bad signature"):
        verify_signature(header, BODY, SECRET, now=1700000000)


def test_zero_tolerance_turns_the_clock_check_off():
    header = signature_header(SECRET, BODY, 1)
    assert verify_signature(header, BODY, SECRET, now=1700000000, tolerance=0) == 1


def test_the_comparison_is_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    verify_signature(signature_header(SECRET, BODY, 5), BODY, SECRET, now=5)
    assert calls


@pytest.mark.parametrize("header", [
    "t=\u00b2,s=00",  # "²" passes str.isdigit() but not int()
    "t=\uff11\uff17,s=00",  # full-width digits
    "t=1700000000,s=\u00e9" + "0" * 63,  # compare_digest(str, str) refuses non-ASCII
    "t=1700000000,s=" + "0" * 64 + ",note=caf\u00e9",
])
def test_a_non_ascii_header_is_malformed_not_a_crash(header):
    with pytest.raises(CallbackRejected, match="malformed signature header"):
        verify_signature(header, BODY, SECRET, now=1700000000)


def test_the_signatures_are_compared_as_bytes(monkeypatch):
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((type(a), type(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    verify_signature(signature_header(SECRET, BODY, 5), BODY, SECRET, now=5)
    assert compared == [(bytes, bytes)]


def test_the_verifier_reads_its_settings_with_the_default_tolerance():
    from payment_adapters.settings import Settings
    from payment_adapters.signing import DEFAULT_TOLERANCE_SECONDS, CallbackVerifier

    verifier = CallbackVerifier(Settings({"AMU_X_WEBHOOK_SECRET": SECRET}, "AMU_X"), "X-Sig")
    tuned = CallbackVerifier(Settings({"AMU_X_SIGNATURE_TOLERANCE": "0"}, "AMU_X"), "X-Sig",
                             default_secret="fallback", clock=lambda: 9)

    assert (verifier.secret, verifier.tolerance) == (SECRET, DEFAULT_TOLERANCE_SECONDS)
    assert (tuned.secret, tuned.tolerance, tuned.clock()) == ("fallback", 0, 9)
