"""Not understood (low NLU confidence, or no policy sure of the next step): before saying so,
try the directory, whose questions name things we know.

A member asking "is external review in Georgia state or federal?" in words the model has not
seen still names a state and a kind of office; the directory can answer that exactly.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ADVOCATE_BUTTON, latest_text
from actions.directory import member_state_and_plan
from appeal.directory import find_office_in_sentence
from appeal.guidance import office_answer, text


def _missed_the_turn_before(events: list[dict[str, Any]]) -> bool:
    """The assistant's answer to the member's previous message was also "I didn't follow"."""
    seen_latest_message = False
    for event in reversed(events):
        if event.get("event") == "user":
            seen_latest_message = True
        elif (
            seen_latest_message
            and event.get("event") == "action"
            and event.get("name") != "action_listen"
        ):
            return bool(event.get("name") == "action_not_understood")
    return False


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        office = find_office_in_sentence(latest_text(tracker))
        if office is None:
            dispatcher.utter_message(text=text("not_understood"))
            if _missed_the_turn_before(tracker.events):
                dispatcher.utter_message(
                    text=text("advocate_offer_stuck"), buttons=[ADVOCATE_BUTTON]
                )
            return []
        state, _ = member_state_and_plan(tracker)
        dispatcher.utter_message(text=await asyncio.to_thread(office_answer, office, state))
        return []
