"""Downloads: only the link opens a file, links expire, and the database holds nothing readable."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from appeal import db, downloads

SECRET = b"Member ID XJ-4411 claim 99-0001: MRI denied"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)


def test_a_stored_file_opens_with_its_token_only():
    token = downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=NOW)
    found = downloads.fetch(token, now=NOW)
    assert found is not None and found.content == SECRET
    assert found.media_type == "text/calendar" and found.filename == "appeal-deadlines.ics"
    other = downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=NOW)
    assert other != token  # every file gets its own unguessable token


def test_the_database_holds_neither_the_token_nor_the_content():
    token = downloads.store(SECRET, "letter.pdf", "application/pdf", now=NOW)
    with db.session() as session:
        rows = session.execute(select(db.downloads)).all()
    stored = b"".join(
        bytes(row.ciphertext) + row.token_hash.encode() + row.filename.encode() for row in rows
    )
    assert SECRET not in stored and b"XJ-4411" not in stored
    assert token.encode() not in stored


@pytest.mark.parametrize("hours_later", [72, 100, 10_000])
def test_links_expire(hours_later):
    token = downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=NOW)
    assert downloads.fetch(token, now=NOW + timedelta(hours=71)) is not None
    assert downloads.fetch(token, now=NOW + timedelta(hours=hours_later)) is None


def test_expired_files_are_deleted_when_new_ones_are_stored():
    old = downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=NOW)
    later = NOW + timedelta(days=30)
    downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=later)
    with db.session() as session:
        hashes = set(session.scalars(select(db.downloads.c.token_hash)))
    assert downloads._lookup(old) not in hashes


def test_the_time_to_live_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(downloads.TTL_HOURS_VARIABLE, "1")
    token = downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=NOW)
    assert downloads.fetch(token, now=NOW + timedelta(minutes=59)) is not None
    assert downloads.fetch(token, now=NOW + timedelta(minutes=61)) is None


@pytest.mark.parametrize(
    "token",
    ["", "short", "x" * 43, "../../etc/passwd", "A" * 42 + "!", "é" * 43, "A" * 5000],
)
def test_malformed_or_unknown_tokens_open_nothing(token):
    assert downloads.fetch(token, now=NOW) is None


def test_an_altered_row_opens_nothing():
    token = downloads.store(SECRET, "appeal-deadlines.ics", "text/calendar", now=NOW)
    with db.session() as session:
        session.execute(
            db.downloads.update()
            .where(db.downloads.c.token_hash == downloads._lookup(token))
            .values(filename="other.ics")  # the filename is authenticated with the content
        )
    assert downloads.fetch(token, now=NOW) is None


@pytest.mark.parametrize(
    "filename", ["../x.ics", "a b.ics", "x.ics\n", "", "UPPER.ICS", "x" * 80 + ".ics"]
)
def test_unsafe_filenames_are_refused(filename):
    with pytest.raises(ValueError):
        downloads.store(SECRET, filename, "text/plain", now=NOW)


def test_links_point_at_the_public_gateway(monkeypatch):
    monkeypatch.setenv(downloads.PUBLIC_URL_VARIABLE, "https://help.example.org/")
    assert downloads.link("TOKEN", "appeal-deadlines.ics") == (
        "https://help.example.org/downloads/TOKEN/appeal-deadlines.ics"
    )
