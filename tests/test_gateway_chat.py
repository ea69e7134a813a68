"""The gateway's chat and console against a stand-in for Rasa: relaying, the handoff hold,
sign-in, CSRF, CORS, limits and deletion. The real assistant is in tests/test_browser.py."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, update

from appeal import db, handoff_store
from appeal.handoff import WAITING, CaseBrief, HandoffSettings, now
from gateway import live
from gateway.app import make_app
from gateway.config import GatewayConfig
from gateway.limits import RateLimit

PASSWORD = "correct horse battery"
HANDOFF_WORDS = "talk to a person"


def _brief(urgent: bool = False, deadline: date | None = None) -> CaseBrief:
    summary = {
        "state": "California",
        "plan": "an HMO",
        "service": "shoulder MRI",
        "reason": "not medically necessary",
        "help_lines": "DMHC Help Center: ...",
    }
    return CaseBrief(summary, urgent, deadline)


async def _fake_rasa(request: web.Request) -> web.Response:
    """Answers like the REST channel; opens a case the way action_connect_person does."""
    if request.app["rasa_down"]:
        return web.json_response({"message": "stand-in failure"}, status=500)
    body = await request.json()
    said = body["message"]
    if said == HANDOFF_WORDS:
        case = handoff_store.create_case(
            body["sender"],
            _brief(),
            [{"from": "member", "text": "my MRI was denied", "at": None}],
            WAITING,
        )
        return web.json_response(
            [
                {"recipient_id": body["sender"], "text": "I've asked an advocate to join."},
                {
                    "recipient_id": body["sender"],
                    "custom": {"handoff": {"case": case.id, "status": WAITING}},
                },
                {"recipient_id": body["sender"], "text": "Which state do you live in?"},
            ]
        )
    return web.json_response(
        [
            {
                "recipient_id": body["sender"],
                "text": f"echo: {said}",
                "buttons": [{"title": "Yes", "payload": "/affirm"}],
            }
        ]
    )


async def _fake_action_server_health(request: web.Request) -> web.Response:
    """The same stand-in answers for the action server; `actions_down` makes it fail."""
    return web.json_response({"status": "ok"}, status=503 if request.app["actions_down"] else 200)


@pytest.fixture
async def rasa() -> AsyncIterator[TestServer]:
    app = web.Application()
    app["actions_down"] = app["rasa_down"] = False
    app.router.add_post("/webhooks/rest/webhook", _fake_rasa)
    app.router.add_get("/health", _fake_action_server_health)
    server = TestServer(app)
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def client(rasa: TestServer) -> AsyncIterator[TestClient]:
    config = dataclasses.replace(
        GatewayConfig.from_environment(),
        rasa_url=str(rasa.make_url("")).rstrip("/"),
        action_server_url=str(rasa.make_url("")).rstrip("/"),
        allowed_origins=frozenset({"https://clinic.example"}),
    )
    async with TestClient(TestServer(make_app(config))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def advocate() -> handoff_store.Advocate:
    return handoff_store.add_advocate(f"maria-{now().timestamp()}", "Maria", PASSWORD)


async def _conversation(client: TestClient) -> dict[str, str]:
    response = await client.post("/api/conversations")
    assert response.status == 201
    return {"X-Conversation": (await response.json())["conversation"]}


async def _say(client: TestClient, member: dict[str, str], said: str, **extra: Any) -> Any:
    response = await client.post("/api/messages", json={"text": said, **extra}, headers=member)
    return response.status, await response.json()


async def _sign_in(client: TestClient, advocate: handoff_store.Advocate) -> dict[str, str]:
    response = await client.post(
        "/console/api/sign-in", json={"username": advocate.username, "password": PASSWORD}
    )
    assert response.status == 200
    return {"X-CSRF-Token": (await response.json())["csrf"]}


async def test_a_message_is_relayed_to_the_assistant_with_its_buttons(client):
    member = await _conversation(client)
    status, answer = await _say(client, member, "hello")
    assert status == 200
    assert answer["mode"] == "assistant"
    assert answer["messages"][0]["text"] == "echo: hello"
    assert answer["messages"][0]["buttons"] == [{"title": "Yes", "payload": "/affirm"}]
    status, answer = await _say(client, member, "Yes", payload="/affirm")
    assert answer["messages"][0]["text"] == "echo: /affirm"


async def test_with_the_action_server_down_the_message_waits_and_help_lines_are_given(client, rasa):
    member = await _conversation(client)
    rasa.app["actions_down"] = True
    response = await client.post("/api/messages", json={"text": "hello"}, headers=member)
    assert response.status == 503
    answer = await response.json()
    assert "still in the box" in answer["error"]
    lines = answer["messages"][0]["text"]
    assert "1-866-444-3272" in lines and "source:" in lines  # sourced, for a plan not yet known
    status, answer = await _say(client, member, "I want to kill myself")
    assert status == 200 and "988" in answer["messages"][0]["text"]  # safety first, even now
    rasa.app["actions_down"] = False
    status, answer = await _say(client, member, "hello")
    assert status == 200 and answer["messages"][0]["text"] == "echo: hello"


async def test_with_rasa_down_the_message_waits_and_help_lines_are_given(client, rasa):
    member = await _conversation(client)
    rasa.app["rasa_down"] = True
    response = await client.post("/api/messages", json={"text": "hello"}, headers=member)
    assert response.status == 503
    assert "still in the box" in (await response.json())["error"]


async def test_the_whole_handoff_and_back(client, advocate):
    member = await _conversation(client)
    _, answer = await _say(client, member, HANDOFF_WORDS)
    assert answer["mode"] == "waiting"
    assert answer["messages"] == [
        {"id": None, "from": "assistant", "text": "I've asked an advocate to join.",
         "buttons": [], "name": None, "kind": None}
    ]  # fmt: skip

    # what the member writes while waiting goes to the case, not the assistant
    _, answer = await _say(client, member, "it's for my shoulder")
    assert [message["from"] for message in answer["messages"]] == ["system"]
    assert "advocate will read this" in answer["messages"][0]["text"]

    csrf = await _sign_in(client, advocate)
    queue = await (await client.get("/console/api/cases?version=0")).json()
    mine = [row for row in queue["cases"] if row["status"] == "waiting"][-1]
    assert mine["service"] == "shoulder MRI" and mine["state"] == "California"
    detail = await (await client.get(f"/console/api/cases/{mine['id']}")).json()
    assert detail["transcript"][0]["text"] == "my MRI was denied"
    assert detail["messages"][-1]["text"] == "it's for my shoulder"

    taken = await client.post(f"/console/api/cases/{mine['id']}/take", headers=csrf)
    assert taken.status == 200
    update_answer = await (await client.get("/api/updates?after=0", headers=member)).json()
    assert update_answer["mode"] == "advocate"
    assert update_answer["messages"][-1]["text"] == "Maria, an advocate, has joined the chat."
    cursor = update_answer["cursor"]

    sent = await client.post(
        f"/console/api/cases/{mine['id']}/messages", json={"text": "Hi, I'm Maria."}, headers=csrf
    )
    assert sent.status == 200
    pushed = await (await client.get(f"/api/updates?after={cursor}", headers=member)).json()
    assert [(m["from"], m["name"], m["text"]) for m in pushed["messages"]] == [
        ("advocate", "Maria", "Hi, I'm Maria.")
    ]
    _, answer = await _say(client, member, "thank you")
    assert answer["messages"] == [] and answer["mode"] == "advocate"

    back = await client.post(f"/console/api/cases/{mine['id']}/hand-back", headers=csrf)
    assert back.status == 200
    _status, answer = await _say(client, member, "what next?")
    assert answer["mode"] == "assistant"
    assert answer["messages"][0]["text"] == "echo: what next?"


async def test_a_crisis_written_to_an_advocate_is_answered_at_once(client):
    member = await _conversation(client)
    await _say(client, member, HANDOFF_WORDS)
    _status, answer = await _say(client, member, "I want to kill myself")
    assert "988" in answer["messages"][0]["text"]


async def test_the_member_can_go_back_to_the_assistant_while_waiting(client):
    member = await _conversation(client)
    await _say(client, member, HANDOFF_WORDS)
    answer = await (await client.post("/api/handoff/cancel", headers=member)).json()
    assert answer["mode"] == "assistant"
    _status, answer = await _say(client, member, "hello again")
    assert answer["messages"][0]["text"] == "echo: hello again"


async def test_a_callback_needs_a_real_phone_number_and_reaches_the_console(client, advocate):
    member = await _conversation(client)
    no_case = await client.post("/api/callback", json={"phone": "4155550134"}, headers=member)
    assert no_case.status == 409
    await _say(client, member, HANDOFF_WORDS)
    bad = await client.post("/api/callback", json={"phone": "12"}, headers=member)
    assert bad.status == 400 and "10 digits" in (await bad.json())["error"]
    good = await client.post(
        "/api/callback",
        json={"phone": "+1 (415) 555-0134", "best_time": "mornings"},
        headers=member,
    )
    answer = await good.json()
    assert "(415) 555-0134" in answer["messages"][0]["text"]
    await _sign_in(client, advocate)
    queue = await (await client.get("/console/api/cases?version=0")).json()
    assert any((row["callback"] or {}).get("best_time") == "mornings" for row in queue["cases"])


async def test_the_queue_puts_urgent_then_the_nearest_deadline_first(client, advocate):
    today = date.today()
    made = [
        handoff_store.create_case(f"web-order-{index}", brief, [], WAITING).id
        for index, brief in enumerate(
            [
                _brief(deadline=today + timedelta(days=30)),
                _brief(urgent=True, deadline=today + timedelta(days=20)),
                _brief(deadline=today + timedelta(days=3)),
                _brief(),
            ]
        )
    ]
    await _sign_in(client, advocate)
    queue = await (await client.get("/console/api/cases?version=0")).json()
    order = [row["id"] for row in queue["cases"] if row["id"] in made]
    assert order == [made[1], made[2], made[0], made[3]]


async def test_the_console_needs_a_session_and_a_csrf_token(client, advocate):
    assert (await client.get("/console/api/cases")).status == 401
    page = await client.get("/console", allow_redirects=False)
    assert page.status == 303 and page.headers["Location"] == "/console/sign-in"
    wrong = await client.post(
        "/console/api/sign-in", json={"username": advocate.username, "password": "nope" * 3}
    )
    assert wrong.status == 401
    csrf = await _sign_in(client, advocate)
    case = handoff_store.create_case("web-csrf", _brief(), [], WAITING)
    assert (await client.post(f"/console/api/cases/{case.id}/take")).status == 403
    forged = {"X-CSRF-Token": csrf["X-CSRF-Token"], "Origin": "https://evil.example"}
    assert (await client.post(f"/console/api/cases/{case.id}/take", headers=forged)).status == 403
    assert (await client.post(f"/console/api/cases/{case.id}/take", headers=csrf)).status == 200
    assert (await client.post("/console/api/sign-out", headers=csrf)).status == 200
    assert (await client.get("/console/api/session")).status == 401


async def test_only_allowed_sites_may_call_the_widget_api(client):
    preflight = await client.options(
        "/api/messages",
        headers={"Origin": "https://clinic.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://clinic.example"
    refused = await client.post("/api/conversations", headers={"Origin": "https://evil.example"})
    assert refused.status == 403


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b'["a list"]', "application/json", 400),
        (b'{"text": ""}', "application/json", 400),
        (b'{"text": 5}', "application/json", 400),
        (b"text=hello", "application/x-www-form-urlencoded", 415),
        (b'{"text": "' + b"a" * 30_001 + b'"}', "application/json", 413),
        (b'{"text": "' + b"a" * 500_000 + b'"}', "application/json", 413),
    ],
)
async def test_bad_messages_get_a_kind_error_never_a_crash(client, body, content_type, status):
    member = await _conversation(client)
    response = await client.post(
        "/api/messages", data=body, headers={**member, "Content-Type": content_type}
    )
    assert response.status == status
    assert (await response.json())["error"]


async def test_an_unknown_conversation_is_told_it_ended(client):
    status, answer = await _say(client, {"X-Conversation": "made-up"}, "hello")
    assert status == 401 and "ended" in answer["error"]


async def test_a_flood_of_messages_is_slowed_down(client):
    member = await _conversation(client)
    statuses = [(await _say(client, member, f"message {n}"))[0] for n in range(14)]
    assert statuses[:10] == [200] * 10
    assert 429 in statuses[10:]


async def test_deleting_a_conversation_forgets_it(client):
    member = await _conversation(client)
    sender_id = handoff_store.conversation_sender(member["X-Conversation"])
    await _say(client, member, HANDOFF_WORDS)
    await _say(client, member, "my member ID is XQZ998877")
    assert (await client.delete("/api/conversation", headers=member)).status == 200
    status, _ = await _say(client, member, "hello")
    assert status == 401
    with db.session() as session:
        for table in (db.case_messages, db.handoff_cases, db.conversations):
            left = select(func.count()).select_from(table).where(table.c.sender_id == sender_id)
            assert session.scalar(left) == 0


async def test_a_case_nobody_takes_in_time_tells_the_member_and_offers_a_callback(client):
    member = await _conversation(client)
    await _say(client, member, HANDOFF_WORDS)
    with db.session() as session:
        session.execute(
            update(db.handoff_cases)
            .where(db.handoff_cases.c.status == WAITING)
            .values(created_at=now() - timedelta(hours=1))
        )
    # the gateway's own watcher (wait: 5 minutes by default) finds it within a second
    messages: list[dict[str, Any]] = []
    cursor = 0
    while not any(message["kind"] == "callback_offer" for message in messages):
        answer = await (await client.get(f"/api/updates?after={cursor}", headers=member)).json()
        messages += answer["messages"]
        cursor = answer["cursor"]
    assert answer["mode"] == "assistant"
    texts = [message["text"] for message in messages]
    assert "no advocate has been free to join in the last 5 minutes" in texts[0]
    assert "DMHC Help Center" in texts[1]


@pytest.mark.parametrize("path", ["/", "/console/sign-in"])
async def test_pages_run_only_the_gateways_own_scripts(client, path):
    page = await client.get(path)
    assert page.status == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


async def test_a_new_case_is_announced_to_the_webhook_without_health_details():
    received: list[dict[str, Any]] = []

    async def help_desk(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.json_response({})

    desk = web.Application()
    desk.router.add_post("/hook", help_desk)
    server = TestServer(desk)
    await server.start_server()
    case = handoff_store.create_case("web-webhook", _brief(urgent=True), [], WAITING)
    settings = dataclasses.replace(
        HandoffSettings.from_environment(), webhook_url=str(server.make_url("/hook"))
    )
    async with aiohttp.ClientSession() as session:
        await live.watch_once(live.Hub(), session, settings, "https://help.example")
        for _ in range(50):
            if received:
                break
            await asyncio.sleep(0.05)
    await server.close()
    mine = [body for body in received if body["case"] == case.id]
    assert mine and mine[0]["urgent"] is True
    assert mine[0]["console_url"] == f"https://help.example/console#case-{case.id}"
    assert "shoulder" not in json.dumps(mine[0]) and "California" not in json.dumps(mine[0])


@pytest.mark.parametrize(
    ("gaps", "allowed"),
    [
        ([0.0] * 10, [True] * 10),  # a burst of ten passes
        ([0.0] * 11, [True] * 10 + [False]),  # the eleventh waits
        ([0.0] * 10 + [2.0], [True] * 11),  # at 30 a minute, one more after 2 seconds
        ([0.0] * 10 + [1.0], [True] * 10 + [False]),
    ],
)
def test_the_rate_limit_allows_a_burst_then_a_steady_pace(gaps, allowed):
    limit = RateLimit(per_minute=30, burst=10)
    clock, seen = 0.0, []
    for gap in gaps:
        clock += gap
        seen.append(limit.retry_after("member", now=clock) == 0)
    assert seen == allowed


def test_rate_limits_forget_idle_clients():
    limit = RateLimit(per_minute=30, burst=10)
    limit.retry_after("old", now=0.0)
    limit.retry_after("new", now=1_000.0)
    limit.forget_idle(now=1_000.0)
    assert len(limit) == 1


def test_rasa_and_the_action_server_listen_only_on_loopback():
    script = (Path(__file__).resolve().parent.parent / "scripts" / "run.sh").read_text()
    assert "--interface 127.0.0.1" in script and "SANIC_HOST=127.0.0.1" in script
    assert "--enable-api" not in script  # Rasa's HTTP API stays off
