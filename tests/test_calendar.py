"""Tests for appeal.calendar: the .ics file of appeal deadlines, read back with icalendar."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal.calendar import CalendarEvent, build_calendar

TODAY = date(2026, 11, 23)
CREATED = datetime(2026, 11, 23, 15, 30, 45, tzinfo=timezone.utc)
DAY = date(2027, 3, 14)
SEED = "internal_appeal:2027-03-14"
TITLE = "Appeal deadline: file a grievance with your plan"
DESCRIPTION = "Send the appeal form, the denial letter, and any records.\nKeep a copy."
LONG_AHEAD = TODAY + timedelta(days=100)  # far enough that every default reminder is kept

SENSIBLE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
# Any offset a real time zone has, and a few minutes either side.
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Every code point, lone surrogates and control characters included, with the characters that
# need escaping or could break a line drawn far more often than chance would.
ANY_CHAR = st.characters(exclude_categories=())
TRICKY_CHAR = st.sampled_from(list('\\;,:"\n\r\t \x00\x1b\x7f\x85\u2028\u200f\u202e🙂é中'))
HOSTILE_TEXT = st.text(st.one_of(ANY_CHAR, TRICKY_CHAR), max_size=400)


def event(
    *,
    uid_seed: str = SEED,
    day: date = DAY,
    title: str = TITLE,
    description: str = DESCRIPTION,
    reminders: tuple[int, ...] = (14, 7, 1),
) -> CalendarEvent:
    return CalendarEvent(uid_seed, day, title, description, reminders)


def parse(text: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar.errors == []
    for component in calendar.walk():
        assert component.errors == [], component.errors
    return calendar


def vevents(calendar: icalendar.Calendar) -> list[icalendar.Component]:
    return calendar.walk("VEVENT")


def only_event(events: Sequence[CalendarEvent], created: datetime = CREATED) -> icalendar.Component:
    [found] = vevents(parse(build_calendar(events, created)))
    return found


def dt(component: icalendar.Component, name: str) -> Any:
    """The date, datetime or timedelta of a date-valued property, as icalendar read it."""
    value: Any = component[name]
    return value.dt


def alarm_days(found: icalendar.Component) -> list[int]:
    """Days before the deadline of each alarm, in file order."""
    return [-dt(alarm, "TRIGGER").days for alarm in found.walk("VALARM")]


def as_read(text: str) -> str:
    """What a member should see: line breaks kept as newlines, other controls gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if char in "\n\t"
        or not (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or 0xD800 <= ord(char) <= 0xDFFF)
    )


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


# --- the calendar and its events ---------------------------------------------------------


def test_calendar_properties() -> None:
    text = build_calendar([event()], CREATED)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    calendar = parse(text)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//HMO Appeal Assistant//Appeal deadlines//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Appeal deadlines"


def test_event_fields_round_trip() -> None:
    found = only_event([event()])
    assert dt(found, "DTSTART") == DAY
    assert dt(found, "DTEND") == date(2027, 3, 15)
    assert found["DTSTART"].params["VALUE"] == "DATE"
    assert found["DTEND"].params["VALUE"] == "DATE"
    assert found["SUMMARY"] == TITLE
    assert found["DESCRIPTION"] == DESCRIPTION
    assert found["TRANSP"] == "TRANSPARENT"
    assert dt(found, "DTSTAMP") == CREATED
    assert re.fullmatch(r"[0-9a-f]{32}@hmo-appeal-assistant", str(found["UID"]))


def test_all_day_event_is_written_as_bare_dates() -> None:
    text = build_calendar([event(day=date(2027, 12, 31))], CREATED)
    assert "\r\nDTSTART;VALUE=DATE:20271231\r\n" in text
    assert "\r\nDTEND;VALUE=DATE:20280101\r\n" in text
    assert "\r\nDTSTAMP:20261123T153045Z\r\n" in text


@pytest.mark.parametrize(
    ("created", "stamp"),
    [
        (datetime(2026, 11, 23, 15, 30, 45, tzinfo=timezone.utc), "20261123T153045Z"),
        (datetime(2026, 11, 23, 19, 30, tzinfo=timezone(timedelta(hours=-5))), "20261124T003000Z"),
        (
            datetime(2026, 11, 23, 8, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            "20261123T024500Z",
        ),
        (datetime(2026, 11, 23, 0, 0, 0, 999_999, tzinfo=timezone.utc), "20261123T000000Z"),
        (datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))), "20251231T233000Z"),
    ],
)
def test_dtstamp_is_utc(created: datetime, stamp: str) -> None:
    text = build_calendar([event()], created)
    assert f"\r\nDTSTAMP:{stamp}\r\n" in text
    assert dt(only_event([event()], created), "DTSTAMP") == created.replace(microsecond=0)


