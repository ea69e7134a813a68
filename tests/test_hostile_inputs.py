"""Over a thousand hostile and odd requests at the running gateway and at Rasa's REST webhook:
none may get a 5xx or crash a server, and the servers' memory must stay steady."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import ROOT, Stack
from tests.hostile_inputs import Request, hostile_texts, malformed_requests

pytestmark = pytest.mark.server

TEXTS = 520  # each sent to both: with the malformed requests, well over 1,000 inputs
CONCURRENCY = 8
# Growth allowed between the first quarter of the requests and the end, in MB: caches fill
# while warming up; a leak would grow with every request.
STEADY_MB = {"rasa": 120, "actions": 40, "gateway": 40}
REPORT = ROOT / "var" / "results" / "hostile-inputs.txt"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def _requests(stack: Stack, token: str) -> list[tuple[str, Request, dict[str, str]]]:
    webhook = f"{stack.urls['rasa']}/webhooks/rest/webhook"
    gateway = f"{stack.urls['gateway']}/api/messages"
    member = {"X-Conversation": token}
    texts = hostile_texts(TEXTS)
    plan: list[tuple[str, Request, dict[str, str]]] = []
    for number, text in enumerate(texts):
        body = {"sender": f"hostile-{number % 25}", "message": text}
        plan.append((webhook, Request("text", "application/json", json.dumps(body).encode()), {}))
        gateway_body = json.dumps({"text": text}).encode()
        plan.append((gateway, Request("text", "application/json", gateway_body), member))
    plan += [(webhook, r, {}) for r in malformed_requests("message", {"sender": "hostile-x"})]
    plan += [(gateway, r, member) for r in malformed_requests("text", {"payload": "/affirm"})]
    return plan


async def _send_all(stack: Stack) -> tuple[Counter[str], list[str], dict[str, list[float]]]:
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    memory: dict[str, list[float]] = {name: [] for name in stack.processes}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as client:
        async with client.post(f"{stack.urls['gateway']}/api/conversations") as started:
            token = (await started.json())["conversation"]
        plan = _requests(stack, token)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def send(url: str, request: Request, headers: dict[str, str]) -> None:
            if request.content_type:
                headers = {**headers, "Content-Type": request.content_type}
            async with gate:
                try:
                    async with client.post(url, data=request.body, headers=headers) as answer:
                        await answer.read()
                        statuses[f"{answer.status}"] += 1
                        if answer.status >= 500:
                            failures.append(f"{answer.status} {request.kind} {request.body[:60]!r}")
                except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                    failures.append(f"{type(error).__name__} {request.kind} {request.body[:60]!r}")

        quarter = len(plan) // 4
        for part in (plan[:quarter], plan[quarter:]):
            await asyncio.gather(*(send(*item) for item in part))
            for name in memory:
                memory[name].append(rss_mb(stack.pid(name)))
    return statuses, failures, memory


def test_hostile_inputs_get_no_5xx_and_memory_stays_steady(stack: Stack):
    statuses, failures, memory = asyncio.run(_send_all(stack))
    sent = sum(statuses.values()) + len(failures)
    growth = {name: after - warm for name, (warm, after) in memory.items()}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        f"{sent} requests; statuses {dict(sorted(statuses.items()))}; "
        + "; ".join(
            f"{name} {warm:.0f} -> {after:.0f} MB" for name, (warm, after) in memory.items()
        )
        + "\n"
    )
    assert sent >= 1_000
    assert not failures, failures[:10]
    for name, grown in growth.items():
        assert grown < STEADY_MB[name], f"{name} grew {grown:.0f} MB: {memory[name]}"
    for name in stack.processes:
        assert stack.processes[name].poll() is None, f"{name} died"
