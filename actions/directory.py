"""Directory: "who do I call?", "who regulates my plan?" and "the insurance department's number
in Ohio", answered from the SQL directory for the member's state and plan."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text
from appeal.directory import find_office_in_sentence
from appeal.guidance import office_answer, state_name, who_can_help
from appeal.states import find_state_in_sentence


def member_state_and_plan(tracker: Tracker) -> tuple[str | None, str]:
    """The state named in this message, else the one triage learned; the plan type or unknown."""
    named = find_state_in_sentence(latest_text(tracker))
    state = named or tracker.get_slot("us_state")
    plan_type = tracker.get_slot("plan_type") or "unknown"
    return (state if state_name(state) else None), plan_type


class ActionGiveHelpLine(Action):
    def name(self) -> str:
        return "action_give_help_line"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        state, plan_type = member_state_and_plan(tracker)
        office = find_office_in_sentence(latest_text(tracker))
        if office:  # looking up an office somewhere says nothing about where the member lives
            answer = await asyncio.to_thread(office_answer, office, state)
            dispatcher.utter_message(text=answer)
            return []
        regulator = tracker.get_slot("ca_regulator")
        answer = await asyncio.to_thread(who_can_help, state, plan_type, regulator)
        dispatcher.utter_message(text=answer)
        if state and tracker.get_slot("us_state") is None:
            return [SlotSet("us_state", state)]
        return []
