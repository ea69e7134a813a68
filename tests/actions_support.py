"""Build rasa_sdk trackers and run actions without a server, for the action tests."""

from __future__ import annotations

from functools import cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from appeal.knowledge import load_csv

ROOT_DOMAIN = "domain"
# Every phone number the assistant may say must appear in the directory's data.
SOURCED_TEXT = " ".join(
    " ".join(row.values())
    for name in ("directory/lines.csv", "directory/external-review.csv")
    for row in load_csv(name)
)


@cache
def domain() -> dict[str, Any]:
    """The real domain, as the action server receives it."""
    from rasa.shared.core.domain import Domain

    return dict(Domain.load(ROOT_DOMAIN).as_dict())


def tracker(
    text: str = "",
    intent: str = "inform",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    requested_slot: str | None = None,
    form_active: bool = False,
    slot_candidates: dict[str, Any] | None = None,
    confidence: float = 0.95,
    form: str = "triage_form",
) -> Tracker:
    """A tracker whose last user message is `text`; `slot_candidates` are this turn's SlotSets."""
    all_slots: dict[str, Any] = {slot: None for slot in domain()["slots"]}
    all_slots["requested_slot"] = requested_slot
    all_slots.update(slots or {})
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
    }
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "parse_data": message}]
    for name, value in (slot_candidates or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
        all_slots[name] = value
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form} if form_active else {},
        latest_action_name="action_listen",
    )


async def run(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], str]:
    """Run `action`; return its events and everything it said, joined."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, state, domain())
    said = "\n".join(str(message.get("text") or "") for message in dispatcher.messages)
    return list(events), said


def slot_values(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
