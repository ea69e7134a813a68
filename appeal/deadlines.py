"""Turn a member's facts into the dated next step, counted the way the rules count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from appeal.dates import add_calendar_months, add_days, days_until
from appeal.rules import DecisionTime, FilingWindow, decision_time, filing_window

SOON_DAYS = 14


class Stage(str, Enum):
    FIRST_DENIAL = "internal_appeal"
    APPEAL_DENIED = "external_review"


class DueStatus(str, Enum):
    OPEN = "open"
    SOON = "soon"
    PAST = "past"
    AUTOMATIC = "automatic"
    UNDATED = "undated"


@dataclass(frozen=True)
class CaseFacts:
    """What triage learned; `plan_type` is a canonical value or "unknown"."""

    state: str | None
    plan_type: str
    notice_date: date | None
    urgent: bool
    stage: Stage


@dataclass(frozen=True)
class DatedStep:
    """`due` is the date to give the member. Where sources disagree on the window, `rule_due`
    is the longer reading's later date, or `missed_safe_date` the shorter one already past."""

    window: FilingWindow
    due: date | None
    days_left: int | None
    status: DueStatus
    rule_due: date | None = None
    missed_safe_date: date | None = None


@dataclass(frozen=True)
class AppealPlan:
    """The next step with its date, the step after it, and how fast the plan must answer."""

    next_step: DatedStep | None
    later_step: FilingWindow | None
    decision: DecisionTime | None


def due_date(window: FilingWindow, start: date) -> date:
    if window.months:
        return add_calendar_months(start, window.months)
    if window.days is None:
        raise ValueError(f"rule {window.id} has neither days nor months")
    return add_days(start, window.days)


def date_step(window: FilingWindow, start: date | None, today: date) -> DatedStep:
    """Date one step, on the safe side: never moved later for weekends, and where sources
    disagree on the window, the shorter one."""
    if window.automatic:
        return DatedStep(window, None, None, DueStatus.AUTOMATIC)
    if start is None:
        return DatedStep(window, None, None, DueStatus.UNDATED)
    rule_due = due_date(window, start)
    due = add_days(start, window.safe_days) if window.safe_days else rule_due
    missed_safe_date = None
    if due < today <= rule_due:  # the safe date is gone but the rule's own date is not
        missed_safe_date, due = due, rule_due
    days_left = days_until(due, today)
    if days_left < 0:
        status = DueStatus.PAST
    elif days_left < SOON_DAYS:
        status = DueStatus.SOON
    else:
        status = DueStatus.OPEN
    later_reading = rule_due if rule_due != due else None
    return DatedStep(window, due, days_left, status, later_reading, missed_safe_date)


def plan_appeal(facts: CaseFacts, today: date) -> AppealPlan:
    window = filing_window(facts.stage.value, facts.plan_type, facts.state)
    next_step = date_step(window, facts.notice_date, today) if window else None
    later = (
        filing_window(Stage.APPEAL_DENIED.value, facts.plan_type, facts.state)
        if facts.stage is Stage.FIRST_DENIAL
        else None
    )
    return AppealPlan(next_step, later, decision_time(facts.plan_type, facts.state))
