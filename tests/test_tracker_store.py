"""Conversations survive a restart: a new tracker store on the same database sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
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


async def test_download_links_are_cut_from_the_stored_conversation(
    tmp_path: Path, monkeypatch, store_domain
):
    monkeypatch.setenv(DATABASE_URL_VARIABLE, f"sqlite:///{tmp_path / 'c.db'}")
    token = "A" * 43
    said = f"Add your deadline: http://127.0.0.1:8080/downloads/{token}/appeal-deadlines.ics"
    store = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-2", store_domain.slots)
    tracker.update(BotUttered(said))
    await store.save(tracker)
    assert tracker.latest_bot_utterance.text == said  # the live conversation is untouched
    assert token.encode() not in (tmp_path / "c.db").read_bytes()
    restored = await DatabaseUrlTrackerStore(domain=store_domain).retrieve("member-2")
    assert restored is not None and restored.latest_bot_utterance is not None
    assert restored.latest_bot_utterance.text.endswith(
        "/downloads/[link removed]/appeal-deadlines.ics"
    )
