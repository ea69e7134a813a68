"""The gateway's settings, from the environment with defaults that serve `make run` on loopback."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from appeal.downloads import DEFAULT_PUBLIC_URL, PUBLIC_URL_VARIABLE

MAX_MESSAGE_CHARS = 30_000  # what the letter reader reads of a paste
MAX_BODY_BYTES = 400 * 1024  # 30,000 characters even when each is a JSON-escaped emoji
LONG_POLL_SECONDS = 25.0


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()


def _number(name: str, default: float) -> float:
    value = float(os.environ.get(name) or default)
    if value <= 0:
        raise ValueError(f"{name} must be a positive number")
    return value


@dataclass(frozen=True)
class GatewayConfig:
    host: str
    port: int
    rasa_url: str
    action_server_url: str
    public_url: str
    allowed_origins: frozenset[str]
    messages_per_minute: float  # per conversation
    conversations_per_minute: float  # per client address
    sign_ins_per_minute: float  # per client address

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @classmethod
    def from_environment(cls) -> GatewayConfig:
        host = os.environ.get("GATEWAY_HOST", "127.0.0.1")
        port = int(os.environ.get("GATEWAY_PORT", "8080"))
        public_url = (os.environ.get(PUBLIC_URL_VARIABLE) or DEFAULT_PUBLIC_URL).rstrip("/")
        extra = os.environ.get("GATEWAY_ALLOWED_ORIGINS", "")
        origins = {
            _origin(public_url),
            f"http://127.0.0.1:{port}",
            f"http://localhost:{port}",
            *(_origin(item) for item in extra.split(",") if item.strip()),
        }
        return cls(
            host=host,
            port=port,
            rasa_url=(os.environ.get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
            action_server_url=(
                os.environ.get("ACTION_SERVER_URL") or "http://127.0.0.1:5055"
            ).rstrip("/"),
            public_url=public_url,
            allowed_origins=frozenset(origins),
            messages_per_minute=_number("GATEWAY_MESSAGES_PER_MINUTE", 30),
            conversations_per_minute=_number("GATEWAY_CONVERSATIONS_PER_MINUTE", 30),
            sign_ins_per_minute=_number("GATEWAY_SIGN_INS_PER_MINUTE", 10),
        )
