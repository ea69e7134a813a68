"""Small helpers every skill's actions share: reading the member's message and triage slots."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from appeal.guidance import TriageAnswers
from appeal.text import clean_member_text

# Plans whose California regulator (DMHC or Department of Insurance) changes the route.
PLANS_WITH_TWO_REGULATORS = frozenset(("employer_insured", "marketplace"))
TRIAGE_SLOTS = (
    "us_state",
    "plan_type",
    "notice_date",
    "denied_service",
    "denial_reason",
    "urgency",
    "appeal_stage",
)

# Offered when a person should look at the case (urgent, deadline close, or the bot is stuck).
ADVOCATE_BUTTON = {"title": "Talk to an advocate", "payload": "/ask_human"}


def latest_intent(tracker: Tracker) -> str | None:
    intent = tracker.latest_message.get("intent") or {}
    name = intent.get("name")
    return str(name) if name else None


def latest_intent_confidence(tracker: Tracker) -> float:
    intent = tracker.latest_message.get("intent") or {}
    return float(intent.get("confidence") or 0.0)


def latest_text(tracker: Tracker) -> str:
    """The member's last message, cleaned; empty for button payloads such as /inform{...}."""
    raw = tracker.latest_message.get("text") or ""
    if raw.startswith("/"):
        return ""
    return clean_member_text(raw)


def latest_entity(tracker: Tracker, entity: str) -> Any:
    return next(tracker.get_latest_entity_values(entity), None)


def triage_answers(tracker: Tracker) -> TriageAnswers:
    slots = (*TRIAGE_SLOTS, "ca_regulator")
    return TriageAnswers(**{slot: tracker.get_slot(slot) for slot in slots})


def missing_triage_slots(tracker: Tracker) -> list[str]:
    missing = [slot for slot in TRIAGE_SLOTS if tracker.get_slot(slot) is None]
    state, plan_type = tracker.get_slot("us_state"), tracker.get_slot("plan_type")
    if (
        state == "CA"
        and plan_type in PLANS_WITH_TWO_REGULATORS
        and tracker.get_slot("ca_regulator") is None
    ):
        missing.append("ca_regulator")
    return missing


class AskQuestion(Action, ABC):
    """Ask the question that fills `slot`, with a button per answer; a button sends its value as
    /inform{"<slot>": "<value>"}. Subclasses say where the wording comes from."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this question fills (abstract, so the action server skips the bases)."""

    @abstractmethod
    def question(self, tracker: Tracker) -> tuple[str, list[tuple[str, str]]]:
        """The question's text and its (value, title) answers."""

    def open_answer_buttons(self) -> list[dict[str, str]]:
        """Buttons for a question without fixed answers; none unless a subclass offers some."""
        return []

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text, choices = self.question(tracker)
        buttons = [
            {"title": title, "payload": f'/inform{{"{self.slot}": "{value}"}}'}
            for value, title in choices
        ]
        dispatcher.utter_message(text=text, buttons=buttons or self.open_answer_buttons())
        return []
