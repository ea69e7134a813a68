"""Handoff: asking for a person is answered honestly, with the people who can help now.

A live handoff to an advocate in this chat is not built yet, so the assistant says so and gives
the sourced help lines for the member's state and plan instead of pretending to transfer them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.directory import member_state_and_plan
from appeal.guidance import text, who_can_help


class ActionConnectPerson(Action):
    def name(self) -> str:
        return "action_connect_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        state, plan_type = member_state_and_plan(tracker)
        regulator = tracker.get_slot("ca_regulator")
        lines = await asyncio.to_thread(who_can_help, state, plan_type, regulator)
        dispatcher.utter_message(text=text("no_person_yet") + "\n" + lines)
        return []
