"""Real conversations through the REST webhook, as a member would have them.

The Rasa and action servers start once per session (see conftest.py) with today pinned to
2026-11-23, so every date below is exact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Chat, texts

pytestmark = pytest.mark.server


def answer_all(chat: Chat, answers: list[str]) -> str:
    """Send each answer in turn; return what the bot said to the last one."""
    reply = ""
    for message in answers:
        reply = texts(chat(message))
    return reply


@pytest.mark.parametrize(
    "opening",
    [
        "my claim was denied, what now?",
        "insurance won't pay for my MRI",
        "got a letter saying not medically necessary",
    ],
)
def test_opening_question_gets_the_map_and_an_offer(chat: Chat, opening: str):
    reply = texts(chat(opening))
    assert "not legal or" in reply  # the note, once, at the start
    assert "Internal appeal" in reply and "External review" in reply
    assert "work out your exact deadline" in reply
    assert "not legal or" not in texts(chat("what is an HMO?"))


def test_california_hmo_member_gets_dated_steps_and_the_dmhc(chat: Chat):
    chat("my claim was denied, what now?")
    assert "Which state" in texts(chat("yes please"))
    summary = answer_all(
        chat,
        [
            "California",
            "through my job, it's a Blue Shield HMO",
            "9/15/26",
            "an MRI of my knee",
            "they said it wasn't medically necessary",
            "no",
            "this is the first denial",
        ],
    )
    assert "March 14, 2027 (111 days from today)" in summary
    assert "28 CCR 1300.68" in summary
    assert "Independent Medical Review" in summary
    assert "1-888-466-2219" in summary
    assert "Evidence that helps" in summary


def test_side_question_safety_and_correction_mid_form(chat: Chat):
    chat("when is my deadline?")
    chat("Ohio")
    hmo = texts(chat("what is an HMO anyway?"))
    assert "network" in hmo.lower() and "How do you get this health plan?" in hmo
    emergency = texts(chat("I'm having crushing chest pain right now"))
    assert "call 911 now" in emergency and "How do you get this health plan?" in emergency
    crisis = texts(chat("I don't want to live anymore"))
    assert "988" in crisis and "How do you get this health plan?" in crisis
    corrected = texts(chat("actually I'm in Oregon, not Ohio"))
    assert "changed your state to Oregon" in corrected
    assert "How do you get this health plan?" in corrected


def test_bad_answers_get_kind_questions_back(chat: Chat):
    chat("work out my deadline please")
    assert "Louisiana or California" in texts(chat("LA"))
    chat("Texas")
    chat("Medicaid")
    assert "still ahead" in texts(chat("12/25/2026"))
    assert "doesn't exist" in texts(chat("February 30"))
    for odd in ["<script>alert('x')</script>", "blah " * 4000, "😡😡😡", "qwerty zxcv"]:
        reply = texts(chat(odd))
        assert "What date is printed on the denial notice?" in reply
        assert "<script" not in reply and len(reply) < 1500
    assert "What did the plan deny?" in texts(chat("two weeks ago"))


def test_skip_stop_and_resume(chat: Chat):
    chat("how long do I have to appeal?")
    chat("New York")
    assert "insured or self-funded" in texts(chat("I don't know"))
    assert "in days" in texts(chat("skip"))
    assert "stopped" in texts(chat("stop"))
    assert "What did the plan deny?" in texts(chat("let's continue"))


def test_asking_for_a_person_is_honest_and_gives_lines(chat: Chat):
    reply = texts(chat("can I talk to a real person?"))
    assert "in the chat on our website, but not here" in reply
    assert "Tell me your state" in reply
    ohio = texts(chat("what's the insurance department's number in Ohio?"))
    assert "1-800-686-1526" in ohio


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("hello", "help with a health plan denial"),
        ("are you a bot?", "automated assistant"),
        ("what's the weather tomorrow?", "only help with health plan denials"),
        ("they said I needed a referral, how do I fix that?", "Evidence that helps"),
    ],
)
def test_small_talk_reasons_and_odd_input(chat: Chat, message: str, expected: str):
    assert expected in texts(chat(message))


@pytest.mark.parametrize("odd", ["🙂🙂🙂", "<b>hi</b>", "x" * 20_000, "", "مرحبا"])
def test_odd_input_gets_an_answer(chat: Chat, odd: str):
    chat("hello")
    reply = texts(chat(odd))
    assert reply.strip()
    assert "<b>" not in reply


def test_start_over_clears_answers(chat: Chat):
    chat("when is my deadline")
    chat("Florida")
    assert "start over" in texts(chat("start over")).lower()
    assert "Which state" in texts(chat("when is my deadline"))


def test_california_insured_policy_gets_the_regulator_question_and_a_calendar_file(
    chat: Chat, server_database: Path
):
    import re
    import urllib.request

    chat("my claim was denied, what now?")
    chat("yes please")
    chat("California")
    question = texts(chat("I get it through work"))
    assert "DMHC" in question and "Department of Insurance" in question
    summary = answer_all(
        chat,
        [
            "my card says California Department of Insurance",
            "September 15, 2026",
            "physical therapy",
            "no prior authorization",
            "no, it can wait",
            "first denial",
        ],
    )
    assert "by March 14, 2027 (111 days from today)" in summary
    assert "Independent Medical Review (IMR) with the California Department of Insurance" in summary
    assert "1-800-927-4357" in summary and "1-888-466-2219" not in summary
    link = re.search(
        r"http://127\.0\.0\.1:\d+/downloads/[A-Za-z0-9_-]{43}/appeal-deadlines\.ics", summary
    )
    assert link, summary
    with urllib.request.urlopen(link.group(0), timeout=10) as response:
        ics = response.read().decode()
        assert response.headers["Content-Disposition"].startswith("attachment")
    assert "DTSTART;VALUE=DATE:20270314" in ics
    token = link.group(0).split("/")[-2]
    stored = b"".join(path.read_bytes() for path in server_database.parent.glob("appeal.db*"))
    assert token.encode() not in stored  # the stored conversation cannot open the file
    calendar_again = texts(chat("can you add that to my calendar?"))
    assert "/downloads/" in calendar_again


@pytest.mark.parametrize(
    ("question", "expected", "next_question"),
    [
        (
            "what's the insurance department's number in Ohio?",
            "Ohio Department of Insurance",
            "Which state",  # looking up Ohio's office does not make Ohio the member's state
        ),
        ("who regulates my health plan?", "Who regulates your plan", "Which state"),
        (
            "is external review in georgia run by the state or the feds?",
            "Sources disagree",
            "Which state",
        ),
        ("what's the phone number for medicare?", "1-800-633-4227", "Which state"),
    ],
)
def test_directory_questions_work_at_any_point(
    chat: Chat, question: str, expected: str, next_question: str
):
    assert expected in texts(chat(question))
    chat("start over")
    chat("my claim was denied, what now?")
    chat("yes")  # now inside the questions
    mid_form = texts(chat(question))
    assert expected in mid_form and next_question in mid_form


def test_a_calendar_needs_a_date_first(chat: Chat):
    assert "date printed on your denial notice" in texts(chat("put my deadline in my calendar"))
