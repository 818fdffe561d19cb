"""Paying by mobile money, end to end through the fake provider over real HTTP:
initiation, callbacks, status checks, the ledger, cover and receipts."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from gateway import clock
from gateway.jobs.payments import poll_payment
from gateway.ledger_check import check_ledger
from gateway.models import PaymentIntent
from gateway.services.menu_facade import GatewayMenuServices
from payment_adapters.fake.protocol import DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
from payment_adapters.fake.scripting import DECLINE, DROP, DUPLICATE, UNAVAILABLE, Behaviour, altered
from payment_adapters.signing import signature_header
from tests.gateway.payment_helpers import balance, credit, intent, join, outcomes, pay, settle, texts
from gateway.errors import Refusal
from gateway.models import SmsMessage


def ledger_problems(runtime):
    with runtime.db() as session:
        return check_ledger(session)[1]


def test_paying_10000_buys_a_month_in_the_waiting_period_and_sends_a_receipt(runtime, fake_provider, run_jobs):
    member = join(runtime)
    reference, reused = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    paid = intent(runtime, reference)
    assert (paid.status, paid.confirmed_amount, reused) == ("succeeded", 10_000, False)
    assert outcomes(runtime) == ["applied"]
    today = clock.local_date()
    rights = GatewayMenuServices(runtime).rights(member.id)
    assert rights.state == "waiting"
    assert rights.waiting_ends == today + timedelta(days=90)
    assert rights.covered_until > today and rights.credit == 0
    assert balance(runtime, "clearing:fake:yas") == 10_000
    assert balance(runtime, "premiums") == -10_000
    (receipt,) = texts(runtime, "receipt_covered")
    assert receipt == (  # never "couvert" in the waiting period: paid until, and from when care is paid
        f"AMU Togo: 10 000 F payés le {today:%d/%m/%Y}, réf {reference}. "
        f"Payé jusqu'au {rights.covered_until:%d/%m/%Y}, soins pris en charge dès le {rights.waiting_ends:%d/%m/%Y}. "
        "Menu *858#"
    )
    assert ledger_problems(runtime) == []


def test_small_payments_are_saved_until_they_buy_a_month(runtime, fake_provider, run_jobs):
    member = join(runtime, rhythm="daily", rhythm_weekday=None)
    for _ in range(3):
        pay(runtime, member.id, 2_500)
        settle(fake_provider, run_jobs)
        with runtime.db.begin() as session:  # age the intent past the duplicate window
            session.execute(update(PaymentIntent).values(created_at=clock.now() - timedelta(minutes=5)))
    services = GatewayMenuServices(runtime)
    assert services.rights(member.id).state == "pending"
    assert credit(runtime, member.id) == 7_500
    assert texts(runtime, "receipt_saving")[-1].endswith("Épargne: 7 500 F, encore 2 500 F pour le mois suivant. Menu *858#")
    pay(runtime, member.id, 3_000)
    settle(fake_provider, run_jobs)
    rights = services.rights(member.id)
    assert (rights.state, rights.credit) == ("waiting", 500)


def test_a_duplicate_callback_is_acknowledged_and_credits_nothing_more(runtime, fake_provider, run_jobs):
    member = join(runtime)
    fake_provider.script_next(DUPLICATE)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    assert sorted(outcomes(runtime)) == ["applied", "duplicate"]
    assert [d.status_code for d in fake_provider.deliveries] == [200, 200]
    assert balance(runtime, "clearing:fake:yas") == 10_000
    assert len(texts(runtime, "receipt_covered")) == 1
    assert ledger_problems(runtime) == []


def test_a_forged_callback_is_kept_refused_and_credits_nothing(runtime, fake_provider, run_jobs, client):
    member = join(runtime)
    fake_provider.script_next(DROP)
    reference, _ = pay(runtime, member.id, 10_000)
    body = json.dumps({"event": "collection.succeeded", "id": "fk_1", "reference": reference, "status": "succeeded",
                       "amount": 10_000, "phone": "+22890000001", "network": "yas",
                       "occurred_at": clock.now().isoformat()}).encode()
    forged = client.post("/payments/fake/callback", data=body,
                         headers={SIGNATURE_HEADER: signature_header("not-the-secret", body)})
    assert forged.status_code == 401
    unsigned = client.post("/payments/fake/callback", data=body)
    assert unsigned.status_code in (400, 401)
    assert outcomes(runtime) == ["rejected", "rejected"]
    assert credit(runtime, member.id) == 0 and balance(runtime, "clearing:fake:yas") == 0


def test_money_for_an_unknown_reference_lands_in_suspense_once(runtime, fake_provider, client, run_jobs):
    body = json.dumps({"event": "collection.succeeded", "id": "fk_404", "reference": "AMUNOSUCHREF0",
                       "status": "succeeded", "amount": 4_000, "phone": "+22890000077", "network": "moov",
                       "occurred_at": clock.now().isoformat()}).encode()
    headers = {SIGNATURE_HEADER: signature_header(DEFAULT_WEBHOOK_SECRET, body), "Content-Type": "application/json"}
    for _ in range(2):
        assert client.post("/payments/fake/callback", data=body, headers=headers).status_code == 200
        run_jobs()
    assert outcomes(runtime) == ["suspense", "duplicate"]
    assert balance(runtime, "suspense") == -4_000
    assert balance(runtime, "clearing:fake:moov") == 4_000


def test_an_altered_amount_is_credited_as_confirmed_and_flagged(runtime, fake_provider, run_jobs):
    member = join(runtime)
    fake_provider.script_next(altered(9_999))
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    paid = intent(runtime, reference)
    assert (paid.status, paid.confirmed_amount, paid.amount_mismatch) == ("succeeded", 9_999, True)
    assert credit(runtime, member.id) == 9_999
    assert GatewayMenuServices(runtime).rights(member.id).state == "pending"
    assert ledger_problems(runtime) == []


def test_a_declined_payment_fails_and_the_payer_is_told(runtime, fake_provider, run_jobs):
    member = join(runtime)
    fake_provider.script_next(DECLINE)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    assert intent(runtime, reference).status == "failed"
    assert texts(runtime, "payment_failed") == [
        f"AMU Togo: le paiement de 10 000 F (réf {reference}) n'a pas abouti. Aucun argent n'a été pris. "
        "Réessayez par *858#."
    ]
    assert credit(runtime, member.id) == 0


def test_a_lost_callback_is_made_good_by_the_status_check(runtime, fake_provider, run_jobs):
    member = join(runtime)
    fake_provider.script_next(DROP)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    assert intent(runtime, reference).status == "pending"
    poll_payment(intent(runtime, reference).id, force=True)
    assert intent(runtime, reference).status == "succeeded"
    assert credit(runtime, member.id) == 0 and balance(runtime, "premiums") == -10_000


def test_a_provider_down_at_initiation_is_tried_again_until_the_deadline_then_the_payer_is_told(
        runtime, fake_provider, run_jobs):
    """The provider answers 503 to every attempt. The member was told a PIN request was
    coming: attempts go on (10 s, 30 s, 1 min... apart) until AMU_START_DEADLINE, then the
    payment is failed and the payer told by SMS that no money was taken and what to dial."""
    from gateway.jobs.payments import initiate_collection
    from gateway.jobs.sweep import sweep

    member = join(runtime)
    fake_provider.script_next(*([UNAVAILABLE] * 20))
    reference, _ = pay(runtime, member.id, 10_000)
    run_jobs()
    started = intent(runtime, reference)
    assert (started.status, started.initiate_attempts) == ("created", 1)
    for seconds in (10, 40, 100):  # the retries, as their time comes
        with clock.travel_to(started.created_at + timedelta(seconds=seconds)):
            initiate_collection(started.id)
    assert (intent(runtime, reference).status, intent(runtime, reference).initiate_attempts) == ("created", 4)
    assert texts(runtime, "payment_not_started") == [] and texts(runtime, "payment_failed") == []
    deadline = started.created_at + timedelta(seconds=runtime.settings.start_deadline)
    with clock.travel_to(deadline + timedelta(seconds=61)):
        assert sweep()["initiations"] == 1  # the minute sweep finds it, whatever became of its retry
        run_jobs()
    given_up = intent(runtime, reference)
    assert given_up.status == "failed" and "not started within 600 s (after 4 attempt(s))" in given_up.failure_reason
    assert texts(runtime, "payment_not_started") == [
        f"AMU Togo: votre paiement de 10 000 F (réf {reference}) n'a pas pu démarrer. Aucun argent n'a été pris. "
        "Pour réessayer, composez *858#."]
    assert [p.status for p in GatewayMenuServices(runtime).recent_payments(member.id)] == ["failed"]
    assert credit(runtime, member.id) == 0 and fake_provider.collections() == []
    assert ledger_problems(runtime) == []


def test_a_lost_initiation_found_after_the_deadline_is_given_up_in_the_payers_language(
        runtime, fake_provider, run_jobs, monkeypatch):
    """The job that should start the collection is lost (a worker restarted) and nothing
    looks for it until after the deadline: the sweep finds the payment, the provider is
    never asked so late, and the payer (a member who reads English) is told in English."""
    from gateway.jobs.sweep import sweep

    payee = join(runtime)
    payer = join(runtime, phone="+22890000002", language="en")
    real_enqueue_in = runtime.queue.enqueue_in
    monkeypatch.setattr(runtime.queue, "enqueue_in", lambda seconds, path, *args, **kw: None
                        if path.endswith("initiate_collection") else real_enqueue_in(seconds, path, *args, **kw))
    reference, _ = pay(runtime, payee.id, 5_000, payer="+22890000002")
    run_jobs()
    lost = intent(runtime, reference)
    assert (lost.status, lost.initiate_attempts) == ("created", 0)
    with clock.travel_to(lost.created_at + timedelta(seconds=runtime.settings.start_deadline + 1)):
        assert sweep()["initiations"] == 1
        run_jobs()
    assert intent(runtime, reference).status == "failed"
    assert fake_provider.collections() == []  # no PIN request ten minutes after the goodbye
    with runtime.db() as session:
        (sms,) = session.scalars(select(SmsMessage).where(SmsMessage.kind == "payment_not_started")).all()
    assert (sms.phone, sms.text) == ("+22890000002", f"AMU Togo: your payment of 5 000 F (ref {reference}) could not "
                                                     "be started. No money was taken. To try again, dial *858#.")
    assert [p.status for p in GatewayMenuServices(runtime).recent_payments(payee.id)] == ["failed"]
    assert payer.id != payee.id


def test_a_late_start_still_goes_through_when_an_earlier_attempt_reached_the_provider(runtime, fake_provider, run_jobs):
    """At the deadline the payment is still `created` locally, but a first attempt that
    timed out had reached the provider: it is asked before anything is given up."""
    from gateway.jobs.payments import initiate_collection

    member = join(runtime)
    fake_provider.script_next(Behaviour(delay=30))  # the provider has it, the member has not typed the PIN yet
    reference, _ = pay(runtime, member.id, 10_000)
    run_jobs()
    with runtime.db.begin() as session:  # as if our call had timed out after reaching the provider
        session.execute(update(PaymentIntent).values(status="created", provider_reference=None))
    started = intent(runtime, reference)
    with clock.travel_to(started.created_at + timedelta(seconds=runtime.settings.start_deadline + 5)):
        initiate_collection(started.id)
    assert intent(runtime, reference).status == "pending"
    assert texts(runtime, "payment_not_started") == []
    assert len(fake_provider.collections()) == 1


def test_a_retry_after_a_timeout_asks_the_provider_first(runtime, fake_provider, run_jobs):
    from gateway.jobs.payments import initiate_collection

    member = join(runtime)
    fake_provider.script_next(Behaviour(delay=30))  # still waiting for the member's PIN
    reference, _ = pay(runtime, member.id, 10_000)
    run_jobs()
    with runtime.db.begin() as session:  # as if our first call had timed out after reaching the provider
        session.execute(update(PaymentIntent).values(status="created", provider_reference=None))
    initiate_collection(intent(runtime, reference).id)
    retried = intent(runtime, reference)
    assert (retried.status, retried.initiate_attempts) == ("pending", 2)
    assert retried.provider_reference is not None
    assert len(fake_provider.collections()) == 1


def test_dialling_the_same_payment_twice_in_a_minute_gives_one_pin_prompt(runtime, fake_provider, run_jobs):
    member = join(runtime)
    first, reused_first = pay(runtime, member.id, 10_000)
    second, reused_second = pay(runtime, member.id, 10_000)
    other, _ = pay(runtime, member.id, 5_000)
    settle(fake_provider, run_jobs)
    assert (first == second, reused_first, reused_second, other != first) == (True, False, True, True)
    assert len(fake_provider.collections()) == 2


def test_a_success_after_we_gave_up_is_still_credited(runtime, fake_provider, run_jobs):
    member = join(runtime)
    fake_provider.script_next(DROP)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    with runtime.db.begin() as session:
        session.execute(update(PaymentIntent).values(created_at=clock.now() - timedelta(days=2), status="expired"))
    poll_payment(intent(runtime, reference).id, force=True)
    assert intent(runtime, reference).status == "succeeded"
    assert balance(runtime, "premiums") == -10_000


def test_a_success_for_a_payment_that_had_failed_waits_in_suspense_once(runtime, fake_provider, client, run_jobs):
    """The provider said it did not know the payment, we told the payer it failed; then
    its success arrives. Final states stay final: nobody's cover moves, the money is kept
    in suspense under the payment's reference, once, for finance to place."""
    member = join(runtime)
    fake_provider.script_next(DECLINE)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    assert intent(runtime, reference).status == "failed"
    body = json.dumps({"event": "collection.succeeded", "id": "fk_late", "reference": reference,
                       "status": "succeeded", "amount": 10_000, "phone": "+22890000001", "network": "yas",
                       "occurred_at": clock.now().isoformat()}).encode()
    headers = {SIGNATURE_HEADER: signature_header(DEFAULT_WEBHOOK_SECRET, body), "Content-Type": "application/json"}
    for _ in range(2):
        assert client.post("/payments/fake/callback", data=body, headers=headers).status_code == 200
        run_jobs()
    assert outcomes(runtime)[-2:] == ["suspense", "duplicate"]
    assert intent(runtime, reference).status == "failed"
    assert (balance(runtime, "suspense"), credit(runtime, member.id)) == (-10_000, 0)
    assert ledger_problems(runtime) == []


