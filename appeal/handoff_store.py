"""The repository for the website chat: conversations, handoff cases and what was said in
them, advocates and their sessions.

Everything a member wrote or was told is sealed (appeal/sealing.py) before it is stored; tokens
are kept only as SHA-256 hashes. Every function is one short unit of work, called off the event
loop by the gateway and the action server.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select, column, table

from appeal import db
from appeal.handoff import (
    CANCELLED,
    HELD,
    HOLDING_STATUSES,
    MISSED,
    ONLINE_WINDOW_SECONDS,
    WAITING,
    CaseBrief,
    now,
)
from appeal.passwords import DECOY_HASH, hash_password, verify_password
from appeal.sealing import is_sealed, seal, unseal

TOKEN_BYTES = 32
SESSION_HOURS = 12
# The table Rasa's SQL tracker store writes (components/tracker_store.py), named here to forget
# a conversation and to recall what the assistant learned when it can't answer.
_rasa_events = table(
    "events", column("id"), column("sender_id"), column("type_name"), column("data")
)
_FORGET_ALL_SLOTS = ("restart", "reset_slots")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _sealed_json(value: Any) -> str:
    return seal(json.dumps(value, ensure_ascii=False))


def _unsealed_json(stored: str | None) -> Any:
    return json.loads(unseal(stored)) if stored else None


# Conversations ---------------------------------------------------------------------------------


def open_conversation() -> tuple[str, str]:
    """A new website conversation: (the member's secret token, the sender ID Rasa sees)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    sender_id = "web-" + _hash("sender:" + token)[:32]
    with db.session() as session:
        session.execute(
            insert(db.conversations).values(
                token_hash=_hash(token), sender_id=sender_id, created_at=now()
            )
        )
    return token, sender_id


def conversation_sender(token: str) -> str | None:
    if not token or len(token) > 100:
        return None
    with db.session() as session:
        return session.scalar(
            select(db.conversations.c.sender_id).where(
                db.conversations.c.token_hash == _hash(token)
            )
        )


def forget_conversation(sender_id: str) -> None:
    """Delete all we hold of one conversation: the token, cases, messages and Rasa's events."""
    with db.session() as session:
        session.execute(delete(db.case_messages).where(db.case_messages.c.sender_id == sender_id))
        session.execute(delete(db.handoff_cases).where(db.handoff_cases.c.sender_id == sender_id))
        session.execute(delete(db.conversations).where(db.conversations.c.sender_id == sender_id))
        if "events" in db.table_names(db.engine()):
            session.execute(delete(_rasa_events).where(_rasa_events.c.sender_id == sender_id))


def remembered_slots(sender_id: str, names: tuple[str, ...]) -> dict[str, Any]:
    """The latest value of each named slot in a conversation's stored events (None if never
    set), read without Rasa: for the gateway to give the right help lines when Rasa or the
    action server is down."""
    found: dict[str, Any] = dict.fromkeys(names)
    with db.session() as session:
        if "events" not in db.table_names(db.engine()):
            return found
        rows = session.execute(
            select(_rasa_events.c.type_name, _rasa_events.c.data)
            .where(_rasa_events.c.sender_id == sender_id)
            .where(_rasa_events.c.type_name.in_(("slot", *_FORGET_ALL_SLOTS)))
            .order_by(_rasa_events.c.id)
        ).all()
    for type_name, stored in rows:
        if type_name in _FORGET_ALL_SLOTS:
            found = dict.fromkeys(names)
            continue
        event = json.loads(unseal(stored) if is_sealed(stored) else stored)
        if event.get("name") in found:
            found[event["name"]] = event.get("value")
    return found


# Cases -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: int
    sender_id: str
    status: str
    urgent: bool
    nearest_deadline: date | None
    advocate_id: int | None
    advocate_name: str | None
    created_at: datetime
    updated_at: datetime
    announced: bool
    summary: dict[str, Any]
    transcript: list[dict[str, Any]]
    callback: dict[str, Any] | None


def _case_query() -> Select:
    cases, people = db.handoff_cases, db.advocates
    return select(cases, people.c.display_name).join_from(
        cases, people, cases.c.advocate_id == people.c.id, isouter=True
    )


def _case(row: Row[Any]) -> Case:
    return Case(
        id=row.id,
        sender_id=row.sender_id,
        status=row.status,
        urgent=bool(row.urgent),
        nearest_deadline=row.nearest_deadline,
        advocate_id=row.advocate_id,
        advocate_name=row.display_name,
        created_at=_aware(row.created_at) or now(),
        updated_at=_aware(row.updated_at) or now(),
        announced=row.announced_at is not None,
        summary=_unsealed_json(row.summary) or {},
        transcript=_unsealed_json(row.transcript) or [],
        callback=_unsealed_json(row.callback),
    )


def create_case(
    sender_id: str, brief: CaseBrief, transcript: list[dict[str, Any]], status: str
) -> Case:
    """A new case, unless this conversation already has one waiting or held: then that one."""
    moment = now()
    with db.session() as session:
        current = session.execute(
            _case_query().where(
                db.handoff_cases.c.sender_id == sender_id,
                db.handoff_cases.c.status.in_(HOLDING_STATUSES),
            )
        ).first()
        if current is not None:
            return _case(current)
        case_id = session.execute(
            insert(db.handoff_cases).values(
                sender_id=sender_id,
                status=status,
                urgent=brief.urgent,
                nearest_deadline=brief.nearest_deadline,
                summary=_sealed_json(brief.summary),
                transcript=_sealed_json(transcript),
                created_at=moment,
                updated_at=moment,
            )
        ).inserted_primary_key[0]
        return _case(session.execute(_case_query().where(db.handoff_cases.c.id == case_id)).one())


def get_case(case_id: int) -> Case | None:
    with db.session() as session:
        row = session.execute(_case_query().where(db.handoff_cases.c.id == case_id)).first()
    return _case(row) if row else None


def holding_case(sender_id: str) -> Case | None:
    """The case that holds this conversation (waiting for or with an advocate), if any."""
    with db.session() as session:
        row = session.execute(
            _case_query()
            .where(
                db.handoff_cases.c.sender_id == sender_id,
                db.handoff_cases.c.status.in_(HOLDING_STATUSES),
            )
            .order_by(db.handoff_cases.c.id.desc())
        ).first()
    return _case(row) if row else None


def latest_case(sender_id: str) -> Case | None:
    with db.session() as session:
        row = session.execute(
            _case_query()
            .where(db.handoff_cases.c.sender_id == sender_id)
            .order_by(db.handoff_cases.c.id.desc())
        ).first()
    return _case(row) if row else None


def queue() -> list[Case]:
    """Open cases for the console: urgent first, then the nearest deadline, then the oldest."""
    cases = db.handoff_cases
    with db.session() as session:
        rows = session.execute(
            _case_query()
            .where(
                cases.c.status.in_(HOLDING_STATUSES)
                | ((cases.c.status == MISSED) & cases.c.callback.is_not(None))
            )
            .order_by(
                cases.c.urgent.desc(),
                cases.c.nearest_deadline.is_(None),
                cases.c.nearest_deadline,
                cases.c.created_at,
            )
        ).all()
    return [_case(row) for row in rows]


def _set_status(case_id: int, status: str, allowed_from: tuple[str, ...], **values: Any) -> bool:
    cases = db.handoff_cases
    with db.session() as session:
        changed = session.execute(
            update(cases)
            .where(cases.c.id == case_id, cases.c.status.in_(allowed_from))
            .values(status=status, updated_at=now(), **values)
        ).rowcount
    return bool(changed)


def take_case(case_id: int, advocate_id: int) -> bool:
    """An advocate takes a waiting (or missed) case; False if someone else got there first."""
    return _set_status(case_id, HELD, (WAITING, MISSED), advocate_id=advocate_id)


def end_case(case_id: int, advocate_id: int, status: str) -> bool:
    """Hand back or close: only the advocate holding the case, or any advocate for a callback."""
    cases = db.handoff_cases
    with db.session() as session:
        changed = session.execute(
            update(cases)
            .where(
                cases.c.id == case_id,
                ((cases.c.status == HELD) & (cases.c.advocate_id == advocate_id))
                | (cases.c.status == MISSED),
            )
            .values(status=status, updated_at=now())
        ).rowcount
    return bool(changed)


def cancel_case(case_id: int) -> bool:
    return _set_status(case_id, CANCELLED, (WAITING,))


def mark_missed(case_id: int) -> bool:
    return _set_status(case_id, MISSED, (WAITING,))


def record_callback(case_id: int, request: dict[str, str]) -> None:
    with db.session() as session:
        session.execute(
            update(db.handoff_cases)
            .where(db.handoff_cases.c.id == case_id)
            .values(
                callback=_sealed_json({**request, "requested_at": now().isoformat()}),
                updated_at=now(),
            )
        )


def unannounced_cases() -> list[Case]:
    with db.session() as session:
        rows = session.execute(_case_query().where(db.handoff_cases.c.announced_at.is_(None))).all()
    return [_case(row) for row in rows]


def mark_announced(case_ids: list[int]) -> None:
    with db.session() as session:
        session.execute(
            update(db.handoff_cases)
            .where(db.handoff_cases.c.id.in_(case_ids))
            .values(announced_at=now())
        )


def overdue_cases(waited_since: datetime) -> list[Case]:
    """Waiting cases nobody took before `waited_since`."""
    cases = db.handoff_cases
    with db.session() as session:
        rows = session.execute(
            _case_query().where(cases.c.status == WAITING, cases.c.created_at < waited_since)
        ).all()
    return [_case(row) for row in rows]


def latest_change() -> tuple[int, int]:
    """(newest case id, newest message id): cheap to ask every second for news."""
    with db.session() as session:
        return (
            session.scalar(select(func.max(db.handoff_cases.c.id))) or 0,
            session.scalar(select(func.max(db.case_messages.c.id))) or 0,
        )


# Messages after the handoff --------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    id: int
    case_id: int
    speaker: str  # member, advocate or system
    text: str
    name: str | None
    kind: str | None
    buttons: list[dict[str, str]]
    at: datetime


def add_line(
    case: Case,
    speaker: str,
    text: str,
    name: str | None = None,
    kind: str | None = None,
    buttons: list[dict[str, str]] | None = None,
) -> Line:
    body = {"text": text, "name": name, "kind": kind, "buttons": buttons or []}
    moment = now()
    with db.session() as session:
        line_id = session.execute(
            insert(db.case_messages).values(
                case_id=case.id,
                sender_id=case.sender_id,
                speaker=speaker,
                body=_sealed_json(body),
                created_at=moment,
            )
        ).inserted_primary_key[0]
    return Line(line_id, case.id, speaker, text, name, kind, buttons or [], moment)


def _line(row: Row[Any]) -> Line:
    body = _unsealed_json(row.body)
    return Line(
        row.id,
        row.case_id,
        row.speaker,
        body["text"],
        body.get("name"),
        body.get("kind"),
        body.get("buttons") or [],
        _aware(row.created_at) or now(),
    )


def case_lines(case_id: int) -> list[Line]:
    with db.session() as session:
        rows = session.execute(
            select(db.case_messages)
            .where(db.case_messages.c.case_id == case_id)
            .order_by(db.case_messages.c.id)
        ).all()
    return [_line(row) for row in rows]


def lines_for_member(sender_id: str, after: int) -> list[Line]:
    """What the advocate and the gateway said to this member since message `after`."""
    messages = db.case_messages
    with db.session() as session:
        rows = session.execute(
            select(messages)
            .where(
                messages.c.sender_id == sender_id,
                messages.c.id > after,
                messages.c.speaker != "member",
            )
            .order_by(messages.c.id)
        ).all()
    return [_line(row) for row in rows]


# Advocates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advocate:
    id: int
    username: str
    name: str


def add_advocate(username: str, name: str, password: str) -> Advocate:
    username = username.strip().lower()
    if not username or len(username) > 100 or not name.strip():
        raise ValueError("an advocate needs a username and a display name")
    password_hash = hash_password(password)
    try:
        with db.session() as session:
            advocate_id = session.execute(
                insert(db.advocates).values(
                    username=username,
                    display_name=name.strip()[:100],
                    password_hash=password_hash,
                    active=True,
                    created_at=now(),
                )
            ).inserted_primary_key[0]
    except IntegrityError as error:
        raise ValueError(f"the username {username!r} is taken") from error
    return Advocate(advocate_id, username, name.strip()[:100])


def set_password(username: str, password: str) -> bool:
    with db.session() as session:
        return bool(
            session.execute(
                update(db.advocates)
                .where(db.advocates.c.username == username.strip().lower())
                .values(password_hash=hash_password(password))
            ).rowcount
        )


def set_active(username: str, active: bool) -> bool:
    with db.session() as session:
        changed = session.execute(
            update(db.advocates)
            .where(db.advocates.c.username == username.strip().lower())
            .values(active=active)
        ).rowcount
        if changed and not active:
            ids = select(db.advocates.c.id).where(
                db.advocates.c.username == username.strip().lower()
            )
            session.execute(
                delete(db.advocate_sessions).where(db.advocate_sessions.c.advocate_id.in_(ids))
            )
    return bool(changed)


def advocate_count() -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(db.advocates)) or 0


