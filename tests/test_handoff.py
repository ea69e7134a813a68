"""Handoff logic without a server: advocate hours, the case brief, callback numbers, passwords,
the store's rules, the transcript, and the actions that open a case or offer one."""

from __future__ import annotations

import stat
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.fallback import ActionNotUnderstood
from actions.guidance import ActionSummarizeCase
from actions.handoff import ActionConnectPerson, transcript
from appeal import db, handoff_store
from appeal.guidance import TriageAnswers
from appeal.handoff import (
    HELD,
    MISSED,
    WAITING,
    AdvocateHours,
    CaseBrief,
    advocate_offer,
    callback_phone,
    case_brief,
    now,
    wait_phrase,
)
from appeal.passwords import hash_password, verify_password
from gateway import accounts
from tests.actions_support import domain, tracker
from tests.test_guidance_actions import CALIFORNIA_HMO

PACIFIC = "America/Los_Angeles"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("spec", "moment", "open_"),
    [
        ("Mon-Fri 09:00-17:00", "2026-11-23T17:00", True),  # Monday 9:00 in California
        ("Mon-Fri 09:00-17:00", "2026-11-23T16:59", False),  # 8:59
        ("Mon-Fri 09:00-17:00", "2026-11-24T00:59", True),  # 16:59
        ("Mon-Fri 09:00-17:00", "2026-11-24T01:00", False),  # 17:00 closes
        ("Mon-Fri 09:00-17:00", "2026-11-28T19:00", False),  # Saturday
        ("Sat-Mon 10:00-14:00", "2026-11-29T19:00", True),  # Sunday, the run wraps the week
        ("Sat-Mon 10:00-14:00", "2026-11-25T19:00", False),  # Wednesday
        ("always", "2026-11-28T03:00", True),
        ("Wed 8:30-9:00", "2026-11-25T16:45", True),
    ],
)
def test_advocate_hours(spec, moment, open_):
    assert AdvocateHours.parse(spec, PACIFIC).is_open(_utc(moment)) is open_


@pytest.mark.parametrize(
    "spec", ["", "weekdays", "Mon-Fri 17:00-09:00", "Mon-Fun 09:00-17:00", "Mon-Fri 9-5"]
)
def test_unreadable_hours_are_refused_with_the_right_form(spec):
    with pytest.raises(ValueError):
        AdvocateHours.parse(spec, PACIFIC)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        AdvocateHours.parse("always", "Mars/Olympus")


def test_hours_are_told_in_words_with_the_zone():
    hours = AdvocateHours.parse("Mon-Fri 09:00-17:30", PACIFIC)
    said = hours.describe(_utc("2026-11-23T20:00"))
    assert said == "Monday to Friday, 9:00 a.m. to 5:30 p.m. (PST)"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("415-555-0134", "(415) 555-0134"),
        ("+1 (415) 555 0134", "(415) 555-0134"),
        ("14155550134", "(415) 555-0134"),
        ("4155550134 ext", "(415) 555-0134"),
        ("555-0134", None),  # no area code
        ("015-555-0134", None),  # no area code starts with 0
        ("415-155-0134", None),  # no exchange starts with 1
        ("4" * 41, None),
        ("", None),
        ("<script>", None),
    ],
)
def test_callback_numbers(typed, kept):
    assert callback_phone(typed) == kept


@given(st.text(max_size=60))
def test_a_callback_number_is_ten_digits_or_nothing(typed):
    kept = callback_phone(typed)
    assert kept is None or sum(character.isdigit() for character in kept) == 10


@pytest.mark.parametrize(
    ("seconds", "said"), [(300, "5 minutes"), (60, "1 minute"), (45, "45 seconds")]
)
def test_wait_phrase(seconds, said):
    assert wait_phrase(seconds) == said


