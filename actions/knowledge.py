"""Knowledge: answer a question about appeals from the sourced texts in knowledge/faq.yml."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_intent
from appeal.directory import fill_numbers
from appeal.guidance import text
from appeal.knowledge import load_yaml

TOPIC_PREFIX = "faq_"


def answer_for(intent: str | None) -> str | None:
    """The answer for a faq_<topic> intent, its numbers from the directory; None otherwise."""
    if not intent or not intent.startswith(TOPIC_PREFIX):
        return None
    answer = load_yaml("faq.yml")["topics"].get(intent.removeprefix(TOPIC_PREFIX))
    return fill_numbers(str(answer)) if answer else None


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answer = await asyncio.to_thread(answer_for, latest_intent(tracker))
        dispatcher.utter_message(text=answer or text("what_next"))
        return []
