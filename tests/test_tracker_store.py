"""Conversations survive a restart: a new tracker store on the same database sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from appeal.db import DATABASE_URL_VARIABLE, database_url
from components.tracker_store import DatabaseUrlTrackerStore


@pytest.fixture
def store_domain() -> Domain:
    return Domain.load("domain")


async def test_conversation_survives_a_new_store(tmp_path: Path, monkeypatch, store_domain):
    monkeypatch.setenv(DATABASE_URL_VARIABLE, f"sqlite:///{tmp_path / 'nested' / 'c.db'}")
    first = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-1", store_domain.slots)
    tracker.update(UserUttered("my claim was denied", {"name": "report_denial"}))
    tracker.update(SlotSet("us_state", "CA"))
    await first.save(tracker)

    restarted = DatabaseUrlTrackerStore(domain=store_domain)
    restored = await restarted.retrieve("member-1")
    assert restored is not None
    assert restored.get_slot("us_state") == "CA"
    assert (tmp_path / "nested" / "c.db").exists()


def test_default_is_a_sqlite_file_in_the_clone(monkeypatch):
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    assert database_url().startswith("sqlite:///")
    assert database_url().endswith("var/appeal.db")


def test_url_from_the_environment(monkeypatch):
    monkeypatch.setenv(DATABASE_URL_VARIABLE, "postgresql://u:p@db.example/appeals")
    assert database_url() == "postgresql://u:p@db.example/appeals"
