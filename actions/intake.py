"""Reading a pasted denial letter: what was found, for the member to confirm or correct.

The letter text is read in this turn only; the tracker store keeps a placeholder instead of it
(components/tracker_store.py), so what is kept is the details shown to the member.
"""

from __future__ import annotations

import asyncio
import threading

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import triage_answers
from appeal.clock import today
from appeal.intake import read_denial_letter
from appeal.letter_findings import read_back

# A made-up notice, read once in the background when the action server starts: loading spaCy
# and building the reader takes seconds, which the first member should not wait for.
WARM_UP_LETTER = (
    "Sample Health Plan. Notice of denial. Date: January 5, 2026. Member ID: X0000001. "
    "Claim number: 0000-0001. Your request for an office visit (CPT 99213) is denied."
)
threading.Thread(
    target=read_denial_letter, args=(WARM_UP_LETTER,), name="letter-reader-warm-up", daemon=True
).start()


class ActionReadLetter(Action):
    def name(self) -> str:
        return "action_read_letter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pasted = str(tracker.latest_message.get("text") or "")
        reading = await asyncio.to_thread(read_denial_letter, pasted)
        findings = read_back(reading, triage_answers(tracker), today())
        for message in findings.messages[:-1]:
            dispatcher.utter_message(text=message)
        if findings.slots:
            dispatcher.utter_message(
                text=findings.messages[-1],
                buttons=[
                    {"title": "Yes, that's right", "payload": "/affirm"},
                    {"title": "Fix something", "payload": "/deny"},
                ],
            )
        else:
            dispatcher.utter_message(text=findings.messages[-1])
        read = [SlotSet(slot, value) for slot, value in findings.slots.items()]
        return [*read, SlotSet("letter_read", findings.is_denial and bool(findings.slots))]
