"""The letter form, the drafted letter and the letter reader, as a member sees their replies."""

from __future__ import annotations

import re

import pytest

from actions.intake import ActionReadLetter
from actions.letters import ActionDraftLetter, ActionStartLetter, ValidateLetterForm
from actions.triage import ActionStartTriage
from appeal import downloads
from tests.actions_support import domain, run, slot_values, tracker

LETTER = (
    "Willow Creek Health Plan\nNotice of Denial\nDate: October 20, 2026\n"
    "Member: Jamie Ortiz\nMember ID: WCH77120459\nReference number: PA-2026-118830\n"
    "We reviewed the request from Dr. Leena Shah for physical therapy, 12 visits (CPT 97110).\n"
    "Your request is denied because it is not medically necessary under our guidelines.\n"
    "You have the right to appeal. You must file your appeal within 180 days of the date of "
    "this notice. You may also be able to request an external review.\n"
)
CASE = {
    "us_state": "AZ",
    "plan_type": "employer_insured",
    "notice_date": "2026-10-20",
    "denied_service": "physical therapy",
    "denial_reason": "not_medically_necessary",
    "urgency": "not_urgent",
    "appeal_stage": "first_denial",
}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPEAL_TODAY", "2026-11-23")


async def test_a_pasted_letter_is_read_back_and_kept_as_details():
    events, said = await run(ActionReadLetter(), tracker(LETTER, "share_letter"))
    slots = slot_values(events)
    assert slots["member_id"] == "WCH77120459"
    assert slots["claim_number"] == "PA-2026-118830"
    assert slots["notice_date"] == "2026-10-20"
    assert slots["letter_read"] is True
    assert "WCH77120459" in said and "Is this right?" in said


@pytest.mark.parametrize(
    "pasted",
    [
        "",
        "   ",
        "🙂" * 500,
        "<html><script>alert(1)</script></html>",
        "Thank you for your payment. Your account balance is $0.00. " * 30,
        "x" * 20_000,
    ],
)
async def test_anything_that_is_not_a_denial_gets_a_clear_answer_and_keeps_nothing(pasted):
    events, said = await run(ActionReadLetter(), tracker(pasted, "share_letter"))
    assert slot_values(events) == {"letter_read": False}
    assert said.strip()


async def test_asking_for_a_letter_by_name_counts_what_is_needed():
    events, said = await run(
        ActionStartLetter(),
        tracker("write an urgent appeal", "request_letter", slots={"member_id": "unknown"}),
    )
    assert slot_values(events) == {"letter_type": "expedited_appeal", "member_id": None}
    assert "I need 5 details" in said


async def test_the_form_asks_only_what_the_chosen_letter_needs():
    form = ValidateLetterForm()
    state = tracker(slots={"letter_type": "claim_file_request"}, form="letter_form")
    needed = await form.required_slots(
        ["letter_type", "member_name", "member_id", "claim_number", "plan_name", "doctor_name"],
        None,
        state,
        domain(),
    )
    assert needed == ["letter_type", "member_name", "member_id", "claim_number", "plan_name"]


@pytest.mark.parametrize(
    ("slot", "typed", "intent", "expected"),
    [
        ("member_id", "it's WCH77120459", "inform", "WCH77120459"),
        ("member_id", "skip", "skip", "unknown"),
        ("member_id", "I have no idea", "inform", "unknown"),
        ("member_id", "hmm", "inform", None),
        ("member_name", "Jamie Ortiz", "inform", "Jamie Ortiz"),
        ("claim_number", "/skip", "skip", "unknown"),
        ("doctor_name", "<b>Dr. Leena Shah</b>", "inform", "Dr. Leena Shah"),
    ],
)
async def test_each_detail_can_be_answered_or_skipped(slot, typed, intent, expected):
    form = ValidateLetterForm()
    validate = getattr(form, f"validate_{slot}")
    result = await validate(
        typed,
        _Dispatcher(),
        tracker(typed, intent, requested_slot=slot, form_active=True, form="letter_form"),
        domain(),
    )
    assert result == {slot: expected}


async def test_the_drafted_letter_is_in_the_chat_and_downloads_as_pdf_and_word():
    slots = {
        **CASE,
        "letter_type": "internal_appeal",
        "member_name": "Jamie Ortiz",
        "member_id": "WCH77120459",
        "claim_number": "unknown",
        "plan_name": "Willow Creek Health Plan",
    }
    events, said = await run(ActionDraftLetter(), tracker(slots=slots))
    assert "Jamie Ortiz" in said and "WCH77120459" in said
    assert "April 18, 2027" in said  # 180 days from the notice
    assert "claim number" in said.lower()  # the skipped detail is a marked blank
    links = re.findall(r"/downloads/([A-Za-z0-9_-]{43})/([a-z0-9-]+\.(pdf|docx))", said)
    assert {extension for _, _, extension in links} == {"pdf", "docx"}
    for token, filename, _ in links:
        stored = downloads.fetch(token)
        assert stored is not None and stored.filename == filename
    assert slot_values(events) == {"letters_drafted": ["internal_appeal"], "letter_type": None}


async def test_a_correction_after_reading_sets_the_detail_and_says_so():
    events, said = await run(
        ActionStartTriage(),
        tracker("the claim number is wrong, it's 2026-7730019", "correct"),
    )
    assert slot_values(events) == {"claim_number": "2026-7730019"}
    assert "the claim number to 2026-7730019" in said


class _Dispatcher:
    def __init__(self) -> None:
        self.messages: list[dict[str, object]] = []

    def utter_message(self, **kwargs: object) -> None:
        self.messages.append(kwargs)
