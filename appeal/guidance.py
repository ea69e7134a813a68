"""Compose what the assistant tells a member from the rules, the directory and the texts.

Everything here is plain data in, plain text out, so each message can be tested without Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from appeal.dates import format_date
from appeal.deadlines import AppealPlan, CaseFacts, DatedStep, DueStatus, Stage, plan_appeal
from appeal.directory import HelpLine, confirmed_fallback, help_lines
from appeal.knowledge import load_yaml
from appeal.rules import guidance as rule_guidance
from appeal.states import jurisdiction


@cache
def messages() -> dict[str, Any]:
    return dict(load_yaml("messages.yml"))


def text(key: str) -> str:
    return str(messages()[key])


def triage_question(slot: str, state: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The question for `slot` and its (value, title) choices, worded for the member's state."""
    question = load_yaml("questions.yml")[slot]
    choices = [
        (
            button["value"],
            button.get("california", button["title"]) if state == "CA" else button["title"],
        )
        for button in question.get("buttons", [])
    ]
    return str(question["text"]).strip(), choices


def plan_type_label(plan_type: str) -> str:
    return str(messages()["plan_type_labels"].get(plan_type, plan_type))


def state_name(code: str | None) -> str | None:
    if not code or code == "unknown":
        return None
    try:
        return jurisdiction(code).name
    except KeyError:
        return None


@cache
def reasons() -> dict[str, Any]:
    return dict(load_yaml("reasons.yml")["reasons"])


def reason_label(reason: str) -> str | None:
    entry = reasons().get(reason)
    return str(entry["label"]) if entry else None


def _bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def reason_advice(reason: str) -> str | None:
    """What a denial for `reason` means, what usually fixes it, and what evidence helps."""
    entry = reasons().get(reason)
    if entry is None:
        return None
    return (
        f'Denial reason "{entry["label"]}": {entry["meaning"]}\n'
        f"What usually fixes it:\n{_bullets(entry['fixes'])}\n"
        f"Evidence that helps:\n{_bullets(entry['evidence'])}\n"
        f"Sources: {'; '.join(_member_facing(entry['sources']))}."
    )


def _member_facing(sources: list[str]) -> list[str]:
    """Source names without our internal seed numbers, each once."""
    cleaned = (re.sub(r"\s*\(seeds? [^)]*\)", "", source) for source in sources)
    return list(dict.fromkeys(cleaned))


def _rule_source(citation: str, confidence: str) -> str:
    note = messages()["rule_confidence_notes"].get(confidence, "")
    return f"({citation}; {note})" if note else f"({citation})"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def deadline_message(step: DatedStep) -> str:
    window = step.window
    source = _rule_source(window.citation, window.confidence)
    rule = f"The rule: {window.length_text} from {window.clock_start} {source}."
    if step.status is DueStatus.AUTOMATIC:
        return f"Next: {window.label}. {window.note} {source}"
    if step.status is DueStatus.UNDATED or step.due is None or step.days_left is None:
        message = (
            f"Your next step: {window.label}. You have {window.length_text} from "
            f"{window.clock_start} {source}. Tell me the date on your notice "
            '("the date was ...") and I\'ll work out the exact day.'
        )
    elif step.status is DueStatus.PAST:
        late = rule_guidance("late_filing")
        message = (
            f"The usual deadline to {window.label} was {format_date(step.due)}, "
            f"{_days(-step.days_left)} ago. {rule}\n"
            f"Don't give up: {late.text}"
        )
    else:
        when = "today" if step.days_left == 0 else f"{_days(step.days_left)} from today"
        message = (
            f"Your next step: {window.label} by {format_date(step.due)} ({when}). {rule} "
            "I counted from the date printed on your notice, so this date is on the safe side."
        )
        if step.rule_due:
            message += f" The longer reading of the rule runs to {format_date(step.rule_due)}."
        if step.missed_safe_date:
            message += (
                f" The shorter reading ended {format_date(step.missed_safe_date)}, so file as soon"
                " as you can."
            )
        if step.status is DueStatus.SOON:
            message = f"⚠ This deadline is close. {message} If you can, send it today."
    if window.note:
        message += f"\nGood to know: {window.note}"
    return message


