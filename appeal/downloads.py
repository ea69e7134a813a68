"""Files a member downloads (calendar files, letters), kept behind unguessable, expiring links.

The files hold health information, so the database never holds anything readable without the
link: a row is found by the SHA-256 of the token and its content is encrypted (AES-GCM) with a
key derived from the token itself. Losing the database leaks no file; losing a link leaks one
file until it expires.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, insert, select

from appeal import db

TTL_HOURS_VARIABLE = "APPEAL_DOWNLOAD_TTL_HOURS"
DEFAULT_TTL_HOURS = 72
PUBLIC_URL_VARIABLE = "APPEAL_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
_LINK_TOKEN = re.compile(r"/downloads/[A-Za-z0-9_-]{43}/")
_FILENAME_SHAPE = re.compile(r"[a-z0-9][a-z0-9-]{0,60}\.[a-z]{2,4}")


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes
    expires_at: datetime


def _key(token: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"hmo-appeal-download"
    ).derive(token.encode("ascii"))


def _lookup(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def ttl() -> timedelta:
    hours = float(os.environ.get(TTL_HOURS_VARIABLE) or DEFAULT_TTL_HOURS)
    return timedelta(hours=hours)


def link(token: str, filename: str) -> str:
    """The member-facing address of a download, on the gateway (the only public face)."""
    base = (os.environ.get(PUBLIC_URL_VARIABLE) or DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/downloads/{token}/{filename}"


def redact_links(text: str) -> str:
    """The text with every download token cut out, for anything kept longer than a link lives
    (the stored conversation): a copy of the database must not open a member's file."""
    return _LINK_TOKEN.sub("/downloads/[link removed]/", text)


def store(content: bytes, filename: str, media_type: str, now: datetime | None = None) -> str:
    """Keep a file for `ttl()` and return the token that alone can open it."""
    if not _FILENAME_SHAPE.fullmatch(filename):
        raise ValueError(f"unsafe download filename: {filename!r}")
    now = now or datetime.now(timezone.utc)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(_key(token)).encrypt(nonce, content, filename.encode())
    with db.session() as session:
        session.execute(delete(db.downloads).where(db.downloads.c.expires_at <= now))
        session.execute(
            insert(db.downloads).values(
                token_hash=_lookup(token),
                filename=filename,
                media_type=media_type,
                nonce=nonce,
                ciphertext=ciphertext,
                created_at=now,
                expires_at=now + ttl(),
            )
        )
    return token


def fetch(token: str, now: datetime | None = None) -> Download | None:
    """The file behind a token, or None when the token is malformed, unknown or expired."""
    if not _TOKEN_SHAPE.fullmatch(token):
        return None
    now = now or datetime.now(timezone.utc)
    table = db.downloads
    with db.session() as session:
        row = session.execute(select(table).where(table.c.token_hash == _lookup(token))).first()
    if row is None:
        return None
    expires_at = _aware(row.expires_at)
    if expires_at <= now:
        return None
    try:
        content = AESGCM(_key(token)).decrypt(row.nonce, row.ciphertext, row.filename.encode())
    except InvalidTag:  # the row was altered: serve nothing rather than something wrong
        return None
    return Download(row.filename, row.media_type, content, expires_at)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
