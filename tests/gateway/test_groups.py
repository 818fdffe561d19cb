"""A cooperative pays once for its members; each member's share is credited and receipted."""
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gateway.cli import main
from gateway.ledger_check import check_ledger
from gateway.models import SmsMessage
from gateway.services.groups import GroupError, add_member, create_group, equal_split, split_from_csv
from gateway.services.menu_facade import GatewayMenuServices
from gateway.models import Member
from tests.gateway.payment_helpers import balance, confirmed_payment, credit, join, settle


@pytest.fixture
def cooperative(runtime):
    leader = join(runtime, phone="+22890000031", full_name="Akossiwa Test")
    others = [join(runtime, phone=f"+2289000003{n}", full_name=f"Membre Test {n}") for n in (2, 3)]
    with runtime.db.begin() as session:
        group = create_group(session, name="Coopérative des maraîchers", kind="cooperative",
                             leader=session.get(Member, leader.id))
        for other in others:
            add_member(session, group, session.get(Member, other.id))
        return group.id, group.code, leader, others


def test_an_equal_split_shares_every_franc():
    class M:
        def __init__(self, i):
            self.id = i

    assert equal_split(10_000, [M(1), M(2), M(3)]) == [(1, 3_333), (2, 3_333), (3, 3_334)]
    with pytest.raises(GroupError, match="cannot be shared"):
        equal_split(2, [M(1), M(2), M(3)])


def test_the_leader_pays_by_ussd_for_everyone_and_each_gets_a_receipt(runtime, cooperative, fake_provider, run_jobs):
    group_id, _code, leader, others = cooperative
    services = GatewayMenuServices(runtime)
    (view,) = services.groups_led_by(leader.id)
    assert (view.name, view.members) == ("Coopérative des maraîchers", 3)
    started = services.start_group_payment(group_id, leader.phone, "yas", 30_000)
    settle(fake_provider, run_jobs)
    for member in (leader, *others):
        assert services.rights(member.id).state == "waiting"
        assert credit(runtime, member.id) == 0
    with runtime.db() as session:
        kinds = sorted(session.scalars(select(SmsMessage.kind)))
    assert kinds.count("receipt_covered") == 3 and kinds.count("receipt_group") == 1
    with runtime.db() as session:  # each receipt went out, not only the last one queued
        statuses = session.scalars(select(SmsMessage.status).where(SmsMessage.kind.like("receipt%"))).all()
    assert statuses == ["sent"] * 4
    assert balance(runtime, "clearing:fake:yas") == 30_000
    assert started.amount == 30_000


def test_a_list_gives_each_member_their_share(runtime, cooperative):
    group_id, _code, leader, others = cooperative
    with runtime.db() as session:
        text = f"amu_number,amount\n{leader.amu_number},5000\n{others[0].amu_number},2500\n"
        shares = split_from_csv(session, group_id, text)
    confirmed_payment(runtime, leader.id, 7_500, date(2026, 3, 1), group_id=group_id, splits=shares)
    assert (credit(runtime, leader.id), credit(runtime, others[0].id), credit(runtime, others[1].id)) == (5_000, 2_500, 0)


@pytest.mark.parametrize(
    "text, message",
    [
        ("number,amount\n", "line 1: the header"),
        ("amu_number,amount\n123,5000\n", "line 2: an AMU number has 10 digits"),
        ("amu_number,amount\n{leader},50.5\n", "line 2: amount must be whole francs"),
        ("amu_number,amount\n{leader},500\n{leader},500\n", "line 3: .* listed twice"),
        ("amu_number,amount\n{stranger},500\n", "line 2: .* not a member of this group"),
    ],
)
def test_a_bad_list_is_refused_with_the_line(runtime, cooperative, text, message):
    group_id, _code, leader, _others = cooperative
    stranger = join(runtime, phone="+22890000039")
    with runtime.db() as session, pytest.raises(GroupError, match=message):
        split_from_csv(session, group_id, text.format(leader=leader.amu_number, stranger=stranger.amu_number))


def test_a_group_payment_confirmed_for_another_amount_waits_in_suspense(runtime, cooperative, fake_provider, run_jobs):
    from payment_adapters.fake.scripting import altered

    group_id, _code, leader, others = cooperative
    fake_provider.script_next(altered(29_000))
    GatewayMenuServices(runtime).start_group_payment(group_id, leader.phone, "yas", 30_000)
    settle(fake_provider, run_jobs)
    assert balance(runtime, "suspense") == -29_000
    assert all(credit(runtime, m.id) == 0 for m in (leader, *others))
    with runtime.db() as session:
        assert check_ledger(session)[1] == []


def test_groups_from_the_command_line(runtime, cooperative, monkeypatch, fake_provider, tmp_path):
    group_id, code, leader, others = cooperative
    for name, value in {**runtime.settings.raw, **runtime.adapter_settings}.items():
        monkeypatch.setenv(name, str(value))
    run = lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)  # noqa: E731
    shown = run("groups", "show", code)
    assert shown.exit_code == 0 and "Akossiwa Test" in shown.output and "leader" in shown.output
    split = tmp_path / "split.csv"
    split.write_text(f"amu_number,amount\n{others[0].amu_number},10000\n{others[1].amu_number},x\n")
    refused = run("groups", "pay", code, "--split", str(split), "--phone", leader.phone)
    assert refused.exit_code == 2 and "line 3: amount must be whole francs" in refused.output
    assert run("groups", "pay", code, "--phone", leader.phone).exit_code == 2  # neither --amount nor --split
    too_small = run("groups", "pay", code, "--amount", "99", "--phone", leader.phone)
    assert too_small.exit_code == 2  # in the domain's words, not a menu's catalog key
    assert too_small.output.strip() == "amu: refused: the amount is below the smallest payment, 100 F"
    paid = run("groups", "pay", code, "--amount", "30000", "--phone", leader.phone)
    assert paid.exit_code == 0 and "for 3 member(s)" in paid.output
    assert run("groups", "show", "G000000").exit_code == 2
