"""Why a claim was denied, from the member's own words or the codes on their EOB or letter.

The reason picks the advice the member gets (get a referral, ask the doctor for a letter of
medical necessity, fix a billing code...), so codes are read only where they are clearly denial
codes, and a reason the member names that is not in our list is kept as "other".
"""

from __future__ import annotations

import functools
import re

from appeal.text import (
    Phrase,
    correct_spelling,
    find_mentions,
    is_skip_answer,
    is_unsure,
    phrases_of,
    pieces_of,
    word_meanings,
    words_of,
)
from appeal.vocabulary import word_list, word_lists

_GROUPED_CODE = re.compile(r"(?:co|pr|oa|pi|cr)([0-9]{1,3})")  # "CO50" typed without a space
_CODE_NUMBER = re.compile(r"[0-9]{1,3}")
# Words allowed between "code" and its number: "code number 50", "the code is 50".
_NUMBER_WORDS = frozenset({"number", "no", "num", "nbr", "is", "was"})


def parse_denial_reason(text: str | None) -> str | None:
    """Canonical denial_reason for an answer to "What reason does the letter give?".

    A Claim Adjustment Reason Code ("CO-50", "code 197") wins over words; then the most specific
    reason named. "other" for a clear reason outside the list ("not covered under my plan"),
    "unknown" when the member skips or does not know, None when nothing is recognised.
    """
    by_code = _carc_reason(words_of(text))
    if by_code is not None:
        return by_code
    pieces = pieces_of(text)
    known = _known_words()
    mentions = find_mentions([correct_spelling(piece, known) for piece in pieces], _phrases())
    # "no prior auth, not a referral": a denied reason only counts when nothing else is left.
    named = {mention.label for mention in mentions if not mention.negated} or {
        mention.label for mention in mentions
    }
    reason = next((reason for reason in _reasons_in_order() if reason in named), None)
    if reason is not None:
        return reason
    if is_skip_answer(text) or any(map(is_unsure, pieces)):
        return "unknown"
    return None


def _carc_reason(words: Phrase) -> str | None:
    for index in range(len(words)):
        number = _carc_number(words, index)
        if number is not None:
            return _carc_codes().get(number, "other")
    return None


def _carc_number(words: Phrase, index: int) -> str | None:
    """The code number when words[index] starts a CARC: "co 50", "co50", "reason code 50"."""
    word = words[index]
    grouped = _GROUPED_CODE.fullmatch(word)
    if grouped:
        return str(int(grouped.group(1)))
    if word not in _carc_prefixes() or (index > 0 and words[index - 1] in _not_carc_codes()):
        return None
    following = words[index + 1 : index + 3]
    if following and following[0] in _NUMBER_WORDS:
        following = following[1:]
    if following and _CODE_NUMBER.fullmatch(following[0]):
        return str(int(following[0]))
    return None


@functools.cache
def _phrases() -> dict[Phrase, str]:
    return {
        phrase: reason
        for reason, texts in word_lists("reason_keywords", "phrases").items()
        for phrase in phrases_of(texts)
    }


@functools.cache
def _reasons_in_order() -> tuple[str, ...]:
    return tuple(word_lists("reason_keywords", "phrases"))


@functools.cache
def _known_words() -> dict[str, frozenset[str]]:
    return word_meanings(_phrases())


@functools.cache
def _carc_codes() -> dict[str, str]:
    return {
        str(int(code)): reason
        for reason, codes in word_lists("reason_keywords", "carc_codes").items()
        for code in codes
    }


@functools.cache
def _carc_prefixes() -> frozenset[str]:
    return frozenset(word_list("reason_keywords", "carc_prefixes"))


@functools.cache
def _not_carc_codes() -> frozenset[str]:
    return frozenset(word_list("reason_keywords", "not_carc_codes"))
