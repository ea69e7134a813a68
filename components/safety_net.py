"""NLU component that puts crisis intents first whenever the safety rules see a crisis.

It runs last in the pipeline, so it also overrides a low-confidence fallback: a member who
writes "I can't breathe" mid-form gets 911 even if the model was unsure. In a pasted denial
letter (see letter_paste.py) only self-harm words count: letters describe past emergencies.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from appeal.safety import detect_crisis
from components.letter_paste import PASTED_LETTER_INTENT


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyNet(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyNet:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            pasted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == PASTED_LETTER_INTENT
            crisis = None if text.startswith("/") else detect_crisis(text, pasted_letter=pasted)
            if crisis is None:
                continue
            override = {INTENT_NAME_KEY: crisis.value, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = override
            ranking = [
                entry
                for entry in message.data.get(INTENT_RANKING_KEY, [])
                if entry.get(INTENT_NAME_KEY) != crisis.value
            ]
            message.data[INTENT_RANKING_KEY] = [override, *ranking]
        return messages
