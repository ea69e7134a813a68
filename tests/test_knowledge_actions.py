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