def _plan_messages(plan: AppealPlan, urgent: bool) -> list[str]:
    parts: list[str] = []
    if plan.next_step:
        parts.append(deadline_message(plan.next_step))
    if urgent:
        route = rule_guidance("urgent_route")
        parts.append(
            f"Because waiting could harm your health: {route.text} "
            f"{_rule_source(route.citation, route.confidence)}"
        )
    if plan.decision:
        decision = plan.decision
        parts.append(
            f"How fast the plan must answer an appeal: {decision.standard}; "
            f"{decision.urgent} if urgent "
            f"{_rule_source(decision.citation, decision.confidence)}."
        )
    if plan.later_step:
        later = plan.later_step
        if later.automatic:
            parts.append(f"If the plan says no again: {later.note}")
        else:
            parts.append(
                f"If the plan says no again, you can {later.label} within "
                f"{later.length_text} of {later.clock_start} "
                f"{_rule_source(later.citation, later.confidence)}."
            )
    return parts


def help_line_text(line: HelpLine) -> str:
    tty = f", TTY {line.tty}" if line.tty else ""
    note = messages()["confidence_notes"].get(line.confidence, "not verified yet")
    return f"• {line.name}: {line.phone}{tty} ({line.why}; {note})"


def who_can_help(state: str | None, plan_type: str) -> str:
    """The right offices for this plan and state, each with how sure we are of the number."""
    lines = help_lines(state, plan_type)
    if lines:
        parts = ["Who can help:"]
    else:
        where = f" in {state_name(state)}" if state_name(state) else ""
        parts = [f"I don't have a verified help line for this kind of plan{where} yet."]
    parts.extend(help_line_text(line) for line in lines)
    unverified = [line for line in lines if not line.confirmed]
    fallback = confirmed_fallback(lines, plan_type)
    if unverified and fallback:
        parts.append(
            "Some of these numbers are not verified yet. If one doesn't work, this one is "
            f"confirmed:\n{help_line_text(fallback)}"
        )
    if plan_type == "medicaid" and state != "CA":
        parts.append(text("medicaid_hearing_hint"))
    if not state:
        parts.append(text("ask_state_for_lines"))
    return "\n".join(parts)


@dataclass(frozen=True)
class TriageAnswers:
    """The triage slots as the form stored them ("unknown" when skipped)."""

    us_state: str | None
    plan_type: str | None
    notice_date: str | None
    denied_service: str | None
    denial_reason: str | None
    urgency: str | None
    appeal_stage: str | None

    def facts(self) -> CaseFacts:
        state = self.us_state if state_name(self.us_state) else None
        notice = None
        if self.notice_date and self.notice_date != "unknown":
            notice = date.fromisoformat(self.notice_date)
        stage = (
            Stage.APPEAL_DENIED
            if self.appeal_stage == "internal_appeal_denied"
            else Stage.FIRST_DENIAL
        )
        plan_type = self.plan_type if self.plan_type in messages()["plan_type_labels"] else None
        return CaseFacts(
            state=state,
            plan_type=plan_type or "unknown",
            notice_date=notice,
            urgent=self.urgency == "urgent",
            stage=stage,
        )


def situation_line(answers: TriageAnswers) -> str:
    facts = answers.facts()
    parts = [f"Here's what I have: {plan_type_label(facts.plan_type)}"]
    name = state_name(facts.state)
    if name:
        parts.append(f" in {name}")
    if answers.denied_service and answers.denied_service != "unknown":
        parts.append(f"; denied: {answers.denied_service}")
    label = reason_label(answers.denial_reason or "")
    if label:
        parts.append(f" (reason: {label})")
    if facts.notice_date:
        parts.append(f"; notice dated {format_date(facts.notice_date)}")
    return "".join(parts) + "."


def case_summary(answers: TriageAnswers, today: date) -> list[str]:
    """The member's situation, dated next step, reason advice and who can help, in order."""
    facts = answers.facts()
    plan = plan_appeal(facts, today)
    summary = [situation_line(answers), *_plan_messages(plan, facts.urgent)]
    advice = reason_advice(answers.denial_reason or "")
    if advice:
        summary.append(advice)
    summary.append(who_can_help(facts.state, facts.plan_type))
    summary.append(text("what_next"))
    return summary
