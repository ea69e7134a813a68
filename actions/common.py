"""Small helpers every skill's actions share: reading the member's message and triage slots."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

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
