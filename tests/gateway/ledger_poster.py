"""Run as its own process by test_running_figures: book one entry to the suspense account
and commit, as a worker crediting unknown money would.

    python -m tests.gateway.ledger_poster KEY AMOUNT   (DATABASE_URL from the environment)
"""
import os
import sys

from gateway import clock, ledger
from gateway.db import make_engine, make_sessionmaker


def main(key: str, amount: int) -> None:
    engine = make_engine(os.environ["DATABASE_URL"])
    with make_sessionmaker(engine).begin() as session:
        ledger.post(session, key=key, kind="suspense", description="booked by a concurrent process",
                    booked_on=clock.local_date(),
                    legs=[ledger.Leg(ledger.clearing("fake", "yas"), amount), ledger.Leg(ledger.SUSPENSE, -amount)])
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
