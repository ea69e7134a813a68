"""Triage: the form that learns the member's state, plan, dates, reason, urgency and stage.

Typed answers are read by the parsers in appeal/; buttons send canonical values as entities.
A member can skip a question ("unknown"), fix an earlier answer in any message ("actually I'm
in Oregon"), or give several answers at once ("Medi-Cal in California").
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    PLANS_WITH_TWO_REGULATORS,
    AskQuestion,
    latest_entity,
    latest_intent,
    latest_intent_confidence,
    latest_text,
    missing_triage_slots,
)
from appeal.answers import parse_appeal_stage, parse_urgency
from appeal.clock import today
from appeal.dates import DateStatus, format_date, parse_notice_date
from appeal.details import DETAIL_LABELS, find_letter_details
from appeal.directory import parse_california_regulator
from appeal.guidance import (
    messages,
    plan_type_label,
    reason_label,
    reasons,
    state_name,
    text,
    triage_question,
)
from appeal.plans import find_plan_type_in_sentence, parse_plan_type
from appeal.reasons import parse_denial_reason
from appeal.states import find_state_in_sentence, parse_state_answer
from appeal.text import clean_member_text, is_skip_answer

UNKNOWN = "unknown"
SERVICE_MAX_CHARS = 120
SURE_SKIP_CONFIDENCE = 0.9
SKIP_MAX_WORDS = 8
ANSWER_INTENTS = ("inform", "correct")
# Questions whose answers are distinctive enough to read from any question-like message.
READ_WHATEVER_THE_INTENT = frozenset(("ca_regulator",))

PLAN_TYPES = frozenset(messages()["plan_type_labels"])  # includes "unknown"
DENIAL_REASONS = frozenset(reasons()) | {UNKNOWN}
URGENCIES = frozenset(("urgent", "not_urgent", UNKNOWN))
STAGES = frozenset(("first_denial", "internal_appeal_denied", UNKNOWN))
CALIFORNIA_REGULATORS = frozenset(("dmhc", "cdi", UNKNOWN))
NOT_A_SERVICE = frozenset(("yes", "no", "ok", "okay", "yeah", "nope", "sure", "y", "n"))
# "No, it can wait" given to "What did the plan deny?" answers another question.
NOT_A_SERVICE_OPENING = frozenset(("yes", "no", "nope", "yeah", "yep"))


def _find_notice_date(message: str) -> str | None:
    reading = parse_notice_date(message, today())
    if reading.status is DateStatus.OK and reading.value is not None:
        return reading.value.isoformat()
    return None


def _find_reason(message: str) -> str | None:
    reason = parse_denial_reason(message)
    return reason if reason not in (None, UNKNOWN, "other") else None


def _describe(slot: str, value: str) -> str:
    """How a slot value reads in a sentence, for 'Got it, I've changed ...'."""
    if slot == "us_state":
        return f"your state to {state_name(value) or value}"
    if slot == "plan_type":
        return f"your plan to {plan_type_label(value)}"
    if slot == "notice_date":
        return f"the notice date to {format_date(date.fromisoformat(value))}"
    if slot == "denial_reason":
        return f'the reason to "{reason_label(value) or value}"'
    return f"your answer to {value}"


# Finders that may read a slot from a message that answered another question.
SENTENCE_FINDERS: dict[str, Callable[[str], str | None]] = {
    "us_state": find_state_in_sentence,
    "plan_type": find_plan_type_in_sentence,
    "notice_date": _find_notice_date,
    "denial_reason": _find_reason,
    "ca_regulator": parse_california_regulator,
}
# Urgency and stage are read from a sentence only when the member says they are correcting.
CORRECTION_FINDERS: dict[str, Callable[[str], str | None]] = {
    "urgency": parse_urgency,
    "appeal_stage": parse_appeal_stage,
}


@dataclass(frozen=True)
class ChoiceQuestion:
    """A triage question with fixed answers: its values, a parser for typed answers, the
    messages.yml note said for some answers, and what to say when nothing was understood."""

    values: frozenset[str]
    parse: Callable[[str], str | None]
    notes: dict[str, str]
    ask_again: str


