"""NLU component that lets the intent model see only the first words of a very long message.

The model's attention grows with the square of a message's length: a 400,000-character paste
sent to the REST channel exhausted memory in DIET and the turn was lost (measured). A few
hundred words are plenty to tell what a message is; the letter reader and the safety rules
still read the whole text, which this leaves alone.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DEFAULT_MAX_TOKENS = 400


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TokenLimit(GraphComponent):
    """Runs right after the tokenizer; `max_tokens` in config.yml sets the limit."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_tokens": DEFAULT_MAX_TOKENS}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(int(config["max_tokens"]))

    def _shorten(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT])
        if tokens and len(tokens) > self.max_tokens:
            message.set(TOKENS_NAMES[TEXT], tokens[: self.max_tokens])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._shorten(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._shorten(message)
        return training_data