def test_events_are_sorted_by_day_and_keep_their_order_within_a_day() -> None:
    events = [
        event(uid_seed="c", day=date(2027, 6, 1), title="third"),
        event(uid_seed="a", day=date(2027, 1, 5), title="first"),
        event(uid_seed="b1", day=date(2027, 3, 14), title="second, listed first"),
        event(uid_seed="b2", day=date(2027, 3, 14), title="second, listed second"),
    ]
    found = vevents(parse(build_calendar(events, CREATED)))
    assert [item["SUMMARY"] for item in found] == [
        "first",
        "second, listed first",
        "second, listed second",
        "third",
    ]
    assert [dt(item, "DTSTART") for item in found] == sorted(e.day for e in events)


def test_same_input_gives_the_same_file() -> None:
    events = [event(uid_seed="a", day=date(2027, 1, 5)), event()]
    assert build_calendar(events, CREATED) == build_calendar(list(reversed(events)), CREATED)


# --- text: escaping, hostile input -------------------------------------------------------

HOSTILE = [
    "commas, commas, commas",
    "semi;colons;everywhere;",
    "back\\slash \\ and \\\\ double, and \\n \\N \\, \\; literally",
    "ends with a backslash \\",
    "line one\nline two\n\nline four\n",
    "windows\r\nline\r\nbreaks",
    "old mac\rline breaks",
    "colons: in: the: value:",
    "quotes \"double\" and 'single'",
    "tab\tseparated\tvalues",
    "  leading and trailing spaces  ",
    "emoji 🙂📄🙏 and a family 👨‍👩‍👧‍👦 and a flag 🇺🇸",
    "right to left: اعتراض على القرار — ערעור על ההחלטה",
    "\u202eoverride\u202c and \u200fmark\u200e",
    "<script>alert('x')</script><b>bold</b>&amp;",
    "中文 日本語 한국어 Ελληνικά Русский",
    "combining: e\u0301 a\u0308 n\u0303",
    "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "END:VCALENDAR",
    "",
    " ",
    "a" * 5000,
    "é" * 5000,
    "🙂" * 5000,
    ("Call 1-800-555-0199, then write; keep copies.\n" * 120)[:5000],
    "mixed " + "aé中🙂\\,;\n" * 700,
]
HOSTILE_IDS = [repr(text[:30]) + f"..{len(text)}" for text in HOSTILE]


@pytest.mark.parametrize("text", HOSTILE, ids=HOSTILE_IDS)
def test_hostile_description_round_trips(text: str) -> None:
    found = only_event([event(description=text)])
    assert found["DESCRIPTION"] == as_read(text)
    assert found["SUMMARY"] == TITLE


@pytest.mark.parametrize("text", HOSTILE, ids=HOSTILE_IDS)
def test_hostile_title_round_trips_into_summary_and_alarms(text: str) -> None:
    found = only_event([event(day=LONG_AHEAD, title=text)])
    assert found["SUMMARY"] == as_read(text)
    descriptions = [alarm["DESCRIPTION"] for alarm in found.walk("VALARM")]
    assert descriptions == [
        f"In 14 days: {as_read(text)}",
        f"In 7 days: {as_read(text)}",
        f"Tomorrow: {as_read(text)}",
    ]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),
        ("a:b", "a:b"),
        ('a"b', 'a"b'),
        ("a\tb", "a\tb"),
        ("\\n", "\\\\n"),
    ],
)
def test_text_is_escaped_per_rfc_5545(text: str, escaped: str) -> None:
    unfolded = unfold(build_calendar([event(description=text)], CREATED))
    assert f"\r\nDESCRIPTION:{escaped}\r\n" in unfolded


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("nul\x00byte", "nulbyte"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("bell\x07", "bell"),
        ("delete\x7f", "delete"),
        ("next line\x85", "next line"),
        ("form\x0cfeed and vertical\x0btab", "formfeed and verticaltab"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
    ],
)
def test_control_characters_are_stripped(text: str, kept: str) -> None:
    text_out = build_calendar([event(title=text, description=text)], CREATED)
    assert as_read(text) == kept
    found = only_event([event(title=text, description=text)])
    assert found["DESCRIPTION"] == kept
    assert found["SUMMARY"] == kept
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text_out)


