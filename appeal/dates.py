"""Read the date on a denial notice and count appeal deadlines from it.

Members type that date in every shape ("Sept 15", "9/15/26", "two weeks ago"), and every
appeal clock in shared/reference/deadlines.md runs in calendar days or calendar months
from it. Standard library only, so the domain core is testable without Rasa.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

_SCAN_LIMIT = 2000
"""Only this many characters are read: a date answer is short, and a pasted letter prints
its date near the top, so a cap costs nothing and bounds the work on hostile input."""

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBREVIATIONS = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_WEEKDAY_NUMBERS = {name: number for number, name in enumerate(_WEEKDAY_NAMES)}
_WEEKDAY_NUMBERS |= _WEEKDAY_ABBREVIATIONS
_MONTH_WORDS = {name.lower(): number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH_WORDS |= {name[:3]: number for name, number in _MONTH_WORDS.items()} | {"sept": 9}
_FUZZY_MIN_LENGTH = 6
"""Shorter words are matched exactly: one typo away from "march" is "match"."""
_FUZZY_TARGETS = tuple(
    name for name in (*_MONTH_WORDS, *_WEEKDAY_NAMES) if len(name) >= _FUZZY_MIN_LENGTH
)

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
}

_MONTH = "(" + "|".join(name.lower() for name in _MONTH_NAMES) + ")"
_ORDINAL = r"(?:st|nd|rd|th)?"
_NOT_AFTER_NUMBER = r"(?<![\w/.\-])"
_NOT_BEFORE_NUMBER = r"(?![\w/\-]|\.\d)"
_ISO = re.compile(
    rf"{_NOT_AFTER_NUMBER}(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_NOT_BEFORE_NUMBER}", re.ASCII
)
_NUMERIC = re.compile(
    rf"{_NOT_AFTER_NUMBER}(\d{{1,2}})([-/.])(\d{{1,2}})(?:\2(\d{{4}}|\d{{2}}))?{_NOT_BEFORE_NUMBER}",
    re.ASCII,
)
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\.?,?\s*(?:the\s+)?(\d{{1,2}}){_ORDINAL}(?![a-z\d])"
    rf"(?:,?\s*(\d{{4}})(?!\d)|,?\s*'(\d{{2}})(?!\d))?",
    re.ASCII,
)
_DAY_MONTH = re.compile(
    rf"{_NOT_AFTER_NUMBER}(\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?{_MONTH}\b\.?(?:,?\s*(\d{{4}})(?!\d))?",
    re.ASCII,
)
_SMALL_NUMBER = r"twenty[\s-]+(?:one|two|three|four|five|six|seven|eight|nine)|" + "|".join(
    sorted(_NUMBER_WORDS, key=len, reverse=True)
)
_AGO = re.compile(
    rf"\b(\d{{1,3}}|a\s+couple(?:\s+of)?|couple(?:\s+of)?|a\s+few|few|{_SMALL_NUMBER}|an?)"
    r"\s+(day|week|wk|month|mo|year|yr)s?\s+ago\b",
    re.ASCII,
)
_WEEK_OR_MONTH = re.compile(r"\b(last|past|next)\s+(week|month)\b", re.ASCII)
_WEEKDAY = re.compile(
    r"\b(?:(last|past|next|on)\s+)?("
    + "|".join((*_WEEKDAY_NAMES, *sorted(_WEEKDAY_ABBREVIATIONS, key=len, reverse=True)))
    + r")\b",
    re.ASCII,
)
_DAY_WORD = re.compile(r"\b(?:(day\s+before\s+)?yesterday|today|tomorrow)\b", re.ASCII)
_HEDGE_BEFORE = re.compile(
    r"\b(?:about|around|roughly|approximately|maybe|probably|almost|nearly|sometime)"
    r"\s+(?:on\s+|the\s+)?$",
    re.ASCII,
)
_HEDGE_AFTER = re.compile(r"\s*(?:,\s*)?or\s+so\b", re.ASCII)

_EXPLICIT, _IMPOSSIBLE_EXPLICIT, _RELATIVE, _TODAY = range(4)
"""Preference when a message holds several dates: the notice's printed date beats a story
about when the letter arrived, and a bare "today" is usually about now, not the letter."""


class DateStatus(str, Enum):
    """What the assistant can do with the member's answer."""

    OK = "ok"
    FUTURE = "future"
    TOO_OLD = "too_old"
    IMPOSSIBLE = "impossible"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class DateReading:
    """A date read from member text; `detail` explains IMPOSSIBLE or shows a FUTURE/TOO_OLD date."""

    status: DateStatus
    value: date | None
    approximate: bool = False
    detail: str = ""


