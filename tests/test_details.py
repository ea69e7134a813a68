"""The member's letter details, read from answers and from corrections in a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appeal.details import (
    IDENTIFIER_MAX_CHARS,
    NAME_MAX_CHARS,
    find_letter_details,
    parse_detail,
    parse_identifier,
    parse_letter_type,
)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("XKB448120", "XKB448120"),
        ("it's ABC123456", "ABC123456"),
        ("W123 456 01", "W123 456 01"),
        ("ABC 123", "ABC 123"),
        ("#12345", "12345"),
        ("Member ID: XJ-99812", "XJ-99812"),
        ("my member id is ABC123456 and my claim is x", "ABC123456"),
        ("claim number 7781-22-03.", "7781-22-03"),
        ("skip", None),
        ("I don't know", None),
        ("", None),
        ("<b>1234</b>", "1234"),
    ],
)
def test_identifiers_are_kept_as_typed(answer, expected):
    assert parse_identifier(answer) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("the claim number is 26-5512", {"claim_number": "26-5512"}),
        ("no, my member ID is XKB448120", {"member_id": "XKB448120"}),
        ("Member ID: XJ-99812", {"member_id": "XJ-99812"}),
        ("the reference number is actually UM-4410", {"claim_number": "UM-4410"}),
        ("my name is Maria Lopez", {"member_name": "Maria Lopez"}),
        ("my doctor is Dr. Ana Ruiz", {"doctor_name": "Dr. Ana Ruiz"}),
        ("the plan name is Golden Bay Health Plan", {"plan_name": "Golden Bay Health Plan"}),
        (
            "my member id is AB12345 and the claim number is 77-1",
            {"member_id": "AB12345", "claim_number": "77-1"},
        ),
        ("I'm in Oregon", {}),
        ("my claim was denied", {}),
        ("the date was March 3", {}),
    ],
)
def test_details_stated_in_a_sentence(message, expected):
    assert find_letter_details(message) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("my name is María José O'Brien", "María José O'Brien"),
        ("Tom Becker.", "Tom Becker"),
        ("12345", None),
        ("<script>alert(1)</script>Ann Lee", "Ann Lee"),
    ],
)
def test_names_are_cleaned(answer, expected):
    assert parse_detail("member_name", answer) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("write my appeal letter", "internal_appeal"),
        ("I need an urgent appeal", "expedited_appeal"),
        ("ask for my claim file and the criteria", "claim_file_request"),
        ("help with the IMR application", "external_review"),
        ("a letter from my doctor about medical necessity", "medical_necessity_request"),
        ("write a letter", None),
    ],
)
def test_which_letter_was_asked_for(message, expected):
    assert parse_letter_type(message) == expected


@given(st.text(max_size=500))
def test_any_answer_gives_a_short_single_line_value_or_none(answer):
    for slot in ("member_name", "member_id", "claim_number", "plan_name", "doctor_name"):
        value = parse_detail(slot, answer)
        if value is not None:
            assert "\n" not in value and value == value.strip()
            assert len(value) <= max(NAME_MAX_CHARS, IDENTIFIER_MAX_CHARS)
    find_letter_details(answer)
