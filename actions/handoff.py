"""Handoff: a member who asks for a person gets a handoff case an advocate can pick up.

In the website chat (sender IDs the gateway makes start with "web-") the case holds the
conversation: the gateway stops relaying to the assistant until the advocate hands it back.
Outside advocate hours, or with no advocate online, the member gets the sourced help lines and
a callback form instead. Elsewhere (`make shell`) only the help lines can be given.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import triage_answers
from actions.directory import member_state_and_plan
from appeal import handoff_store
from appeal.clock import today
from appeal.downloads import redact_links
from appeal.guidance import text, who_can_help
from appeal.handoff import MISSED, WAITING, HandoffSettings, case_brief, now, wait_phrase
from appeal.text import pasted_letter_placeholder
from components.letter_paste import PASTED_LETTER_INTENT

WEBSITE_SENDER_PREFIX = "web-"
TRANSCRIPT_LINES = 200


def transcript(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conversation so far as an advocate reads it: a pasted letter is named, not kept."""
    lines: list[dict[str, Any]] = []
    for event in events:
        said = event.get("text")
        if event.get("event") == "user" and said:
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent == PASTED_LETTER_INTENT:
                said = pasted_letter_placeholder(said)
            elif said.startswith("/"):  # a button: its payload, not words
                continue
            lines.append({"from": "member", "text": said, "at": event.get("timestamp")})
        elif event.get("event") == "bot" and said:
            lines.append({"from": "assistant", "text": redact_links(said), "at": None})
    return lines[-TRANSCRIPT_LINES:]


def _open_case(
    tracker: Tracker, help_lines: str, settings: HandoffSettings
) -> tuple[handoff_store.Case, str, bool]:
    """(the case, why no advocate can join now or "", whether it already existed)."""
    moment = now()
    if not settings.hours.is_open(moment):
        unavailable = text("handoff_after_hours").format(hours=settings.hours.describe(moment))
    elif not handoff_store.advocate_online():
        unavailable = text("handoff_nobody_online")
    else:
        unavailable = ""
    existing = handoff_store.holding_case(tracker.sender_id)
    if existing is not None:
        return existing, "", True
    brief = case_brief(
        triage_answers(tracker),
        list(tracker.get_slot("letters_drafted") or []),
        help_lines,
        today(),
    )
    status = MISSED if unavailable else WAITING
    case = handoff_store.create_case(
        tracker.sender_id, brief, transcript(list(tracker.events)), status
    )
    return case, unavailable, False


class ActionConnectPerson(Action):
    def name(self) -> str:
        return "action_connect_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        state, plan_type = member_state_and_plan(tracker)
        regulator = tracker.get_slot("ca_regulator")
        lines = await asyncio.to_thread(who_can_help, state, plan_type, regulator)
        if not tracker.sender_id.startswith(WEBSITE_SENDER_PREFIX):
            dispatcher.utter_message(text=text("no_person_yet") + "\n" + lines)
            return []
        settings = HandoffSettings.from_environment()
        case, unavailable, existed = await asyncio.to_thread(_open_case, tracker, lines, settings)
        if existed:
            dispatcher.utter_message(text=text("handoff_already_waiting"))
        elif unavailable:
            dispatcher.utter_message(text=unavailable)
            dispatcher.utter_message(text=text("handoff_lines") + "\n" + lines)
            dispatcher.utter_message(text=text("handoff_callback_offer"))
        else:
            wait = wait_phrase(settings.wait_seconds)
            dispatcher.utter_message(text=text("handoff_waiting").format(wait=wait))
        dispatcher.utter_message(
            json_message={
                "handoff": {"case": case.id, "status": case.status, "callback": bool(unavailable)}
            }
        )
        return []
