"""The member's side of the gateway: the widget's JSON calls under /api/ (docs/gateway-api.md).

A message goes to the assistant unless a handoff case holds the conversation; then it goes to
the case for the advocate, and the gateway itself answers a crisis, since the assistant does not
see the message. Every refusal is a kind sentence, and the widget keeps what the member typed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from appeal import handoff_store
from appeal.guidance import text
from appeal.handoff import CLOSED, HELD, WAITING, callback_phone
from appeal.intake import looks_like_a_letter
from appeal.safety import crisis_reply, detect_crisis
from gateway.config import LONG_POLL_SECONDS, MAX_MESSAGE_CHARS
from gateway.live import Hub
from gateway.outage import actions_available, outage_answer
from gateway.relay import AssistantUnavailable, ask_assistant
from gateway.state import GatewayState

MAX_PAYLOAD_CHARS = 1_000
MAX_FIELD_CHARS = {"phone": 40, "best_time": 200, "note": 1_000}
MODES = {WAITING: "waiting", HELD: "advocate"}

routes = web.RouteTableDef()


def refuse(status: int, message: str, **headers: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


async def _json_body(request: web.Request) -> dict[str, Any] | web.Response:
    if request.content_type != "application/json":
        return refuse(415, text("chat_not_json"))
    try:
        body = json.loads(await request.text())
    except web.HTTPRequestEntityTooLarge:
        return refuse(413, text("chat_too_long").format(limit=f"{MAX_MESSAGE_CHARS:,}"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        return refuse(400, text("chat_not_json"))
    if not isinstance(body, dict):
        return refuse(400, text("chat_not_json"))
    return body


MemberHandler = Callable[[web.Request, GatewayState, str], Awaitable[web.Response]]


def in_conversation(handler: MemberHandler) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Calls that need the member's conversation (its token in X-Conversation), else 401."""

    async def with_sender(request: web.Request) -> web.Response:
        token = request.headers.get("X-Conversation", "")
        sender_id = await asyncio.to_thread(handoff_store.conversation_sender, token)
        if not sender_id:
            return refuse(401, text("chat_ended"))
        return await handler(request, request.app["state"], sender_id)

    return with_sender


def _line_message(line: handoff_store.Line) -> dict[str, Any]:
    return {
        "id": line.id,
        "from": line.speaker,
        "text": line.text,
        "buttons": line.buttons,
        "name": line.name,
        "kind": line.kind,
    }


def _system(message: str) -> dict[str, Any]:
    return {"id": None, "from": "system", "text": message, "buttons": [], "name": None,
            "kind": None}  # fmt: skip


def _mode(sender_id: str) -> str:
    case = handoff_store.holding_case(sender_id)
    return MODES.get(case.status, "assistant") if case else "assistant"


async def _answer(
    sender_id: str, messages: list[dict[str, Any]], cursor: int | None = None
) -> web.Response:
    """`cursor` only on /api/updates: a reply to a POST may race a message pushed meanwhile,
    so it leaves the member's cursor alone (and the widget shows each message id once)."""
    mode = await asyncio.to_thread(_mode, sender_id)
    return web.json_response({"messages": messages, "mode": mode, "cursor": cursor})


@routes.post("/api/conversations")
async def start_conversation(request: web.Request) -> web.Response:
    state: GatewayState = request.app["state"]
    wait = state.conversation_limit.retry_after(request.remote or "unknown")
    if wait:
        return refuse(429, text("chat_too_fast"), **{"Retry-After": str(int(wait) + 1)})
    token, _sender_id = await asyncio.to_thread(handoff_store.open_conversation)
    return web.json_response({"conversation": token}, status=201)


def _to_the_case(case: handoff_store.Case, said: str) -> list[dict[str, Any]]:
    """The member wrote while a case holds the chat: keep it for the advocate, answer a crisis
    at once, and acknowledge the first message written while waiting."""
    first_while_waiting = case.status == WAITING and not any(
        line.speaker == "member" for line in handoff_store.case_lines(case.id)
    )
    handoff_store.add_line(case, "member", said)
    answers = []
    crisis = detect_crisis(said, pasted_letter=looks_like_a_letter(said))
    if crisis:
        line = handoff_store.add_line(case, "system", crisis_reply(crisis))
        answers.append(_line_message(line))
    if first_while_waiting:
        answers.append(_system(text("handoff_member_waiting")))
    return answers


