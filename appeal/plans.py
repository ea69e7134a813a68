"""What kind of health plan a member has, from how they describe it.

The plan type decides the appeal route (state insurance rules, ERISA, Medicaid fair hearing,
Medicare), so a guess is never made: plain "Medicare" or a bare "Blue Shield HMO" says nothing
about how the member gets the plan, and the caller asks back.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from appeal.text import (
    Phrase,
    correct_spelling,
    find_mentions,
    is_skip_answer,
    is_unsure,
    phrases_of,
    pieces_of,
    word_meanings,
)
from appeal.vocabulary import word_list, word_lists

# When several are named, the more specific wins: a self-funded plan is also an employer plan,
# and Medicaid can be bought through a Marketplace.
_PRIORITY = ("self_funded", "medicare_advantage", "medicaid", "marketplace", "employer_insured")
# "I don't get it through my job": the negation may sit three words before the phrase.
_NEGATION_WINDOW = 3


def parse_plan_type(text: str | None) -> str | None:
    """Canonical plan_type for an answer to "How do you get your health plan?".

    "unknown" when the member skips or does not know; None when nothing is recognised or the
    answer is not enough to tell (plain "Medicare", a bare "HMO"), so the caller asks back.
    """
    pieces = pieces_of(text)
    known = _known_words()
    labels = _labels([correct_spelling(piece, known) for piece in pieces], _answer_phrases())
    if labels:
        return _decide(labels)
    if is_skip_answer(text) or any(map(is_unsure, pieces)):
        return "unknown"
    return None


def find_plan_type_in_sentence(text: str | None) -> str | None:
    """Plan type named in a message that was answering another question, or None.

    Only specific names count ("sorry, I meant Medicaid", "it's Kaiser through work"); everyday
    words such as "work" or "exchange" do not, and it never returns "unknown".
    """
    return _decide(_labels(pieces_of(text), _strong_phrases()))


def _labels(pieces: Sequence[Phrase], phrases: Mapping[Phrase, str]) -> set[str]:
    """Plan words the member used, minus the ones they deny ("not through work")."""
    mentions = find_mentions(pieces, phrases, _NEGATION_WINDOW)
    return {mention.label for mention in mentions if not mention.negated}


def _decide(labels: set[str]) -> str | None:
    if labels & {"medicare", "medicare_other"} and "medicare_advantage" not in labels:
        # A company's Medicare plan is Medicare Advantage; Medigap and Part D are not.
        if "insurer" in labels and "medicare_other" not in labels:
            return "medicare_advantage"
        return None
    return next((plan for plan in _PRIORITY if plan in labels), None)


@functools.cache
def _strong_phrases() -> dict[Phrase, str]:
    phrases = _section("strong")
    phrases.update(dict.fromkeys(phrases_of(word_list("plans", "insurers")), "insurer"))
    return phrases


@functools.cache
def _answer_phrases() -> dict[Phrase, str]:
    return {**_section("answer_only"), **_strong_phrases()}


@functools.cache
def _known_words() -> dict[str, frozenset[str]]:
    return word_meanings(_answer_phrases())


def _section(key: str) -> dict[Phrase, str]:
    return {
        phrase: label
        for label, texts in word_lists("plans", key).items()
        for phrase in phrases_of(texts)
    }
