"""Per-client rate limits: a token bucket per key, in this process's memory.

A burst of a few quick clicks passes; a steady flood is refused with the seconds to wait.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

IDLE_SECONDS = 600.0
PRUNE_AT = 10_000  # keys remembered before idle ones are dropped


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimit:
    per_minute: float
    burst: float
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def retry_after(self, key: str, now: float | None = None) -> float:
        """0 when `key` may go ahead (and its turn is counted), else the seconds to wait."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        bucket = self._buckets.get(key)
        if bucket is None and len(self._buckets) >= PRUNE_AT:
            self.forget_idle(now)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate

    def forget_idle(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        idle = [key for key, bucket in self._buckets.items() if now - bucket.updated > IDLE_SECONDS]
        for key in idle:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)
