"""Guidance, directory, handoff and session actions, as a member would see their replies."""

from __future__ import annotations

import re

import pytest

from actions.directory import ActionGiveHelpLine
from actions.guidance import ActionExplainDenialReason, ActionExplainPath, ActionSummarizeCase
from actions.handoff import ActionConnectPerson
from actions.session import ActionSessionStart
from tests.actions_support import run, slot_values, tracker

CALIFORNIA_HMO = {
    "us_state": "CA",
    "plan_type": "employer_insured",
    "notice_date": "2026-09-15",
    "denied_service": "an MRI of my knee",
    "denial_reason": "not_medically_necessary",
    "urgency": "not_urgent",
    "appeal_stage": "first_denial",
}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPEAL_TODAY", "2026-11-23")


async def test_the_path_is_mapped_and_the_reason_remembered():
    events, said = await run(
        ActionExplainPath(), tracker("got a letter saying not medically necessary", "report_denial")
    )
    for step in ("in writing", "Internal appeal", "External review", "State help"):
        assert step in said
    assert "work out your exact deadline" in said
    assert slot_values(events) == {"denial_reason": "not_medically_necessary"}


async def test_california_hmo_summary_has_dates_rules_and_the_dmhc():
    _, said = await run(ActionSummarizeCase(), tracker(slots=CALIFORNIA_HMO))
    assert "March 14, 2027 (111 days from today)" in said
    assert "28 CCR 1300.68" in said
    assert "Independent Medical Review" in said
    assert "1-888-466-2219" in said
    assert "medically necessary" in said


async def test_a_past_deadline_still_gets_a_way_forward():
    slots = {**CALIFORNIA_HMO, "us_state": "OH", "notice_date": "2026-01-05"}
    _, said = await run(ActionSummarizeCase(), tracker(slots=slots))
    assert "was July 4, 2026" in said
    assert "Don't give up" in said and "deemed exhaustion" in said
    assert "45 CFR 147.136(b)(2)(ii)(F)" in said
    assert "calendar" not in said  # nothing ahead to put in a calendar


async def test_a_california_summary_links_a_calendar_file_that_opens_once_fetched():
    from appeal import downloads

    _, said = await run(ActionSummarizeCase(), tracker(slots=CALIFORNIA_HMO))
    match = re.search(r"/downloads/([A-Za-z0-9_-]{43})/appeal-deadlines\.ics", said)
    assert match, said
    found = downloads.fetch(match.group(1))
    assert found is not None and found.media_type.startswith("text/calendar")
    ics = found.content.decode()
    assert "DTSTART;VALUE=DATE:20270314" in ics and "TRIGGER:-P14D" in ics
    assert "1-888-466-2219" in ics.replace("\r\n ", "")  # the help line rides along (unfolded)


@pytest.mark.parametrize(
    ("regulator", "expected", "absent"),
    [
        ("dmhc", "with the DMHC", "1-800-927-4357"),
        ("cdi", "with the California Department of Insurance", "1-888-466-2219"),
    ],
)
async def test_the_california_regulator_picks_the_review_and_the_office(
    regulator, expected, absent
):
    slots = {**CALIFORNIA_HMO, "ca_regulator": regulator}
    _, said = await run(ActionSummarizeCase(), tracker(slots=slots))
    assert expected in said and absent not in said


async def test_an_urgent_experimental_california_case_may_go_to_the_dmhc_now():
    slots = {**CALIFORNIA_HMO, "urgency": "urgent", "denial_reason": "experimental"}
    _, said = await run(ActionSummarizeCase(), tracker(slots=slots))
    assert "you can go to the DMHC now" in said
    assert "1368.03(a)" in said


async def test_a_close_deadline_is_flagged():
    slots = {**CALIFORNIA_HMO, "plan_type": "medicaid", "notice_date": "2026-10-01"}
    _, said = await run(ActionSummarizeCase(), tracker(slots=slots))
    assert "⚠" in said and "November 30, 2026" in said


async def test_urgent_case_gets_the_expedited_route():
    slots = {**CALIFORNIA_HMO, "urgency": "urgent"}
    _, said = await run(ActionSummarizeCase(), tracker(slots=slots))
    assert "expedited" in said and "72 hours" in said


async def test_everything_skipped_still_helps():
    skipped = dict.fromkeys(CALIFORNIA_HMO, "unknown")
    _, said = await run(ActionSummarizeCase(), tracker(slots=skipped))
    assert "60 days" in said
    assert "Tell me your state" in said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they said I needed a referral, how do I fix that?", "referral"),
        ("what do I do about a coding error denial", "cod"),
    ],
)
async def test_reason_advice(text, expected):
    events, said = await run(ActionExplainDenialReason(), tracker(text, "explain_denial_reason"))
    assert expected in said.lower()
    assert "Evidence that helps" in said
    assert slot_values(events)["denial_reason"]


async def test_reason_advice_without_a_reason_offers_choices():
    dispatcher_events, said = await run(
        ActionExplainDenialReason(),
        tracker("how do I fight this denial reason", "explain_denial_reason"),
    )
    assert dispatcher_events == []
    assert "Which reason" in said


