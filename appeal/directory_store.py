"""The help-line directory in the database: seeded from knowledge/directory/, read by office.

The CSV files are the versioned source; the tables are what the running assistant reads, so an
advocate's correction can be made in data and reloaded without touching code. Each row is one
value (a phone number, a review route) with its own source URL, confidence mark and check date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine

from appeal import db
from appeal.knowledge import KNOWLEDGE_DIR, load_csv

DIRECTORY_FILES = {
    db.jurisdictions: "directory/jurisdictions.csv",
    db.help_lines: "directory/lines.csv",
    db.external_review_routes: "directory/external-review.csv",
}
SEED_NAME = "directory"


@dataclass(frozen=True)
class PhoneRecord:
    """One phone number of one office, as the directory stores it."""

    jurisdiction: str
    office: str
    name: str
    phone: str
    phone_label: str
    kind: str
    url: str
    scope: str
    source_url: str
    confidence: str
    checked_on: date
    member_note: str
    note: str


@dataclass(frozen=True)
class ReviewRoute:
    """Who runs external review for insured plans in a jurisdiction, and how sure we are."""

    jurisdiction: str
    route: str
    administrator: str
    law: str
    source_url: str
    confidence: str
    checked_on: date
    note: str


def _digest() -> str:
    hasher = hashlib.sha256()
    for relative in DIRECTORY_FILES.values():
        hasher.update((KNOWLEDGE_DIR / relative).read_bytes())
    return hasher.hexdigest()


def _typed(row: dict[str, str]) -> dict[str, object]:
    return {
        key: date.fromisoformat(value) if key == "checked_on" else value.strip()
        for key, value in row.items()
    }


def seed_directory(engine: Engine) -> bool:
    """Load the directory files into the tables when they changed; True if it loaded."""
    digest = _digest()
    with engine.begin() as connection:
        stored = connection.scalar(
            select(db.seed_state.c.digest).where(db.seed_state.c.name == SEED_NAME)
        )
        if stored == digest:
            return False
        for table, relative in DIRECTORY_FILES.items():
            connection.execute(delete(table))
            rows = [_typed(row) for row in load_csv(relative)]
            connection.execute(insert(table), rows)
        connection.execute(delete(db.seed_state).where(db.seed_state.c.name == SEED_NAME))
        connection.execute(insert(db.seed_state).values(name=SEED_NAME, digest=digest))
    return True


def phones(jurisdiction: str, offices: Iterable[str]) -> list[PhoneRecord]:
    """Every number of these offices in this jurisdiction, in the order the offices are given."""
    wanted = list(offices)
    if not wanted:
        return []
    table = db.help_lines
    with db.session() as session:
        rows = session.execute(
            select(table)
            .where(table.c.jurisdiction == jurisdiction, table.c.office.in_(wanted))
            .order_by(table.c.id)
        ).all()
    records = [PhoneRecord(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows]
    return sorted(records, key=lambda record: wanted.index(record.office))


def review_route(jurisdiction: str) -> ReviewRoute | None:
    table = db.external_review_routes
    with db.session() as session:
        row = session.execute(select(table).where(table.c.jurisdiction == jurisdiction)).first()
    return ReviewRoute(**row._mapping) if row else None


def confidence_counts() -> dict[str, int]:
    """How many numbers carry each confidence mark (said when the database is prepared)."""
    table = db.help_lines
    query = select(table.c.confidence, func.count()).group_by(table.c.confidence)
    with db.session() as session:
        return {mark: count for mark, count in session.execute(query).all()}
