"""Spot a crisis in any message, independent of the NLU model, so safety never depends on it."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

from appeal.knowledge import load_yaml

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
