"""Rasa's SQL tracker store, configured from one database URL in the environment.

Rasa's own SQL store takes dialect, host and file as separate settings and has no default, so
a fresh clone would need several variables. This one reads the project's database URL
(APPEAL_DATABASE_URL, any SQLAlchemy URL such as postgresql://user:pass@host/db; a SQLite file
under var/ by default), the same database the directory and downloads live in.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from appeal.db import database_url
from appeal.downloads import redact_links


class DatabaseUrlTrackerStore(SQLTrackerStore):
    """Keeps every conversation in the database, so a server restart loses nothing."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        url = make_url(database_url())
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query),
            **kwargs,
        )

    def _additional_events(
        self, session: Session, tracker: DialogueStateTracker
    ) -> Iterator[Event]:
        """The events to store, with download links cut out of what the assistant said: the
        stored conversation outlives the links, and must not open a member's files."""
        for event in super()._additional_events(session, tracker):
            if isinstance(event, BotUttered) and event.text and "/downloads/" in event.text:
                stored = copy.copy(event)
                stored.text = redact_links(event.text)
                yield stored
            else:
                yield event
