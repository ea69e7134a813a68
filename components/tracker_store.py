"""Rasa's SQL tracker store, configured from one database URL in the environment.

Rasa's own SQL store takes dialect, host and file as separate settings and has no default, so
a fresh clone would need several variables. This one reads the project's database URL
(APPEAL_DATABASE_URL, any SQLAlchemy URL such as postgresql://user:pass@host/db; a SQLite file
under var/ by default), the same database the directory and downloads live in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from appeal.db import database_url


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
