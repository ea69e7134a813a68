"""Handing a member to a human advocate: when advocates are there, what they read first, and
what the member is told when no one is free.

Pure logic: the store (appeal/handoff_store.py) keeps cases, the action server opens them and
the gateway runs the live chat. Settings come from the environment so every process agrees.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from appeal.dates import format_date
from appeal.deadlines import DueStatus, plan_appeal
from appeal.guidance import TriageAnswers, plan_type_label, reason_label, state_name
from appeal.letters import LETTER_TYPES, letter_label

HOURS_VARIABLE = "ADVOCATE_HOURS"
TIMEZONE_VARIABLE = "ADVOCATE_TIMEZONE"
WAIT_VARIABLE = "HANDOFF_WAIT_SECONDS"
WEBHOOK_VARIABLE = "HANDOFF_WEBHOOK_URL"
DEFAULT_HOURS = "Mon-Fri 09:00-17:00"
DEFAULT_TIMEZONE = "America/Los_Angeles"
DEFAULT_WAIT_SECONDS = 300
ONLINE_WINDOW_SECONDS = 90  # an open console asks for news at least every 25 s

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_CODES = {name[:3].lower(): index for index, name in enumerate(DAY_NAMES)}
_HOURS_SPEC = re.compile(
    r"(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})"
)

# Case statuses. Waiting and held cases hold the conversation: the assistant stays quiet.
WAITING, HELD, MISSED = "waiting", "held", "missed"
HANDED_BACK, CLOSED, CANCELLED = "handed_back", "closed", "cancelled"
HOLDING_STATUSES = (WAITING, HELD)


@dataclass(frozen=True)
class AdvocateHours:
    """When advocates answer: `always`, or a run of weekdays with opening and closing times."""

    days: frozenset[int]
    opens: time
    closes: time
    zone: ZoneInfo
    always: bool = False

    @classmethod
    def parse(cls, spec: str, zone_name: str) -> AdvocateHours:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {zone_name!r}") from error
        cleaned = spec.strip().lower()
        if cleaned == "always":
            return cls(frozenset(range(7)), time(0), time(23, 59), zone, always=True)
        match = _HOURS_SPEC.fullmatch(cleaned)
        if not match or match["first"] not in _DAY_CODES:
            raise ValueError(f'advocate hours {spec!r}: write "always" or "Mon-Fri 09:00-17:00"')
        first = _DAY_CODES[match["first"]]
        last = _DAY_CODES.get(match["last"] or match["first"])
        if last is None:
            raise ValueError(f"advocate hours {spec!r}: unknown day {match['last']!r}")
        days = frozenset(day % 7 for day in range(first, first + (last - first) % 7 + 1))
        opens, closes = (
            time.fromisoformat(match["start"].zfill(5)),
            time.fromisoformat(match["end"].zfill(5)),
        )
        if closes <= opens:
            raise ValueError(f"advocate hours {spec!r}: closing time must follow opening time")
        return cls(days, opens, closes, zone)

    def is_open(self, moment: datetime) -> bool:
        if self.always:
            return True
        local = moment.astimezone(self.zone)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def describe(self, moment: datetime) -> str:
        """ "Monday to Friday, 9:00 a.m. to 5:00 p.m. Pacific Standard Time" for the member."""
        if self.always:
            return "at any time"
        ordered = sorted(self.days)
        if len(ordered) == 1:
            days = DAY_NAMES[ordered[0]]
        else:
            days = f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
        zone_label = moment.astimezone(self.zone).tzname() or str(self.zone)
        return f"{days}, {_clock(self.opens)} to {_clock(self.closes)} ({zone_label})"


def _clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "a.m." if moment.hour < 12 else "p.m."
    return f"{hour}:{moment.minute:02d} {suffix}"


@dataclass(frozen=True)
class HandoffSettings:
    hours: AdvocateHours
    wait_seconds: int
    webhook_url: str | None

    @classmethod
    def from_environment(cls) -> HandoffSettings:
        hours = AdvocateHours.parse(
            os.environ.get(HOURS_VARIABLE) or DEFAULT_HOURS,
            os.environ.get(TIMEZONE_VARIABLE) or DEFAULT_TIMEZONE,
        )
        wait = int(os.environ.get(WAIT_VARIABLE) or DEFAULT_WAIT_SECONDS)
        if wait < 10:
            raise ValueError(f"{WAIT_VARIABLE} must be at least 10 seconds")
        return cls(hours, wait, os.environ.get(WEBHOOK_VARIABLE) or None)


@dataclass(frozen=True)
class CaseBrief:
    """What an advocate reads first, and what orders the queue."""

    summary: dict[str, Any]
    urgent: bool
    nearest_deadline: date | None


def case_brief(
    answers: TriageAnswers, letters_drafted: list[str], help_lines: str, today: date
) -> CaseBrief:
    """The member's case as the assistant knows it, with the dated deadline and its rule."""
    facts = answers.facts()
    plan = plan_appeal(facts, today)
    deadlines = []
    nearest = None
    step = plan.next_step
    if step is not None:
        window = step.window
        deadlines.append(
            {
                "step": window.label,
                "due": step.due.isoformat() if step.due else None,
                "days_left": step.days_left,
                "rule": f"{window.length_text} from {window.clock_start} ({window.citation})",
                "confidence": window.confidence,
            }
        )
        if step.due and step.status in (DueStatus.OPEN, DueStatus.SOON, DueStatus.PAST):
            nearest = step.due
    known = [value for value in (answers.denied_service,) if value and value != "unknown"]
    summary = {
        "state": state_name(facts.state),
        "plan": plan_type_label(facts.plan_type) if facts.plan_type != "unknown" else None,
        "notice_date": format_date(facts.notice_date) if facts.notice_date else None,
        "service": known[0] if known else None,
        "reason": reason_label(answers.denial_reason or ""),
        "urgent": facts.urgent,
        "stage": "outside review" if answers.appeal_stage == "internal_appeal_denied" else (
            "first appeal to the plan"
        ),
        "deadlines": deadlines,
        "letters_drafted": [letter_label(kind) for kind in letters_drafted
                            if kind in LETTER_TYPES],
        "help_lines": help_lines,
    }  # fmt: skip
    return CaseBrief(summary, facts.urgent, nearest)


def advocate_offer(answers: TriageAnswers, today: date) -> str | None:
    """Why a person should look at this case now (a messages.yml key), or None: the care is
    urgent, or the next filing date is near or gone."""
    if answers.facts().urgent:
        return "advocate_offer_urgent"
    step = plan_appeal(answers.facts(), today).next_step
    if step is not None and step.status in (DueStatus.SOON, DueStatus.PAST):
        return "advocate_offer_deadline"
    return None


def callback_phone(raw: str) -> str | None:
    """A US phone number the member typed, written one way ("(415) 555-0134"), or None."""
    if len(raw) > 40:
        return None
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def wait_phrase(seconds: int) -> str:
    """ "5 minutes", "1 minute", "45 seconds": how long a member waits before being told."""
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def now() -> datetime:
    return datetime.now(timezone.utc)
