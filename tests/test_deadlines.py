"""Dated next steps: the date, the days left, and what happens near or past the deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appeal.deadlines import SOON_DAYS, CaseFacts, DueStatus, Stage, plan_appeal

TODAY = date(2026, 11, 23)


def facts(plan_type="employer_insured", state="OH", notice=None, stage=Stage.FIRST_DENIAL):
    return CaseFacts(
        state=state, plan_type=plan_type, notice_date=notice, urgent=False, stage=stage
    )


@pytest.mark.parametrize(
    ("plan_type", "state", "notice", "due"),
    [
        ("employer_insured", "OH", date(2026, 9, 15), date(2027, 3, 14)),  # 180 days
        ("employer_insured", "CA", date(2026, 9, 15), date(2027, 3, 14)),
        ("medicare_advantage", "FL", date(2026, 11, 1), date(2026, 12, 31)),  # 60 safe of 65
        ("medicaid", "CA", date(2026, 11, 1), date(2026, 12, 31)),  # 60 days
        ("unknown", None, date(2026, 11, 1), date(2026, 12, 31)),  # safest: 60 days
    ],
)
def test_internal_appeal_due_dates(plan_type, state, notice, due):
    step = plan_appeal(facts(plan_type, state, notice), TODAY).next_step
    assert step is not None
    assert step.due == due
    assert step.days_left == (due - TODAY).days


@pytest.mark.parametrize(
    ("plan_type", "state", "notice", "due"),
    [
        ("employer_insured", "OH", date(2026, 10, 31), date(2026, 12, 30)),  # 60 safe of 4 months
        ("employer_insured", "CA", date(2026, 10, 31), date(2027, 5, 1)),  # IMR 6 months
        ("medicaid", "TX", date(2026, 10, 1), date(2027, 1, 29)),  # fair hearing 120 days
    ],
)
def test_external_step_due_dates(plan_type, state, notice, due):
    plan = plan_appeal(facts(plan_type, state, notice, Stage.APPEAL_DENIED), TODAY)
    assert plan.next_step is not None and plan.next_step.due == due
    assert plan.later_step is None


def test_medicare_advantage_review_is_automatic():
    plan = plan_appeal(facts("medicare_advantage", "FL", TODAY, Stage.APPEAL_DENIED), TODAY)
    assert plan.next_step is not None and plan.next_step.status is DueStatus.AUTOMATIC


def test_without_a_notice_date_the_step_is_undated_but_present():
    plan = plan_appeal(facts(notice=None), TODAY)
    assert plan.next_step is not None and plan.next_step.status is DueStatus.UNDATED
    assert plan.later_step is not None and plan.decision is not None


@given(st.integers(min_value=0, max_value=1000))
def test_status_follows_days_left(days_ago):
    step = plan_appeal(facts(notice=TODAY - timedelta(days=days_ago)), TODAY).next_step
    assert step is not None and step.days_left is not None
    if step.days_left < 0:
        assert step.status is DueStatus.PAST
    elif step.days_left < SOON_DAYS:
        assert step.status is DueStatus.SOON
    else:
        assert step.status is DueStatus.OPEN
    assert step.days_left == 180 - days_ago


def test_where_sources_disagree_the_safe_date_comes_with_the_rule_date():
    plan = plan_appeal(
        facts("employer_insured", "OH", date(2026, 10, 31), Stage.APPEAL_DENIED), TODAY
    )
    step = plan.next_step
    assert step is not None
    assert (step.due, step.rule_due) == (date(2026, 12, 30), date(2027, 3, 1))  # no Feb 31


def test_a_missed_safe_date_falls_back_to_the_rule_date():
    notice = date(2026, 9, 1)  # 60 days ended Oct 31; 65 days end Nov 5: both past on Nov 23
    past = plan_appeal(facts("medicare_advantage", "FL", notice), TODAY).next_step
    assert past is not None and past.status is DueStatus.PAST
    notice = date(2026, 9, 20)  # 60 days ended Nov 19; 65 days end Nov 24
    step = plan_appeal(facts("medicare_advantage", "FL", notice), TODAY).next_step
    assert step is not None
    assert (step.due, step.missed_safe_date, step.days_left) == (
        date(2026, 11, 24),
        date(2026, 11, 19),
        1,
    )
    assert step.status is DueStatus.SOON
