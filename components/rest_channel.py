"""Rasa's REST channel, made strict: a body that isn't {"sender": str, "message": str} gets a
400 with a sentence saying why, never a 500, and a turn that fails is logged without the
member's words.

Rasa's own channel answers 500 to a body that is JSON but not an object, and logs the whole
message (with the local variables of the failure) when a turn fails. Same URL as Rasa's:
POST /webhooks/rest/webhook. Streaming answers are not offered.
"""

from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 200
NOT_A_MESSAGE = 'Send a JSON object: {"sender": "conversation id", "message": "text"}.'


def checked_body(raw: bytes) -> dict[str, Any] | None:
    """The request's JSON object when its sender and message are strings, else None."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        return None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return None
    sender = body.get("sender", "default")
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
        return None
    return body


class CheckedRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = checked_body(request.body or b"")
            if body is None:
                return response.json({"error": NOT_A_MESSAGE}, status=400)
            metadata = body.get("metadata")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        body["message"],
                        collector,
                        body.get("sender", "default"),
                        input_channel=self.name(),
                        metadata=metadata if isinstance(metadata, dict) else None,
                    )
                )
            except CancelledError:
                logger.error("A turn timed out (its text is not logged).")
            except Exception as error:
                logger.error(
                    "A turn failed with %s (its text is not logged).", type(error).__name__
                )
            return response.json(collector.messages)

        return webhook
