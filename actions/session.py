"""Start every conversation with a short introduction and the not-advice note, exactly once."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from appeal.guidance import text

INTRO_SLOT = "intro_shown"


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A new session (after a long pause) keeps the member's answers, as the domain asks.
        events: list[EventType] = [SessionStarted()]
        events.extend(
            SlotSet(slot, value)
            for slot, value in tracker.slots.items()
            if value is not None and slot != "requested_slot"
        )
        if not tracker.get_slot(INTRO_SLOT):
            dispatcher.utter_message(text=text("intro"))
            events.append(SlotSet(INTRO_SLOT, True))
        events.append(ActionExecuted("action_listen"))
        return events