def test_injected_lines_stay_inside_the_description() -> None:
    text = "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:injected\nEND:VEVENT"
    calendar = parse(build_calendar([event(description=text)], CREATED))
    [found] = vevents(calendar)
    assert found["DESCRIPTION"] == text


# --- the physical lines ------------------------------------------------------------------


def assert_well_formed(text: str) -> None:
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    lines = raw[:-2].split(b"\r\n")
    for number, line in enumerate(lines):
        assert 0 < len(line) <= 75, (number, line)
        line.decode("utf-8")  # a fold never splits a character
        if number + 1 < len(lines) and lines[number + 1].startswith(b" "):
            # a fold never splits an escape such as \n: the trailing backslashes pair up
            trailing = len(line) - len(line.rstrip(b"\\"))
            assert trailing % 2 == 0, (number, line)
    for content_line in unfold(text).split("\r\n")[:-1]:
        assert re.match(r"[A-Z-]+[;:]", content_line), content_line


@pytest.mark.parametrize("text", HOSTILE, ids=HOSTILE_IDS)
def test_lines_are_crlf_and_folded_at_75_octets(text: str) -> None:
    assert_well_formed(build_calendar([event(title=text, description=text)], CREATED))


@pytest.mark.parametrize("length", range(60, 160))
def test_folding_at_every_boundary(length: int) -> None:
    for unit in ("a", "é", "中", "🙂", "\\", ",", "\n", "a\\"):
        text = (unit * length)[:length]
        output = build_calendar([event(description=text)], CREATED)
        assert_well_formed(output)
        assert only_event([event(description=text)])["DESCRIPTION"] == text


def test_fold_uses_a_single_space_and_fills_lines() -> None:
    output = build_calendar([event(description="a" * 200)], CREATED)
    lines = output.split("\r\n")
    start = lines.index("DESCRIPTION:" + "a" * 63)
    lines = lines[start : start + 4]
    assert lines == [
        "DESCRIPTION:" + "a" * 63,
        " " + "a" * 74,
        " " + "a" * 63,
        "TRANSP:TRANSPARENT",
    ]


@settings(max_examples=300, deadline=None)
@given(title=HOSTILE_TEXT, description=HOSTILE_TEXT)
def test_any_text_round_trips(title: str, description: str) -> None:
    output = build_calendar([event(day=LONG_AHEAD, title=title, description=description)], CREATED)
    assert_well_formed(output)
    [found] = vevents(parse(output))
    assert found["SUMMARY"] == as_read(title)
    assert found["DESCRIPTION"] == as_read(description)
    assert [alarm["DESCRIPTION"] for alarm in found.walk("VALARM")][-1] == (
        f"Tomorrow: {as_read(title)}"
    )


# --- reminders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ahead", "reminders", "expected"),
    [
        (100, (14, 7, 1), [14, 7, 1]),
        (14, (14, 7, 1), [14, 7, 1]),
        (13, (14, 7, 1), [7, 1]),
        (7, (14, 7, 1), [7, 1]),
        (6, (14, 7, 1), [1]),
        (1, (14, 7, 1), [1]),
        (0, (14, 7, 1), []),
        (0, (0,), [0]),
        (-1, (14, 7, 1, 0), []),
        (-400, (14, 7, 1, 0), []),
        (30, (1, 14, 7), [14, 7, 1]),
        (30, (7, 7, 1, 1), [7, 1]),
        (30, (), []),
        (30, (30, 0), [30, 0]),
        (30, (31, 10**9), []),
    ],
)
def test_reminders_in_the_past_are_left_out(
    days_ahead: int, reminders: tuple[int, ...], expected: list[int]
) -> None:
    found = only_event([event(day=TODAY + timedelta(days=days_ahead), reminders=reminders)])
    assert alarm_days(found) == expected
    for alarm in found.walk("VALARM"):
        assert alarm["ACTION"] == "DISPLAY"
        assert TITLE in str(alarm["DESCRIPTION"])


