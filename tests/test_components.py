"""The NLU components that override the model: a pasted letter, and a crisis."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.letter_paste import PASTED_LETTER_INTENT, LetterPaste
from components.safety_net import SafetyNet

LETTER = (
    "Willow Creek Health Plan\nNotice of Denial\nDate: October 20, 2026\nMember ID: WCH77120459\n"
    "Reference number: PA-2026-118830\nWe reviewed the request for physical therapy (CPT 97110). "
    "Your request is denied because it is not medically necessary. You went to the emergency "
    "room for an overdose before this request. You may appeal within 180 days of this notice.\n"
)


def _classified(text: str, guessed: str = "faq_internal_appeal") -> Message:
    message = Message(
        data={
            "text": text,
            "intent": {"name": guessed, "confidence": 0.4},
            "intent_ranking": [{"name": guessed, "confidence": 0.4}],
        }
    )
    LetterPaste().process([message])
    SafetyNet().process([message])
    return message


def test_a_pasted_letter_is_named_as_one_and_is_not_an_emergency():
    message = _classified(LETTER)
    assert message.get("intent") == {"name": PASTED_LETTER_INTENT, "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == PASTED_LETTER_INTENT


def test_self_harm_in_a_paste_still_goes_to_988():
    message = _classified(LETTER + "\nI don't want to live anymore.")
    assert message.get("intent")["name"] == "self_harm"


def test_chat_messages_and_button_payloads_keep_the_models_guess():
    assert _classified("how do I appeal?").get("intent")["name"] == "faq_internal_appeal"
    payload = '/request_letter{"letter_type": "internal_appeal"}'
    assert _classified(payload, "request_letter").get("intent")["name"] == "request_letter"
    assert _classified("I can't breathe right now").get("intent")["name"] == "emergency"


def test_the_model_sees_only_the_first_words_of_a_huge_paste():
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

    from components.token_limit import TokenLimit

    huge = Message(data={"text": "not medically necessary " * 50_000})
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process([huge])
    TokenLimit(400).process([huge])
    assert len(huge.get("text_tokens")) == 400
    assert len(huge.get("text")) == 24 * 50_000  # the text itself is left whole


def test_action_server_answers_are_still_checked_against_rasas_schema():
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_example", None)
    good = {"events": [{"event": "slot", "name": "us_state", "value": "CA"}], "responses": []}
    assert action._validate_action_result(good)
    with pytest.raises(jsonschema.ValidationError, match="Action server response"):
        action._validate_action_result({"events": [{"event": "no_such_event"}]})
    with pytest.raises(jsonschema.ValidationError):
        action._validate_action_result({"responses": "not a list"})
