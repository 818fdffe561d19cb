"""Fuzzing every route of the app (hypothesis): whatever the method, path, query, headers
and body, no answer is a 5xx; and a USSD session, whatever is typed, always answers
`CON `/`END ` with a screen of GSM-7 characters within the limit.

The routes are read from the app itself, so a route added later is fuzzed too. The
examples are seeded and bounded for CI; AMU_FUZZ_EXAMPLES=2000 (for instance) explores
more with a random seed."""
from __future__ import annotations

import itertools
import json
import os
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gateway.payment_helpers import join
from ussd_menus.gsm7 import gsm7_length, is_gsm7

EXPLORE = "AMU_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("AMU_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=not EXPLORE, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

MEMBER = "+22890000091"
NEW_PHONE = "+22890000092"
FORM_FIELDS = ["sessionId", "phoneNumber", "text", "networkCode", "serviceCode", "status", "hopsCount",
               "durationInMillis", "input", "id", "failureReason", "identifier", "tx_reference", "amount",
               "payment_method", "token", "SessionID", "MSISDN", "msisdn", "shortCode", "newrequest", "clean"]
PROVIDERS = ["fake", "fedapay", "paygate"]
STEPS = ["start", "response", "end"]  # Infobip's path
# Half the requests start from fields a gateway or provider would send, then changed, so
# that they pass the first checks and reach each route's own work: these routes must
# answer below 400 at least once (FHIR needs a facility's key: tests/facilities fuzz it).
MUST_REACH = {"/ussd/africastalking", "/ussd/africastalking/events", "/ussd/flares",
              "/ussd/infobip/session/<session_ref>/<step>", "/payments/<provider>/callback",
              "/sms/africastalking/delivery", "/healthz", "/readyz", "/metrics"}
PLAUSIBLE = {"sessionId": "ATUid_fuzz", "phoneNumber": MEMBER, "networkCode": "61501", "serviceCode": "*858#",
             "text": "", "status": "Success", "id": "ATXid_fuzz", "SessionID": "F_fuzz", "MSISDN": MEMBER[1:],
             "msisdn": MEMBER[1:], "input": "858", "shortCode": "*858#"}

any_text = st.text(max_size=40)
numberish = st.one_of(st.integers().map(str), st.sampled_from(["1e999", "inf", "-0", "9" * 40, "+22890000091",
                                                               "0.5", "NaN", " 12 "]))
field_value = st.one_of(any_text, numberish, st.sampled_from(["", "\x00", "ATUid_1", "*858#", "61501", "1*1*1"]))
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text | numberish,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(FORM_FIELDS + [
        "reference", "status", "event", "name", "entity"]), children, max_size=5),
    max_leaves=20,
)


@st.composite
def bodies(draw, plausible: bool = False) -> tuple[bytes, str | None]:
    kind = draw(st.sampled_from(["form", "json"] if plausible else ["form", "json", "bytes", "deep", "none"]))
    changed = st.dictionaries(st.sampled_from(FORM_FIELDS), field_value, max_size=2 if plausible else 6)
    if kind == "form":
        return urlencode({**(PLAUSIBLE if plausible else {}), **draw(changed)}).encode(), \
            "application/x-www-form-urlencoded"
    if kind == "json" and plausible:
        return json.dumps({**PLAUSIBLE, **draw(changed)}).encode(), "application/json"
    if kind == "json":
        return json.dumps(draw(json_value)).encode(), draw(st.sampled_from(["application/json", None]))
    if kind == "bytes":
        return draw(st.binary(max_size=300)), draw(st.sampled_from([None, "application/json", "text/plain"]))
    if kind == "deep":
        depth = draw(st.integers(1, 30_000))
        return b"[" * depth + b"]" * depth, "application/json"
    return b"", None


def route_path(draw, rule: str, plausible: bool) -> str:
    def part(match: re.Match) -> str:
        known = {"provider": PROVIDERS, "step": STEPS}.get(match["name"], [])
        if plausible and known:
            return draw(st.sampled_from(known))
        value = draw(st.one_of(st.sampled_from(PROVIDERS + STEPS), any_text.filter(bool)))
        return quote(value, safe="")

    return re.sub(r"<(?:[^:>]+:)?(?P<name>[^>]+)>", part, rule)


@st.composite
def requests_to(draw, rules: list[tuple[str, list[str]]]) -> dict:
    rule, methods = draw(st.sampled_from(rules))
    plausible = draw(st.booleans())
    query = draw(st.dictionaries(st.sampled_from(FORM_FIELDS), field_value, max_size=3))
    if plausible and "GET" in methods:
        query = {**PLAUSIBLE, **query}
    body, content_type = draw(bodies(plausible))
    headers = draw(st.dictionaries(st.sampled_from(["X-Signature", "X-FEDAPAY-SIGNATURE", "Authorization"]),
                                   st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
                                   max_size=2))
    if content_type:
        headers["Content-Type"] = content_type
    path = route_path(draw, rule, plausible) + ("?" + urlencode(query) if query else "")
    method = draw(st.sampled_from(methods if plausible else sorted({*methods, "GET", "POST"})))
    return {"rule": rule, "method": method, "path": path, "data": body, "headers": headers}


@pytest.fixture
def routes(app) -> list[tuple[str, list[str]]]:
    found = [(rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in app.url_map.iter_rules()
             if rule.endpoint != "static"]
    assert {"/ussd/africastalking", "/payments/<provider>/callback", "/metrics"} <= {rule for rule, _ in found}
    return found


def test_no_input_to_any_route_gets_a_5xx(client, runtime, routes):
    runtime.adapter_settings["AMU_FAKE_BASE_URL"] = "http://127.0.0.1:9"  # signed callbacks: no provider call

    join(runtime, phone=MEMBER)
    reached: set[str] = set()  # routes that answered below 400: their own work ran, not only a refusal
    # Each route gets its own share of the examples, so that a route added later does not
    # leave another one unreached.
    per_route = settings(FUZZ, max_examples=max(25, EXAMPLES // len(routes)))

    for route in routes:
        @per_route
        @given(request=requests_to([route]))
        def no_5xx(request):
            response = client.open(request["path"], method=request["method"], data=request["data"],
                                   headers=request["headers"])
            assert response.status_code < 500, (request, response.get_data(as_text=True)[:300])
            if response.status_code < 400:
                reached.add(request["rule"])

        no_5xx()
    assert reached >= MUST_REACH, MUST_REACH - reached


ENTRY = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "00", "98", "99", "", "Afi Test",
                     "14031988", "01052015", "1500", "#", "1*2"]),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=25),
)


def test_a_ussd_session_always_answers_con_or_end_within_the_screen(client, runtime):
    join(runtime, phone=MEMBER)
    limit = runtime.settings.ussd_max_chars
    sessions = itertools.count()

    @FUZZ
    @given(phone=st.sampled_from([MEMBER, NEW_PHONE]), entries=st.lists(ENTRY, max_size=12))
    def screens_fit(phone, entries):
        session_id = f"ATUid_fuzz_{next(sessions)}"
        for typed in range(len(entries) + 1):
            response = client.post("/ussd/africastalking", data={
                "sessionId": session_id, "serviceCode": "*858#", "phoneNumber": phone, "networkCode": "61501",
                "text": "*".join(entries[:typed])})
            body = response.get_data(as_text=True)
            assert response.status_code == 200, (entries[:typed], body)
            assert body.startswith(("CON ", "END ")), (entries[:typed], body)
            screen = body[4:]
            assert is_gsm7(screen) and gsm7_length(screen) <= limit, (entries[:typed], screen)
            if body.startswith("END "):
                break

    screens_fit()
