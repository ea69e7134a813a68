"""Shared fixtures. The Rasa and action servers start once per test session, on free ports."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
# Unit tests use their own database, never the one `make run` serves from.
os.environ["APPEAL_DATABASE_URL"] = (
    f"sqlite:///{Path(tempfile.mkdtemp(prefix='appeal-tests-')) / 'appeal.db'}"
)

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "appeal-assistant.tar.gz"
PINNED_TODAY = "2026-11-23"
STARTUP_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not start in {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


class Stack:
    """The action server, the Rasa server and the gateway of one test session, each of which a
    resilience test may stop and start again on the same port."""

    def __init__(self, work: Path) -> None:
        self.work = work
        ports = {name: _free_port() for name in ("actions", "rasa", "gateway")}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        endpoints = work / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "{self.urls["actions"]}/webhook"\n'
            "tracker_store:\n  type: components.tracker_store.DatabaseUrlTrackerStore\n"
        )
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "APPEAL_TODAY": PINNED_TODAY,
            "APPEAL_DATABASE_URL": f"sqlite:///{work / 'appeal.db'}",
            "APPEAL_PUBLIC_URL": self.urls["gateway"],
            "GATEWAY_PORT": str(ports["gateway"]),
            "RASA_URL": self.urls["rasa"],
            "ACTION_SERVER_URL": self.urls["actions"],
            "ADVOCATE_HOURS": "always",
            "GATEWAY_MESSAGES_PER_MINUTE": "6000",
            "GATEWAY_CONVERSATIONS_PER_MINUTE": "6000",
            "SANIC_HOST": "127.0.0.1",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "RASA_TELEMETRY_ENABLED": "false",
        }
        rasa = str(Path(sys.executable).parent / "rasa")
        self.commands = {
            "actions": [rasa, "run", "actions", "--actions", "actions", "--port",
                        str(ports["actions"])],
            "rasa": [
                rasa, "run", "--model", str(MODEL), "--endpoints", str(endpoints),
                "--credentials", str(ROOT / "credentials.yml"),
                "--interface", "127.0.0.1", "--port", str(ports["rasa"]),
            ],
            "gateway": [sys.executable, "-m", "gateway"],
        }  # fmt: skip
        self.health = {
            "actions": f"{self.urls['actions']}/health",
            "rasa": f"{self.urls['rasa']}/",
            "gateway": f"{self.urls['gateway']}/health",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> None:
        log = self.work / f"{name}.log"
        with log.open("ab") as log_file:
            process = subprocess.Popen(
                self.commands[name], cwd=ROOT, env=self.env, stdout=log_file,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes[name] = process
        _wait_until_up(self.health[name], process, log)

    def stop(self, name: str, kill: bool = False) -> None:
        process = self.processes.pop(name)
        process.kill() if kill else process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def pid(self, name: str) -> int:
        return self.processes[name].pid


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole assistant (model from `make train`) on free ports, today pinned."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it for you)")
    running = Stack(tmp_path_factory.mktemp("servers"))
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "prepare_database.py")],
        env=running.env,
        check=True,
    )
    try:
        for name in running.commands:
            running.start(name)
        yield running
    finally:
        for name in list(running.processes):
            running.stop(name)


@pytest.fixture(scope="session")
def server_url(stack: Stack) -> str:
    """The REST webhook of the running assistant."""
    return f"{stack.urls['rasa']}/webhooks/rest/webhook"


@pytest.fixture(scope="session")
def server_database(stack: Stack) -> Path:
    """The SQLite file the running servers share (conversations, directory, downloads)."""
    return stack.work / "appeal.db"


@pytest.fixture(scope="session")
def gateway_url(stack: Stack) -> str:
    """The running gateway (widget, console, downloads), in front of the Rasa server."""
    return stack.urls["gateway"]


Chat = Callable[[str], list[dict[str, Any]]]


@pytest.fixture
def chat(server_url: str) -> Chat:
    """A new member's conversation: chat("message") returns the bot's replies."""
    sender = f"test-{uuid.uuid4().hex}"

    def send(message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            server_url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return list(json.loads(response.read()))

    return send


def texts(replies: list[dict[str, Any]]) -> str:
    """All reply texts of one turn joined, for assertions."""
    return "\n".join(str(reply.get("text", "")) for reply in replies)