async def test_help_line_for_a_named_state():
    _, said = await run(
        ActionGiveHelpLine(),
        tracker("what's the insurance department's number in Ohio?", "ask_help_line"),
    )
    assert "Ohio Department of Insurance" in said


async def test_help_line_without_a_state_asks_for_it():
    _, said = await run(ActionGiveHelpLine(), tracker("who do I call?", "ask_help_line"))
    assert "Tell me your state" in said


async def test_asking_for_a_person_outside_the_website_gives_the_lines():
    _, said = await run(
        ActionConnectPerson(), tracker("can I talk to a person", "ask_human", slots=CALIFORNIA_HMO)
    )
    assert "in the chat on our website, but not here" in said
    assert "1-888-466-2219" in said


async def test_intro_once_per_conversation():
    events, said = await run(ActionSessionStart(), tracker())
    assert "not legal or" in said and "911" in said
    assert slot_values(events)["intro_shown"] is True
    _, said_again = await run(ActionSessionStart(), tracker(slots={"intro_shown": True}))
    assert said_again == ""


async def test_a_new_session_keeps_the_answers():
    events, _ = await run(
        ActionSessionStart(), tracker(slots={**CALIFORNIA_HMO, "intro_shown": True})
    )
    assert slot_values(events)["us_state"] == "CA"


@pytest.mark.parametrize(
    "reason",
    [
        "missing_documentation",
        "no_referral",
        "no_prior_authorization",
        "coding_error",
        "not_medically_necessary",
        "experimental",
        "emergency_or_out_of_network",
        "other",
    ],
)
def test_every_reason_has_member_facing_advice(reason):
    from appeal.guidance import reason_advice

    advice = reason_advice(reason)
    assert advice is not None
    assert "What usually fixes it" in advice and "Evidence that helps" in advice
    assert "seed" not in advice.lower()


def test_no_verified_line_is_said_plainly():
    from appeal.guidance import who_can_help

    message = who_can_help("OR", "medicaid")
    assert "don't have a verified help line for this kind of plan in Oregon" in message
    assert "State Fair Hearing" in message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("what's the insurance department's number in Ohio?", "Ohio Department of Insurance"),
        ("how do I reach the DMHC", "1-888-466-2219"),
        ("medicare's phone number please", "1-800-633-4227"),
        ("who handles external review in Georgia?", "Sources disagree"),
    ],
)
async def test_named_offices_and_regulators(message, expected):
    _, said = await run(ActionGiveHelpLine(), tracker(message, "ask_help_line"))
    assert expected in said


async def test_a_missing_office_is_said_plainly():
    _, said = await run(
        ActionGiveHelpLine(),
        tracker("number for the managed care regulator in Ohio", "ask_help_line"),
    )
    assert "I don't have a number for the managed-care regulator for Ohio" in said


async def test_calendar_without_a_date_says_what_it_needs():
    from actions.guidance import ActionOfferCalendar

    _, said = await run(ActionOfferCalendar(), tracker("add it to my calendar", "ask_calendar"))
    assert "date printed on your denial notice" in said
    slots = {**CALIFORNIA_HMO, "notice_date": "2025-01-05"}
    _, said = await run(ActionOfferCalendar(), tracker("remind me", "ask_calendar", slots=slots))
    assert "already passed" in said
    _, said = await run(
        ActionOfferCalendar(), tracker("remind me", "ask_calendar", slots=CALIFORNIA_HMO)
    )
    assert "/downloads/" in said


async def test_conflicting_sources_give_the_safe_date_and_name_the_later_one():
    slots = {**CALIFORNIA_HMO, "us_state": "FL", "plan_type": "medicare_advantage"}
    slots["notice_date"] = "2026-11-01"
    _, said = await run(ActionSummarizeCase(), tracker(slots=slots))
    assert "by December 31, 2026 (38 days from today)" in said
    assert "runs to January 5, 2027" in said
    assert "uses 60 days" in said


async def test_looking_up_an_office_does_not_set_the_members_state():
    events, _ = await run(
        ActionGiveHelpLine(), tracker("the insurance department's number in Texas", "ask_help_line")
    )
    assert slot_values(events) == {}
    events, _ = await run(ActionGiveHelpLine(), tracker("who do I call in Ohio?", "ask_help_line"))
    assert slot_values(events) == {"us_state": "OH"}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("is external review in Georgia state or federal?", "Sources disagree"),
        ("external review alabama??", "uses the federal process"),
        ("who does external reviews in Texas", "is run by the state"),
        ("external review", "Tell me your state"),
    ],
)
async def test_not_understood_tries_the_directory_first(message, expected):
    from actions.fallback import ActionNotUnderstood

    _, said = await run(ActionNotUnderstood(), tracker(message, "nlu_fallback"))
    assert expected in said


async def test_not_understood_and_nothing_known_gets_the_usual_reply():
    from actions.fallback import ActionNotUnderstood

    _, said = await run(ActionNotUnderstood(), tracker("blorp zzz", "nlu_fallback"))
    assert said.startswith("Sorry, I didn't follow that.")
