"""The member's messages to Rasa's REST channel on loopback, and its answers back as widget
messages. A handoff case the assistant opened arrives as a custom payload, not as text."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from appeal.handoff import WAITING

RASA_TIMEOUT = aiohttp.ClientTimeout(total=45)


class AssistantUnavailable(Exception):
    """Rasa did not answer, or answered with something other than its REST reply."""


@dataclass
class Reply:
    messages: list[dict[str, Any]] = field(default_factory=list)
    handoff: dict[str, Any] | None = None


def assistant_message(text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "id": None,
        "from": "assistant",
        "text": text,
        "buttons": buttons or [],
        "name": None,
        "kind": None,
    }


def _buttons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(item.get("title", "")), "payload": str(item.get("payload", ""))}
        for item in raw
        if isinstance(item, dict) and item.get("title")
    ]


def reply_from_rasa(answer: Any) -> Reply:
    """Rasa's REST answer as widget messages; a callback offer marks the last text message.
    Once a case waits for an advocate, what the assistant would say next (the next question of
    a form it was in) is left out: a person is about to hold the chat."""
    if not isinstance(answer, list):
        raise AssistantUnavailable("the REST channel answered with something other than a list")
    reply = Reply()
    for item in answer:
        if not isinstance(item, dict):
            continue
        custom = item.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("handoff"), dict):
            reply.handoff = custom["handoff"]
            if reply.handoff.get("callback") and reply.messages:
                reply.messages[-1]["kind"] = "callback_offer"
            continue
        if reply.handoff and reply.handoff.get("status") == WAITING:
            continue
        if item.get("text"):
            buttons = _buttons(item.get("buttons"))
            reply.messages.append(assistant_message(str(item["text"]), buttons))
    return reply


async def ask_assistant(
    client: aiohttp.ClientSession, rasa_url: str, sender_id: str, message: str
) -> Reply:
    try:
        async with client.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender_id, "message": message},
            timeout=RASA_TIMEOUT,
        ) as response:
            if response.status != 200:
                raise AssistantUnavailable(f"Rasa answered {response.status}")
            answer = await response.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        raise AssistantUnavailable(type(error).__name__) from error
    return reply_from_rasa(answer)
