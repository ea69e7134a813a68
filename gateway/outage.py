"""What the member gets when the Rasa server or the action server is down: an apology, their
message back in the box, and the sourced help lines for what they told the assistant so far.

The action server is asked first: Rasa would take a message it can't act on, lose what its
actions would have said, and leave a half-answered turn in the conversation. Asking costs one
loopback request; the member's message then waits in the box until both are back.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from aiohttp import web

from appeal import handoff_store
from appeal.guidance import text, who_can_help
from appeal.safety import crisis_reply, detect_crisis
from gateway.relay import assistant_message

HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=2)
REMEMBERED = ("us_state", "plan_type", "ca_regulator")


async def actions_available(client: aiohttp.ClientSession, action_server_url: str) -> bool:
    try:
        async with client.get(f"{action_server_url}/health", timeout=HEALTH_TIMEOUT) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


def help_for(sender_id: str) -> str:
    """The help lines for the member's state and plan as far as the conversation got."""
    slots = {
        name: value if isinstance(value, str) else None
        for name, value in handoff_store.remembered_slots(sender_id, REMEMBERED).items()
    }
    lines = who_can_help(
        slots["us_state"], slots["plan_type"] or "unknown", slots["ca_regulator"],
        invite_state=False,
    )  # fmt: skip
    return f"{text('assistant_unavailable_help')}\n{lines}"


async def outage_answer(sender_id: str, message: str) -> web.Response:
    """A crisis still gets 911 or 988 at once (as an answer: the message was heard). Anything
    else is refused with 503 so the widget puts it back in the box, with the help lines."""
    crisis = detect_crisis(message)
    if crisis is not None:
        reply = await asyncio.to_thread(crisis_reply, crisis)
        return web.json_response(
            {"messages": [assistant_message(reply)], "mode": "assistant", "cursor": None}
        )
    help_lines = await asyncio.to_thread(help_for, sender_id)
    body: dict[str, Any] = {
        "error": text("assistant_unavailable"),
        "messages": [assistant_message(help_lines)],
    }
    return web.json_response(body, status=503, headers={"Retry-After": "60"})