CHOICE_QUESTIONS = {
    "plan_type": ChoiceQuestion(
        PLAN_TYPES,
        parse_plan_type,
        {UNKNOWN: "plan_type_help"},
        "I couldn't tell which kind of plan that is. Do you get it through a job, buy it "
        'yourself, or is it Medicaid (Medi-Cal) or Medicare Advantage? "I don\'t know" is fine '
        "too.",
    ),
    "denial_reason": ChoiceQuestion(
        DENIAL_REASONS,
        parse_denial_reason,
        {UNKNOWN: "reason_unknown"},
        "I couldn't match that to a common reason. Pick the closest one below, or choose "
        '"Something else / I don\'t know".',
    ),
    "urgency": ChoiceQuestion(
        URGENCIES, parse_urgency, {"urgent": "urgent_ack"}, "Please answer yes, no, or not sure."
    ),
    "appeal_stage": ChoiceQuestion(
        STAGES,
        parse_appeal_stage,
        {},
        "Please tell me: is this the first denial, or did the plan already turn down your appeal?",
    ),
    "ca_regulator": ChoiceQuestion(
        CALIFORNIA_REGULATORS,
        parse_california_regulator,
        {UNKNOWN: "ca_regulator_unknown"},
        'Does it say "DMHC" or "Department of Managed Health Care", or "Department of '
        'Insurance"? "Not sure" is fine too.',
    ),
}


def needs_california_regulator(state: str | None, plan_type: str | None) -> bool:
    return state == "CA" and plan_type in PLANS_WITH_TWO_REGULATORS


