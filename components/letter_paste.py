"""NLU component that recognises a pasted denial letter or EOB, whatever the model guessed.

A pasted letter is hundreds of words of plan language; the intent model, trained on chat
messages, would guess almost anything for it. The reader in appeal/intake.py decides with cheap
rules whether a message is a letter, and this component then names the intent `share_letter`,
which the dialogue sends to the letter reader.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from appeal.intake import looks_like_a_letter
from components.intent_override import IntentOverride, put_intent_first

PASTED_LETTER_INTENT = "share_letter"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LetterPaste(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not looks_like_a_letter(text):
                continue
            put_intent_first(message, PASTED_LETTER_INTENT)
        return messages
