"""Compose what the assistant tells a member from the rules, the directory and the texts.

Everything here is plain data in, plain text out, so each message can be tested without Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cache
from typing import Any

from appeal import downloads
from appeal.calendar import CalendarEvent, build_calendar
from appeal.dates import format_date
from appeal.deadlines import AppealPlan, CaseFacts, DatedStep, DueStatus, Stage, plan_appeal
from appeal.directory import HelpLine, NamedOffice, lines_for_office, office_name, referral
from appeal.directory_store import PhoneRecord, ReviewRoute, review_route
from appeal.knowledge import load_yaml
from appeal.rules import Advice, DecisionTime, Shortcut
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
        message = (
            f"The usual deadline to {window.label} was {format_date(step.due)}, "
            f"{_days(-step.days_left)} ago. {rule}\n"
            "Don't give up. What is still possible:"
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
    note_still_true = step.status is not DueStatus.PAST and step.missed_safe_date is None
    if window.note and note_still_true:
        message += f"\nGood to know: {window.note}"
    return message


def _sourced(item: Advice | Shortcut) -> str:
    return f"{item.text} {_rule_source(item.citation, item.confidence)}"


def _decision_text(decision: DecisionTime) -> str:
    return (
        f"How fast {decision.who} must answer: {decision.standard}; {decision.urgent} if urgent "
        f"{_rule_source(decision.citation, decision.confidence)}."
    )


def _plan_messages(plan: AppealPlan, calendar: str | None = None) -> list[str]:
    """The dated step (and the calendar link for it, if any), then what follows it."""
    parts: list[str] = []
    if plan.next_step:
        message = deadline_message(plan.next_step)
        if plan.late_options:
            message += "\n" + _bullets([_sourced(option) for option in plan.late_options])
        parts.append(message)
    if calendar:
        parts.append(calendar)
    if plan.urgent_route:
        parts.append(f"Because waiting could harm your health: {_sourced(plan.urgent_route)}")
    if plan.decision:
        parts.append(_decision_text(plan.decision))
    later = plan.later_step
    if later:
        if later.automatic:
            message = f"If the plan says no again: {later.note}"
        else:
            message = (
                f"If the plan says no again, you can {later.label} within "
                f"{later.length_text} of {later.clock_start} "
                f"{_rule_source(later.citation, later.confidence)}."
            )
        if plan.later_decision:
            message += " " + _decision_text(plan.later_decision)
        if plan.shortcuts:
            message += "\n" + _bullets([_sourced(shortcut) for shortcut in plan.shortcuts])
        parts.append(message)
    return parts


def _confidence_note(mark: str) -> str:
    return str(messages()["confidence_notes"].get(mark, "not verified yet"))


def _numbers_text(numbers: tuple[PhoneRecord, ...], one_mark: bool) -> str:
    texts = []
    for number in numbers:
        shown_label = number.phone_label not in ("", "TTY")  # "TTY" is said before the number
        details = [number.phone_label] if shown_label else []
        if not one_mark:
            details.append(_confidence_note(number.confidence))
        texts.append(f"{number.phone} ({'; '.join(details)})" if details else number.phone)
    return ", ".join(texts)


def help_line_text(line: HelpLine) -> str:
    """One office: its numbers, how sure we are of each, where they come from and when checked."""
    marks = {number.confidence for number in line.numbers}
    one_mark = len(marks) == 1
    said = f"• {line.name}: {_numbers_text(line.voice, one_mark)}"
    if line.tty:
        said += f", TTY {_numbers_text(line.tty, one_mark)}"
    said += f". {line.scope[:1].upper()}{line.scope[1:]}." if line.scope else "."
    sources = " and ".join(dict.fromkeys(number.source_url for number in line.numbers))
    checked = f"checked {format_date(line.checked_on)}"
    if one_mark:
        said += f" ({_confidence_note(marks.pop())}; source: {sources}; {checked})"
    else:
        said += f" (source: {sources}; {checked})"
    notes = list(dict.fromkeys(number.member_note for number in line.numbers if number.member_note))
    if notes:
        said += " Note: " + " ".join(note.rstrip(".") + "." for note in notes)
    return said


def review_route_text(review: ReviewRoute) -> str:
    """Who runs external review for insured plans in the member's state, with how sure we are."""
    name = state_name(review.jurisdiction) or review.jurisdiction
    law = f", {review.law}" if review.law else ""
    source = f"({_confidence_note(review.confidence)}; source: {review.source_url})"
    note = f" {review.note}" if review.note else ""
    who = f"{review.administrator}{law} {source}.{note}"
    if review.route == "state":
        return f"External review in {name} is run by the state: {who}"
    if review.route == "federal":
        return f"External review in {name} uses the federal process: {who}"
    uncertain = text("review_route_uncertain")
    if review.route == "conflict":
        return f"External review in {name}:{note} {source} {uncertain}"
    return f"External review in {name}: I could not confirm who runs it. {uncertain}"


REVIEW_ROUTE = "external_review_route"


