"""Reading the urgency and appeal-stage answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal.answers import parse_appeal_stage, parse_urgency

BAD_INPUTS = [None, "", "   ", "😀", "<i></i>", "x" * 20_000, "私はわかりません", "?"]


@pytest.mark.parametrize(
    ("answer", "urgency"),
    [
        ("yes", "urgent"),
        ("yeah", "urgent"),
        ("Yes!", "urgent"),
        ("well, yes", "urgent"),
        ("y", "urgent"),
        ("I'm in a lot of pain", "urgent"),
        ("my surgery is next week", "urgent"),
        ("cancer treatment can't wait", "urgent"),
        ("I can't wait, I'm in a lot of pain", "urgent"),
        ("yes it's urgent", "urgent"),
        ("actually, it is urgent", "urgent"),
        ("my surgery is scheduled for next week", "urgent"),
        ("I need this chemo asap", "urgent"),
        ("waiting could make my cancer worse", "urgent"),
        ("yes, my doctor says I need it right away", "urgent"),
        ("no, I'm in pain", "urgent"),  # harm described: urgent, whatever the yes/no
        ("it can wait but it's getting worse", "urgent"),
        ("I'm not sure it can wait", "urgent"),
        ("maybe", "urgent"),
        ("no", "not_urgent"),
        ("nope", "not_urgent"),
        ("n", "not_urgent"),
        ("it can wait", "not_urgent"),
        ("no it can wait", "not_urgent"),
        ("not urgent", "not_urgent"),
        ("actually it's not urgent", "not_urgent"),
        ("it can wait a few months", "not_urgent"),
        ("it's routine, no rush", "not_urgent"),
        ("I'm not in pain", "not_urgent"),
        ("it won't get worse", "not_urgent"),
        ("not really", "not_urgent"),
        ("I already had the surgery", "not_urgent"),
        ("skip", "unknown"),
        ("not sure", "unknown"),
        ("no idea", "unknown"),
        ("not sure how urgent it is", "unknown"),
        ("I don't know if it can wait", "unknown"),
    ],
)
def test_parse_urgency(answer: str, urgency: str) -> None:
    assert parse_urgency(answer) == urgency


@pytest.mark.parametrize("answer", ["ok", "hello", "Ohio", "my knee", *BAD_INPUTS])
def test_parse_urgency_not_recognised(answer: str | None) -> None:
    assert parse_urgency(answer) is None


@pytest.mark.parametrize(
    ("answer", "stage"),
    [
        ("first denial", "first_denial"),
        ("no", "first_denial"),
        ("not yet", "first_denial"),
        ("haven't appealed", "first_denial"),
        ("this is the first denial", "first_denial"),
        ("first time", "first_denial"),
        ("no, I haven't appealed yet", "first_denial"),
        ("haven't filed anything yet", "first_denial"),
        ("I have not appealed", "first_denial"),
        ("my mistake, this is the first denial not the second", "first_denial"),
        ("I appealed but haven't heard back", "first_denial"),  # not turned down yet
        ("they haven't denied my appeal yet", "first_denial"),
        ("yes", "internal_appeal_denied"),
        ("um, yes", "internal_appeal_denied"),
        ("they denied my appeal", "internal_appeal_denied"),
        ("lost the appeal", "internal_appeal_denied"),
        ("second denial", "internal_appeal_denied"),
        ("final denial", "internal_appeal_denied"),
        ("they already denied my appeal", "internal_appeal_denied"),
        ("I appealed and they said no again", "internal_appeal_denied"),
        ("yes they turned down my appeal last month", "internal_appeal_denied"),
        ("the grievance was denied too", "internal_appeal_denied"),
        ("this is the second denial, after my appeal", "internal_appeal_denied"),
        ("hold on, that's wrong, they did deny my appeal already", "internal_appeal_denied"),
        ("no they denied my appeal", "internal_appeal_denied"),
        ("it's not my first denial", "internal_appeal_denied"),
        ("I appealed", "internal_appeal_denied"),
        ("skip", "unknown"),
        ("I don't know", "unknown"),
        ("not sure if what I sent counts as an appeal", "unknown"),
    ],
)
def test_parse_appeal_stage(answer: str, stage: str) -> None:
    assert parse_appeal_stage(answer) == stage


@pytest.mark.parametrize(
    "answer", ["my claim was denied", "I want to appeal", "hello", "Ohio", *BAD_INPUTS]
)
def test_parse_appeal_stage_not_recognised(answer: str | None) -> None:
    assert parse_appeal_stage(answer) is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parsers_are_total(text: str) -> None:
    assert parse_urgency(text) in {"urgent", "not_urgent", "unknown", None}
    assert parse_appeal_stage(text) in {"first_denial", "internal_appeal_denied", "unknown", None}
