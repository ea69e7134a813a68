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
_SERVER_FILES: dict[str, Path] = {}
_SERVER_URLS: dict[str, str] = {}


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


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The REST webhook of a running assistant (model from `make train`), today pinned."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it for you)")
    work = tmp_path_factory.mktemp("servers")
    _SERVER_FILES["database"] = work / "appeal.db"
    action_port, rasa_port, gateway_port = _free_port(), _free_port(), _free_port()
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "tracker_store:\n  type: components.tracker_store.DatabaseUrlTrackerStore\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "APPEAL_TODAY": PINNED_TODAY,
        "APPEAL_DATABASE_URL": f"sqlite:///{work / 'appeal.db'}",
        "APPEAL_PUBLIC_URL": f"http://127.0.0.1:{gateway_port}",
        "GATEWAY_PORT": str(gateway_port),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "ADVOCATE_HOURS": "always",
        "GATEWAY_MESSAGES_PER_MINUTE": "600",
        "SANIC_HOST": "127.0.0.1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    rasa = str(Path(sys.executable).parent / "rasa")
    commands = {
        "actions": [rasa, "run", "actions", "--actions", "actions", "--port", str(action_port)],
        "rasa": [
            rasa, "run", "--model", str(MODEL), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"),
            "--interface", "127.0.0.1", "--port", str(rasa_port),
        ],
        "gateway": [sys.executable, "-m", "gateway"],
    }  # fmt: skip
    health = {
        "actions": f"http://127.0.0.1:{action_port}/health",
        "rasa": f"http://127.0.0.1:{rasa_port}/",
        "gateway": f"http://127.0.0.1:{gateway_port}/health",
    }
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "prepare_database.py")], env=env, check=True
    )
    processes = []
    try:
        for name, command in commands.items():
            log = work / f"{name}.log"
            with log.open("wb") as log_file:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
                )
            processes.append(process)
            _wait_until_up(health[name], process, log)
        _SERVER_URLS["gateway"] = f"http://127.0.0.1:{gateway_port}"
        yield f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


Chat = Callable[[str], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def server_database(server_url: str) -> Path:
    """The SQLite file the running servers share (conversations, directory, downloads)."""
    return _SERVER_FILES["database"]


@pytest.fixture(scope="session")
def gateway_url(server_url: str) -> str:
    """The running gateway (widget, console, downloads), in front of the Rasa server."""
    return _SERVER_URLS["gateway"]


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
