"""Appeal deadlines as an iCalendar (RFC 5545) file the member can import.

A deadline in a chat transcript is easy to lose; one in the member's own calendar app (Google,
Apple, Outlook) reminds them. The file is written by hand rather than with a library so the
runtime needs nothing beyond the standard library, which means the rules that calendar apps
are strict about (escaping, CRLF line ends, folding at 75 octets) are all kept here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

PRODID = "-//HMO Appeal Assistant//Appeal deadlines//EN"
CALENDAR_NAME = "Appeal deadlines"
UID_DOMAIN = "hmo-appeal-assistant"

_CRLF = "\r\n"
_MAX_LINE_OCTETS = 75
"""RFC 5545 3.1: a content line longer than this (CRLF not counted) must be folded."""

_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters other than tab and newline (no calendar app shows them, and RFC 5545
TEXT forbids them), plus lone surrogates, which cannot be written as UTF-8 at all."""

_FOLD_UNIT = re.compile(r"\\.|.", re.DOTALL)
"""What a fold may not split: one character, or one escape such as \\n. RFC 5545 allows a
fold inside an escape; keeping it whole costs nothing and spares importers that are loose."""


@dataclass(frozen=True)
class CalendarEvent:
    """One deadline, shown as an all-day event with reminders ahead of it."""

    uid_seed: str
    """Stable text naming the deadline (e.g. "internal_appeal:2027-03-14"). The UID is a hash
    of it, so downloading the file again updates the event instead of adding a copy."""
    day: date
    title: str
    description: str
    reminders_days_before: tuple[int, ...] = (14, 7, 1)

    def __post_init__(self) -> None:
        if not self.uid_seed:
            raise ValueError("uid_seed must not be empty: it is what keeps the UID stable")
        if self.day >= date.max:
            raise ValueError("day must be before 9999-12-31: an all-day event ends the next day")
        if any(days < 0 for days in self.reminders_days_before):
            raise ValueError("reminders_days_before must not be negative: that is after the day")


def build_calendar(events: Sequence[CalendarEvent], created: datetime) -> str:
    """The text of an .ics file holding `events`, sorted by day, with CRLF line ends.

    `created` stamps every event (DTSTAMP) and decides which reminders are kept: one that
    would go off before `created`'s date (in its own time zone, the member's "today") is left
    out, since an alarm in the past either fires at once on import or never. It must be
    timezone-aware because DTSTAMP is written in UTC.
    """
    if created.tzinfo is None or created.utcoffset() is None:
        raise ValueError("created must be timezone-aware: DTSTAMP is written in UTC")
    if not events:
        raise ValueError("no events: a calendar with nothing in it helps no one")
    seeds = [event.uid_seed for event in events]
    if len(set(seeds)) != len(seeds):
        raise ValueError("two events share a uid_seed: calendar apps would keep only one")

    stamp = _utc_stamp(created)
    today = created.date()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(CALENDAR_NAME)}",
    ]
    for event in sorted(events, key=lambda event: event.day):
        lines.extend(_event_lines(event, stamp, today))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + _CRLF for line in lines)


def _uid(uid_seed: str) -> str:
    """The UID for a seed: a hash, so it stays the same every time and reveals nothing."""
    digest = hashlib.sha256(uid_seed.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def _event_lines(event: CalendarEvent, stamp: str, today: date) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uid(event.uid_seed)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date_value(event.day)}",
        f"DTEND;VALUE=DATE:{_date_value(event.day + timedelta(days=1))}",
        f"SUMMARY:{_text(event.title)}",
        f"DESCRIPTION:{_text(event.description)}",
        # A deadline is a reminder, not a meeting: it should not block the member's day.
        "TRANSP:TRANSPARENT",
    ]
    days_left = (event.day - today).days
    for days in sorted(set(event.reminders_days_before), reverse=True):
        if days > days_left:
            continue
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_text(_reminder_text(event.title, days))}",
            f"TRIGGER:{_trigger(days)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _reminder_text(title: str, days: int) -> str:
    if days == 0:
        return f"Today: {title}"
    if days == 1:
        return f"Tomorrow: {title}"
    return f"In {days} days: {title}"


def _trigger(days: int) -> str:
    # Relative to DTSTART, the start of the deadline day.
    return "PT0S" if days == 0 else f"-P{days}D"


def _date_value(day: date) -> str:
    # Not strftime: it does not pad years before 1000 on every platform.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc_stamp(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    return f"{_date_value(utc.date())}T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"


def _clean_text(text: str) -> str:
    """`text` as it will read in the calendar: line breaks made "\\n", control characters gone.

    Windows ("\\r\\n") and old Mac ("\\r") line breaks become newlines rather than vanish, so
    pasted paragraphs stay apart.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED.sub("", text)


def _text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11, so commas and semicolons stay text."""
    return (
        _clean_text(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """`line` folded to at most 75 octets a line, never inside a UTF-8 character or escape."""
    if len(line.encode("utf-8")) <= _MAX_LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    room = _MAX_LINE_OCTETS
    for unit in _FOLD_UNIT.findall(line):
        size = len(unit.encode("utf-8"))
        if used + size > room:
            pieces.append("".join(current))
            current, used = [], 0
            room = _MAX_LINE_OCTETS - 1  # the continuation line's leading space counts
        current.append(unit)
        used += size
    pieces.append("".join(current))
    return (_CRLF + " ").join(pieces)
