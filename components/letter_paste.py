"""NLU component that recognises a pasted denial letter or EOB, whatever the model guessed.

A pasted letter is hundreds of words of plan language; the intent model, trained on chat
messages, would guess almost anything for it. The reader in appeal/intake.py decides with cheap
rules whether a message is a letter, and this component then names the intent `share_letter`,
which the dialogue sends to the letter reader.
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

from appeal.intake import looks_like_a_letter

PASTED_LETTER_INTENT = "share_letter"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LetterPaste(GraphComponent, IntentClassifier):
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
    ) -> LetterPaste:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not looks_like_a_letter(text):
                continue
            override = {INTENT_NAME_KEY: PASTED_LETTER_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = override
            ranking = [
                entry
                for entry in message.data.get(INTENT_RANKING_KEY, [])
                if entry.get(INTENT_NAME_KEY) != PASTED_LETTER_INTENT
            ]
            message.data[INTENT_RANKING_KEY] = [override, *ranking]
        return messages
