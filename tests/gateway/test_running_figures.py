"""The running figures that spare every read the member's history: account balances kept
with their legs (under concurrency too), the member's figures filled in by the migration
from the history that was there, and kept true when a rhythm or a price changes."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from config.schemes import load_definitions
from config.settings import normalise_database_url
from gateway import clock, ledger
from gateway.db import make_engine, make_sessionmaker
from gateway.jobs.daily import generate_dues
from gateway.ledger_check import check_ledger
from gateway.migrate import sync_schemes, upgrade
from gateway.models import Scheme, SchemeRuleVersion
from gateway.services.coverage import Held
from gateway.services.dues import standing
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.contribution_scenarios import drop_added_rules, rules_version, running_figures
from tests.gateway.payment_helpers import confirmed_payment, join, lome
from tests.gateway.sql_statements import statements

ROOT = Path(__file__).resolve().parents[2]


def figures(runtime, member_id: int) -> tuple[dict, dict]:
    with runtime.db() as session:
        return running_figures(session, member_id)


# --- balances under concurrency ---------------------------------------------------------------


def _waiting_for_locks(runtime) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))


def test_processes_booking_to_one_account_at_once_wait_for_each_other_and_it_holds_their_sum(runtime):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent writers are proven on the real engine")
    with runtime.db.begin() as session:  # the accounts exist, with a balance
        ledger.post(session, key="race:0", kind="suspense", description="before", booked_on=clock.local_date(),
                    legs=[ledger.Leg(ledger.clearing("fake", "yas"), 1_000), ledger.Leg(ledger.SUSPENSE, -1_000)])
    blocker = runtime.engine.connect()
    hold = blocker.begin()
    blocker.execute(text("SELECT id FROM ledger_accounts WHERE code = 'suspense' FOR UPDATE"))
    env = {**os.environ, "DATABASE_URL": runtime.settings.database_url}
    posters = [subprocess.Popen([sys.executable, "-m", "tests.gateway.ledger_poster", f"race:{n}", str(100 * n)],
                                cwd=ROOT, env=env) for n in (1, 2, 3)]
    try:
        deadline = time.monotonic() + 60
        while _waiting_for_locks(runtime) < 3:  # all three are committing, each waits for an account row
            assert time.monotonic() < deadline, "the three processes never met at the balances"
            assert all(p.poll() is None for p in posters), "a process finished without waiting"
            time.sleep(0.05)
    finally:
        hold.rollback()
        blocker.close()
    assert [p.wait(timeout=60) for p in posters] == [0, 0, 0]
    with runtime.db() as session:
        assert ledger.balance(session, ledger.SUSPENSE) == -1_600
        assert ledger.balance(session, ledger.clearing("fake", "yas")) == 1_600
        assert check_ledger(session)[1] == []  # every running balance is the sum of its legs


# --- the migration fills them from the history ------------------------------------------------

HISTORY = [
    "INSERT INTO members (id, amu_number, phone, full_name, birth_date, sex, occupation, region, language, rhythm,"
    " rhythm_weekday, rhythm_months, reminders, scheme_id, joined_at)"
    " VALUES (1, '0000000017', '+22890000091', 'Afi Test', '1988-03-14', 'F', 'trader', 'maritime', 'fr', 'weekly',"
    " 2, '[]', true, (SELECT id FROM schemes), '2026-01-05 09:00:00+00')",
    "INSERT INTO membership_events (member_id, state, effective_at, reason, recorded_at) VALUES"
    " (1, 'pending', '2026-01-05 09:00:00+00', 'joined', '2026-01-05 09:00:00+00'),"
    " (1, 'waiting', '2026-01-07 10:00:00+00', 'payment', '2026-01-07 10:00:00+00')",
    "INSERT INTO ledger_accounts (id, code, kind, member_id) VALUES"
    " (1, 'clearing:fake:yas', 'clearing', NULL), (2, 'member:1', 'member', 1), (3, 'premiums', 'premiums', NULL)",
    "INSERT INTO ledger_entries (id, key, kind, description, member_id, booked_on, created_at) VALUES"
    " (1, 'collection:a', 'collection', 'paid', 1, '2026-01-07', '2026-01-07 10:00:00+00'),"
    " (2, 'cover:1:2026-01-07', 'cover', 'a month', 1, '2026-01-07', '2026-01-07 10:00:00+00'),"
    " (3, 'collection:b', 'collection', 'paid', 1, '2026-02-12', '2026-02-12 10:00:00+00')",
    "INSERT INTO ledger_legs (entry_id, account_id, amount) VALUES"
    " (1, 1, 12500), (1, 2, -12500), (2, 2, 10000), (2, 3, -10000), (3, 1, 7000), (3, 2, -7000)",
    "INSERT INTO coverage_periods (member_id, starts_on, ends_on, period, price, waiting_ends_on, entry_id, bought_at)"
    " VALUES (1, '2026-01-07', '2026-02-06', 'monthly', 10000, '2026-04-07', 2, '2026-01-07 10:00:00+00')",
    "INSERT INTO dues (member_id, due_on, amount, rhythm, created_at) VALUES"
    + ", ".join(f" (1, '{day}', 2500, 'weekly', '2026-01-05 09:00:00+00')" for day in (
        "2026-01-07", "2026-01-14", "2026-01-21", "2026-01-28", "2026-02-04", "2026-02-11", "2026-02-18", "2026-02-25")),
]


@pytest.fixture
def old_database(runtime, tmp_path):
    """A database at the revision before the running figures, for the migration to fill."""
    if runtime.engine.dialect.name == "postgresql":
        admin = make_engine(normalise_database_url(os.environ["DATABASE_URL"]))
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS amu_test_migration CASCADE; CREATE SCHEMA amu_test_migration"))
        url = normalise_database_url(os.environ["DATABASE_URL"])
        url += f"{'&' if '?' in url else '?'}options=-csearch_path%3Damu_test_migration"
    else:
        admin, url = None, f"sqlite:///{tmp_path}/old.sqlite3"
    upgrade(url, "0006")
    engine = make_engine(url)
    (scheme,) = load_definitions()
    with make_sessionmaker(engine).begin() as session:
        session.execute(insert(Scheme.__table__).values(id=1, code=scheme.code, name=scheme.name))
        session.execute(insert(SchemeRuleVersion.__table__).values(
            scheme_id=1, effective_from=scheme.versions[0].effective_from, rules=scheme.versions[0].to_json(),
            recorded_at=datetime.now(timezone.utc)))
        for statement in HISTORY:
            session.execute(text(statement))
    yield url, engine
    engine.dispose()
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text("DROP SCHEMA amu_test_migration CASCADE"))
        admin.dispose()


def test_the_migration_fills_the_running_figures_from_the_history_there(old_database):
    url, engine = old_database
    upgrade(url)
    with make_sessionmaker(engine)() as session:
        kept, derived = running_figures(session, 1)
        assert kept == derived
        assert kept["held"] == Held(date(2026, 2, 6), date(2026, 1, 7), date(2026, 4, 7), 1)
        assert kept["state"] == ("waiting", datetime(2026, 1, 7, 10, tzinfo=timezone.utc))
        assert kept["balance"] == -9_500  # 19 500 F paid, 10 000 F spent on a month
        assert kept["dues"] == (19_500, date(2026, 2, 25), 2_000)  # 7 dues of 2 500 F paid, 2 000 F toward the 8th
        assert check_ledger(session)[1] == []


# --- kept true when what is due changes -------------------------------------------------------


def test_a_new_rhythm_gives_back_what_paid_the_dues_it_drops(runtime):
    """A weekly payer (Tuesdays) pays 7 500 F on 3 March: the dues of 3, 10 and 17 March
    (2 000 F each: March 2026 has five Tuesdays) and 1 500 F ahead. On 5 March she pays
    monthly instead: the weekly dues from 10 March are dropped and the 4 000 F that paid
    them wait, with the 1 500 F, for her monthly dues, the first on 1 April."""
    with clock.travel_to(lome(date(2026, 3, 1), 8)):
        seller = join(runtime, phone="+22890000092", rhythm="weekly", rhythm_weekday=1)
    with clock.travel_to(lome(date(2026, 3, 3), 4)):
        generate_dues()
    confirmed_payment(runtime, seller.id, 7_500, date(2026, 3, 3))
    kept, derived = figures(runtime, seller.id)
    assert kept == derived and kept["dues"] == (7_500, None, 1_500)
    with clock.travel_to(lome(date(2026, 3, 5), 12)):
        GatewayMenuServices(runtime).change_rhythm(seller.id, "monthly")
    kept, derived = figures(runtime, seller.id)
    assert kept == derived and kept["dues"] == (7_500, None, 5_500)
    with clock.travel_to(lome(date(2026, 3, 25), 4)):
        generate_dues()
    kept, derived = figures(runtime, seller.id)
    assert kept == derived and kept["dues"] == (7_500, date(2026, 4, 1), 5_500)
    with runtime.db() as session:
        april = standing(session, seller.id, date(2026, 4, 2))
    assert (april.due, april.paid, april.arrears, april.oldest_unpaid) == (12_000, 7_500, 4_500, date(2026, 4, 1))


def test_a_new_price_made_ahead_keeps_what_was_paid_ahead(runtime, monkeypatch):
    """A daily payer pays 10 000 F on 20 June, ahead of the dues made to early July. A new
    price from 25 June has those dues made again at it: what paid them pays the new ones."""
    with clock.travel_to(lome(date(2026, 6, 20), 8)):
        yawa = join(runtime, phone="+22890000093", rhythm="daily", rhythm_weekday=None)
        generate_dues()
    confirmed_payment(runtime, yawa.id, 10_000, date(2026, 6, 20))
    kept, derived = figures(runtime, yawa.id)
    assert kept == derived and kept["dues"][1] is None  # paid ahead of every due made
    (definition,) = load_definitions()
    dearer = rules_version(date(2026, 6, 25), monthly_price=12_400)
    monkeypatch.setattr("gateway.migrate.load_definitions", lambda: [replace(definition, versions=[*definition.versions, dearer])])
    try:
        with clock.travel_to(lome(date(2026, 6, 21), 9)), runtime.db.begin() as session:
            assert sync_schemes(session) == ["AMU-TNS from 2026-06-25"]
        assert figures(runtime, yawa.id)[0] == figures(runtime, yawa.id)[1]
        with clock.travel_to(lome(date(2026, 6, 22), 4)):
            generate_dues()
        kept, derived = figures(runtime, yawa.id)
        assert kept == derived and kept["dues"][0] == 10_000
    finally:
        drop_added_rules(runtime)


def test_a_member_a_year_behind_pays_the_oldest_dues_first_reading_only_those_it_pays(runtime):
    """A daily payer who joined a year ago has 365 unpaid dues; 40 000 F pays about four
    months of them, oldest first, and a payment reads the dues it pays (and the next one),
    not the year of them."""
    with clock.travel_to(lome(date(2025, 6, 1), 8)):
        behind = join(runtime, phone="+22890000094", rhythm="daily", rhythm_weekday=None)
    with clock.travel_to(lome(date(2026, 6, 1), 4)):
        generate_dues()
    with statements(runtime) as seen:
        confirmed_payment(runtime, behind.id, 40_000, date(2026, 6, 1))
    kept, derived = figures(runtime, behind.id)
    assert kept == derived
    paid, oldest, toward = kept["dues"]
    assert paid == 40_000 and date(2025, 9, 25) <= oldest <= date(2025, 10, 5)  # June to September paid
    assert sum("FROM dues" in s for s in seen) == 4  # 32 dues at a time: about 120 paid, then the next
    with runtime.db() as session:
        place = standing(session, behind.id, date(2026, 6, 1))
    assert (place.paid, place.oldest_unpaid, place.arrears) == (40_000, oldest, place.due - 40_000)