def list_advocates() -> list[tuple[Advocate, bool]]:
    with db.session() as session:
        rows = session.execute(select(db.advocates).order_by(db.advocates.c.username)).all()
    return [(Advocate(row.id, row.username, row.display_name), bool(row.active)) for row in rows]


def check_sign_in(username: str, password: str) -> Advocate | None:
    """The advocate these credentials belong to, or None; equally slow either way."""
    with db.session() as session:
        row = session.execute(
            select(db.advocates).where(
                db.advocates.c.username == username.strip().lower()[:100],
                db.advocates.c.active.is_(True),
            )
        ).first()
    if row is None:
        verify_password(password, DECOY_HASH)
        return None
    if not verify_password(password, row.password_hash):
        return None
    return Advocate(row.id, row.username, row.display_name)


def start_session(advocate: Advocate) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = now()
    with db.session() as session:
        session.execute(
            insert(db.advocate_sessions).values(
                token_hash=_hash(token),
                advocate_id=advocate.id,
                created_at=moment,
                last_seen_at=moment,
                expires_at=moment + timedelta(hours=SESSION_HOURS),
            )
        )
    return token


def session_advocate(token: str) -> Advocate | None:
    """The signed-in advocate for a session cookie; marks them as online."""
    if not token or len(token) > 100:
        return None
    sessions, people = db.advocate_sessions, db.advocates
    moment = now()
    with db.session() as session:
        row = session.execute(
            select(people.c.id, people.c.username, people.c.display_name, sessions.c.expires_at)
            .join_from(sessions, people, sessions.c.advocate_id == people.c.id)
            .where(sessions.c.token_hash == _hash(token), people.c.active.is_(True))
        ).first()
        if row is None or (_aware(row.expires_at) or moment) <= moment:
            return None
        session.execute(
            update(sessions)
            .where(sessions.c.token_hash == _hash(token))
            .values(last_seen_at=moment)
        )
    return Advocate(row.id, row.username, row.display_name)


def end_session(token: str) -> None:
    with db.session() as session:
        session.execute(
            delete(db.advocate_sessions).where(db.advocate_sessions.c.token_hash == _hash(token))
        )


def advocate_online() -> bool:
    """Someone has the console open (it asks for news at least every 25 seconds)."""
    since = now() - timedelta(seconds=ONLINE_WINDOW_SECONDS)
    with db.session() as session:
        return bool(
            session.scalar(
                select(func.count())
                .select_from(db.advocate_sessions)
                .where(db.advocate_sessions.c.last_seen_at >= since)
            )
        )
