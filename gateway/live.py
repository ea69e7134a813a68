"""What makes the chat live: waking long polls when something changes, and the case watcher.

Members and the console wait on versions kept in this process. The watcher notices cases the
action server opened (at once when the relay saw one, else within a second), announces them to
the console and the optional webhook, and tells members whose wait ran out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import timedelta

import aiohttp

from appeal import handoff_store
from appeal.guidance import text
from appeal.handoff import HandoffSettings, now, wait_phrase

log = logging.getLogger(__name__)
WATCH_SECONDS = 1.0
WEBHOOK_TIMEOUT = aiohttp.ClientTimeout(total=10)
_webhook_calls: set[asyncio.Task[None]] = set()  # held so a running call is not collected


class Hub:
    """Versions that long polls wait on: one for the console, one per member conversation."""

    def __init__(self) -> None:
        self._changed = asyncio.Condition()
        self.console_version = 1
        self._member_versions: defaultdict[str, int] = defaultdict(int)
        self.poked = asyncio.Event()

    def member_version(self, sender_id: str) -> int:
        return self._member_versions.get(sender_id, 0)

    async def changed(self, sender_id: str | None = None) -> None:
        """Something in the queue or a case changed; `sender_id`'s member has news too."""
        async with self._changed:
            self.console_version += 1
            if sender_id:
                self._member_versions[sender_id] += 1
            self._changed.notify_all()

    async def wait_console(self, seen: int, timeout: float) -> int:
        async with self._changed:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.console_version != seen), timeout
                )
            return self.console_version

    async def wait_member(self, sender_id: str, seen: int, timeout: float) -> None:
        async with self._changed:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.member_version(sender_id) != seen),
                    timeout,
                )

    def forget(self, sender_id: str) -> None:
        self._member_versions.pop(sender_id, None)


async def _notify_webhook(
    client: aiohttp.ClientSession, url: str, case: handoff_store.Case, public_url: str
) -> None:
    """Tell a help desk a case is waiting: no health details, only where to read it."""
    body = {
        "event": "handoff.created",
        "case": case.id,
        "status": case.status,
        "urgent": case.urgent,
        "nearest_deadline": case.nearest_deadline.isoformat() if case.nearest_deadline else None,
        "created_at": case.created_at.isoformat(),
        "console_url": f"{public_url}/console#case-{case.id}",
    }
    try:
        async with client.post(url, json=body, timeout=WEBHOOK_TIMEOUT) as response:
            if response.status >= 400:
                log.warning("handoff webhook answered %s for case %s", response.status, case.id)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.warning("handoff webhook failed for case %s: %s", case.id, type(error).__name__)


def _timed_out(case: handoff_store.Case, settings: HandoffSettings) -> bool:
    """Mark one overdue case missed and tell its member; False if someone took it meanwhile."""
    if not handoff_store.mark_missed(case.id):
        return False
    wait = wait_phrase(settings.wait_seconds)
    handoff_store.add_line(case, "system", text("handoff_timed_out").format(wait=wait))
    lines = case.summary.get("help_lines") or ""
    handoff_store.add_line(case, "system", text("handoff_lines") + "\n" + lines)
    handoff_store.add_line(case, "system", text("handoff_callback_offer"), kind="callback_offer")
    return True


async def watch_cases(
    hub: Hub, client: aiohttp.ClientSession, settings: HandoffSettings, public_url: str
) -> None:
    """Runs for the gateway's lifetime; one pass a second, or at once when poked."""
    while True:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(hub.poked.wait(), WATCH_SECONDS)
        hub.poked.clear()
        try:
            await watch_once(hub, client, settings, public_url)
        except Exception:  # one bad pass must not stop the watcher
            log.exception("case watcher pass failed")


async def watch_once(
    hub: Hub, client: aiohttp.ClientSession, settings: HandoffSettings, public_url: str
) -> None:
    new = await asyncio.to_thread(handoff_store.unannounced_cases)
    if new:
        await asyncio.to_thread(handoff_store.mark_announced, [case.id for case in new])
        for case in new:
            await hub.changed(case.sender_id)
            if settings.webhook_url:
                call = asyncio.create_task(
                    _notify_webhook(client, settings.webhook_url, case, public_url)
                )
                _webhook_calls.add(call)
                call.add_done_callback(_webhook_calls.discard)
    cutoff = now() - timedelta(seconds=settings.wait_seconds)
    for case in await asyncio.to_thread(handoff_store.overdue_cases, cutoff):
        if await asyncio.to_thread(_timed_out, case, settings):
            await hub.changed(case.sender_id)
