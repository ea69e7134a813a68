"""Spot a crisis in any message, independent of the NLU model, so safety never depends on it."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

import yaml

from appeal.knowledge import KNOWLEDGE_DIR, load_yaml

SCAN_LIMIT = 5_000


class Crisis(str, Enum):
    SELF_HARM = "self_harm"
    EMERGENCY = "emergency"


@cache
def _patterns(kind: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in load_yaml("safety.yml")[kind])


def _matches(kind: str, text: str) -> bool:
    return any(pattern.search(text) for pattern in _patterns(kind))


def detect_crisis(text: str | None, pasted_letter: bool = False) -> Crisis | None:
    """Self-harm first (988), then a medical emergency happening now (911), else None.

    A pasted denial letter describes past care ("emergency room visit for an overdose") and
    prints "if this is an emergency, call 911", so only self-harm words count in one."""
    if not text:
        return None
    lowered = text[:SCAN_LIMIT].lower().replace("’", "'")
    if _matches("self_harm", lowered):
        return Crisis.SELF_HARM
    if pasted_letter:
        return None
    if _matches("emergency", lowered) and (
        _matches("happening_now", lowered) or not _matches("about_a_claim", lowered)
    ):
        return Crisis.EMERGENCY
    return None


@cache
def crisis_reply(crisis: Crisis) -> str:
    """The assistant's own answer to a crisis (domain/safety.yml), for the gateway to give when
    an advocate holds the chat and the assistant does not see the message."""
    domain_file = KNOWLEDGE_DIR.parent / "domain" / "safety.yml"
    with domain_file.open(encoding="utf-8") as handle:
        responses = yaml.safe_load(handle)["responses"]
    return str(responses[f"utter_{crisis.value}"][0]["text"])
