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
        ("medicare_advantage", "FL", date(2026, 11, 1), date(2027, 1, 5)),  # 65 days
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
        ("employer_insured", "OH", date(2026, 10, 31), date(2027, 3, 1)),  # 4 months, no Feb 31
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