def test_a_payment_settled_while_we_wait_for_the_provider_stays_settled(runtime, fake_provider, run_jobs, monkeypatch):
    """The initiation job lets go of the payment's lock during the provider call; the
    callback that credits it may come first. The provider's late 'pending' changes nothing."""
    from gateway.services import payments

    member = join(runtime)
    fake_provider.script_next(Behaviour(delay=30))  # the provider answers 'pending'
    adapter = runtime.adapter("fake")
    real_initiate = adapter.initiate

    def initiate_while_a_callback_credits_it(request):
        result = real_initiate(request)
        with runtime.db.begin() as session:
            paying = session.scalar(select(PaymentIntent).where(PaymentIntent.reference == request.reference))
            payments.settle(session, runtime.queue, paying, request.amount, "callback:during-initiation")
        return result

    monkeypatch.setattr(adapter, "initiate", initiate_while_a_callback_credits_it)
    reference, _ = pay(runtime, member.id, 10_000)
    run_jobs()
    assert intent(runtime, reference).status == "succeeded"
    assert balance(runtime, "premiums") == -10_000
    assert ledger_problems(runtime) == []


@pytest.mark.parametrize("amount, kind, words", [
    (99, "amount_too_small", "the amount is below the smallest payment, 100 F"),
    (1_500_001, "amount_too_large", "the amount is above the largest payment, 1 500 000 F"),
])
def test_amounts_outside_the_limits_are_refused(runtime, amount, kind, words):
    member = join(runtime)
    with pytest.raises(Refusal) as refused:
        pay(runtime, member.id, amount)
    assert (refused.value.kind, str(refused.value)) == (kind, words)


