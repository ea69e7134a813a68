"""Every knowledge intent in the domain has a sourced answer, and nothing else gets one."""

from __future__ import annotations

import re

import pytest

from actions.knowledge import ActionAnswerQuestion, answer_for
from tests.actions_support import SOURCED_TEXT, domain, run, tracker

FAQ_INTENTS = [intent for intent in domain()["intents"] if str(intent).startswith("faq_")]


def test_there_are_twelve_topics():
    assert len(FAQ_INTENTS) == 12


@pytest.mark.parametrize("intent", FAQ_INTENTS)
async def test_each_topic_has_a_short_answer_with_a_next_step(intent):
    _, said = await run(ActionAnswerQuestion(), tracker("a question", intent))
    assert said == answer_for(intent)
    assert 200 < len(said) <= 1000
    for number in re.findall(r"\d[\d-]{6,}\d|888-HMO-2219", said):
        assert number in SOURCED_TEXT, f"{number} is not in knowledge/ data"


@pytest.mark.parametrize("intent", ["greet", "faq_unknown_topic", None])
def test_no_answer_for_other_intents(intent):
    assert answer_for(intent) is None


async def test_an_unknown_topic_still_gets_a_helpful_reply():
    _, said = await run(ActionAnswerQuestion(), tracker("?", "faq_unknown_topic"))
    assert "who do I call" in said


def test_answers_hold_no_typed_number_and_fill_every_placeholder():
    from appeal.directory import fill_numbers
    from appeal.knowledge import load_yaml

    for topic, answer in load_yaml("faq.yml")["topics"].items():
        assert not re.search(r"\d{3}-\d{3}-\d{4}", answer), topic  # numbers come from the directory
        filled = fill_numbers(answer)
        assert "{" not in filled, topic


def test_the_dmhc_answer_reads_its_numbers_from_the_directory():
    said = answer_for("faq_california_imr")
    assert said is not None
    assert "1-888-466-2219" in said and "1-877-688-9891" in said and "1-800-927-4357" in said


def test_an_unknown_placeholder_fails_loudly():
    from appeal.directory import fill_numbers

    with pytest.raises(LookupError):
        fill_numbers("call {phone:OH:managed_care_regulator}")
