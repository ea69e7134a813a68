"""What the letter reader found, said back and kept; the letter's deadline beside the rule's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from appeal.guidance import TriageAnswers
from appeal.intake import LetterReading, StatedDeadline
from appeal.letter_findings import deadline_comparison, read_back, stated_due_date

TODAY = date(2026, 11, 23)
NOTHING_KNOWN = TriageAnswers(None, None, None, None, None, None, None)
READING = LetterReading(
    is_denial=True,
    plan_name="Willow Creek Health Plan",
    member_id="WCH77120459",
    claim_number="PA-2026-118830",
    notice_date=date(2026, 10, 20),
    service_dates=(date(2026, 10, 2),),
    service="physical therapy, 12 visits",
    reason_category="not_medically_necessary",
    carc_codes=("CO-50",),
    rarc_codes=("N130",),
    cpt_hcpcs_codes=("97110",),
    icd10_codes=("M54.5",),
    stated_deadline=StatedDeadline("within 180 days of the date of this notice", 180, None, None),
    external_review_route="DMHC Independent Medical Review",
    language="en",
    truncated=False,
)


def test_every_detail_is_said_back_for_the_member_to_check():
    findings = read_back(READING, NOTHING_KNOWN, TODAY)
    said = "\n".join(findings.messages)
    for shown in (
        "Willow Creek Health Plan",
        "WCH77120459",
        "PA-2026-118830",
        "October 20, 2026",
        "physical therapy",
        "CO-50",
        "N130",
        "97110",
        "M54.5",
        "within 180 days of the date of this notice",
        "April 18, 2027",
        "DMHC Independent Medical Review",
        "Is this right?",
    ):
        assert shown in said, shown
    assert findings.is_denial


def test_details_fill_the_slots_and_the_route_fills_only_unknown_answers():
    findings = read_back(READING, NOTHING_KNOWN, TODAY)
    assert findings.slots == {
        "plan_name": "Willow Creek Health Plan",
        "member_id": "WCH77120459",
        "claim_number": "PA-2026-118830",
        "notice_date": "2026-10-20",
        "service_date": "2026-10-02",
        "denied_service": "physical therapy, 12 visits",
        "denial_reason": "not_medically_necessary",
        "letter_deadline": {
            "text": "within 180 days of the date of this notice",
            "due": "2027-04-18",
        },
        "us_state": "CA",
        "ca_regulator": "dmhc",
    }
    in_oregon = replace(NOTHING_KNOWN, us_state="OR")
    assert "us_state" not in read_back(READING, in_oregon, TODAY).slots


@pytest.mark.parametrize(
    ("reading", "expected_key"),
    [
        (replace(READING, is_denial=False), "doesn't look like a denial"),
        (
            replace(READING, is_denial=False, plan_name=None, member_id=None, language="other"),
            "couldn't find a denial letter",
        ),
    ],
)
def test_not_a_denial_keeps_nothing(reading, expected_key):
    findings = read_back(reading, NOTHING_KNOWN, TODAY)
    assert findings.slots == {}
    assert expected_key in " ".join(findings.messages)
    assert not findings.is_denial


def test_spanish_long_and_undated_letters_say_so():
    reading = replace(READING, language="es", truncated=True, stated_deadline=None)
    said = " ".join(read_back(reading, NOTHING_KNOWN, TODAY).messages)
    assert "Spanish" in said
    assert "only the first part" in said
    assert "doesn't state a deadline" in said


@pytest.mark.parametrize(
    ("deadline", "notice", "expected"),
    [
        (StatedDeadline("within 180 days", 180, None, None), date(2026, 10, 20), date(2027, 4, 18)),
        (StatedDeadline("within four months", None, 4, None), date(2026, 10, 31), date(2027, 3, 1)),
        (StatedDeadline("by 03/14/2027", None, None, date(2027, 3, 14)), None, date(2027, 3, 14)),
        (StatedDeadline("within 60 days", 60, None, None), None, None),
    ],
)
def test_the_letters_deadline_as_a_date(deadline, notice, expected):
    assert stated_due_date(deadline, notice) == expected


def _answers(**given: str) -> TriageAnswers:
    base = dict(
        us_state="AZ",
        plan_type="employer_insured",
        notice_date="2026-10-20",
        denied_service="physical therapy",
        denial_reason="not_medically_necessary",
        urgency="not_urgent",
        appeal_stage="first_denial",
    )
    return TriageAnswers(**{**base, **given})


def test_a_letter_deadline_that_matches_the_rule():
    said = deadline_comparison(_answers(), {"text": "180 days", "due": "2027-04-18"}, TODAY)
    assert said is not None and "matches the rule" in said and "April 18, 2027" in said


def test_a_letter_deadline_that_differs_names_both_and_the_earlier():
    said = deadline_comparison(_answers(), {"text": "within 60 days", "due": "2026-12-19"}, TODAY)
    assert said is not None
    assert "December 19, 2026" in said and "April 18, 2027" in said
    assert "Go by the earlier date, December 19, 2026" in said
    assert "147.136" in said or "2560.503-1" in said  # the rule's citation


def test_no_comparison_without_both_dates():
    assert deadline_comparison(_answers(), None, TODAY) is None
    assert deadline_comparison(_answers(), {"text": "soon", "due": None}, TODAY) is None
    assert (
        deadline_comparison(_answers(notice_date="unknown"), {"due": "2027-01-01"}, TODAY) is None
    )
