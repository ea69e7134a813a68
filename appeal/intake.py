"""Read a pasted denial letter or EOB: who, what, when, why, and the next step's deadline.

A member can paste the notice instead of answering the triage questions one by one. The reader
is a spaCy pipeline built from rules (appeal/intake_nlp.py; no pretrained model), with the
vocabularies in knowledge/intake/ and the field rules in appeal/intake_fields.py. It never
raises on member text and leaves a field empty rather than guess: the member confirms what was
read.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from datetime import date

from appeal.intake_text import clean_text, language_of, repair_ocr
from appeal.knowledge import load_yaml

logger = logging.getLogger(__name__)

MAX_LETTER_CHARS = 30_000
"""Longer pastes are read from their start only: a denial letter is a few pages, and the cap
keeps one message from tying up the action server."""

_LETTER_CHECK_CHARS = 8_000
_SHORTEST_LETTER = 150
_LONG_PASTE = 500


@dataclass(frozen=True)
class StatedDeadline:
    """The next step's deadline as the notice states it; exactly one of days, months, date."""

    text: str
    days: int | None
    months: int | None
    date: date | None


@dataclass(frozen=True)
class LetterReading:
    """What a notice says, as far as the rules could tell; None or empty where they could not."""

    is_denial: bool
    plan_name: str | None
    member_id: str | None
    claim_number: str | None
    notice_date: date | None
    service_dates: tuple[date, ...]
    service: str | None
    reason_category: str | None
    carc_codes: tuple[str, ...]
    rarc_codes: tuple[str, ...]
    cpt_hcpcs_codes: tuple[str, ...]
    icd10_codes: tuple[str, ...]
    stated_deadline: StatedDeadline | None
    external_review_route: str | None
    language: str
    truncated: bool


def clean_pasted_letter(raw: str) -> str:
    """The readable text of a paste: HTML tags and entities removed (portal pages get pasted),
    control and invisible characters dropped, whitespace normalized with line breaks kept."""
    return clean_text(raw)[0]


def looks_like_a_letter(raw: str) -> bool:
    """True for a long paste with the marks of a notice (member ID, claim number, "explanation
    of benefits", dates of service...); a chat message is short or has at most one such mark.
    Cheap: no spaCy, so it can run on every message."""
    if not isinstance(raw, str) or len(raw.strip()) < _SHORTEST_LETTER:
        return False
    text = clean_text(raw[: _LETTER_CHECK_CHARS * 2])[0][:_LETTER_CHECK_CHARS]
    text = " ".join(repair_ocr(text, _ocr_short_words()).split())  # a scan's "C1aim N0."
    if len(text) < _SHORTEST_LETTER:
        return False
    marks = len(set(_letter_markers().findall(text.lower())))
    return marks >= 3 or (marks >= 2 and len(text) >= _LONG_PASTE)


def read_denial_letter(raw: str) -> LetterReading:
    """Read a pasted notice. Never raises: on any input, at worst an empty reading."""
    cleaned, truncated = "", False
    try:
        cleaned, cut = clean_text(raw)
        truncated = cut or len(cleaned) > MAX_LETTER_CHARS
        cleaned = cleaned[:MAX_LETTER_CHARS]
        return _read(cleaned, truncated)
    except Exception:  # a reader bug must not end the conversation
        logger.exception("Could not read a pasted letter of %d characters", len(cleaned))
        return _empty_reading(cleaned, truncated)


def _read(cleaned: str, truncated: bool) -> LetterReading:
    if not cleaned.strip():
        return _empty_reading(cleaned, truncated)
    # Imported here: spaCy takes seconds to load, and looks_like_a_letter never needs it.
    from appeal import intake_fields as fields
    from appeal.intake_nlp import pipeline

    text = repair_ocr(cleaned, _ocr_short_words())
    letter = fields.Letter(cleaned, text, pipeline()(text))
    denial = fields.is_denial(letter)
    appeal = fields.is_appeal_decision(letter)
    service_dates = fields.service_dates(letter)
    deadline = fields.stated_deadline(letter, appeal, denial)
    return LetterReading(
        is_denial=denial,
        plan_name=fields.plan_name(letter),
        member_id=fields.member_id(letter),
        claim_number=fields.claim_number(letter, denial, appeal, not service_dates),
        notice_date=fields.notice_date(letter),
        service_dates=service_dates,
        service=fields.service(letter, denial),
        reason_category=fields.reason_category(letter) if denial else None,
        carc_codes=fields.codes_in_order(code.value for code in letter.codes.carc),
        rarc_codes=fields.codes_in_order(code.value for code in letter.codes.rarc),
        cpt_hcpcs_codes=fields.codes_in_order(code.value for code in letter.codes.procedure),
        icd10_codes=fields.codes_in_order(code.value for code in letter.codes.diagnosis),
        stated_deadline=None
        if deadline is None
        else StatedDeadline(deadline.text, deadline.days, deadline.months, deadline.date),
        external_review_route=fields.external_review_route(letter),
        language=_language(text),
        truncated=truncated,
    )


def _empty_reading(cleaned: str, truncated: bool) -> LetterReading:
    return LetterReading(
        is_denial=False,
        plan_name=None,
        member_id=None,
        claim_number=None,
        notice_date=None,
        service_dates=(),
        service=None,
        reason_category=None,
        carc_codes=(),
        rarc_codes=(),
        cpt_hcpcs_codes=(),
        icd10_codes=(),
        stated_deadline=None,
        external_review_route=None,
        language=_language(cleaned),
        truncated=truncated,
    )


def _language(text: str) -> str:
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", text[:20_000])]
    english, spanish = _function_words()
    return language_of(words, english, spanish)


@functools.cache
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    words = load_yaml("intake/markers.yml")["language"]
    return frozenset(words["en"]), frozenset(words["es"])


@functools.cache
def _ocr_short_words() -> frozenset[str]:
    return frozenset(load_yaml("intake/markers.yml")["ocr_short_words"])


@functools.cache
def _letter_markers() -> re.Pattern[str]:
    markers = sorted(load_yaml("intake/markers.yml")["letter_markers"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(m.lower()) for m in markers) + r")(?!\w)")
