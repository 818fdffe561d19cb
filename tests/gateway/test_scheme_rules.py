from datetime import date

import pytest

from config.schemes import SchemeRules, load_definitions
from gateway.migrate import RuleVersionConflict, sync_schemes
from gateway.models import SchemeRuleVersion
from gateway.rules import NoRulesInForce, rules_on, scheme_id
from gateway.services.billing import period_price


def test_the_first_version_is_domain_md_table():
    (definition,) = load_definitions()
    rules = definition.versions[0]
    assert definition.code == "AMU-TNS"
    assert rules.effective_from == date(2024, 1, 1)
    assert (rules.monthly_price, rules.quarterly_price, rules.half_yearly_price, rules.yearly_price) == (
        10000, 28500, 54000, 102000,
    )
    assert (rules.min_payment, rules.waiting_days, rules.coverage_rate) == (100, 90, 80)
    assert (rules.max_spouses, rules.max_children, rules.child_age_limit, rules.child_age_limit_in_school) == (1, 4, 21, 26)


def test_rules_apply_from_their_date_never_backwards(runtime):
    with runtime.db.begin() as session:
        scheme = scheme_id(session, "AMU-TNS")
        first = rules_on(session, scheme, date(2025, 6, 1))
        raised = SchemeRules.from_json({**first.to_json(), "effective_from": "2027-01-01", "monthly_price": 11000})
        session.add(SchemeRuleVersion(scheme_id=scheme, effective_from=raised.effective_from, rules=raised.to_json()))
        session.flush()
        assert rules_on(session, scheme, date(2026, 12, 31)).monthly_price == 10000
        assert rules_on(session, scheme, date(2027, 1, 1)).monthly_price == 11000
        with pytest.raises(NoRulesInForce):
            rules_on(session, scheme, date(2023, 12, 31))
        session.rollback()


def test_a_stored_version_whose_figures_changed_in_config_is_refused(runtime):
    with runtime.db() as session:
        version = session.query(SchemeRuleVersion).one()
        version.rules = {**version.rules, "monthly_price": 9000}
        session.flush()
        with pytest.raises(RuleVersionConflict, match="add a new version"):
            sync_schemes(session)
        session.rollback()


def test_fractional_or_negative_amounts_in_rules_are_refused():
    (definition,) = load_definitions()
    data = definition.versions[0].to_json()
    with pytest.raises(ValueError, match="monthly_price"):
        SchemeRules.from_json({**data, "monthly_price": 9999.5})
    with pytest.raises(ValueError, match="missing"):
        SchemeRules.from_json({k: v for k, v in data.items() if k != "waiting_days"})


def test_rhythm_decides_the_period_bought_and_extras_add_their_supplement():
    rules = load_definitions()[0].versions[0]
    assert period_price(rules, "daily") == 10000
    assert period_price(rules, "weekly") == 10000
    assert period_price(rules, "quarterly") == 28500
    assert period_price(rules, "seasonal") == 102000
    assert period_price(rules, "monthly", extra_spouses=1, extra_children=2) == 10000 + 2500 + 2000
    assert period_price(rules, "yearly", extra_children=1) == 102000 + 12 * 1000