def test_the_brief_carries_the_dated_deadline_with_its_rule():
    answers = TriageAnswers(**{**CALIFORNIA_HMO, "urgency": "urgent"})
    brief = case_brief(answers, ["internal_appeal"], "DMHC Help Center", date(2026, 11, 23))
    assert brief.urgent
    assert brief.nearest_deadline == date(2027, 3, 14)
    deadline = brief.summary["deadlines"][0]
    assert deadline["due"] == "2027-03-14" and deadline["days_left"] == 111
    assert "28 CCR 1300.68" in deadline["rule"]
    assert brief.summary["state"] == "California"
    assert brief.summary["letters_drafted"] == ["Appeal letter to your plan"]


@pytest.mark.parametrize(
    ("changes", "offer"),
    [
        ({}, None),
        ({"urgency": "urgent"}, "advocate_offer_urgent"),
        ({"notice_date": "2026-05-30"}, "advocate_offer_deadline"),  # 180 days end Nov 26
        ({"notice_date": "2025-01-02"}, "advocate_offer_deadline"),  # long past
        ({"notice_date": "unknown"}, None),
    ],
)
def test_a_person_is_offered_when_urgent_or_the_deadline_is_close(changes, offer):
    answers = TriageAnswers(**{**CALIFORNIA_HMO, **changes})
    assert advocate_offer(answers, date(2026, 11, 23)) == offer


def test_passwords_are_salted_and_checked():
    stored = hash_password("a long passphrase")
    assert "a long passphrase" not in stored
    assert stored != hash_password("a long passphrase")
    assert verify_password("a long passphrase", stored)
    assert not verify_password("a long passphrasE", stored)
    assert not verify_password("x", "not a hash")
    with pytest.raises(ValueError):
        hash_password("short")


def _case(sender_id: str, status: str = WAITING) -> handoff_store.Case:
    return handoff_store.create_case(sender_id, CaseBrief({}, False, None), [], status)


def test_a_conversation_has_one_open_case_and_one_advocate_takes_it():
    first = _case("web-one-case")
    assert _case("web-one-case").id == first.id
    maria = handoff_store.add_advocate(f"m-{now().timestamp()}", "Maria", "0123456789ab")
    sam = handoff_store.add_advocate(f"s-{now().timestamp()}", "Sam", "0123456789ab")
    assert handoff_store.take_case(first.id, maria.id)
    assert not handoff_store.take_case(first.id, sam.id)
    assert not handoff_store.end_case(first.id, sam.id, "closed")
    taken = handoff_store.get_case(first.id)
    assert taken is not None and taken.status == HELD and taken.advocate_name == "Maria"
    assert handoff_store.end_case(first.id, maria.id, "handed_back")
    assert handoff_store.holding_case("web-one-case") is None


def test_what_a_case_holds_is_sealed_in_the_database(tmp_path):
    case = handoff_store.create_case(
        "web-sealed",
        CaseBrief({"service": "XQZ-shoulder-MRI"}, False, None),
        [{"from": "member", "text": "member ID XQZ998877"}],
        WAITING,
    )
    handoff_store.add_line(case, "member", "claim 2026-7730019")
    handoff_store.record_callback(case.id, {"phone": "(415) 555-0134"})
    stored = Path(db.engine().url.database or "")
    raw = b"".join(path.read_bytes() for path in (stored, Path(f"{stored}-wal")) if path.exists())
    for secret in (b"XQZ-shoulder-MRI", b"XQZ998877", b"2026-7730019", b"555-0134"):
        assert secret not in raw


def test_a_duplicate_username_is_refused():
    name = f"dup-{now().timestamp()}"
    handoff_store.add_advocate(name, "One", "0123456789ab")
    with pytest.raises(ValueError, match="taken"):
        handoff_store.add_advocate(name, "Two", "0123456789ab")


def test_the_transcript_names_a_pasted_letter_skips_buttons_and_hides_links():
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "my MRI was denied", "parse_data": {"intent": {"name": "x"}}},
        {"event": "bot", "text": f"Your file: http://127.0.0.1:8080/downloads/{'A' * 43}/a.pdf"},
        {"event": "user", "text": "/affirm", "parse_data": {"intent": {"name": "affirm"}}},
        {"event": "user", "text": "Dear member " * 50,
         "parse_data": {"intent": {"name": "share_letter"}}},
    ]  # fmt: skip
    lines = transcript(events)
    assert [line["from"] for line in lines] == ["member", "assistant", "member"]
    assert "A" * 43 not in lines[1]["text"]
    assert lines[2]["text"] == "[a pasted letter of 600 characters: read, not kept]"


