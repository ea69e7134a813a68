"""The project's database: one URL from the environment, a SQLite file under var/ by default.

The engine is made once per process and the schema is brought up to date the first time it is
used, so every face (action server, gateway, scripts) can rely on the tables being there.
Callers take a short session per unit of work from `session()`; nothing holds one open.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

DATABASE_URL_VARIABLE = "APPEAL_DATABASE_URL"
DEFAULT_SQLITE_FILE = Path(__file__).resolve().parent.parent / "var" / "appeal.db"

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

seed_state = Table(
    "seed_state",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("digest", String(64), nullable=False),
)

jurisdictions = Table(
    "jurisdictions",
    metadata,
    Column("code", String(2), primary_key=True),
    Column("name", String(100), nullable=False),
)


def _sourced_columns() -> list[Column]:
    """What every directory value carries: where it comes from, how sure we are, when checked."""
    return [
        Column("source_url", String(500), nullable=False),
        Column("confidence", String(30), nullable=False),
        Column("checked_on", Date, nullable=False),
    ]


help_lines = Table(
    "help_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("jurisdiction", String(2), nullable=False, index=True),
    Column("office", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("phone", String(40), nullable=False),
    Column("phone_label", String(200), nullable=False, default=""),
    Column("kind", String(10), nullable=False),
    Column("url", String(500), nullable=False, default=""),
    Column("scope", String(300), nullable=False, default=""),
    *_sourced_columns(),
    Column("member_note", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
)

external_review_routes = Table(
    "external_review_routes",
    metadata,
    Column("jurisdiction", String(2), primary_key=True),
    Column("route", String(20), nullable=False),
    Column("administrator", String(300), nullable=False, default=""),
    Column("law", String(200), nullable=False, default=""),
    *_sourced_columns(),
    Column("note", Text, nullable=False, default=""),
)

downloads = Table(
    "downloads",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("filename", String(100), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("nonce", LargeBinary(12), nullable=False),
    Column("ciphertext", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# The website chat: a conversation is found by the SHA-256 of the member's secret token.
conversations = Table(
    "conversations",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("sender_id", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Handoff cases: what the member told the assistant (sealed), for an advocate to pick up.
handoff_cases = Table(
    "handoff_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sender_id", String(64), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("nearest_deadline", Date, nullable=True),
    Column("summary", Text, nullable=False),
    Column("transcript", Text, nullable=False),
    Column("advocate_id", Integer, nullable=True),
    Column("callback", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("announced_at", DateTime(timezone=True), nullable=True),
)

# What the member, the advocate and the gateway said after the handoff (each body sealed).
case_messages = Table(
    "case_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("sender_id", String(64), nullable=False, index=True),
    Column("speaker", String(10), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

advocates = Table(
    "advocates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

advocate_sessions = Table(
    "advocate_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("advocate_id", Integer, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False, index=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)


def _create(*tables: Table) -> Callable[[Connection], None]:
    def apply(connection: Connection) -> None:
        for table in tables:
            table.create(connection, checkfirst=True)

    return apply


# Append only: a database at version N gets every migration after N, in order.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "directory: jurisdictions, help lines, external-review routes",
     _create(seed_state, jurisdictions, help_lines, external_review_routes)),
    (2, "downloads behind expiring tokens", _create(downloads)),
    (3, "website chat, handoff cases and advocates",
     _create(conversations, handoff_cases, case_messages, advocates, advocate_sessions)),
)  # fmt: skip


def database_url() -> str:
    return os.environ.get(DATABASE_URL_VARIABLE) or f"sqlite:///{DEFAULT_SQLITE_FILE}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Write-ahead logging lets the Rasa server, action server and gateway share one file.
    With it, synchronous=NORMAL is safe against a crashed or restarted process (only a power cut
    can lose the last commits) and lets many members' turns commit at once (issue 6 load test:
    27 to 30 turns/s at 50 members)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    pool: dict[str, Any] = {}
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 opens a new connection to a SQLite file for every session; keeping
        # them in a pool took about 1 ms off each of the Rasa server's tracker reads and writes.
        pool["poolclass"] = QueuePool
    engine = create_engine(url, future=True, connect_args={"check_same_thread": False}, **pool)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> int:
    """Apply the migrations this database has not had yet; return the schema version."""
    with engine.begin() as connection:
        schema_migrations.create(connection, checkfirst=True)
        applied = set(connection.scalars(select(schema_migrations.c.version)))
        for version, description, apply in MIGRATIONS:
            if version in applied:
                continue
            apply(connection)
            connection.execute(
                insert(schema_migrations).values(
                    version=version,
                    description=description,
                    applied_at=datetime.now(timezone.utc),
                )
            )
    return MIGRATIONS[-1][0]


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


_setup_lock = threading.Lock()


@cache
def _ready_engine(url: str) -> Engine:
    from appeal.directory_store import seed_directory  # it needs these tables: import late

    with _setup_lock:
        engine = make_engine(url)
        migrate(engine)
        seed_directory(engine)
        return engine


def engine() -> Engine:
    """This process's engine for the configured URL, schema migrated and data seeded."""
    return _ready_engine(database_url())


@contextmanager
def session() -> Iterator[Session]:
    """A short unit of work: committed when the block ends, rolled back if it raises."""
    with Session(engine(), future=True) as current, current.begin():
        yield current