@routes.post("/api/messages")
@in_conversation
async def post_message(request: web.Request, state: GatewayState, sender_id: str) -> web.Response:
    body = await _json_body(request)
    if isinstance(body, web.Response):
        return body
    said, payload = body.get("text"), body.get("payload")
    if not isinstance(said, str) or not said.strip() or not isinstance(payload, (str, type(None))):
        return refuse(400, text("chat_not_json"))
    if len(said) > MAX_MESSAGE_CHARS or (payload and len(payload) > MAX_PAYLOAD_CHARS):
        return refuse(413, text("chat_too_long").format(limit=f"{MAX_MESSAGE_CHARS:,}"))
    wait = state.message_limit.retry_after(sender_id)
    if wait:
        return refuse(429, text("chat_too_fast"), **{"Retry-After": str(int(wait) + 1)})
    case = await asyncio.to_thread(handoff_store.holding_case, sender_id)
    if case is not None:
        answers = await asyncio.to_thread(_to_the_case, case, said)
        await state.hub.changed(sender_id)
        return await _answer(sender_id, answers)
    message = payload if payload and payload.startswith("/") else said
    if not await actions_available(state.client, state.config.action_server_url):
        return await outage_answer(sender_id, said)
    try:
        reply = await ask_assistant(state.client, state.config.rasa_url, sender_id, message)
    except AssistantUnavailable:
        return await outage_answer(sender_id, said)
    silent = not reply.messages and not reply.handoff  # an action failed during this turn
    if silent and not await actions_available(state.client, state.config.action_server_url):
        return await outage_answer(sender_id, said)
    if reply.handoff:
        state.hub.poked.set()  # the watcher announces the new case to the console now
    return await _answer(sender_id, reply.messages)


@routes.get("/api/updates")
@in_conversation
async def updates(request: web.Request, state: GatewayState, sender_id: str) -> web.Response:
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        return refuse(400, text("chat_not_json"))
    hub: Hub = state.hub
    seen = hub.member_version(sender_id)
    lines = await asyncio.to_thread(handoff_store.lines_for_member, sender_id, after)
    if not lines:
        await hub.wait_member(sender_id, seen, LONG_POLL_SECONDS)
        lines = await asyncio.to_thread(handoff_store.lines_for_member, sender_id, after)
    cursor = max([after, *(line.id for line in lines)])
    return await _answer(sender_id, [_line_message(line) for line in lines], cursor)


def _leave_callback(sender_id: str, fields: dict[str, str]) -> handoff_store.Line | None:
    case = handoff_store.latest_case(sender_id)
    if case is None or case.status == CLOSED:
        return None
    handoff_store.record_callback(case.id, fields)
    when = f" ({fields['best_time']})" if fields["best_time"] else ""
    thanks = text("callback_thanks").format(phone=fields["phone"], when=when)
    return handoff_store.add_line(case, "system", thanks)


@routes.post("/api/callback")
@in_conversation
async def callback(request: web.Request, state: GatewayState, sender_id: str) -> web.Response:
    body = await _json_body(request)
    if isinstance(body, web.Response):
        return body
    fields = {name: body.get(name) or "" for name in MAX_FIELD_CHARS}
    if any(not isinstance(value, str) for value in fields.values()):
        return refuse(400, text("chat_not_json"))
    fields = {name: value.strip()[: MAX_FIELD_CHARS[name]] for name, value in fields.items()}
    phone = callback_phone(fields["phone"])
    if phone is None:
        return refuse(400, text("callback_bad_phone"))
    fields["phone"] = phone
    line = await asyncio.to_thread(_leave_callback, sender_id, fields)
    if line is None:
        return refuse(409, text("callback_no_case"))
    await state.hub.changed(sender_id)
    return await _answer(sender_id, [_line_message(line)])


def _cancel(sender_id: str) -> handoff_store.Line | None:
    case = handoff_store.holding_case(sender_id)
    if case is None or case.status != WAITING or not handoff_store.cancel_case(case.id):
        return None
    return handoff_store.add_line(case, "system", text("handoff_cancelled"))


@routes.post("/api/handoff/cancel")
@in_conversation
async def cancel_handoff(
    _request: web.Request, state: GatewayState, sender_id: str
) -> web.Response:
    line = await asyncio.to_thread(_cancel, sender_id)
    await state.hub.changed(sender_id)
    return await _answer(sender_id, [_line_message(line)] if line else [])


@routes.delete("/api/conversation")
@in_conversation
async def delete_conversation(
    _request: web.Request, state: GatewayState, sender_id: str
) -> web.Response:
    await asyncio.to_thread(handoff_store.forget_conversation, sender_id)
    await state.hub.changed(sender_id)
    state.hub.forget(sender_id)
    return web.json_response({"deleted": True})
