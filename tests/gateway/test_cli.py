"""The `amu` command as finance staff and operators use it."""
import pytest
from click.testing import CliRunner

from gateway import clock, ledger
from gateway.cli import main
from tests.gateway.payment_helpers import join, pay, settle

NOBODY = "http://127.0.0.1:9"  # the discard port: no gateway answers there


@pytest.fixture
def amu(runtime, monkeypatch):
    for name, value in runtime.settings.raw.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("AMU_PUBLIC_URL", NOBODY)  # `amu ussd` runs its own gateway, not one found on the machine

    def run(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def test_help_explains_every_command(amu):
    result = amu("--help")
    assert result.exit_code == 0
    for command in ("serve", "worker", "db", "ussd", "members", "payments", "ledger"):
        assert command in result.output
    assert "exit 1 listing what is broken" in amu("ledger", "check", "--help").output


def test_members_show_by_number_or_by_phone(amu, runtime):
    member = join(runtime, full_name="Afi Test-Koffi")
    by_number = amu("members", "show", member.amu_number)
    by_phone = amu("members", "show", "90 00 00 01")
    assert by_number.exit_code == 0 and by_phone.exit_code == 0
    for text in ("Afi Test-Koffi", "pending", "weekly, on Saturday", "monthly, 10 000 F", "joined by USSD", "welcome"):
        assert text in by_number.output
    assert by_phone.output == by_number.output


def test_members_show_explains_bad_input_and_unknown_members(amu):
    bad = amu("members", "show", "hello")
    assert bad.exit_code == 2 and "neither an AMU number" in bad.output
    unknown = amu("members", "show", "+22890000099")
    assert unknown.exit_code == 1 and "no member" in unknown.output


def test_payments_list_and_poll(amu, runtime, fake_provider, run_jobs, monkeypatch):
    from payment_adapters.fake.scripting import DROP

    member = join(runtime)
    fake_provider.script_next(DROP)
    reference, _ = pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    monkeypatch.setenv("AMU_FAKE_BASE_URL", runtime.adapter_settings["AMU_FAKE_BASE_URL"])
    listed = amu("payments", "list", "--status", "pending")
    assert listed.exit_code == 0 and reference in listed.output and "1 payment(s)" in listed.output
    polled = amu("payments", "poll")
    assert polled.exit_code == 0
    assert f"{reference}: pending -> succeeded" in polled.output and "1 asked, 1 changed" in polled.output
    assert "confirmed total 10 000 F" in amu("payments", "list", "--since", f"{clock.local_date():%Y-%m-%d}").output
    assert amu("payments", "list", "--since", "yesterday").exit_code == 2


def test_ledger_check_is_clean_then_names_what_is_broken(amu, runtime, fake_provider, run_jobs):
    member = join(runtime)
    pay(runtime, member.id, 10_000)
    settle(fake_provider, run_jobs)
    clean = amu("ledger", "check")
    assert clean.exit_code == 0 and "FAIL" not in clean.output
    with runtime.db.begin() as session:  # cover given away without money: balanced, but wrong
        ledger.post(session, key="bad:1", kind="cover", description="test", booked_on=clock.local_date(),
                    legs=[ledger.Leg(ledger.member_account(member.id), 500), ledger.Leg(ledger.PREMIUMS, -500)])
    broken = amu("ledger", "check")
    assert broken.exit_code == 1
    assert "FAIL  no member spent more on cover than they paid" in broken.output
    assert f"member:{member.id} is overdrawn by 500 F" in broken.output


def test_ussd_in_the_terminal_joins_a_phone(amu, runtime):
    result = amu("ussd", "--phone", "90000021", "--input", "1*Kossi Test*01011990*2*1*1*3*1")
    assert result.exit_code == 0
    assert "Bienvenue Kossi Test" in result.output and "END" in result.output
    assert amu("ussd", "--phone", "12345").exit_code == 2


def test_db_upgrade_is_safe_to_run_again(amu):
    first = amu("db", "upgrade")
    assert first.exit_code == 0 and "database is up to date" in first.output