def test_fractional_francs_are_refused(runtime):
    member = join(runtime)
    with pytest.raises(ValueError, match="whole francs"):
        pay(runtime, member.id, 100.5)


def test_callbacks_need_the_token_when_one_is_set(runtime, client):
    runtime.settings = type(runtime.settings).from_env({**runtime.settings.raw, "AMU_CALLBACK_TOKEN": "s3cret-test"})
    assert client.post("/payments/fake/callback", data=b"{}").status_code == 403  # refused, not stored
    assert client.post("/payments/nosuchprovider/callback?token=s3cret-test", data=b"{}").status_code == 404
    assert outcomes(runtime) == ["rejected"]
    assert client.post("/payments/fake/callback?token=%C3%A9t%C3%A9", data=b"{}").status_code == 403  # not a 500
    assert outcomes(runtime) == ["rejected"]


def test_a_callback_never_read_is_read_by_the_sweep(runtime, fake_provider, run_jobs):
    """Stored, but not read (the adapter was not configured then, or reading it crashed):
    the minute sweep reads it again, and the money is placed."""
    from gateway.jobs.sweep import sweep
    from gateway.models import ProviderCallback

    body = json.dumps({"event": "collection.succeeded", "id": "fk_unread", "reference": "AMUNOSUCHREF1",
                       "status": "succeeded", "amount": 3_000, "phone": "+22890000077", "network": "yas",
                       "occurred_at": clock.now().isoformat()}).encode()
    with runtime.db.begin() as session:
        session.add(ProviderCallback(provider="fake", headers={SIGNATURE_HEADER: signature_header(DEFAULT_WEBHOOK_SECRET, body)},
                                     query={}, body=body, remote_addr="127.0.0.1", outcome="received"))
    assert sweep(stale=timedelta(0))["unread callbacks"] == 1
    run_jobs()
    assert outcomes(runtime) == ["suspense"]
    assert balance(runtime, "suspense") == -3_000
    assert sweep(stale=timedelta(0))["unread callbacks"] == 0