def review_route_answer(state: str | None) -> str:
    """ "Who runs external review in Georgia?": the state's route and the office to call."""
    review = review_route(state) if state else None
    if review is None:
        return f"{text('review_route_uncertain')} {text('ask_state_for_lines')}"
    if review.route in ("federal", "conflict"):
        lines = lines_for_office("federal_external_review", None)
    else:
        lines = lines_for_office("external_review_office", state) or lines_for_office(
            "insurance_department", state
        )
    return "\n".join([review_route_text(review), *(help_line_text(line) for line in lines)])


def who_can_help(
    state: str | None, plan_type: str, regulator: str | None = None, invite_state: bool = True
) -> str:
    """Who regulates the plan and the offices that can help, each number with its source and
    how sure we are of it; a confirmed line beside them when none is confirmed. Without a state,
    `invite_state` asks for one (not when the assistant can't take the answer)."""
    found = referral(state, plan_type, regulator)
    route = found.route
    where = state_name(state)
    regulator_name = route.regulator.format(state=where or "state")
    parts = [
        f"Who regulates your plan: {regulator_name}. {route.why} "
        f"{_rule_source(route.citation, route.confidence)}"
    ]
    if found.lines:
        parts.append("Who can help:")
        parts.extend(help_line_text(line) for line in found.lines)
    else:
        place = f" in {where}" if where else ""
        parts.append(f"I don't have a verified help line for this kind of plan{place} yet.")
    if found.review_route:
        parts.append(review_route_text(found.review_route))
    if found.fallback:
        parts.append(
            "None of these numbers is confirmed yet. If one doesn't work, this one is "
            f"confirmed:\n{help_line_text(found.fallback)}"
        )
    if not state and invite_state:
        parts.append(text("ask_state_for_lines"))
    return "\n".join(parts)


def office_answer(named: NamedOffice, state: str | None) -> str:
    """The member named one office ("the insurance department in Ohio"): its lines, or why not."""
    office = named.office
    state = named.jurisdiction or state
    if office == REVIEW_ROUTE:
        return review_route_answer(state)
    lines = lines_for_office(office, state)
    name = office_name(office)
    where = state_name(state)
    if not lines:
        place = f" for {where}" if where else ""
        hint = "" if where else " " + text("ask_state_for_lines")
        return f"I don't have a number for {name}{place} in my directory.{hint}"
    intro = f"{name[:1].upper()}{name[1:]}" + (
        f" for {where}" if where and lines[0].jurisdiction == state else ""
    )
    return "\n".join([f"{intro}:", *(help_line_text(line) for line in lines)])


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
    ca_regulator: str | None = None

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
            regulator=self.ca_regulator if self.ca_regulator in ("dmhc", "cdi") else None,
            experimental=self.denial_reason == "experimental",
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


def case_summary(answers: TriageAnswers, today: date, with_calendar: bool = False) -> list[str]:
    """The member's situation, dated next step (with a calendar link when asked for), reason
    advice and who can help, in order."""
    facts = answers.facts()
    plan = plan_appeal(facts, today)
    calendar = _calendar_offer(facts, plan, today) if with_calendar else None
    summary = [situation_line(answers), *_plan_messages(plan, calendar)]
    advice = reason_advice(answers.denial_reason or "")
    if advice:
        summary.append(advice)
    summary.append(who_can_help(facts.state, facts.plan_type, facts.regulator))
    summary.append(text("what_next"))
    return summary


def deadline_events(facts: CaseFacts, plan: AppealPlan) -> list[CalendarEvent]:
    """Calendar entries for the member's dated deadlines that are still ahead."""
    step = plan.next_step
    if step is None or step.due is None or step.status not in (DueStatus.OPEN, DueStatus.SOON):
        return []
    window = step.window
    details = [
        f"Deadline to {window.label}.",
        f"The rule: {window.length_text} from {window.clock_start} ({window.citation}).",
    ]
    if facts.notice_date:
        details.append(f"Counted from the notice dated {format_date(facts.notice_date)}.")
    if step.rule_due:
        details.append(f"The longer reading of the rule runs to {format_date(step.rule_due)}.")
    found = referral(facts.state, facts.plan_type, facts.regulator)
    for line in found.lines[:2]:
        if line.voice:
            details.append(f"Help: {line.name}, {line.voice[0].phone}.")
    details.append(text("calendar_disclaimer"))
    return [
        CalendarEvent(
            uid_seed=f"{window.id}:{step.due.isoformat()}",
            day=step.due,
            title=f"Appeal deadline: {window.label}",
            description="\n".join(details),
        )
    ]


def calendar_offer(answers: TriageAnswers, today: date) -> str | None:
    """Store a calendar file of the member's deadlines behind an expiring link; the message
    that gives the link, or None when there is no future date to put in a calendar."""
    facts = answers.facts()
    return _calendar_offer(facts, plan_appeal(facts, today), today)


def _calendar_offer(facts: CaseFacts, plan: AppealPlan, today: date) -> str | None:
    events = deadline_events(facts, plan)
    if not events:
        return None
    created = datetime.combine(today, datetime.now(timezone.utc).time(), tzinfo=timezone.utc)
    content = build_calendar(events, created).encode("utf-8")  # reminders counted from today
    token = downloads.store(content, "appeal-deadlines.ics", "text/calendar; charset=utf-8")
    hours = int(downloads.ttl().total_seconds() // 3600)
    return text("calendar_offer").format(
        link=downloads.link(token, "appeal-deadlines.ics"), hours=hours
    )