@dataclass(frozen=True)
class _Candidate:
    """One date expression found in the text; `value` is None when it names no real day."""

    start: int
    end: int
    rank: int
    value: date | None
    approximate: bool = False
    reason: str = ""


def parse_notice_date(text: str | None, today: date, max_age_days: int = 3 * 366) -> DateReading:
    """Read the date printed on a denial notice from a member's free-text answer.

    `today` comes from the caller so that answers are reproducible and testable. Never raises:
    a bad answer becomes UNREADABLE so the dialogue can simply ask again.
    """
    if not isinstance(text, str):
        return DateReading(DateStatus.UNREADABLE, None)
    scanned = unicodedata.normalize("NFKC", text[:_SCAN_LIMIT]).lower()
    scanned = re.sub(r"[a-z]+", _canonical_word, scanned.replace("’", "'").replace("‘", "'"))
    try:
        candidates = [*_explicit_candidates(scanned, today), *_relative_candidates(scanned, today)]
    except (ValueError, OverflowError):  # only when `today` sits at the edge of the calendar
        return DateReading(DateStatus.UNREADABLE, None)
    if not candidates:
        return DateReading(DateStatus.UNREADABLE, None)
    best = min(candidates, key=lambda candidate: (candidate.rank, candidate.start))
    if best.value is None:
        return DateReading(DateStatus.IMPOSSIBLE, None, detail=best.reason)
    approximate = best.approximate or _is_hedged(scanned, best)
    if best.value > today:
        status = DateStatus.FUTURE
    elif (today - best.value).days > max_age_days:
        status = DateStatus.TOO_OLD
    else:
        return DateReading(DateStatus.OK, best.value, approximate)
    return DateReading(status, best.value, approximate, format_date(best.value))


def add_days(start: date, days: int) -> date:
    """Count calendar days, the unit of nearly every appeal deadline."""
    return start + timedelta(days=days)


