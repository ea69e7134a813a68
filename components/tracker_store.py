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

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from appeal.db import database_url
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

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save, with each event sealed before it is written."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=seal(json.dumps(data)),
                    )
                )
            session.commit()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's retrieve, unsealing each event; rows written before sealing still read."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [
                json.loads(unseal(row.data) if is_sealed(row.data) else row.data) for row in rows
            ]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _additional_events(
        self, session: Session, tracker: DialogueStateTracker
    ) -> Iterator[Event]:
        """The events to store: a pasted letter's text is dropped, and download links are cut
        out of what the assistant said (the stored conversation outlives the links)."""
        for event in super()._additional_events(session, tracker):
            if isinstance(event, UserUttered) and event.intent_name == PASTED_LETTER_INTENT:
                yield _letter_placeholder(event)
            elif isinstance(event, BotUttered) and event.text and "/downloads/" in event.text:
                stored = copy.copy(event)
                stored.text = redact_links(event.text)
                yield stored
            else:
                yield event
