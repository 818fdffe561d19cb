"""How the fake provider decides what happens to a collection.

A `Behaviour` says what one collection does. The provider picks it, first match wins:

1. a script for that reference (`FakeProvider.script(reference, behaviour)`), used once;
2. the next scripted behaviour in line (`FakeProvider.script_next(b1, b2, ...)`);
3. the magic amounts below, when ``magic_amounts=True`` (the default);
4. a seeded `RandomProfile`, when one is given;
5. otherwise: approve after the provider's ``settle_delay`` with one callback.

Magic amounts, handy with ``amu ussd`` (the last two digits of the amount in francs):

| ends in | what happens |
|---|---|
| ``01`` | declined |
| ``02`` | approved, the callback is sent twice |
| ``03`` | approved, the callback is dropped (the status API still knows) |
| ``04`` | approved for 1 franc less than asked |
| ``05`` | approved after 10 times the usual delay |
| ``09`` | initiation fails with HTTP 503 (every time) |

Any other amount (``1000``, ``2500``...) is approved.
"""
from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Behaviour:
    approve: bool = True
    delay: float | None = None  # seconds before settling; None: the provider's settle_delay
    callbacks: int = 1  # 0 drops the callback, 2 sends it twice
    confirmed_amount: int | None = None  # the provider confirms this amount instead
    unavailable: bool = False  # initiation answers 503 and records nothing
    hold: bool = False  # settle, but keep the callback until FakeProvider.release_held()

    def __post_init__(self) -> None:
        if self.callbacks < 0:
            raise ValueError("callbacks must be 0 or more")
        if self.delay is not None and self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.confirmed_amount is not None and (
            not isinstance(self.confirmed_amount, int) or self.confirmed_amount <= 0
        ):
            raise ValueError("confirmed_amount must be a positive whole number of francs")

    @classmethod
    def from_dict(cls, data: dict) -> "Behaviour":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown behaviour fields: {sorted(unknown)}")
        return cls(**data)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


APPROVE = Behaviour()
DECLINE = Behaviour(approve=False)
DUPLICATE = Behaviour(callbacks=2)
DROP = Behaviour(callbacks=0)
UNAVAILABLE = Behaviour(unavailable=True)
HOLD = Behaviour(hold=True)


def altered(amount: int) -> Behaviour:
    """Approve, but confirm `amount` instead of what was asked."""
    return Behaviour(confirmed_amount=amount)


def delayed(seconds: float) -> Behaviour:
    return Behaviour(delay=seconds)


def magic_behaviour(amount: int, settle_delay: float) -> Behaviour | None:
    """The behaviour the amount's last two digits ask for, or None for a plain amount."""
    ending = amount % 100
    if ending == 1:
        return DECLINE
    if ending == 2:
        return DUPLICATE
    if ending == 3:
        return DROP
    if ending == 4 and amount > 1:
        return altered(amount - 1)
    if ending == 5:
        return delayed(settle_delay * 10)
    if ending == 9:
        return UNAVAILABLE
    return None


@dataclass(frozen=True)
class RandomProfile:
    """Probabilities (0..1) of each mishap, drawn from the provider's seeded Random.

    Draws happen in a fixed order for every initiation, so one seed and one order of
    calls replay the same story. ``delay`` is a (min, max) range in seconds; random
    delays also deliver callbacks of concurrent collections out of order.
    """

    decline: float = 0.0
    duplicate: float = 0.0
    drop: float = 0.0
    alter: float = 0.0
    unavailable: float = 0.0
    delay: tuple[float, float] | None = None

    def draw(self, rng: random.Random, amount: int) -> Behaviour:
        unavailable = rng.random() < self.unavailable
        declined = rng.random() < self.decline
        duplicate = rng.random() < self.duplicate
        drop = rng.random() < self.drop
        alter = rng.random() < self.alter and amount > 1
        delay = rng.uniform(*self.delay) if self.delay else None
        return Behaviour(
            approve=not declined,
            delay=delay,
            callbacks=0 if drop else (2 if duplicate else 1),
            confirmed_amount=amount - 1 if alter and not declined else None,
            unavailable=unavailable,
        )
