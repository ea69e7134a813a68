"""NLU component that puts crisis intents first whenever the safety rules see a crisis.

It runs last in the pipeline, so it also overrides a low-confidence fallback: a member who
writes "I can't breathe" mid-form gets 911 even if the model was unsure. In a pasted denial
letter (see letter_paste.py) only self-harm words count: letters describe past emergencies.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from appeal.safety import detect_crisis
from components.intent_override import IntentOverride, put_intent_first
from components.letter_paste import PASTED_LETTER_INTENT


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyNet(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            pasted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == PASTED_LETTER_INTENT
            crisis = None if text.startswith("/") else detect_crisis(text, pasted_letter=pasted)
            if crisis is None:
                continue
            put_intent_first(message, crisis.value)
        return messages
