"""Conversations survive a restart: a new tracker store on the same database sees them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from appeal.db import DATABASE_URL_VARIABLE, database_url
from appeal.handoff_store import remembered_slots
from components.tracker_store import PASTED_LETTER_INTENT, DatabaseUrlTrackerStore


@pytest.fixture
def store_domain() -> Domain:
    return Domain.load("domain")


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch) -> Path:
    """A SQLite file of the test's own, named by the environment as in production."""
    path = tmp_path / "c.db"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, f"sqlite:///{path}")
    return path


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
    database_file: Path, store_domain
):
    token = "A" * 43
    said = f"Add your deadline: http://127.0.0.1:8080/downloads/{token}/appeal-deadlines.ics"
    store = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-2", store_domain.slots)
    tracker.update(BotUttered(said))
    await store.save(tracker)
    assert tracker.latest_bot_utterance.text == said  # the live conversation is untouched
    assert token.encode() not in await asyncio.to_thread(database_file.read_bytes)
    restored = await DatabaseUrlTrackerStore(domain=store_domain).retrieve("member-2")
    assert restored is not None and restored.latest_bot_utterance is not None
    assert restored.latest_bot_utterance.text.endswith(
        "/downloads/[link removed]/appeal-deadlines.ics"
    )


async def test_stored_events_are_sealed(database_file: Path, store_domain):
    store = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-3", store_domain.slots)
    tracker.update(UserUttered("my member ID is XQZ998877", {"name": "inform"}))
    tracker.update(SlotSet("member_id", "XQZ998877"))
    await store.save(tracker)
    stored = await asyncio.to_thread(database_file.read_bytes)
    assert b"XQZ998877" not in stored
    assert b"member ID" not in stored
    restored = await DatabaseUrlTrackerStore(domain=store_domain).retrieve("member-3")
    assert restored is not None
    assert restored.get_slot("member_id") == "XQZ998877"
    assert restored.latest_message is not None
    assert restored.latest_message.text == "my member ID is XQZ998877"


async def test_a_pasted_letter_is_read_but_never_kept(database_file: Path, store_domain):
    letter = "Dear Member, your claim CLM-4471 for an MRI was denied. Member ID ZZ123. " * 20
    store = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-4", store_domain.slots)
    tracker.update(UserUttered(letter, {"name": PASTED_LETTER_INTENT, "confidence": 1.0}))
    await store.save(tracker)
    assert tracker.latest_message is not None and tracker.latest_message.text == letter
    restored = await DatabaseUrlTrackerStore(domain=store_domain).retrieve("member-4")
    assert restored is not None and restored.latest_message is not None
    assert (
        restored.latest_message.text
        == f"[a pasted letter of {len(letter)} characters: read, not kept]"
    )
    assert restored.latest_message.intent_name == PASTED_LETTER_INTENT
    assert "CLM-4471" not in str(restored.as_dialogue().as_dict())


async def test_rows_written_before_sealing_still_read(database_file: Path, store_domain):
    store = DatabaseUrlTrackerStore(domain=store_domain)
    with store.session_scope() as session:
        event = SlotSet("us_state", "OR")
        session.add(
            store.SQLEvent(
                sender_id="member-5",
                type_name=event.type_name,
                timestamp=event.timestamp,
                data=json.dumps(event.as_dict()),
            )
        )
        session.commit()
    restored = await store.retrieve("member-5")
    assert restored is not None and restored.get_slot("us_state") == "OR"


async def test_the_gateway_recalls_the_latest_slots_without_rasa(database_file: Path, store_domain):
    names = ("us_state", "plan_type", "ca_regulator")
    assert remembered_slots("member-3", names) == dict.fromkeys(names)  # no events table yet
    store = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-3", store_domain.slots)
    for event in (
        SlotSet("us_state", "OR"),
        Restarted(),
        SlotSet("us_state", "NV"),
        SlotSet("us_state", "CA"),
        SlotSet("plan_type", "employer_insured"),
    ):
        tracker.update(event)
    await store.save(tracker)
    assert remembered_slots("member-3", names) == {
        "us_state": "CA",
        "plan_type": "employer_insured",
        "ca_regulator": None,
    }
    assert remembered_slots("someone-else", names)["us_state"] is None


async def test_only_the_latest_session_is_read_and_nothing_is_written_twice(
    database_file: Path, store_domain
):
    store = DatabaseUrlTrackerStore(domain=store_domain)
    tracker = DialogueStateTracker("member-6", store_domain.slots)
    tracker.update(UserUttered("yesterday's question", {"name": "report_denial"}))
    tracker.update(SlotSet("us_state", "OR"))
    await store.save(tracker)
    tracker.update(SessionStarted(timestamp=tracker.events[-1].timestamp + 1))
    tracker.update(SlotSet("us_state", "CA", timestamp=tracker.events[-1].timestamp + 1))
    await store.save(tracker)

    latest = await store.retrieve("member-6")
    assert latest is not None
    assert [event.type_name for event in latest.events] == ["session_started", "slot"]
    await store.save(latest)  # as Rasa does each turn: nothing new, nothing written
    assert latest.get_slot("us_state") == "CA"
    whole = await store.retrieve_full_tracker("member-6")
    assert whole is not None and len(whole.events) == 4

    latest.update(UserUttered("today's question", {"name": "ask_deadline"}))
    await store.save(latest)
    again = await DatabaseUrlTrackerStore(domain=store_domain).retrieve_full_tracker("member-6")
    assert again is not None
    assert [event.type_name for event in again.events] == ["user", "slot", "session_started",
                                                           "slot", "user"]  # fmt: skip
