"""What the gateway's handlers share for its lifetime: settings, the HTTP client, the live hub
and the rate limits."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from appeal.handoff import HandoffSettings
from gateway.config import GatewayConfig
from gateway.limits import RateLimit
from gateway.live import Hub


@dataclass
class GatewayState:
    config: GatewayConfig
    handoff: HandoffSettings
    client: aiohttp.ClientSession
    hub: Hub
    message_limit: RateLimit
    conversation_limit: RateLimit
    sign_in_limit: RateLimit

    @classmethod
    def start(cls, config: GatewayConfig, handoff: HandoffSettings) -> GatewayState:
        return cls(
            config=config,
            handoff=handoff,
            client=aiohttp.ClientSession(),
            hub=Hub(),
            message_limit=RateLimit(config.messages_per_minute, burst=10),
            conversation_limit=RateLimit(config.conversations_per_minute, burst=10),
            sign_in_limit=RateLimit(config.sign_ins_per_minute, burst=5),
        )
