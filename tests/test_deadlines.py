"""Dated next steps: the date, the days left, and what happens near or past the deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appeal.dates import add_calendar_months, us_federal_holidays
from appeal.deadlines import (
    SOON_DAYS,
    CaseFacts,
    DueStatus,
    Stage,
    date_step,
    due_date,
    plan_appeal,
)
from appeal.rules import filing_window, filing_windows

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


def urgent_facts(
    plan_type, state="OH", regulator=None, experimental=False, stage=Stage.FIRST_DENIAL
):
    return CaseFacts(
        state=state,
        plan_type=plan_type,
        notice_date=TODAY - timedelta(days=10),
        urgent=True,
        stage=stage,
        regulator=regulator,
        experimental=experimental,
    )


@pytest.mark.parametrize(
    ("notice", "rule_due"),
    [
        (date(2026, 8, 25), date(2026, 12, 28)),  # Dec 25 (Christmas, a Friday) -> Monday
        (date(2026, 9, 18), date(2027, 1, 19)),  # Jan 18 (Martin Luther King Jr. Day) -> Tuesday
        (date(2026, 9, 5), date(2027, 1, 5)),  # a Tuesday stays
        (date(2026, 10, 31), date(2027, 3, 1)),  # no Feb 31: March 1, a Monday
    ],
)
def test_the_federal_four_months_skip_weekends_and_holidays(notice, rule_due):
    window = filing_window("external_review", "employer_insured", "OH")
    assert window is not None and window.business_day_rollover
    assert due_date(window, notice) == rule_due


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31)))
def test_the_four_month_date_is_a_business_day_no_earlier_than_the_rule(notice):
    window = filing_window("external_review", "marketplace", "TX")
    assert window is not None
    raw = add_calendar_months(notice, 4)
    due = due_date(window, notice)
    assert raw <= due <= raw + timedelta(days=4)
    assert due.weekday() < 5 and due not in us_federal_holidays(due.year)
    if raw.weekday() < 5 and raw not in us_federal_holidays(raw.year):
        assert due == raw


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31)))
def test_day_windows_are_never_moved(notice):
    window = filing_window("internal_appeal", "employer_insured", "OH")
    assert window is not None and not window.business_day_rollover
    assert due_date(window, notice) == notice + timedelta(days=180)


@pytest.mark.parametrize(
    ("plan_type", "state", "regulator", "experimental", "expected"),
    [
        ("employer_insured", "CA", "dmhc", False, {"urgent", "no_answer"}),
        ("employer_insured", "CA", None, True, {"urgent", "no_answer"}),
        ("employer_insured", "CA", "cdi", False, {"no_answer"}),
        ("employer_insured", "OH", None, False, {"urgent", "no_answer"}),
        ("medicaid", "TX", None, False, {"no_answer"}),
        ("medicare_advantage", "FL", None, False, set()),
    ],
)
def test_shortcuts_to_the_independent_step(plan_type, state, regulator, experimental, expected):
    plan = plan_appeal(urgent_facts(plan_type, state, regulator, experimental), TODAY)
    conditions = {condition for shortcut in plan.shortcuts for condition in shortcut.when}
    assert expected <= conditions | ({"urgent"} if "experimental" in conditions else set())
    if not expected:
        assert plan.shortcuts == ()


def test_no_shortcuts_once_the_plan_has_answered():
    plan = plan_appeal(urgent_facts("employer_insured", stage=Stage.APPEAL_DENIED), TODAY)
    assert plan.shortcuts == () and plan.later_step is None


@pytest.mark.parametrize(
    ("plan_type", "state", "route_id"),
    [
        ("employer_insured", "OH", "urgent_aca_erisa"),
        ("employer_insured", "CA", "urgent_california_dmhc"),
        ("medicaid", "CA", "urgent_medicaid"),
        ("medicare_advantage", "TX", "urgent_medicare_advantage"),
    ],
)
def test_urgent_cases_get_their_plans_fast_route(plan_type, state, route_id):
    plan = plan_appeal(urgent_facts(plan_type, state), TODAY)
    assert plan.urgent_route is not None and plan.urgent_route.id == route_id
    calm = plan_appeal(facts(plan_type, state, TODAY), TODAY)
    assert calm.urgent_route is None


@pytest.mark.parametrize(
    "plan_type", ["employer_insured", "medicaid", "medicare_advantage", "self_funded", "unknown"]
)
def test_a_missed_deadline_always_comes_with_what_is_still_possible(plan_type):
    plan = plan_appeal(facts(plan_type, "OH", date(2024, 1, 2)), TODAY)
    assert plan.next_step is not None and plan.next_step.status is DueStatus.PAST
    assert plan.late_options and all(option.citation for option in plan.late_options)
    on_time = plan_appeal(facts(plan_type, "OH", TODAY), TODAY)
    assert on_time.late_options == ()


def test_the_later_step_comes_with_its_own_decision_time():
    plan = plan_appeal(facts("employer_insured", "OH", TODAY), TODAY)
    assert plan.later_decision is not None and plan.later_decision.standard == "45 days"
    assert plan.decision is not None and plan.decision.step == "internal_appeal"


DATED_WINDOWS = [window for window in filing_windows() if not window.automatic]


@given(
    st.sampled_from(DATED_WINDOWS),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2091, 12, 31)),
)
def test_every_rule_counts_as_written_and_never_gives_a_later_date_than_it_allows(
    window, notice, today
):
    """For each dated rule and any notice date and today: the rule's date is its days or
    calendar months (plus the business-day rule where it has one), the member's date is never
    later than it, and days left are counted from today."""
    rule_due = due_date(window, notice)
    if window.months:
        raw = add_calendar_months(notice, window.months)
        assert raw.day in (notice.day, 1)  # the same day, or the 1st when the month lacks it
    else:
        raw = notice + timedelta(days=window.days or 0)
    assert raw <= rule_due <= raw + timedelta(days=4 if window.business_day_rollover else 0)
    step = date_step(window, notice, today)
    assert step.due is not None and step.days_left == (step.due - today).days
    assert step.due <= rule_due
    if window.safe_days:  # sources disagree: the shorter date, unless only it has passed
        safe = notice + timedelta(days=window.safe_days)
        expected = rule_due if safe < today <= rule_due else safe
        assert step.due == expected
        assert step.missed_safe_date == (safe if expected == rule_due else None)
    else:
        assert step.due == rule_due
