"""The rule table loads, every plan type has a rule for each step, and specific rules win."""

from __future__ import annotations

import pytest

from appeal.rules import decision_time, filing_window, filing_windows, guidance

PLAN_TYPES = ["employer_insured", "marketplace", "medicaid", "medicare_advantage", "self_funded"]
ALL_PLAN_TYPES = [*PLAN_TYPES, "unknown"]


@pytest.mark.parametrize("plan_type", ALL_PLAN_TYPES)
@pytest.mark.parametrize("step", ["internal_appeal", "external_review"])
@pytest.mark.parametrize("state", ["CA", "OH", None])
def test_every_plan_type_has_a_sourced_window_for_each_step(plan_type, step, state):
    window = filing_window(step, plan_type, state)
    assert window is not None
    assert window.citation and window.confidence in {"H", "M", "L"}
    assert window.label
    assert window.automatic or (window.days or window.months)


@pytest.mark.parametrize(
    ("plan_type", "state", "rule_id", "length"),
    [
        ("employer_insured", "CA", "internal_appeal_california_knox_keene", "180 days"),
        ("employer_insured", "OH", "internal_appeal_aca_erisa", "180 days"),
        ("self_funded", "CA", "internal_appeal_aca_erisa", "180 days"),
        ("marketplace", "TX", "internal_appeal_aca_erisa", "180 days"),
        ("medicare_advantage", "CA", "internal_appeal_medicare_advantage", "65 days"),
        ("medicaid", "CA", "internal_appeal_medicaid", "60 days"),
        ("unknown", None, "internal_appeal_unknown_plan", "60 days"),
    ],
)
def test_internal_appeal_windows_match_the_reference(plan_type, state, rule_id, length):
    window = filing_window("internal_appeal", plan_type, state)
    assert window is not None
    assert (window.id, window.length_text) == (rule_id, length)


@pytest.mark.parametrize(
    ("plan_type", "state", "rule_id"),
    [
        ("employer_insured", "CA", "external_california_imr"),
        ("marketplace", "NY", "external_review_aca"),
        ("self_funded", "CA", "external_review_aca"),
        ("medicaid", "OH", "external_medicaid_fair_hearing"),
        ("medicare_advantage", "FL", "external_medicare_advantage_ire"),
    ],
)
def test_the_independent_step_depends_on_plan_and_state(plan_type, state, rule_id):
    window = filing_window("external_review", plan_type, state)
    assert window is not None and window.id == rule_id


def test_california_plans_answer_in_30_days():
    decision = decision_time("employer_insured", "CA")
    assert decision is not None and decision.standard == "30 days"
    elsewhere = decision_time("employer_insured", "OH")
    assert elsewhere is not None and "60 days" in elsewhere.standard


def test_rule_ids_are_unique():
    ids = [window.id for window in filing_windows()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("key", ["urgent_route", "late_filing"])
def test_general_guidance_is_sourced(key):
    entry = guidance(key)
    assert entry.text and entry.citation and entry.confidence == "H"
