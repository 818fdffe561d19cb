"""Finance's list of who is late, and members changing their rhythm."""
from datetime import date

import pytest
from click.testing import CliRunner

from gateway import clock
from gateway.cli import main
from gateway.jobs.daily import generate_dues
from gateway.services.late import late_members
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.payment_helpers import confirmed_payment, join, lome


@pytest.fixture
def market(runtime):
    with clock.travel_to(lome(date(2026, 2, 1))):
        seller = join(runtime, phone="+22890000041", full_name="Vendeuse Test", rhythm="weekly", rhythm_weekday=1,
                      region="grand_lome", occupation="trader")
        farmer = join(runtime, phone="+22890000042", full_name="Paysan Test", rhythm="monthly", rhythm_weekday=None,
                      region="savanes", occupation="farmer")
        punctual = join(runtime, phone="+22890000043", full_name="Ponctuel Test", rhythm="monthly",
                        rhythm_weekday=None, region="savanes", occupation="farmer")
    with clock.travel_to(lome(date(2026, 3, 31))):
        generate_dues()
    confirmed_payment(runtime, seller.id, 2_500, date(2026, 2, 3))
    for day in (date(2026, 2, 1), date(2026, 3, 1)):
        confirmed_payment(runtime, punctual.id, 10_000, day)
    return seller, farmer, punctual


def test_late_members_are_listed_most_behind_first_with_since_when(runtime, market):
    seller, farmer, _punctual = market
    with runtime.db() as session:
        rows = late_members(session, date(2026, 3, 31))
    # The farmer owes 1 Feb and 1 Mar; the seller paid the first of 8 Tuesdays (4 in Feb, 5 in Mar).
    assert [(r.amu_number, r.arrears, r.since) for r in rows] == [
        (farmer.amu_number, 20_000, date(2026, 2, 1)),
        (seller.amu_number, 17_500, date(2026, 2, 10)),
    ]
    assert rows[0].days_late == 58
    with runtime.db() as session:
        assert [r.amu_number for r in late_members(session, date(2026, 3, 31), region="grand_lome")] == [seller.amu_number]
        assert [r.amu_number for r in late_members(session, date(2026, 3, 31), occupation="farmer")] == [farmer.amu_number]


def test_amu_members_late_prints_a_table_or_csv(runtime, market, monkeypatch):
    for name, value in runtime.settings.raw.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "250")
    run = lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)  # noqa: E731
    table = run("members", "late", "--on", "2026-03-31")
    assert table.exit_code == 0 and "2 member(s) late, 37 500 F in arrears" in table.output
    csv_out = run("members", "late", "--on", "2026-03-31", "--format", "csv", "--region", "savanes")
    lines = csv_out.output.strip().splitlines()
    assert lines[0].startswith("amu_number,full_name,phone,region") and len(lines) == 2
    assert lines[1].endswith(",20000,0,20000,2026-02-01,58")
    assert run("members", "late", "--region", "mars").exit_code == 2


def test_changing_rhythm_keeps_past_dues_and_replans_the_future(runtime, market):
    seller, _farmer, _punctual = market
    services = GatewayMenuServices(runtime)
    with clock.travel_to(lome(date(2026, 3, 15))):
        before = services.rhythm_of(seller.id)
        assert (before.rhythm, before.instalment, before.period_label) == ("weekly", 2_000, "monthly")
        after = services.change_rhythm(seller.id, "seasonal", months=(12, 1, 2))
    assert (after.rhythm, after.months, after.period_label, after.instalment) == ("seasonal", (1, 2, 12), "yearly", 34_000)
    with runtime.db() as session:
        rows = {r.amu_number: r for r in late_members(session, date(2026, 3, 31))}
    assert rows[seller.amu_number].due == 10_000 + 4_000  # February's Tuesdays and 3, 10 March stay due
