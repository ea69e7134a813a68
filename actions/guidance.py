"""Guidance: the path after a denial, the member's dated plan, and advice per denial reason."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ADVOCATE_BUTTON, latest_entity, latest_text, triage_answers
from actions.triage import DENIAL_REASONS, SENTENCE_FINDERS
from appeal.clock import today
from appeal.guidance import (
    TriageAnswers,
    calendar_offer,
    case_summary,
    reason_advice,
    reason_label,
    reasons,
    text,
    triage_question,
)
from appeal.handoff import advocate_offer
from appeal.letter_findings import deadline_comparison


def _prefill_from_message(tracker: Tracker) -> list[EventType]:
    """Keep what the opening message already told us (state, plan, date, reason)."""
    message = latest_text(tracker)
    events: list[EventType] = []
    for slot, finder in SENTENCE_FINDERS.items():
        value = finder(message) if message else None
        if value and tracker.get_slot(slot) is None:
            events.append(SlotSet(slot, value))
    return events


class ActionExplainPath(Action):
    """Answer "my claim was denied, what now?" with the map of the path and an offer."""

    def name(self) -> str:
        return "action_explain_path"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events = _prefill_from_message(tracker)
        dispatcher.utter_message(
            text="I'm sorry you're dealing with this. " + text("path_overview")
        )
        reason = next(
            (event["value"] for event in events if event["name"] == "denial_reason"), None
        )
        if reason:
            dispatcher.utter_message(
                text=f'It sounds like the reason given was "{reason_label(reason)}". '
                "Denials like that are often fixable, and I can show you how."
            )
        dispatcher.utter_message(
            text=text("triage_offer"),
            buttons=[
                {"title": "Yes, work out my deadline", "payload": "/affirm"},
                {"title": "Not now", "payload": "/deny"},
            ],
        )
        return events


class ActionSummarizeCase(Action):
    """After triage: the member's situation, dated next step, advice and who can help."""

    def name(self) -> str:
        return "action_summarize_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # directory reads and the download store are database work: off the event loop
        answers = triage_answers(tracker)
        messages = await asyncio.to_thread(case_summary, answers, today(), with_calendar=True)
        comparison = deadline_comparison(answers, tracker.get_slot("letter_deadline"), today())
        if comparison:
            messages.insert(1, comparison)
        for message in messages:
            dispatcher.utter_message(text=message)
        buttons = _letter_buttons(answers)
        offer = advocate_offer(answers, today())
        if offer:
            dispatcher.utter_message(text=text(offer))
            buttons.append(ADVOCATE_BUTTON)
        dispatcher.utter_message(text=text("letter_offer"), buttons=buttons)
        return []


def _letter_buttons(answers: TriageAnswers) -> list[dict[str, str]]:
    """The letter for the member's next step first, then the claim-file request."""
    if answers.appeal_stage == "internal_appeal_denied":
        first = ("external_review", "Write my outside review request")
    elif answers.urgency == "urgent":
        first = ("expedited_appeal", "Write my urgent appeal")
    else:
        first = ("internal_appeal", "Write my appeal letter")
    choices = [first, ("claim_file_request", "Ask for my claim file")]
    return [
        {"title": title, "payload": f'/request_letter{{"letter_type": "{letter_type}"}}'}
        for letter_type, title in choices
    ]


class ActionOfferCalendar(Action):
    """ "Put it in my calendar": a calendar file of the member's deadlines, or what is missing."""

    def name(self) -> str:
        return "action_offer_calendar"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answers = triage_answers(tracker)
        if answers.facts().notice_date is None:
            dispatcher.utter_message(text=text("calendar_needs_date"))
            return []
        offer = await asyncio.to_thread(calendar_offer, answers, today())
        dispatcher.utter_message(text=offer or text("calendar_past"))
        return []


class ActionExplainDenialReason(Action):
    """What a named denial reason means, what fixes it and what evidence helps."""

    def name(self) -> str:
        return "action_explain_denial_reason"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reason = latest_entity(tracker, "denial_reason") or SENTENCE_FINDERS["denial_reason"](
            latest_text(tracker)
        )
        if reason not in DENIAL_REASONS:
            reason = tracker.get_slot("denial_reason")
        advice = reason_advice(reason) if reason else None
        if advice is None:
            dispatcher.utter_message(
                text="Which reason does your letter give?",
                buttons=[
                    {
                        "title": title,
                        "payload": f'/explain_denial_reason{{"denial_reason": "{value}"}}',
                    }
                    for value, title in triage_question("denial_reason", None)[1]
                    if value in reasons()
                ],
            )
            return []
        dispatcher.utter_message(text=advice)
        return [SlotSet("denial_reason", reason)]
