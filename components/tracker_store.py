"""Rasa's SQL tracker store, configured from one database URL in the environment.

Rasa's own SQL store takes dialect, host and file as separate settings and has no default, so
a fresh clone would need several variables. This one reads the project's database URL
(APPEAL_DATABASE_URL, any SQLAlchemy URL such as postgresql://user:pass@host/db; a SQLite file
under var/ by default), the same database the directory and downloads live in.

What members type is health information, so every stored event is sealed (appeal/sealing.py),
a pasted denial letter is never kept (only what was read from it, as slots), and download links
are cut out of what the assistant said.
"""

from __future__ import annotations

import asyncio
import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.elements import TextClause

from appeal.db import database_url, make_engine
from appeal.downloads import redact_links
from appeal.sealing import is_sealed, seal, unseal
from appeal.text import pasted_letter_placeholder
from components.letter_paste import PASTED_LETTER_INTENT


def _letter_placeholder(event: UserUttered) -> UserUttered:
    """What is kept of a pasted letter: that one was pasted, and how long it was."""
    placeholder = pasted_letter_placeholder(event.text or "")
    parse_data = {
        "text": placeholder,
        "intent": event.intent,
        "entities": [],
        "intent_ranking": [event.intent],
    }
    stored = UserUttered(
        placeholder,
        intent=event.intent,
        parse_data=parse_data,
        timestamp=event.timestamp,
        input_channel=event.input_channel,
        message_id=event.message_id,
        metadata=event.metadata,
    )
    return stored


# Rasa's own queries go through the ORM, which cost about a quarter of the Rasa server's CPU
# under load; these plain statements do the same work (latest session only, in order).
_SESSION_START = (
    "(SELECT max(timestamp) FROM events WHERE sender_id = :sender_id"
    " AND type_name = '" + SessionStarted.type_name + "')"
)
_SINCE_SESSION_START = f"(timestamp >= {_SESSION_START} OR {_SESSION_START} IS NULL)"
_ALL_EVENTS = text("SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id")
_SESSION_EVENTS = text(
    f"SELECT data FROM events WHERE sender_id = :sender_id AND {_SINCE_SESSION_START} ORDER BY id"
)
_SESSION_EVENT_COUNT = text(
    f"SELECT count(*) FROM events WHERE sender_id = :sender_id AND {_SINCE_SESSION_START}"
)


def _stored_form(event: Event) -> Event:
    """What is kept of an event: a pasted letter's text is dropped, and download links are cut
    out of what the assistant said (the stored conversation outlives the links)."""
    if isinstance(event, UserUttered) and event.intent_name == PASTED_LETTER_INTENT:
        return _letter_placeholder(event)
    if isinstance(event, BotUttered) and event.text and "/downloads/" in event.text:
        stored = copy.copy(event)
        stored.text = redact_links(event.text)
        return stored
    return event


@cache
def _event_class(type_name: str) -> type[Event] | None:
    """Rasa looks an event's class up by walking every Event subclass, for every stored event
    it reads; the answer never changes while the server runs."""
    return Event.resolve_by_type(type_name)


def _events(stored: list[str]) -> list[Event]:
    """Stored rows back into events; rows written before sealing still read."""
    events = []
    for data in stored:
        parameters = json.loads(unseal(data) if is_sealed(data) else data)
        event_class = _event_class(parameters["event"])
        event = event_class._from_parameters(parameters) if event_class else None
        if event is not None:
            events.append(event)
    return events


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    data = _stored_form(event).as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": seal(json.dumps(data)),
    }


class DatabaseUrlTrackerStore(SQLTrackerStore):
    """Keeps every conversation in the database, so a server restart loses nothing.

    The database work runs in a worker thread, so one member's save never holds up another
    member's turn on Rasa's event loop.
    """

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
        # Rasa made the events table; from here on, the project's engine (pooled connections,
        # and for SQLite the write-ahead log the other processes use too).
        self.engine.dispose()  # type: ignore[has-type]  # Rasa's base class leaves it untyped
        self.database = make_engine(database_url())
        self.engine = self.database
        self.sessionmaker = sessionmaker(bind=self.database)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes the events the database does not have yet, each one sealed."""
        await self.stream_events(tracker)
        await asyncio.to_thread(self._write_new_events, tracker.sender_id, list(tracker.events))

    def _write_new_events(self, sender_id: str, events: list[Event]) -> None:
        with self.database.begin() as connection:
            stored = connection.execute(_SESSION_EVENT_COUNT, {"sender_id": sender_id}).scalar()
            rows = [_row(sender_id, event) for event in events[stored or 0 :]]
            if rows:
                connection.execute(self.SQLEvent.__table__.insert(), rows)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """The conversation's events, unsealed, replayed into a tracker."""
        query = _ALL_EVENTS if fetch_events_from_all_sessions else _SESSION_EVENTS
        stored = await asyncio.to_thread(self._read_events, query, sender_id)
        if not self.domain or not stored:
            return None
        return DialogueStateTracker.from_events(sender_id, _events(stored), self.domain.slots)

    def _read_events(self, query: TextClause, sender_id: str) -> list[str]:
        with self.database.connect() as connection:
            return list(connection.execute(query, {"sender_id": sender_id}).scalars())
