"""The member's own details for a letter, read from what they type: answers to the letter
questions ("it's ABC123456") and corrections in a sentence ("the claim number is 26-5512").

Identifiers are kept exactly as the member typed them (plans match them character for
character); names and free text are cleaned and capped so a letter never carries a paste.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from appeal.text import clean_member_text
from appeal.vocabulary import word_lists

NAME_MAX_CHARS = 80
IDENTIFIER_MAX_CHARS = 40
# The member's details a letter may need, as the assistant names them in a sentence.
DETAIL_LABELS = {
    "member_name": "your name",
    "member_id": "your member ID",
    "claim_number": "the claim number",
    "plan_name": "your plan's name",
    "doctor_name": "your doctor's name",
}

# One identifier: letters, digits and the joiners plans print (ABC-123/45.6); at least one digit.
_IDENTIFIER = re.compile(r"(?=[A-Za-z0-9./#-]*\d)[A-Za-z0-9][A-Za-z0-9./#-]*[A-Za-z0-9]|\d")
_WORD = re.compile(r"[a-z0-9']+")
_WHOLE_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./#-]*")
_FILLER = re.compile(
    r"^(?:(?:it'?s|it is|that'?s|that is|mine is|my|the|is|member|claim|subscriber|reference"
    r"|number|no\.?|id|#|:|-)\s*)+",
    re.IGNORECASE,
)
_NAME_INTRO = re.compile(
    r"^(?:(?:my (?:full )?name is|my name's|i'?m|i am|it'?s|it is|this is|name:?)\s+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DetailPattern:
    """A sentence that states one detail: "<label> is <value>"."""

    slot: str
    label: re.Pattern[str]


_IS = r"\s*(?:is|was|should be|=|:)?\s*(?:actually\s+)?"
DETAIL_PATTERNS = (
    DetailPattern(
        "member_id",
        re.compile(
            r"\b(?:member|subscriber|medi-?cal|medicaid|insurance|policy)\s*"
            r"(?:id|number|no\.?|#|cin)" + _IS + r"(?P<value>.+)",
            re.IGNORECASE,
        ),
    ),
    DetailPattern(
        "claim_number",
        re.compile(
            r"\b(?:claim|reference|case|appeal)\s*(?:number|no\.?|#|id)" + _IS + r"(?P<value>.+)",
            re.IGNORECASE,
        ),
    ),
    DetailPattern(
        "member_name",
        re.compile(r"\bmy (?:full )?name" + _IS + r"(?P<value>.+)", re.IGNORECASE),
    ),
    DetailPattern(
        "plan_name",
        re.compile(
            r"\b(?:my |the )?(?:plan|insurer|insurance company|health plan)(?:'s)? name"
            + _IS
            + r"(?P<value>.+)",
            re.IGNORECASE,
        ),
    ),
    DetailPattern(
        "doctor_name",
        re.compile(
            r"\bmy (?:doctor|doctor's name|physician|specialist|provider)" + _IS + r"(?P<value>.+)",
            re.IGNORECASE,
        ),
    ),
)


def _is_one_identifier(text: str) -> bool:
    """ "W123 456 01" or "ABC 123" (printed in groups), not "ABC123 and the other one"."""
    chunks = text.split()
    return (
        0 < len(chunks) <= 4
        and len(text) <= IDENTIFIER_MAX_CHARS
        and any(character.isdigit() for character in text)
        and _WHOLE_IDENTIFIER.fullmatch(text) is not None
        and all(any(c.isdigit() for c in chunk) or chunk.isupper() for chunk in chunks)
    )


def parse_identifier(answer: str) -> str | None:
    """The member ID or claim number in an answer, exactly as typed: the whole answer when it
    is one identifier ("W123 456 01"), else the first one with a digit; None when none."""
    cleaned = _FILLER.sub("", clean_member_text(answer)).strip(" .")
    if _is_one_identifier(cleaned):
        return cleaned
    match = _IDENTIFIER.search(cleaned)
    if match is None:
        return None
    value = match.group(0).strip("#")
    return value if 0 < len(value) <= IDENTIFIER_MAX_CHARS else None


def parse_person_or_plan_name(answer: str) -> str | None:
    """A name as the member wrote it, without "my name is"; None when nothing is left."""
    cleaned = _NAME_INTRO.sub("", clean_member_text(answer, max_chars=NAME_MAX_CHARS * 2))
    cleaned = cleaned.strip(" .,;:!?\"'")
    if not cleaned or not any(character.isalpha() for character in cleaned):
        return None
    return cleaned[:NAME_MAX_CHARS].rstrip()


def parse_detail(slot: str, answer: str) -> str | None:
    if slot in ("member_id", "claim_number"):
        return parse_identifier(answer)
    return parse_person_or_plan_name(answer)


def find_letter_details(message: str) -> dict[str, str]:
    """Details stated in a sentence, by slot: "the claim number is 26-5512" → claim_number."""
    found: dict[str, str] = {}
    for pattern in DETAIL_PATTERNS:
        match = pattern.label.search(message)
        if match is None or pattern.slot in found:
            continue
        value = parse_detail(pattern.slot, match.group("value"))
        if value:
            found[pattern.slot] = value
    return found


def parse_letter_type(message: str) -> str | None:
    """Which letter the member asked for ("an urgent appeal" → expedited_appeal), or None."""
    words = " " + " ".join(_WORD.findall(message.lower())) + " "
    for letter_type, phrases in word_lists("letter_types", "letter_types").items():
        if any(f" {phrase} " in words for phrase in phrases):
            return letter_type
    return None
