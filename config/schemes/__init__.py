"""Scheme rules as versioned data, read from the TOML files beside this module."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from datetime import date, time
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class SchemeRules:
    """One version of a scheme's rules; amounts in whole francs."""

    effective_from: date
    currency: str
    monthly_price: int
    quarterly_price: int
    half_yearly_price: int
    yearly_price: int
    min_payment: int
    waiting_days: int
    suspend_after_unpaid_months: int
    new_waiting_after_suspension: bool
    coverage_rate: int
    member_min_age: int
    max_spouses: int
    max_children: int
    extra_spouse_monthly: int
    extra_child_monthly: int
    max_extra_spouses: int
    max_extra_children: int
    child_age_limit: int
    child_age_limit_in_school: int
    settlement_cutoff: time

    def price_of(self, period: str) -> int:
        return {
            "monthly": self.monthly_price,
            "quarterly": self.quarterly_price,
            "half_yearly": self.half_yearly_price,
            "yearly": self.yearly_price,
        }[period]

    def to_json(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["effective_from"] = self.effective_from.isoformat()
        data["settlement_cutoff"] = self.settlement_cutoff.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "SchemeRules":
        names = {f.name for f in fields(cls)}
        missing = names - data.keys()
        unknown = data.keys() - names
        if missing or unknown:
            raise ValueError(f"scheme rules: missing {sorted(missing)}, unknown {sorted(unknown)}")
        values = dict(data)
        values["effective_from"] = _as_date(values["effective_from"])
        values["settlement_cutoff"] = _as_time(values["settlement_cutoff"])
        for f in fields(cls):
            if f.type == "int" and (type(values[f.name]) is not int or values[f.name] < 0):
                raise ValueError(f"scheme rules: {f.name} must be a whole number >= 0")
        return cls(**values)


@dataclass(frozen=True)
class SchemeDefinition:
    code: str
    name: str
    versions: tuple[SchemeRules, ...]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def load_definitions(folder: Path = HERE) -> list[SchemeDefinition]:
    definitions = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        versions = tuple(
            sorted((SchemeRules.from_json(v) for v in data["versions"]), key=lambda r: r.effective_from)
        )
        definitions.append(SchemeDefinition(code=data["code"], name=data["name"], versions=versions))
    return definitions
