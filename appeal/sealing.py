"""Encryption at rest for what members tell us: conversations hold member IDs, claim numbers and
health details, so the stored copy is sealed with a server key (AES-GCM) and reads as noise.

The key comes from APPEAL_SECRET_KEY (32 bytes, base64) or, on the embedded defaults, from a
file created once under var/ with owner-only permissions. Losing the database without the key
leaks nothing; rotating the key makes old conversations unreadable, by design.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SECRET_KEY_VARIABLE = "APPEAL_SECRET_KEY"
DEFAULT_KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "secret.key"
KEY_BYTES = 32
NONCE_BYTES = 12
PREFIX = "sealed:v1:"


class UnreadableSeal(ValueError):
    """The sealed text was altered, or sealed under another key."""


def _decoded_key(encoded: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError(f"{SECRET_KEY_VARIABLE} is not base64") from error
    if len(key) != KEY_BYTES:
        raise ValueError(f"{SECRET_KEY_VARIABLE} must hold {KEY_BYTES} bytes, base64-encoded")
    return key


def _key_file_key(path: Path) -> bytes:
    """Reads the key file, creating it first if needed. O_EXCL keeps two processes starting
    together from writing two different keys."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _decoded_key(path.read_text(encoding="ascii"))
    with os.fdopen(descriptor, "w", encoding="ascii") as key_file:
        key_file.write(base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode())
    return _decoded_key(path.read_text(encoding="ascii"))


@cache
def _server_key(encoded_key: str | None, key_file: Path) -> bytes:
    return _decoded_key(encoded_key) if encoded_key else _key_file_key(key_file)


def _key() -> bytes:
    return _server_key(os.environ.get(SECRET_KEY_VARIABLE), DEFAULT_KEY_FILE)


@cache
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def cipher() -> AESGCM:
    return _cipher(_key())


def derived_key(purpose: str) -> bytes:
    """A key for one other use (signing CSRF tokens, say), so no key serves two purposes."""
    return hmac.new(_key(), b"hmo-appeal:" + purpose.encode(), hashlib.sha256).digest()


def seal(plaintext: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = nonce + cipher().encrypt(nonce, plaintext.encode("utf-8"), None)
    return PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def unseal(stored: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode("ascii"))
        nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return cipher().decrypt(nonce, body, None).decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise UnreadableSeal("stored text cannot be unsealed with this key") from error
