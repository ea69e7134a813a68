"""Turn a member's facts into the dated next step, counted the way the rules count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from appeal.dates import add_calendar_months, add_days, days_until, next_business_day
from appeal.rules import (
    Advice,
    DecisionTime,
    FilingWindow,
    Shortcut,
    decision_time,
    filing_window,
    late_options,
    urgent_route,
)

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
    """What triage learned; `plan_type` is a canonical value or "unknown"; `regulator` is
    "dmhc" or "cdi" for California plans when the member knows it."""

    state: str | None
    plan_type: str
    notice_date: date | None
    urgent: bool
    stage: Stage
    regulator: str | None = None
    experimental: bool = False

    @property
    def shortcut_conditions(self) -> set[str]:
        """What may let the member take the independent step early."""
        conditions = {"no_answer"}
        if self.urgent:
            conditions.add("urgent")
        if self.experimental:
            conditions.add("experimental")
        return conditions


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
    """The next step with its date and decision time, the step after it, the urgent route,
    the shortcuts open to this member, and what is left if the date has passed."""

    next_step: DatedStep | None
    decision: DecisionTime | None
    later_step: FilingWindow | None
    later_decision: DecisionTime | None
    urgent_route: Advice | None
    shortcuts: tuple[Shortcut, ...]
    late_options: tuple[Advice, ...]


def due_date(window: FilingWindow, start: date) -> date:
    """The rule's own last day: calendar days or months, then the business-day rule if any."""
    if window.months:
        due = add_calendar_months(start, window.months)
    elif window.days is not None:
        due = add_days(start, window.days)
    else:
        raise ValueError(f"rule {window.id} has neither days nor months")
    return next_business_day(due) if window.business_day_rollover else due


def date_step(window: FilingWindow, start: date | None, today: date) -> DatedStep:
    """Date one step, on the safe side: where sources disagree on the window, the shorter one
    (never moved later for a weekend); a rule's own weekend rule moves only the rule's date."""
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
    where = (facts.plan_type, facts.state, facts.regulator)
    step = facts.stage.value
    window = filing_window(step, *where)
    next_step = date_step(window, facts.notice_date, today) if window else None
    later = later_decision = None
    if facts.stage is Stage.FIRST_DENIAL:
        later = filing_window(Stage.APPEAL_DENIED.value, *where)
        later_decision = decision_time(Stage.APPEAL_DENIED.value, *where)
    conditions = facts.shortcut_conditions  # ways to reach the later step before the plan answers
    shortcuts = tuple(
        shortcut
        for shortcut in (later.shortcuts if later else ())
        if conditions.intersection(shortcut.when)
    )
    past = next_step is not None and next_step.status is DueStatus.PAST
    return AppealPlan(
        next_step=next_step,
        decision=decision_time(step, *where),
        later_step=later,
        later_decision=later_decision,
        urgent_route=urgent_route(*where) if facts.urgent else None,
        shortcuts=shortcuts,
        late_options=tuple(late_options(*where)) if past else (),
    )
