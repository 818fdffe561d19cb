"""Every invariant of the ledger, as queries. `amu ledger check` prints what is broken."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from gateway.models import LedgerAccount, LedgerLeg


@dataclass(frozen=True)
class Problem:
    invariant: str
    detail: str


def _rows(session: Session, sql: str) -> list:
    return list(session.execute(text(sql)).all())


def check_ledger(session: Session) -> tuple[list[str], list[Problem]]:
    """(names of the invariants checked, problems found)."""
    checks = {
        "every entry's legs sum to zero": (
            "SELECT e.id, e.key, COALESCE(SUM(l.amount), 0) FROM ledger_entries e "
            "LEFT JOIN ledger_legs l ON l.entry_id = e.id GROUP BY e.id, e.key HAVING COALESCE(SUM(l.amount), 0) <> 0",
            lambda r: f"entry #{r[0]} {r[1]} is off by {r[2]} F",
        ),
        "every entry has at least two legs": (
            "SELECT e.id, e.key, COUNT(l.id) FROM ledger_entries e LEFT JOIN ledger_legs l ON l.entry_id = e.id "
            "GROUP BY e.id, e.key HAVING COUNT(l.id) < 2",
            lambda r: f"entry #{r[0]} {r[1]} has {r[2]} leg(s)",
        ),
        "no member spent more on cover than they paid": (
            "SELECT a.code, SUM(l.amount) FROM ledger_legs l JOIN ledger_accounts a ON a.id = l.account_id "
            "WHERE a.kind = 'member' GROUP BY a.code HAVING SUM(l.amount) > 0",
            lambda r: f"{r[0]} is overdrawn by {r[1]} F",
        ),
        "every succeeded payment is booked exactly once (to members or suspense)": (
            "SELECT i.reference, COUNT(e.id) FROM payment_intents i LEFT JOIN ledger_entries e "
            "ON e.intent_id = i.id AND e.kind IN ('collection', 'suspense') WHERE i.status = 'succeeded' "
            "GROUP BY i.reference HAVING COUNT(e.id) <> 1",
            lambda r: f"payment {r[0]} has {r[1]} collection entries",
        ),
        "no payment is credited unless it succeeded": (
            "SELECT i.reference, i.status FROM payment_intents i JOIN ledger_entries e "
            "ON e.intent_id = i.id AND e.kind IN ('collection', 'suspense') WHERE i.status <> 'succeeded'",
            lambda r: f"payment {r[0]} is {r[1]} but credited",
        ),
        "every credit matches the amount the provider confirmed": (
            "SELECT i.reference, i.confirmed_amount, l.amount FROM payment_intents i "
            "JOIN ledger_entries e ON e.intent_id = i.id AND e.kind IN ('collection', 'suspense') "
            "JOIN ledger_legs l ON l.entry_id = e.id JOIN ledger_accounts a ON a.id = l.account_id "
            "WHERE a.kind = 'clearing' AND l.amount <> i.confirmed_amount",
            lambda r: f"payment {r[0]}: confirmed {r[1]} F, credited {r[2]} F",
        ),
        "every cover period was paid by an entry of its price": (
            "SELECT c.id, c.price, SUM(l.amount) FROM coverage_periods c JOIN ledger_legs l ON l.entry_id = c.entry_id "
            "JOIN ledger_accounts a ON a.id = l.account_id WHERE a.kind = 'premiums' GROUP BY c.id, c.price "
            "HAVING -SUM(l.amount) <> c.price",
            lambda r: f"cover period #{r[0]} costs {r[1]} F but premiums got {-r[2]} F",
        ),
        "a reversal mirrors the entry it reverses": (
            "SELECT r.id, r.reverses_id FROM ledger_entries r WHERE r.reverses_id IS NOT NULL AND EXISTS ("
            " SELECT 1 FROM (SELECT account_id, SUM(amount) AS s FROM ledger_legs WHERE entry_id IN (r.id, r.reverses_id)"
            " GROUP BY account_id) t WHERE t.s <> 0)",
            lambda r: f"reversal #{r[0]} does not mirror entry #{r[1]}",
        ),
    }
    names, problems = _run(session, checks)
    running, running_problems = check_running_balances(session)
    return names + running, problems + running_problems


def _run(session: Session, checks: dict) -> tuple[list[str], list[Problem]]:
    """checks: name -> (SQL listing what breaks the invariant, row -> description)."""
    problems = []
    for name, (sql, describe) in checks.items():
        problems += [Problem(name, describe(row)) for row in _rows(session, sql)]
    return list(checks), problems


def check_running_balances(session: Session) -> tuple[list[str], list[Problem]]:
    """The running figures that reads rely on instead of the history, against the history:
    each account's balance against the sum of its legs, each member's paid-to-date
    against the collections credited to them."""
    checks = {
        "every account's running balance is the sum of its legs": (
            "SELECT a.code, a.balance, COALESCE(SUM(l.amount), 0) FROM ledger_accounts a "
            "LEFT JOIN ledger_legs l ON l.account_id = a.id GROUP BY a.id, a.code, a.balance "
            "HAVING a.balance <> COALESCE(SUM(l.amount), 0)",
            lambda r: f"{r[0]} says {r[1]} F, its legs sum to {r[2]} F",
        ),
        "every member's paid-to-date is what was collected for them": (
            "SELECT m.amu_number, m.paid_total, COALESCE(p.paid, 0) FROM members m LEFT JOIN ("
            " SELECT a.member_id, -SUM(l.amount) AS paid FROM ledger_legs l JOIN ledger_accounts a ON a.id = l.account_id"
            " JOIN ledger_entries e ON e.id = l.entry_id WHERE a.kind = 'member' AND e.kind = 'collection'"
            " GROUP BY a.member_id) p ON p.member_id = m.id WHERE m.paid_total <> COALESCE(p.paid, 0)",
            lambda r: f"member {r[0]} says {r[1]} F paid, collections credited {r[2]} F",
        ),
    }
    return _run(session, checks)


def totals(session: Session) -> dict[str, int]:
    """Balance per account kind, for the report's last line."""
    rows = session.execute(
        select(LedgerAccount.kind, func.coalesce(func.sum(LedgerLeg.amount), 0))
        .join(LedgerLeg, LedgerLeg.account_id == LedgerAccount.id)
        .group_by(LedgerAccount.kind)
    ).all()
    return {kind: int(total) for kind, total in rows}