class ValidateTriageForm(FormValidationAction):
    def name(self) -> str:
        return "validate_triage_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The California regulator question comes right after the plan, and only there; an
        answer already given (read from another sentence) is kept so it is validated."""
        slots = [slot for slot in domain_slots if slot != "ca_regulator"]
        needed = needs_california_regulator(
            tracker.get_slot("us_state"), tracker.get_slot("plan_type")
        )
        if needed or tracker.get_slot("ca_regulator") is not None:
            slots.insert(slots.index("plan_type") + 1, "ca_regulator")
        return slots

    def _extract_from_sentence(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        intent = latest_intent(tracker)
        requested = tracker.get_slot("requested_slot")
        if slot == requested and slot in READ_WHATEVER_THE_INTENT:
            return self._read_anyway(slot, intent, tracker)
        if intent not in ANSWER_INTENTS:
            return {}
        finder = SENTENCE_FINDERS.get(slot)
        if intent == "correct":
            finder = finder or CORRECTION_FINDERS.get(slot)
        elif requested == slot:
            return {}  # the typed answer to this very question is read by its validator
        message = latest_text(tracker)
        value = finder(message) if finder and message else None
        current = tracker.get_slot(slot)
        if value is None or value in (UNKNOWN, current):
            return {}
        if intent == "inform" and current is not None:
            return {}  # an extra detail never silently replaces an earlier answer
        if intent == "correct" and current is not None:
            dispatcher.utter_message(text=f"Got it, I've changed {_describe(slot, value)}.")
        return {slot: value}

    def _read_anyway(self, slot: str, intent: str | None, tracker: Tracker) -> dict[str, Any]:
        """An answer that names the regulator is an answer even when the intent model took it
        for a question ("there's a DMHC notice on my letter" looks like one about letters)."""
        if intent in ANSWER_INTENTS or not (intent or "").startswith(("faq_", "ask_help_line")):
            return {}  # answers go through the slot mapping; safety and control intents stay
        value = SENTENCE_FINDERS[slot](latest_text(tracker))
        return {slot: value} if value not in (None, UNKNOWN) else {}

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Read answers to other questions from this message (rasa_sdk's extraction hook)."""
        events = _letter_detail_events(dispatcher, tracker)
        for slot in self.domain_slots(domain):
            found = self._extract_from_sentence(slot, dispatcher, tracker)
            tracker.slots.update(found)
            events.extend(SlotSet(name, value) for name, value in found.items())
        return events

    def _states_a_letter_detail(self, slot_value: Any, tracker: Tracker) -> bool:
        """ "My member ID is ABC123" typed while a triage question is open is a letter detail
        (kept by get_extraction_events), not an answer to the question."""
        typed = slot_value == tracker.latest_message.get("text")
        return typed and bool(find_letter_details(latest_text(tracker)))

    def _answer(self, slot_value: Any, tracker: Tracker, entity: str | None = None) -> str:
        """The member's answer as text: a button's canonical value, else the cleaned message."""
        if entity:
            button_value = latest_entity(tracker, entity)
            if button_value:
                return str(button_value)
        return clean_member_text(str(slot_value)) if slot_value is not None else ""

    def _skipped(self, answer: str, tracker: Tracker) -> bool:
        """A skip in words we know, or a short one the model is sure of (not a garbled paste)."""
        sure_skip = (
            latest_intent(tracker) == "skip"
            and latest_intent_confidence(tracker) >= SURE_SKIP_CONFIDENCE
            and len(answer.split()) <= SKIP_MAX_WORDS
        )
        return is_skip_answer(answer) or sure_skip

    def _quiet(self, slot: str, tracker: Tracker) -> bool:
        """True when the message fixed or gave another answer, so re-asking `slot` is enough."""
        intent = latest_intent(tracker)
        if intent == "correct":
            return True
        message = latest_text(tracker)
        return intent == "inform" and any(
            finder(message) for other, finder in SENTENCE_FINDERS.items() if other != slot
        )

    async def validate_us_state(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if self._states_a_letter_detail(slot_value, tracker):
            return {"us_state": None}
        answer = self._answer(slot_value, tracker)
        typed = slot_value == tracker.latest_message.get("text")
        if not typed and state_name(answer):
            return {"us_state": answer}  # a code read from another sentence ("LA" is Louisiana)
        if self._skipped(answer, tracker):
            return {"us_state": UNKNOWN}
        parsed = parse_state_answer(answer)
        if parsed.code:
            return {"us_state": parsed.code}
        if self._quiet("us_state", tracker):
            return {"us_state": None}
        if parsed.candidates:
            names = " or ".join(state_name(code) or code for code in parsed.candidates)
            dispatcher.utter_message(text=f"Just to be sure: did you mean {names}?")
        elif parsed.unsupported:
            dispatcher.utter_message(
                text=f"I'm sorry, I only have the rules for the 50 states and DC so far, not "
                f'{parsed.unsupported}. Say "skip" and I\'ll still give you the federal rules.'
            )
        else:
            dispatcher.utter_message(
                text="Sorry, I didn't recognise a US state in that. Please type the state's "
                'name, like Ohio or OH, or say "skip".'
            )
        return {"us_state": None}

    def _choose(
        self, slot: str, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """A question with fixed answers: a button's value, else the parser's reading of the
        typed answer; a skip is "unknown"; a note for some answers; asked again when unread."""
        if self._states_a_letter_detail(slot_value, tracker):
            return {slot: None}
        question = CHOICE_QUESTIONS[slot]
        answer = self._answer(slot_value, tracker, entity=slot)
        value = answer if answer in question.values else question.parse(answer)
        if value is None and self._skipped(answer, tracker):
            value = UNKNOWN
        if value in question.notes:
            dispatcher.utter_message(text=text(question.notes[value]))
        elif value is None and not self._quiet(slot, tracker):
            dispatcher.utter_message(text=question.ask_again)
        return {slot: value}

    async def validate_plan_type(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._choose("plan_type", slot_value, dispatcher, tracker)

    async def validate_notice_date(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if self._states_a_letter_detail(slot_value, tracker):
            return {"notice_date": None}
        answer = self._answer(slot_value, tracker)
        if answer == UNKNOWN or self._skipped(answer, tracker):
            dispatcher.utter_message(text=text("date_skip"))
            return {"notice_date": UNKNOWN}
        reading = parse_notice_date(answer, today())
        if reading.status is DateStatus.OK and reading.value is not None:
            if reading.approximate:
                dispatcher.utter_message(
                    text=f"I'll use {format_date(reading.value)} for now. If you find the exact "
                    'date on the notice, tell me "the date was ...".'
                )
            return {"notice_date": reading.value.isoformat()}
        if self._quiet("notice_date", tracker):
            return {"notice_date": None}
        dispatcher.utter_message(text=_date_problem(reading.status, reading.detail))
        return {"notice_date": None}

    async def validate_denied_service(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if self._states_a_letter_detail(slot_value, tracker):
            return {"denied_service": None}
        answer = self._answer(slot_value, tracker)
        if self._skipped(answer, tracker):
            return {"denied_service": UNKNOWN}
        words = answer.lower().replace(",", " ").split()
        if (
            len(answer) < 2
            or answer.lower().strip(".! ") in NOT_A_SERVICE
            or words[0] in NOT_A_SERVICE_OPENING
        ):
            if not self._quiet("denied_service", tracker):
                dispatcher.utter_message(
                    text='Tell me in a few words what was denied, for example "an MRI" or '
                    '"my insulin", or say "skip".'
                )
            return {"denied_service": None}
        return {"denied_service": clean_member_text(answer, max_chars=SERVICE_MAX_CHARS)}

    async def validate_denial_reason(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._choose("denial_reason", slot_value, dispatcher, tracker)

    async def validate_urgency(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._choose("urgency", slot_value, dispatcher, tracker)

    async def validate_appeal_stage(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._choose("appeal_stage", slot_value, dispatcher, tracker)

    async def validate_ca_regulator(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._choose("ca_regulator", slot_value, dispatcher, tracker)


def _date_problem(status: DateStatus, detail: str) -> str:
    if status is DateStatus.FUTURE:
        return (
            f"That date ({detail}) is still ahead of us. The notice date is usually near the top "
            'of the letter. What date does it show? You can also say "skip".'
        )
    if status is DateStatus.TOO_OLD:
        return (
            f"That's more than three years ago ({detail}). Please check the date on the notice. "
            'If it really is that old, say "skip" and I\'ll still show what you can do.'
        )
    if status is DateStatus.IMPOSSIBLE:
        return f"That date doesn't exist ({detail}). Could you check it and type it again?"
    return (
        'Sorry, I couldn\'t read a date in that. Try something like "Sept 15", "9/15/26" or '
        '"two weeks ago", or say "skip".'
    )


class ActionStartTriage(Action):
    """Say how many questions are left before the form asks them (none if all answered)."""

    def name(self) -> str:
        return "action_start_triage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = _letter_detail_events(dispatcher, tracker)
        missing = missing_triage_slots(tracker)
        if missing:
            dispatcher.utter_message(text=text("triage_intro").format(count=len(missing)))
        problem = _unsaved_date(tracker)
        if problem:
            dispatcher.utter_message(text=problem)
        return events


def _letter_detail_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Letter details stated in an answer or a correction ("the claim number is 26-5512"),
    saved and confirmed, so fixing what was read from a letter works at any point."""
    if latest_intent(tracker) not in ANSWER_INTENTS:
        return []
    found = {
        slot: value
        for slot, value in find_letter_details(latest_text(tracker)).items()
        if tracker.get_slot(slot) != value
    }
    if not found:
        return []
    changed = ", ".join(f"{DETAIL_LABELS[slot]} to {value}" for slot, value in found.items())
    dispatcher.utter_message(text=f"Got it, I've set {changed}.")
    tracker.slots.update(found)
    return [SlotSet(slot, value) for slot, value in found.items()]


def _unsaved_date(tracker: Tracker) -> str | None:
    """A date the member gave before the questions began that cannot be used ("February 30"),
    said plainly instead of being dropped without a word."""
    if latest_intent(tracker) not in ANSWER_INTENTS or tracker.get_slot("notice_date"):
        return None
    reading = parse_notice_date(latest_text(tracker), today())
    why = {
        DateStatus.IMPOSSIBLE: f"That date doesn't exist ({reading.detail})",
        DateStatus.FUTURE: f"That date ({reading.detail}) is still ahead of us",
        DateStatus.TOO_OLD: f"That date is more than three years ago ({reading.detail})",
    }.get(reading.status)
    if why is None:
        return None
    return f"{why}, so I didn't save it. I'll ask for the date on your notice in a moment."


class AskTriageQuestion(AskQuestion, ABC):
    """A triage question; the wording and buttons come from knowledge/questions.yml."""

    def question(self, tracker: Tracker) -> tuple[str, list[tuple[str, str]]]:
        return triage_question(self.slot, tracker.get_slot("us_state"))


class AskUsState(AskTriageQuestion):
    slot = "us_state"


class AskPlanType(AskTriageQuestion):
    slot = "plan_type"


class AskNoticeDate(AskTriageQuestion):
    slot = "notice_date"


class AskDeniedService(AskTriageQuestion):
    slot = "denied_service"


class AskDenialReason(AskTriageQuestion):
    slot = "denial_reason"


class AskUrgency(AskTriageQuestion):
    slot = "urgency"


class AskAppealStage(AskTriageQuestion):
    slot = "appeal_stage"


class AskCaliforniaRegulator(AskTriageQuestion):
    slot = "ca_regulator"
