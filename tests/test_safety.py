"""Crisis messages are caught whatever the NLU model thinks; claim talk is not a crisis."""

from __future__ import annotations

import pytest

from appeal.safety import Crisis, detect_crisis


@pytest.mark.parametrize(
    "message",
    [
        "I want to kill myself",
        "honestly i dont want to live anymore",
        "I'm suicidal",
        "everyone would be better off without me",
        "I can't go on like this",
        "I've been thinking about ending my life",
        "I keep wanting to hurt myself",
        "my claim was denied and I want to die",
    ],
)
def test_self_harm_is_caught(message):
    assert detect_crisis(message) is Crisis.SELF_HARM


@pytest.mark.parametrize(
    "message",
    [
        "I have crushing chest pain",
        "my son can't breathe",
        "my wife is having a stroke",
        "I think I overdosed on my pills",
        "he's unconscious",
        "I'm bleeding heavily",
        "chest pain right now and my plan denied my cardiology visit",
    ],
)
def test_emergency_is_caught(message):
    assert detect_crisis(message) is Crisis.EMERGENCY


@pytest.mark.parametrize(
    "message",
    [
        "my claim was denied, what now?",
        "my ER bill for chest pain was denied",
        "the plan won't pay for my son's seizure medication claim",
        "they denied my suicide prevention therapy",
        "insurance said my stroke rehab is not medically necessary",
        "",
        None,
        "<script>alert(1)</script>",
        "🙂" * 10_000,
        "x" * 100_000,
    ],
)
def test_ordinary_messages_are_not_a_crisis(message):
    assert detect_crisis(message) is None


@pytest.mark.parametrize(
    ("message", "crisis"),
    [
        ("I'm thinking of overdosing on purpose", Crisis.SELF_HARM),
        ("my daughter won't wake up", Crisis.EMERGENCY),
        ("my baby turned blue", Crisis.EMERGENCY),
        ("I'm losing a lot of blood", Crisis.EMERGENCY),
    ],
)
def test_less_common_wordings(message, crisis):
    assert detect_crisis(message) is crisis


@pytest.mark.parametrize(
    "message",
    ["my plan is Blue Shield", "the claim for my blood test was denied", "I woke up late"],
)
def test_plan_names_and_bills_are_not_emergencies(message):
    assert detect_crisis(message) is None


PASTED_ER_LETTER = (
    "Notice of denial. Member ID QX1102. Claim 2026-4410. You went to the emergency room on "
    "09/02/2026 for an overdose. If you are having a medical emergency right now, call 911. "
    "Your claim is denied because the hospital is out of network."
)


def test_a_pasted_letter_describing_past_care_is_not_an_emergency_now():
    assert detect_crisis(PASTED_ER_LETTER) is Crisis.EMERGENCY  # as a chat message it would be
    assert detect_crisis(PASTED_ER_LETTER, pasted_letter=True) is None


def test_self_harm_words_count_even_in_a_pasted_letter():
    message = PASTED_ER_LETTER + " I can't go on like this, I want to end my life."
    assert detect_crisis(message, pasted_letter=True) is Crisis.SELF_HARM
