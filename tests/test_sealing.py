"""Encryption at rest: what is sealed reads back only with the same key, and never leaks."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appeal import sealing


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "var" / "secret.key"
    monkeypatch.delenv(sealing.SECRET_KEY_VARIABLE, raising=False)
    monkeypatch.setattr(sealing, "DEFAULT_KEY_FILE", path)
    sealing._cipher.cache_clear()
    yield path
    sealing._cipher.cache_clear()


def test_round_trip_and_nothing_readable(key_file: Path):
    sealed = sealing.seal('{"member_id": "XQZ998877"}')
    assert sealing.is_sealed(sealed)
    assert "XQZ998877" not in sealed
    assert sealing.unseal(sealed) == '{"member_id": "XQZ998877"}'
    assert sealing.seal("same") != sealing.seal("same")  # a fresh nonce every time


def test_the_key_file_is_created_once_and_private(key_file: Path):
    sealed = sealing.seal("x")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = key_file.read_bytes()
    sealing._cipher.cache_clear()
    assert sealing.unseal(sealed) == "x"
    assert key_file.read_bytes() == first


def test_another_key_or_an_altered_seal_reads_nothing(key_file: Path, monkeypatch):
    sealed = sealing.seal("member text")
    altered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(sealing.UnreadableSeal):
        sealing.unseal(altered)
    monkeypatch.setenv(
        sealing.SECRET_KEY_VARIABLE, base64.urlsafe_b64encode(os.urandom(32)).decode()
    )
    with pytest.raises(sealing.UnreadableSeal):
        sealing.unseal(sealed)


@pytest.mark.parametrize("bad", ["short", base64.urlsafe_b64encode(b"x" * 16).decode(), "%%%"])
def test_a_malformed_key_is_refused_clearly(key_file: Path, monkeypatch, bad: str):
    monkeypatch.setenv(sealing.SECRET_KEY_VARIABLE, bad)
    with pytest.raises(ValueError, match=sealing.SECRET_KEY_VARIABLE):
        sealing.seal("x")


@given(st.text(max_size=2000))
def test_any_text_round_trips(text: str):
    assert sealing.unseal(sealing.seal(text)) == text