def test_an_initiation_whose_retry_was_lost_is_tried_again_by_the_sweep(runtime, fake_provider, run_jobs):
    """A first attempt failed, and the process holding its retry restarted: the sweep finds
    the payment once the longest back-off has passed, and the member gets the PIN prompt."""
    from gateway.jobs.sweep import sweep

    member = join(runtime)
    fake_provider.script_next(UNAVAILABLE)
    reference, _ = pay(runtime, member.id, 10_000)
    run_jobs()
    assert (intent(runtime, reference).status, intent(runtime, reference).initiate_attempts) == ("created", 1)
    assert sweep(stale=timedelta(0))["initiations"] == 0  # its retry may still come
    with runtime.db.begin() as session:
        session.execute(update(PaymentIntent).values(updated_at=clock.now() - timedelta(hours=1)))
    assert sweep(stale=timedelta(0))["initiations"] == 1
    settle(fake_provider, run_jobs)
    assert intent(runtime, reference).status == "succeeded"


def test_the_database_keeps_a_final_state_final(runtime, fake_provider, run_jobs):
    from sqlalchemy.exc import DBAPIError

    member = join(runtime)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    assert intent(runtime, reference).status == "succeeded"
    with pytest.raises(DBAPIError, match="final"), runtime.db.begin() as session:
        session.execute(update(PaymentIntent).where(PaymentIntent.reference == reference).values(status="pending"))
    with runtime.db.begin() as session:  # what a final payment may still learn is kept
        session.execute(update(PaymentIntent).where(PaymentIntent.reference == reference).values(polls=3))
    assert (intent(runtime, reference).status, intent(runtime, reference).polls) == ("succeeded", 3)
