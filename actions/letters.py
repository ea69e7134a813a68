"""Letters: the form that gathers what the chosen letter needs, and the drafted letter.

What triage and a pasted letter already told us is reused; each question can be skipped and
becomes a marked blank in the letter. Drafting and the download store run off the event loop.
"""

from __future__ import annotations

import asyncio
from abc import ABC
from datetime import date
from functools import cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    AskQuestion,
    latest_entity,
    latest_intent,
    latest_intent_confidence,
    latest_text,
    triage_answers,
)
from appeal.clock import today
from appeal.details import DETAIL_LABELS, parse_detail, parse_letter_type
from appeal.drafting import deliver_letter
from appeal.knowledge import load_yaml
from appeal.letters import LETTER_TYPES, LetterFacts, facts_from_answers
from appeal.text import clean_member_text, is_skip_answer

UNKNOWN = "unknown"
SURE_SKIP_CONFIDENCE = 0.9
# What each letter needs from the member, in the order asked.
DETAILS_BY_LETTER = {
    "internal_appeal": ("member_name", "member_id", "claim_number", "plan_name"),
    "expedited_appeal": ("member_name", "member_id", "claim_number", "plan_name", "doctor_name"),
    "external_review": ("member_name", "member_id", "claim_number", "plan_name", "doctor_name"),
    "claim_file_request": ("member_name", "member_id", "claim_number", "plan_name"),
    "medical_necessity_request": ("member_name", "doctor_name", "plan_name", "member_id"),
}


@cache
def _questions() -> dict[str, Any]:
    questions: dict[str, Any] = load_yaml("letter_questions.yml")
    return questions


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def letter_facts(tracker: Tracker) -> LetterFacts:
    """Everything known about the case, with skipped answers left out (they become blanks)."""
    details = {slot: tracker.get_slot(slot) for slot in DETAIL_LABELS}
    service_date = _iso_date(tracker.get_slot("service_date"))
    return facts_from_answers(triage_answers(tracker), service_date=service_date, **details)


class ActionStartLetter(Action):
    """ "Write my appeal letter": note which letter (if the message says), and what's next."""

    def name(self) -> str:
        return "action_start_letter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        chosen = latest_entity(tracker, "letter_type") or parse_letter_type(latest_text(tracker))
        letter_type = chosen if chosen in LETTER_TYPES else None
        needed = DETAILS_BY_LETTER.get(letter_type or "internal_appeal", ())
        skipped = [slot for slot in needed if tracker.get_slot(slot) == UNKNOWN]
        missing = [slot for slot in needed if tracker.get_slot(slot) in (None, UNKNOWN)]
        if missing:
            dispatcher.utter_message(
                text=f"I'll write it with you. I need {len(missing)} "
                f"{'detail' if len(missing) == 1 else 'details'} for the letter. You can say "
                '"skip" to any question, and I\'ll leave a blank for you to fill in.'
            )
        # a detail skipped for an earlier letter is asked again: the member may have it now
        return [SlotSet("letter_type", letter_type), *(SlotSet(slot, None) for slot in skipped)]


class ValidateLetterForm(FormValidationAction):
    def name(self) -> str:
        return "validate_letter_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The letter type, then only the details that letter needs."""
        letter_type = tracker.get_slot("letter_type")
        return ["letter_type", *DETAILS_BY_LETTER.get(letter_type, ())]

    def _skipped(self, answer: str, tracker: Tracker) -> bool:
        sure_skip = (
            latest_intent(tracker) == "skip"
            and latest_intent_confidence(tracker) >= SURE_SKIP_CONFIDENCE
        )
        return is_skip_answer(answer) or sure_skip or answer == "/skip"

    async def validate_letter_type(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        value = str(slot_value or "")
        if value not in LETTER_TYPES:
            value = parse_letter_type(clean_member_text(value)) or ""
        if value in LETTER_TYPES:
            return {"letter_type": value}
        dispatcher.utter_message(text="Please pick one of the letters below.")
        return {"letter_type": None}

    def _detail(
        self, slot: str, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        answer = str(slot_value or "")
        if self._skipped(clean_member_text(answer), tracker):
            return {slot: UNKNOWN}
        value = parse_detail(slot, answer)
        if value is None:
            dispatcher.utter_message(
                text=f"Sorry, I couldn't read {DETAIL_LABELS[slot]} in that. Type it as it's "
                'printed, or say "skip" and I\'ll leave a blank.'
            )
        return {slot: value}

    def __getattr__(self, name: str) -> Any:
        """validate_member_name, validate_member_id, ...: rasa_sdk looks each slot's validator
        up by name, and the five letter details are all validated the same way."""
        slot = name.removeprefix("validate_")
        if name == slot or slot not in DETAIL_LABELS:
            raise AttributeError(name)

        async def validate(
            slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
        ) -> dict[str, Any]:
            return self._detail(slot, slot_value, dispatcher, tracker)

        return validate


class AskLetterQuestion(AskQuestion, ABC):
    """A letter question (knowledge/letter_questions.yml); a detail can always be skipped."""

    def open_answer_buttons(self) -> list[dict[str, str]]:
        return [{"title": "Skip", "payload": "/skip"}]

    def question(self, tracker: Tracker) -> tuple[str, list[tuple[str, str]]]:
        question = _questions()[self.slot]
        choices = [(button["value"], button["title"]) for button in question.get("buttons", [])]
        return str(question["text"]).strip(), choices


class AskLetterType(AskLetterQuestion):
    slot = "letter_type"


class AskMemberName(AskLetterQuestion):
    slot = "member_name"


class AskMemberId(AskLetterQuestion):
    slot = "member_id"


class AskClaimNumber(AskLetterQuestion):
    slot = "claim_number"


class AskPlanName(AskLetterQuestion):
    slot = "plan_name"


class AskDoctorName(AskLetterQuestion):
    slot = "doctor_name"


class ActionDraftLetter(Action):
    """The finished letter in the chat, with PDF and Word downloads, and the other letters."""

    def name(self) -> str:
        return "action_draft_letter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        letter_type = tracker.get_slot("letter_type")
        if letter_type not in LETTER_TYPES:
            return []
        delivered = await asyncio.to_thread(
            deliver_letter, letter_type, letter_facts(tracker), today()
        )
        for message in delivered:
            dispatcher.utter_message(text=message)
        others = [
            button
            for button in _questions()["letter_type"]["buttons"]
            if button["value"] != letter_type
        ]
        dispatcher.utter_message(
            text="I can write another letter for this case too:",
            buttons=[
                {
                    "title": button["title"],
                    "payload": f'/request_letter{{"letter_type": "{button["value"]}"}}',
                }
                for button in others
            ],
        )
        drafted = list(tracker.get_slot("letters_drafted") or [])
        return [SlotSet("letters_drafted", [*drafted, letter_type]), SlotSet("letter_type", None)]