def test_alarm_wording_and_triggers() -> None:
    text = unfold(build_calendar([event(day=LONG_AHEAD, reminders=(14, 1, 0))], CREATED))
    alarms = re.findall(r"BEGIN:VALARM\r\n(.*?)END:VALARM\r\n", text, re.DOTALL)
    assert alarms == [
        f"ACTION:DISPLAY\r\nDESCRIPTION:In 14 days: {TITLE}\r\nTRIGGER:-P14D\r\n",
        f"ACTION:DISPLAY\r\nDESCRIPTION:Tomorrow: {TITLE}\r\nTRIGGER:-P1D\r\n",
        f"ACTION:DISPLAY\r\nDESCRIPTION:Today: {TITLE}\r\nTRIGGER:PT0S\r\n",
    ]


def test_past_reminders_count_from_the_date_where_created_is() -> None:
    # 23:30 on the 23rd in California is already the 24th in UTC: the member's today is the 23rd.
    late_evening = datetime(2026, 11, 23, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    found = only_event([event(day=TODAY + timedelta(days=7))], late_evening)
    assert alarm_days(found) == [7, 1]
    assert dt(found, "DTSTAMP") == datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc)


@given(
    today=SENSIBLE_DATES,
    days_ahead=st.integers(-60, 60),
    reminders=st.lists(st.integers(0, 90), max_size=6).map(tuple),
    tz=OFFSETS,
)
def test_alarms_never_fall_before_today(
    today: date, days_ahead: int, reminders: tuple[int, ...], tz: timezone
) -> None:
    created = datetime(today.year, today.month, today.day, 12, tzinfo=tz)
    day = today + timedelta(days=days_ahead)
    found = only_event([event(day=day, reminders=reminders)], created)
    kept = alarm_days(found)
    assert kept == sorted({n for n in reminders if day - timedelta(days=n) >= today}, reverse=True)
    assert dt(found, "DTSTART") == day
    assert dt(found, "DTEND") == day + timedelta(days=1)


# --- UIDs --------------------------------------------------------------------------------


def uid_of(seed: str, **changes: Any) -> str:
    found = only_event([dataclasses.replace(event(uid_seed=seed), **changes)])
    return str(found["UID"])


def test_uid_is_pinned() -> None:
    # Changing how UIDs are made would duplicate every event a member already imported.
    assert uid_of(SEED) == "472112e2667fa1fa6f1a8531d6192e0d@hmo-appeal-assistant"


def test_same_seed_same_uid_whatever_else_changes() -> None:
    first = uid_of(SEED)
    assert (
        uid_of(SEED, title="A new title", description="New text", reminders_days_before=()) == first
    )
    assert uid_of(SEED, day=date(2027, 4, 1)) == first
    other_time = datetime(2030, 1, 1, tzinfo=timezone(timedelta(hours=3)))
    assert only_event([event()], other_time)["UID"] == first


@pytest.mark.parametrize(
    "other",
    [
        "internal_appeal:2027-03-15",
        "external_review:2027-03-14",
        "Internal_appeal:2027-03-14",
        "internal_appeal:2027-03-14 ",
        "internal_appeal:2027-03-1",
    ],
)
def test_different_seed_different_uid(other: str) -> None:
    assert uid_of(other) != uid_of(SEED)


@given(
    seeds=st.lists(st.text(ANY_CHAR, min_size=1, max_size=60), min_size=1, max_size=8, unique=True)
)
def test_uids_are_distinct_and_stable(seeds: list[str]) -> None:
    seeds = seeds or ["only"]
    events = [event(uid_seed=seed) for seed in seeds]
    found = vevents(parse(build_calendar(events, CREATED)))
    uids = [str(item["UID"]) for item in found]
    assert len(set(uids)) == len(seeds)
    again = vevents(parse(build_calendar(list(reversed(events)), CREATED)))
    assert sorted(str(item["UID"]) for item in again) == sorted(uids)


# --- what is refused ---------------------------------------------------------------------


@pytest.mark.parametrize("events", [[], ()])
def test_no_events_is_an_error(events: Sequence[CalendarEvent]) -> None:
    with pytest.raises(ValueError, match="no events"):
        build_calendar(events, CREATED)


def test_naive_created_is_an_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_calendar([event()], datetime(2026, 11, 23, 15, 30))


def test_duplicate_seeds_are_an_error() -> None:
    with pytest.raises(ValueError, match="uid_seed"):
        build_calendar([event(), event(day=date(2027, 4, 1))], CREATED)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"uid_seed": ""}, "uid_seed"),
        ({"reminders": (7, -1)}, "negative"),
        ({"day": date.max}, "before 9999-12-31"),
    ],
)
def test_bad_events_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event(**changes)  # type: ignore[arg-type]


def test_events_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        event().title = "changed"  # type: ignore[misc]
