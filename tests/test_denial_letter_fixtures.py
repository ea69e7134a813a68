"""Every set of denial letters (tests/fixtures/denial_letters_*/) agrees with its answer keys.

The letter reader is measured against these keys, so a key that names a code or an ID the
letter does not print would make every figure in docs/extraction.md wrong.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from appeal.guidance import reasons

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SETS = tuple(f"denial_letters_round{number}" for number in (1, 2, 3, 4))
LETTERS = sorted(
    letter
    for folder in (*SETS, "denial_letters_dev")
    for letter in (FIXTURES / folder).glob("*.txt")
)
KEYS = {
    "is_denial", "plan_name", "member_id", "claim_number", "notice_date", "service_dates",
    "service", "reason_category", "carc_codes", "rarc_codes", "cpt_hcpcs_codes", "icd10_codes",
    "stated_deadline", "external_review_route",
}  # fmt: skip


def _squeezed(text: str) -> str:
    """Letters may print "CO 50" or "CO-50"; keys always say "CO-50"."""
    return re.sub(r"[\s-]+", "", text).upper()


@pytest.mark.parametrize("folder", SETS)
def test_every_evaluation_set_has_enough_letters(folder: str):
    assert len(list((FIXTURES / folder).glob("*.txt"))) >= 20


def test_every_letter_has_a_key():
    for letter in LETTERS:
        assert letter.with_suffix(".json").exists(), letter.name


@pytest.mark.parametrize("letter", LETTERS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_key_is_complete_and_printed_in_its_letter(letter: Path):
    key = json.loads(letter.with_suffix(".json").read_text(encoding="utf-8"))
    text = letter.read_text(encoding="utf-8")
    assert set(key) == KEYS
    assert key["reason_category"] is None or key["reason_category"] in {*reasons(), "other"}
    for day in [key["notice_date"], *key["service_dates"]]:
        if day:
            date.fromisoformat(day)
    for field in ("member_id", "claim_number"):
        if key[field]:
            assert key[field] in text, field
    for code in key["carc_codes"] + key["rarc_codes"] + key["cpt_hcpcs_codes"] + key["icd10_codes"]:
        assert _squeezed(code) in _squeezed(text), code
