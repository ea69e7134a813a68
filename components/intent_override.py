"""What the NLU components that overrule the model share: how one intent is put first, and a
base class with the graph plumbing (they train nothing and need an intent to overrule)."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


def put_intent_first(message: Message, intent: str) -> None:
    """The message's intent becomes `intent` with full confidence, at the top of the ranking."""
    override = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.data[INTENT] = override
    ranking = [
        entry
        for entry in message.data.get(INTENT_RANKING_KEY, [])
        if entry.get(INTENT_NAME_KEY) != intent
    ]
    message.data[INTENT_RANKING_KEY] = [override, *ranking]


class IntentOverride(GraphComponent, IntentClassifier):
    """Runs after the intent classifier and may replace its guess (see process())."""

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
    ) -> GraphComponent:
        return cls()