async def _connect(sender_id: str, slots: dict[str, str]) -> tuple[str, list[dict]]:
    from rasa_sdk.executor import CollectingDispatcher

    state = tracker("I want to talk to a person", "ask_human", slots=slots)
    state.sender_id = sender_id
    dispatcher = CollectingDispatcher()
    await ActionConnectPerson().run(dispatcher, state, domain())
    said = "\n".join(str(message.get("text") or "") for message in dispatcher.messages)
    return said, [message["custom"] for message in dispatcher.messages if message.get("custom")]


async def test_on_the_website_a_case_waits_for_an_online_advocate(monkeypatch):
    monkeypatch.setenv("ADVOCATE_HOURS", "always")
    someone = handoff_store.add_advocate(f"on-{now().timestamp()}", "On", "0123456789ab")
    handoff_store.session_advocate(handoff_store.start_session(someone))
    said, custom = await _connect("web-waits", CALIFORNIA_HMO)
    assert "asked an advocate to join" in said
    case = handoff_store.get_case(custom[0]["handoff"]["case"])
    assert case is not None and case.status == WAITING
    assert case.summary["state"] == "California"
    assert case.transcript[-1]["text"] == "I want to talk to a person"
    again, _ = await _connect("web-waits", CALIFORNIA_HMO)
    assert "already waiting" in again


async def test_outside_hours_the_member_gets_lines_and_a_callback(monkeypatch):
    monkeypatch.setenv("ADVOCATE_HOURS", "Sun 01:00-01:01")
    said, custom = await _connect("web-after-hours", CALIFORNIA_HMO)
    assert "Our advocates answer this chat Sunday, 1:00 a.m. to 1:01 a.m." in said
    assert "1-888-466-2219" in said  # the DMHC Help Center, from the directory
    assert custom[0]["handoff"]["status"] == MISSED and custom[0]["handoff"]["callback"]


async def test_the_summary_offers_a_person_when_the_care_is_urgent():
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    state = tracker(slots={**CALIFORNIA_HMO, "urgency": "urgent"})
    await ActionSummarizeCase().run(dispatcher, state, domain())
    buttons = [button["payload"] for message in dispatcher.messages
               for button in message.get("buttons") or []]  # fmt: skip
    assert "/ask_human" in buttons


async def test_the_second_miss_in_a_row_offers_a_person():
    from rasa_sdk.executor import CollectingDispatcher

    state = tracker("blorp", "nlu_fallback")
    state.events = [
        {"event": "user", "text": "zzz"},
        {"event": "action", "name": "action_not_understood"},
        {"event": "action", "name": "action_listen"},
        *state.events,
    ]
    dispatcher = CollectingDispatcher()
    await ActionNotUnderstood().run(dispatcher, state, domain())
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == "/ask_human"
    first = CollectingDispatcher()
    await ActionNotUnderstood().run(first, tracker("blorp", "nlu_fallback"), domain())
    assert not any(message.get("buttons") for message in first.messages)


def test_the_first_run_account_is_made_once_with_a_private_password(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("APPEAL_DATABASE_URL", f"sqlite:///{tmp_path / 'accounts.db'}")
    monkeypatch.setattr(accounts, "FIRST_ACCOUNT_FILE", tmp_path / "first-advocate.txt")
    accounts.main(["first-run"])
    said = capsys.readouterr().out
    password = said.split("password ")[1].split()[0]
    assert handoff_store.check_sign_in("advocate", password) is not None
    note = tmp_path / "first-advocate.txt"
    assert stat.S_IMODE(note.stat().st_mode) == 0o600 and password in note.read_text()
    accounts.main(["first-run"])
    assert capsys.readouterr().out == ""
