"""The rule table loads, every plan type has a rule for each step, and specific rules win."""

from __future__ import annotations

import pytest

from appeal.rules import (
    advice,
    decision_time,
    decision_times,
    filing_window,
    filing_windows,
    late_options,
    urgent_route,
)
from appeal.states import all_jurisdictions

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
        ("medicaid", "CA", "internal_appeal_medi_cal", "60 days"),
        ("medicaid", "NY", "internal_appeal_medicaid", "60 days"),
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
        ("employer_insured", "CA", "external_california_dmhc_imr"),
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
    decision = decision_time("internal_appeal", "employer_insured", "CA")
    assert decision is not None and decision.standard == "30 days"
    elsewhere = decision_time("internal_appeal", "employer_insured", "OH")
    assert elsewhere is not None and "60 days" in elsewhere.standard


@pytest.mark.parametrize(
    ("step", "plan_type", "state", "regulator", "rule_id"),
    [
        (
            "internal_appeal",
            "employer_insured",
            "CA",
            "dmhc",
            "internal_appeal_california_knox_keene",
        ),
        (
            "internal_appeal",
            "employer_insured",
            "CA",
            None,
            "internal_appeal_california_knox_keene",
        ),
        ("internal_appeal", "employer_insured", "CA", "cdi", "internal_appeal_aca_erisa"),
        ("internal_appeal", "medicaid", "CA", None, "internal_appeal_medi_cal"),
        ("external_review", "marketplace", "CA", "cdi", "external_california_cdi_imr"),
        ("external_review", "marketplace", "CA", "dmhc", "external_california_dmhc_imr"),
        ("external_review", "medicaid", "CA", None, "external_medi_cal_state_hearing"),
        ("external_review", "self_funded", "CA", "dmhc", "external_review_aca"),
    ],
)
def test_california_rules_follow_the_regulator(step, plan_type, state, regulator, rule_id):
    window = filing_window(step, plan_type, state, regulator)
    assert window is not None and window.id == rule_id


@pytest.mark.parametrize("plan_type", ALL_PLAN_TYPES)
@pytest.mark.parametrize("state", [j.code for j in all_jurisdictions()])
def test_every_plan_in_every_state_has_a_full_set_of_sourced_rules(plan_type, state):
    for regulator in ("dmhc", "cdi", None):
        for step in ("internal_appeal", "external_review"):
            window = filing_window(step, plan_type, state, regulator)
            assert window is not None and window.citation
            decision = decision_time(step, plan_type, state, regulator)
            if not (step == "external_review" and plan_type == "medicare_advantage"):
                assert decision is not None and decision.citation  # the IRE's time is contractual
        route = urgent_route(plan_type, state, regulator)
        assert route is not None and route.citation
        options = late_options(plan_type, state, regulator)
        assert options and all(option.citation for option in options)


@pytest.mark.parametrize(
    ("step", "plan_type", "state", "regulator", "standard", "urgent"),
    [
        ("external_review", "employer_insured", "OH", None, "45 days", "72 hours"),
        ("external_review", "employer_insured", "CA", "cdi", "30 days", "3 days"),
        ("external_review", "employer_insured", "CA", "dmhc", "30 days after", "3 days"),
        ("external_review", "medicaid", "TX", None, "about 90 days", "3 working days"),
        ("internal_appeal", "marketplace", "CA", "cdi", "30 days", "72 hours"),
    ],
)
def test_decision_times_of_each_step(step, plan_type, state, regulator, standard, urgent):
    decision = decision_time(step, plan_type, state, regulator)
    assert decision is not None
    assert decision.standard.startswith(standard) and decision.urgent == urgent


def test_late_options_put_the_plans_own_first_and_the_general_last():
    options = late_options("medicare_advantage", "FL")
    assert options[0].id == "late_medicare_good_cause"
    assert options[-1].id == "late_ask_anyway"
    california = [option.id for option in late_options("employer_insured", "CA")]
    assert california[0] == "late_california_imr_good_cause"


@pytest.mark.parametrize(
    "section_ids",
    [
        [window.id for window in filing_windows()],
        [decision.id for decision in decision_times()],
        [item.id for item in advice("urgent_routes")]
        + [item.id for item in advice("late_options")],
    ],
)
def test_rule_ids_are_unique(section_ids):
    assert len(section_ids) == len(set(section_ids))


def test_every_rule_is_sourced_and_marked():
    rules = [
        *filing_windows(),
        *decision_times(),
        *advice("urgent_routes"),
        *advice("late_options"),
    ]
    for rule in rules:
        assert rule.citation and rule.confidence in {"H", "M", "L"}, rule.id
    for window in filing_windows():
        for shortcut in window.shortcuts:
            assert shortcut.citation and shortcut.when, window.id
