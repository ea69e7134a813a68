"""What the letter reader found, said back to the member and turned into the conversation's
slots; and the letter's own deadline set beside the one the rules give.

The member confirms or corrects what was read, so every value is shown; nothing read is
treated as more certain than the member's own answers (state and plan type read from the
letter fill only answers not given yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from appeal.dates import add_calendar_months, add_days, format_date
from appeal.deadlines import DueStatus, plan_appeal
from appeal.guidance import TriageAnswers, reason_label, text
from appeal.intake import LetterReading, StatedDeadline
from appeal.knowledge import load_yaml

MAX_CODES_SHOWN = 8


@dataclass(frozen=True)
class Findings:
    """Messages for the member, and slot values to set (empty when nothing is kept)."""

    messages: list[str]
    slots: dict[str, Any] = field(default_factory=dict)
    is_denial: bool = False


@cache
def _routes() -> dict[str, dict[str, Any]]:
    """What each external-review route named in a letter tells us about the plan."""
    routes: dict[str, dict[str, Any]] = load_yaml("intake/route_facts.yml")["routes"]
    return routes


def stated_due_date(deadline: StatedDeadline, notice_date: date | None) -> date | None:
    """The letter's deadline as a date: printed as one, or counted from the letter's date."""
    if deadline.date is not None:
        return deadline.date
    if notice_date is None:
        return None
    if deadline.months:
        return add_calendar_months(notice_date, deadline.months)
    if deadline.days:
        return add_days(notice_date, deadline.days)
    return None


def _codes(label: str, codes: tuple[str, ...]) -> str | None:
    if not codes:
        return None
    shown = ", ".join(codes[:MAX_CODES_SHOWN])
    more = f" and {len(codes) - MAX_CODES_SHOWN} more" if len(codes) > MAX_CODES_SHOWN else ""
    return f"• {label}: {shown}{more}"


def _found_lines(reading: LetterReading, due: date | None) -> list[str]:
    lines = [
        f"• Plan: {reading.plan_name}" if reading.plan_name else None,
        f"• Member ID: {reading.member_id}" if reading.member_id else None,
        f"• Claim or reference number: {reading.claim_number}" if reading.claim_number else None,
        f"• Date of the letter: {format_date(reading.notice_date)}"
        if reading.notice_date
        else None,
        f"• Denied: {reading.service}" if reading.service else None,
        "• Date of service: " + ", ".join(format_date(day) for day in reading.service_dates)
        if reading.service_dates
        else None,
        f"• Reason: {reason_label(reading.reason_category) or 'another reason'}"
        if reading.reason_category
        else None,
        _codes("Denial codes (CARC/RARC)", reading.carc_codes + reading.rarc_codes),
        _codes("Procedure codes (CPT/HCPCS)", reading.cpt_hcpcs_codes),
        _codes("Diagnosis codes (ICD-10)", reading.icd10_codes),
    ]
    if reading.stated_deadline:
        when = f" ({format_date(due)})" if due and reading.stated_deadline.date is None else ""
        lines.append(f'• Deadline the letter gives: "{reading.stated_deadline.text}"{when}')
    if reading.external_review_route:
        lines.append(f"• Outside review it names: {reading.external_review_route}")
    return [line for line in lines if line]


def _inferred_slots(reading: LetterReading, answers: TriageAnswers) -> dict[str, Any]:
    route = _routes().get(reading.external_review_route or "", {})
    inferred = {
        "us_state": route.get("state"),
        "plan_type": route.get("plan_type"),
        "ca_regulator": route.get("ca_regulator"),
    }
    return {
        slot: value
        for slot, value in inferred.items()
        if value and getattr(answers, slot) in (None, "unknown")
    }


def _slots(reading: LetterReading, due: date | None, answers: TriageAnswers) -> dict[str, Any]:
    deadline = None
    if reading.stated_deadline:
        deadline = {"text": reading.stated_deadline.text, "due": due.isoformat() if due else None}
    slots: dict[str, Any] = {
        "plan_name": reading.plan_name,
        "member_id": reading.member_id,
        "claim_number": reading.claim_number,
        "notice_date": reading.notice_date.isoformat() if reading.notice_date else None,
        "service_date": reading.service_dates[0].isoformat() if reading.service_dates else None,
        "denied_service": reading.service,
        "denial_reason": reading.reason_category,
        "letter_deadline": deadline,
    }
    kept = {slot: value for slot, value in slots.items() if value is not None}
    return {**kept, **_inferred_slots(reading, answers)}


def read_back(reading: LetterReading, answers: TriageAnswers, today: date) -> Findings:
    """The reply to a pasted letter: what was found, for the member to confirm or correct."""
    if not reading.is_denial:
        if reading.language == "other" or not (reading.plan_name or reading.member_id):
            return Findings([text("letter_unreadable")])
        return Findings([text("letter_not_a_denial")])
    deadline = reading.stated_deadline
    due = stated_due_date(deadline, reading.notice_date) if deadline else None
    lines = _found_lines(reading, due)
    notes = []
    if reading.language == "es":
        notes.append(text("letter_in_spanish"))
    if reading.truncated:
        notes.append(text("letter_truncated"))
    if not lines:
        return Findings([*notes, text("letter_nothing_found")])
    slots = _slots(reading, due, answers)
    messages = [*notes, "Here's what I read in your letter:\n" + "\n".join(lines)]
    if not reading.stated_deadline:
        messages.append(text("letter_no_deadline"))
    messages.append(text("letter_confirm"))
    return Findings(messages, slots, is_denial=True)


def deadline_comparison(
    answers: TriageAnswers, letter_deadline: dict[str, Any] | None, today: date
) -> str | None:
    """The letter's date beside the rule's date for the member's next step, when both are
    known; when they differ, which one to go by and why they can differ."""
    if not letter_deadline or not letter_deadline.get("due"):
        return None
    plan = plan_appeal(answers.facts(), today)
    step = plan.next_step
    if step is None or step.due is None or step.status is DueStatus.AUTOMATIC:
        return None
    stated = date.fromisoformat(letter_deadline["due"])
    printed = letter_deadline.get("text") or "a deadline"
    if stated == step.due:
        return text("letter_deadline_matches").format(date=format_date(stated))
    earlier = min(stated, step.due)
    return text("letter_deadline_differs").format(
        printed=printed,
        letter_date=format_date(stated),
        rule_date=format_date(step.due),
        citation=step.window.citation,
        earlier=format_date(earlier),
    )