def add_calendar_months(start: date, months: int) -> date:
    """Same day number `months` later; with no such day, the 1st of the month after.

    This is the counting of 45 CFR 147.136(d)(2)(i) for the 4-month external-review window:
    Oct 31 + 4 months is Mar 1, not the end of February.
    """
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    month = month_index + 1
    if start.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, start.day)
    return date(year + month // 12, month % 12 + 1, 1)


@functools.cache
def us_federal_holidays(year: int) -> frozenset[date]:
    """Legal public holidays of 5 U.S.C. 6103(a) falling in `year`, with their observed days.

    A holiday on a Saturday is observed the Friday before (6103(b)); one on a Sunday, the
    Monday after (Executive Order 11582). Both the legal date and the observed day are
    included, so New Year's Day of `year + 1` can put December 31 in this set. Uses the
    list as it stands since Juneteenth was added (2021); Inauguration Day (6103(c)) is left
    out because it closes offices only around Washington, D.C.
    """
    legal_days = (
        date(year, 1, 1),
        _nth_weekday(year, 1, calendar.MONDAY, 3),
        _nth_weekday(year, 2, calendar.MONDAY, 3),
        _last_weekday(year, 5, calendar.MONDAY),
        date(year, 6, 19),
        date(year, 7, 4),
        _nth_weekday(year, 9, calendar.MONDAY, 1),
        _nth_weekday(year, 10, calendar.MONDAY, 2),
        date(year, 11, 11),
        _nth_weekday(year, 11, calendar.THURSDAY, 4),
        date(year, 12, 25),
        date(year + 1, 1, 1),
    )
    days = {day for legal in legal_days for day in (legal, _observed(legal))}
    return frozenset(day for day in days if day.year == year)


def next_business_day(d: date) -> date:
    """Move a deadline that lands on a weekend or federal holiday to the next business day."""
    while d.weekday() >= calendar.SATURDAY or d in us_federal_holidays(d.year):
        d += timedelta(days=1)
    return d


def format_date(d: date) -> str:
    """Spell a date the way US letters do ("March 14, 2027"), independent of the locale."""
    return f"{_MONTH_NAMES[d.month - 1]} {d.day}, {d.year}"


def days_until(target: date, today: date) -> int:
    """Days left before `target` (negative once it has passed)."""
    return (target - today).days


def _canonical_word(match: re.Match[str]) -> str:
    """Spell month and weekday words one way, forgiving one typo in longer words."""
    word = match.group()
    if word in _MONTH_WORDS:
        return _MONTH_NAMES[_MONTH_WORDS[word] - 1].lower()
    if len(word) < _FUZZY_MIN_LENGTH:
        return word
    return next((name for name in _FUZZY_TARGETS if _within_one_edit(word, name)), word)


def _within_one_edit(word: str, target: str) -> bool:
    """One wrong, missing, extra or swapped letter ("febuary", "setpember", "wednsday")."""
    if len(word) == len(target):
        differences = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(differences) <= 1:
            return True
        first, second = differences[0], differences[-1]
        return (
            len(differences) == 2
            and second == first + 1
            and (word[first], word[second]) == (target[second], target[first])
        )
    if abs(len(word) - len(target)) != 1:
        return False
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _explicit_candidates(text: str, today: date) -> list[_Candidate]:
    """Dates written with a month and day: ISO, US numeric, or a month name."""
    found: list[tuple[re.Match[str], date | str]] = []
    for match in _ISO.finditer(text):
        year, _, month, day = match.groups()
        found.append((match, _calendar_date(int(year), int(month), int(day), today)))
    for match in _NUMERIC.finditer(text):
        first, separator, second, year = match.groups()
        if year is None and separator != "/":  # "9.15" is a price, "9-15" a range
            continue
        month, day = int(first), int(second)
        if month > 12 and day > 12:
            found.append((match, f"there is no month {month} or {day}"))
            continue
        if month > 12:
            month, day = day, month
        found.append((match, _calendar_date(_full_year(year), month, day, today)))
    for match in _MONTH_DAY.finditer(text):
        month_name, day, year, short_year = match.groups()
        month = _MONTH_WORDS[month_name]
        found.append(
            (match, _calendar_date(_full_year(year or short_year), month, int(day), today))
        )
    for match in _DAY_MONTH.finditer(text):
        day, month_name, year = match.groups()
        month = _MONTH_WORDS[month_name]
        found.append((match, _calendar_date(_full_year(year), month, int(day), today)))
    return [
        _Candidate(*match.span(), _IMPOSSIBLE_EXPLICIT, None, reason=value)
        if isinstance(value, str)
        else _Candidate(*match.span(), _EXPLICIT, value)
        for match, value in found
    ]


def _relative_candidates(text: str, today: date) -> list[_Candidate]:
    """Dates told relative to today: "two weeks ago", "last Monday", "yesterday"."""
    candidates = []
    for match in _AGO.finditer(text):
        quantity, unit = match.groups()
        amount, approximate = _quantity(quantity)
        if unit in ("day", "week", "wk"):
            value = today - timedelta(days=amount * (1 if unit == "day" else 7))
        else:
            value = _shift_months_clamped(today, -amount * (1 if unit in ("month", "mo") else 12))
        candidates.append(_Candidate(*match.span(), _RELATIVE, value, approximate))
    for match in _WEEK_OR_MONTH.finditer(text):
        direction, unit = match.groups()
        sign = 1 if direction == "next" else -1
        value = (
            today + timedelta(days=7 * sign)
            if unit == "week"
            else _shift_months_clamped(today, sign)
        )
        candidates.append(_Candidate(*match.span(), _RELATIVE, value, approximate=True))
    for match in _WEEKDAY.finditer(text):
        direction, name = match.groups()
        if name in _WEEKDAY_ABBREVIATIONS and direction is None:  # bare "sat", "sun", "wed"
            continue
        weekday = _WEEKDAY_NUMBERS[name]
        if direction == "next":
            value = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        else:
            value = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        candidates.append(_Candidate(*match.span(), _RELATIVE, value))
    for match in _DAY_WORD.finditer(text):
        word = match.group().split()[-1]
        if word == "today":
            candidates.append(_Candidate(*match.span(), _TODAY, today))
            continue
        offset = {"yesterday": -1, "tomorrow": 1}[word] - (1 if match.group(1) else 0)
        candidates.append(_Candidate(*match.span(), _RELATIVE, today + timedelta(days=offset)))
    return candidates


def _calendar_date(year: int | None, month: int, day: int, today: date) -> date | str:
    """The real date for these parts, or a short reason why there is none."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    name = _MONTH_NAMES[month - 1]
    if day == 0:
        return "there is no day 0"
    if year == 0:
        return "there is no year 0"
    if year is None:
        longest = calendar.monthrange(2024, month)[1]  # a leap year: every day that can exist
        if day > longest:
            return f"{name} has {'at most' if month == 2 else 'only'} {longest} days"
        return _most_recent(month, day, today)
    length = calendar.monthrange(year, month)[1]
    if day > length:
        return f"{name} has only {length} days" + (f" in {year}" if month == 2 else "")
    return date(year, month, day)


def _most_recent(month: int, day: int, today: date) -> date:
    """A date given without a year is the last one not after today (Feb 29 may be years back)."""
    year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    while day > calendar.monthrange(year, month)[1]:
        year -= 1
    return date(year, month, day)


def _shift_months_clamped(start: date, months: int) -> date:
    """Calendar-month shift that clamps to the month's end.

    "A month ago" on March 31 means late February; the deadline rule of
    add_calendar_months would jump to March 1 instead.
    """
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    day = min(start.day, calendar.monthrange(year, month_index + 1)[1])
    return date(year, month_index + 1, day)


def _quantity(text: str) -> tuple[int, bool]:
    """The number in "two weeks ago"; vague words ("a few", "a couple") are approximate."""
    if text.isdigit():
        return int(text), False
    if "couple" in text:
        return 2, True
    if "few" in text:
        return 3, True
    if text in ("a", "an"):
        return 1, False
    return sum(_NUMBER_WORDS[part] for part in re.split(r"[\s-]+", text)), False


def _full_year(text: str | None) -> int | None:
    """Two-digit years are this century: notices are recent."""
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _is_hedged(text: str, candidate: _Candidate) -> bool:
    """Words like "about" or "or so" mean the member is unsure of the exact day."""
    before = text[max(0, candidate.start - 30) : candidate.start]
    return bool(_HEDGE_BEFORE.search(before) or _HEDGE_AFTER.match(text, candidate.end))


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(holiday: date) -> date:
    """Saturday holidays move to Friday, Sunday holidays to Monday."""
    if holiday.weekday() == calendar.SATURDAY:
        return holiday - timedelta(days=1)
    if holiday.weekday() == calendar.SUNDAY:
        return holiday + timedelta(days=1)
    return holiday
