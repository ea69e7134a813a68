"""Advocate passwords, kept only as salted scrypt hashes (memory-hard, from the standard library).

The stored form names its parameters, so they can be raised later without breaking old hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P, _LENGTH = 2**14, 8, 1, 32
MIN_LENGTH = 10
MAX_LENGTH = 200


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=64 * 1024**2
    )


def hash_password(password: str) -> str:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValueError(f"a password needs {MIN_LENGTH} to {MAX_LENGTH} characters")
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P, _LENGTH)
    encode = base64.urlsafe_b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        expected = base64.urlsafe_b64decode(digest)
        if kind != "scrypt" or len(password) > MAX_LENGTH:
            return False
        found = _scrypt(password, base64.urlsafe_b64decode(salt), int(n), int(r), int(p),
                        len(expected))  # fmt: skip
    except ValueError:
        return False
    return hmac.compare_digest(found, expected)


# Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
DECOY_HASH = hash_password(secrets.token_urlsafe(16))
