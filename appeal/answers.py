"""Answers to the two yes/no triage questions: is the case urgent, has the member appealed yet?

Members rarely answer with a bare yes or no ("my surgery is next week", "they turned down my
appeal"), so what they describe counts first and a leading yes/no only when nothing else does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from appeal.text import (
    Phrase,
    find_mentions,
    is_filler,
    is_skip_answer,
    is_unsure,
    phrases_of,
    pieces_of,
    starts_with,
)
from appeal.vocabulary import word_list

_URGENCY_LABELS = ("urgent", "not_urgent")
_STAGE_LABELS = ("internal_appeal_denied", "first_denial", "appeal_pending", "appealed")
# What a phrase means after "not"/"no"/"haven't": "not urgent", "haven't appealed".
_WHEN_NEGATED: dict[str, str | None] = {
    "urgent": "not_urgent",
    "not_urgent": "urgent",
    "internal_appeal_denied": "first_denial",
    "first_denial": "internal_appeal_denied",
    "appealed": "first_denial",
    "appeal_pending": None,
}


def parse_urgency(text: str | None) -> str | None:
    """Canonical urgency for "Could waiting the usual 30 days or more for an answer seriously
    harm your health?".

    Any sign of harm ("I'm in a lot of pain", "my surgery is next week") makes it urgent, even
    next to "it can wait": a wrongly fast appeal costs nothing, a wrongly slow one can hurt.
    "unknown" for a skip or "not sure how urgent it is"; None when nothing is recognised.
    """
    if is_skip_answer(text):
        return "unknown"
    pieces = pieces_of(text)
    answered = [piece for piece in pieces if not is_unsure(piece)]
    labels = _labels(answered, _phrases(_URGENCY_LABELS))
    if "urgent" in labels:
        return "urgent"
    if "not_urgent" in labels:
        return "not_urgent"
    yes_or_no = _yes_or_no(answered)
    if yes_or_no is not None:
        return "urgent" if yes_or_no else "not_urgent"
    return "unknown" if len(answered) < len(pieces) else None


def parse_appeal_stage(text: str | None) -> str | None:
    """Canonical appeal_stage for "Have you already appealed to your plan and been turned down?".

    A turned-down appeal ("they denied my appeal", "second denial") wins; "not yet", "first
    denial" and an appeal still waiting for an answer give first_denial, because the member has
    not been turned down. "unknown" for a skip; None when nothing is recognised.
    """
    if is_skip_answer(text):
        return "unknown"
    pieces = pieces_of(text)
    answered = [piece for piece in pieces if not is_unsure(piece)]
    labels = _labels(answered, _phrases(_STAGE_LABELS))
    if "internal_appeal_denied" in labels:
        return "internal_appeal_denied"
    if labels & {"first_denial", "appeal_pending"}:
        return "first_denial"
    if "appealed" in labels:
        return "internal_appeal_denied"
    yes_or_no = _yes_or_no(answered)
    if yes_or_no is not None:
        return "internal_appeal_denied" if yes_or_no else "first_denial"
    return "unknown" if len(answered) < len(pieces) else None


def _labels(pieces: Sequence[Phrase], phrases: dict[Phrase, str]) -> set[str]:
    labels = set()
    for mention in find_mentions(pieces, phrases):
        label = _WHEN_NEGATED[mention.label] if mention.negated else mention.label
        if label is not None:
            labels.add(label)
    return labels


def _yes_or_no(pieces: Sequence[Phrase]) -> bool | None:
    """True or False when the answer opens with a plain yes or no ("well, yes"), else None."""
    opening = next((piece for piece in pieces if not is_filler(piece)), ())
    if starts_with(opening, _phrases(("no",))):
        return False
    if starts_with(opening, _phrases(("yes",))):
        return True
    return None


@functools.cache
def _phrases(labels: tuple[str, ...]) -> dict[Phrase, str]:
    return {phrase: label for label in labels for phrase in phrases_of(word_list("answers", label))}
