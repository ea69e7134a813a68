"""Every number the assistant can say is in the sourced data, with its confidence mark."""

from __future__ import annotations

import re

import pytest

from appeal.directory import confirmed_fallback, help_lines, parse_confidence, state_offices
from appeal.states import all_jurisdictions
from tests.actions_support import SOURCED_TEXT

PLAN_TYPES = [
    "employer_insured",
    "marketplace",
    "medicaid",
    "medicare_advantage",
    "self_funded",
    "unknown",
]


def test_all_51_jurisdictions_have_offices():
    codes = [j.code for j in all_jurisdictions()]
    assert len(codes) == 51
    for code in codes:
        assert state_offices(code).insurance_department


@pytest.mark.parametrize("plan_type", PLAN_TYPES)
@pytest.mark.parametrize("state", [j.code for j in all_jurisdictions()] + [None])
def test_every_line_is_sourced_and_marked(state, plan_type):
    for line in help_lines(state, plan_type):
        assert line.phone and line.phone in SOURCED_TEXT
        assert line.confidence in {
            "confirmed-official",
            "confirmed-secondary",
            "inferred",
            "listed",
            "unknown",
        }
        assert line.source


@pytest.mark.parametrize(
    ("state", "plan_type", "expected_phone"),
    [
        ("CA", "employer_insured", "1-888-466-2219"),  # DMHC Help Center
        ("CA", "medicaid", "1-888-452-8609"),  # Medi-Cal Managed Care Ombudsman
        ("CA", "medicare_advantage", "1-800-434-0222"),  # HICAP
        ("TX", "self_funded", "1-866-444-3272"),  # EBSA
        ("FL", "medicare_advantage", "1-877-839-2675"),  # SHIP locator
        ("MN", "employer_insured", "651-201-5100"),  # Minnesota managed-care regulator
    ],
)
def test_the_right_office_for_plan_and_state(state, plan_type, expected_phone):
    phones = " ".join(line.phone for line in help_lines(state, plan_type))
    assert expected_phone in phones


def test_self_funded_plans_skip_the_state_insurance_department():
    names = [line.name for line in help_lines("OH", "self_funded")]
    assert not any("Ohio" in name for name in names)


def test_unverified_state_numbers_come_with_a_confirmed_line():
    lines = help_lines("OR", "employer_insured")  # Oregon's number is marked inferred
    assert not any(line.confirmed for line in lines)
    fallback = confirmed_fallback(lines, "employer_insured")
    assert fallback is not None and fallback.confirmed


def test_confidence_marks_parse():
    marks = parse_confidence("doi_phone=confirmed-official (907 no.); cap=unknown")
    assert marks == {"doi_phone": "confirmed-official", "cap": "unknown"}


def test_no_phone_number_in_code():
    """Numbers live in knowledge/, never in Python (a guard against a hand-typed number)."""
    from pathlib import Path

    pattern = re.compile(r"\b\d{3}-\d{3}-\d{4}\b")
    root = Path(__file__).resolve().parent.parent
    for folder in ("appeal", "actions", "components"):
        for path in (root / folder).glob("*.py"):
            assert not pattern.search(path.read_text()), path
