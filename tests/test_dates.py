"""Tests for appeal.dates: reading the notice date and counting deadlines from it."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal.dates import (
    DateReading,
    DateStatus,
    add_calendar_months,
    add_days,
    days_until,
    format_date,
    next_business_day,
    parse_notice_date,
    us_federal_holidays,
)

TODAY = date(2026, 11, 23)  # a Monday
MAX_AGE = 3 * 366
SENSIBLE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def test_fixed_today_is_a_monday() -> None:
    assert TODAY.strftime("%A") == "Monday"


# --- parse_notice_date: readable answers -------------------------------------------------

READABLE = [
    # month names, abbreviations, dots, ordinals, typos
    ("the letter is dated Sept 15", date(2026, 9, 15)),
    ("Sep. 15th", date(2026, 9, 15)),
    ("September 15, 2026", date(2026, 9, 15)),
    ("SEPTEMBER 15TH, 2026", date(2026, 9, 15)),
    ("15 September 2026", date(2026, 9, 15)),
    ("sept 15 2026", date(2026, 9, 15)),
    ("the 15th of September", date(2026, 9, 15)),
    ("15th of Sept, 2026", date(2026, 9, 15)),
    ("September the 15th", date(2026, 9, 15)),
    ("Sept 15 '26", date(2026, 9, 15)),
    ("Tuesday, September 15, 2026", date(2026, 9, 15)),
    ("setpember 15", date(2026, 9, 15)),
    ("Setember 15", date(2026, 9, 15)),
    ("febuary 3rd", date(2026, 2, 3)),
    ("Feburary 3, 2026", date(2026, 2, 3)),
    ("janurary 2", date(2026, 1, 2)),
    ("Ocotber 1st", date(2026, 10, 1)),
    ("mar 3", date(2026, 3, 3)),
    ("it came May 1", date(2026, 5, 1)),
    ("Aug 31", date(2026, 8, 31)),
    ("<b>Sept 15</b>", date(2026, 9, 15)),
    # numeric, US order unless the first number cannot be a month
    ("9/15/26", date(2026, 9, 15)),
    ("it says 9/15/26 at the top", date(2026, 9, 15)),
    ("09/15/2026", date(2026, 9, 15)),
    ("9-15-2026", date(2026, 9, 15)),
    ("9.15.26", date(2026, 9, 15)),
    ("9/15", date(2026, 9, 15)),
    ("dated 9/15.", date(2026, 9, 15)),
    ("2026-09-15", date(2026, 9, 15)),
    ("2026/9/15", date(2026, 9, 15)),
    ("15/09/2026", date(2026, 9, 15)),
    ("15.9.26", date(2026, 9, 15)),
    ("3/4/2026", date(2026, 3, 4)),
    ("1/2/25", date(2025, 1, 2)),
    # no year: the most recent such date not after today
    ("November 23", date(2026, 11, 23)),
    ("November 24", date(2025, 11, 24)),
    ("Dec 25", date(2025, 12, 25)),
    ("12/31", date(2025, 12, 31)),
    ("Feb 29", date(2024, 2, 29)),
    # relative to today
    ("today", date(2026, 11, 23)),
    ("I got it yesterday", date(2026, 11, 22)),
    ("the day before yesterday", date(2026, 11, 21)),
    ("I got it two weeks ago", date(2026, 11, 9)),
    ("a week ago", date(2026, 11, 16)),
    ("an hour... no, a day ago", date(2026, 11, 22)),
    ("3 days ago", date(2026, 11, 20)),
    ("10 days ago", date(2026, 11, 13)),
    ("twenty-one days ago", date(2026, 11, 2)),
    ("twenty one days ago", date(2026, 11, 2)),
    ("thirty days ago", date(2026, 10, 24)),
    ("2 wks ago", date(2026, 11, 9)),
    ("2 months ago", date(2026, 9, 23)),
    ("a month ago", date(2026, 10, 23)),
    ("a year ago", date(2025, 11, 23)),
    ("last Monday", date(2026, 11, 16)),
    ("on Monday", date(2026, 11, 16)),
    ("monday", date(2026, 11, 16)),
    ("this past friday", date(2026, 11, 20)),
    ("last sunday", date(2026, 11, 22)),
    ("last wed", date(2026, 11, 18)),
    ("on Tues", date(2026, 11, 17)),
    ("wednsday", date(2026, 11, 18)),
    # the printed date wins over when it arrived; a real date wins over a slip
    ("I got it two weeks ago but it is dated Nov 2", date(2026, 11, 2)),
    ("today I looked at it, it came 3 days ago", date(2026, 11, 20)),
    ("February 30, sorry, March 2", date(2026, 3, 2)),
    ("9/15/26 " + "x" * 20_000, date(2026, 9, 15)),
]


@pytest.mark.parametrize(("text", "expected"), READABLE, ids=[text[:40] for text, _ in READABLE])
def test_reads_exact_date(text: str, expected: date) -> None:
    assert parse_notice_date(text, TODAY) == DateReading(DateStatus.OK, expected)


APPROXIMATE = [
    ("a couple of weeks ago", date(2026, 11, 9)),
    ("a couple weeks ago", date(2026, 11, 9)),
    ("couple of days ago", date(2026, 11, 21)),
    ("a few days ago", date(2026, 11, 20)),
    ("few weeks ago", date(2026, 11, 2)),
    ("last week", date(2026, 11, 16)),
    ("this past week", date(2026, 11, 16)),
    ("last month", date(2026, 10, 23)),
    ("about two weeks ago", date(2026, 11, 9)),
    ("maybe Sept 15", date(2026, 9, 15)),
    ("Sept 15 or so", date(2026, 9, 15)),
    ("around the 15th of September", date(2026, 9, 15)),
]


@pytest.mark.parametrize(("text", "expected"), APPROXIMATE, ids=[text for text, _ in APPROXIMATE])
def test_vague_answers_are_marked_approximate(text: str, expected: date) -> None:
    assert parse_notice_date(text, TODAY) == DateReading(DateStatus.OK, expected, approximate=True)


NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "twenty-one",
    "twenty-two",
    "twenty-three",
    "twenty-four",
    "twenty-five",
    "twenty-six",
    "twenty-seven",
    "twenty-eight",
    "twenty-nine",
    "thirty",
]


@pytest.mark.parametrize("days", range(1, 31))
def test_number_words_up_to_thirty(days: int) -> None:
    for text in (f"{NUMBER_WORDS[days - 1]} days ago", f"{days} days ago"):
        assert parse_notice_date(text, TODAY) == DateReading(
            DateStatus.OK, TODAY - timedelta(days=days)
        )


# --- parse_notice_date: answers the assistant must push back on --------------------------

IMPOSSIBLE = [
    ("February 30", "February has at most 29 days"),
    ("Feb 30 2026", "February has only 28 days in 2026"),
    ("Feb 29 2027", "February has only 28 days in 2027"),
    ("2/30/2028", "February has only 29 days in 2028"),
    ("April 31", "April has only 30 days"),
    ("9/31/2026", "September has only 30 days"),
    ("2026-02-30", "February has only 28 days in 2026"),
    ("13/45/2026", "there is no month 13 or 45"),
    ("2026-13-01", "there is no month 13"),
    ("0/12/2026", "there is no month 0"),
    ("Sept 0", "there is no day 0"),
    ("9/15/0000", "there is no year 0"),
    ("the 32nd of May", "May has only 31 days"),
]


@pytest.mark.parametrize(("text", "reason"), IMPOSSIBLE, ids=[text for text, _ in IMPOSSIBLE])
def test_impossible_dates_say_why(text: str, reason: str) -> None:
    assert parse_notice_date(text, TODAY) == DateReading(DateStatus.IMPOSSIBLE, None, detail=reason)


FUTURE = [
    ("December 5, 2026", date(2026, 12, 5)),
    ("1/5/27", date(2027, 1, 5)),
    ("2026-11-24", date(2026, 11, 24)),
    ("9/15/99", date(2099, 9, 15)),
    ("tomorrow", date(2026, 11, 24)),
    ("next friday", date(2026, 11, 27)),
    ("next monday", date(2026, 11, 30)),
]


@pytest.mark.parametrize(("text", "expected"), FUTURE, ids=[text for text, _ in FUTURE])
def test_future_dates(text: str, expected: date) -> None:
    assert parse_notice_date(text, TODAY) == DateReading(
        DateStatus.FUTURE, expected, detail=format_date(expected)
    )


def test_next_week_is_future_and_approximate() -> None:
    assert parse_notice_date("next week", TODAY) == DateReading(
        DateStatus.FUTURE, date(2026, 11, 30), True, "November 30, 2026"
    )


TOO_OLD = [
    ("March 3, 2020", date(2020, 3, 3)),
    ("5/1/2019", date(2019, 5, 1)),
    ("11/20/2023", date(2023, 11, 20)),
    ("Feb 29 2000", date(2000, 2, 29)),
    ("4 years ago", date(2022, 11, 23)),
    ("999 weeks ago", TODAY - timedelta(weeks=999)),
]


@pytest.mark.parametrize(("text", "expected"), TOO_OLD, ids=[text for text, _ in TOO_OLD])
def test_too_old_dates(text: str, expected: date) -> None:
    assert parse_notice_date(text, TODAY) == DateReading(
        DateStatus.TOO_OLD, expected, detail=format_date(expected)
    )


def test_oldest_readable_date_is_max_age_days_back() -> None:
    assert parse_notice_date("11/21/2023", TODAY) == DateReading(DateStatus.OK, date(2023, 11, 21))


def test_max_age_is_the_callers_choice() -> None:
    assert parse_notice_date("October 24, 2026", TODAY, max_age_days=30).status is DateStatus.OK
    assert parse_notice_date("October 23, 2026", TODAY, max_age_days=30) == DateReading(
        DateStatus.TOO_OLD, date(2026, 10, 23), detail="October 23, 2026"
    )


UNREADABLE = [
    "",
    "   ",
    "I don't know",
    "no idea, sorry",
    "🙂📄🙏",
    "<script>alert('x')</script>",
    "<p></p>",
    "x" * 20_000,
    "x" * 20_000 + " 9/15/26",
    "Recibí la carta ayer",
    "15 de septiembre de 2026",
    "我上周收到了信",
    "Получил письмо вчера",
    "my claim number is 4471-22",
    "call 1-888-466-2219",
    "it cost $9.15",
    "9-15 days",
    "10/2026",
    "March 2026",
    "I sat on the porch sun",
    "match 3",
    "remember 5 things",
    "the other day",
]


@pytest.mark.parametrize("text", UNREADABLE, ids=[repr(text[:30]) for text in UNREADABLE])
def test_nothing_date_like_is_unreadable(text: str) -> None:
    assert parse_notice_date(text, TODAY) == DateReading(DateStatus.UNREADABLE, None)


@pytest.mark.parametrize("value", [None, 42, ["9/15/26"], {"date": "9/15/26"}])
def test_non_text_slot_values_are_unreadable(value: Any) -> None:
    assert parse_notice_date(value, TODAY) == DateReading(DateStatus.UNREADABLE, None)


@pytest.mark.parametrize(
    ("text", "today"),
    [("yesterday", date.min), ("a year ago", date(1, 3, 1)), ("tomorrow", date.max)],
)
def test_a_today_at_the_edge_of_the_calendar_does_not_raise(text: str, today: date) -> None:
    assert parse_notice_date(text, today) == DateReading(DateStatus.UNREADABLE, None)


PATHOLOGICAL = [
    "1/" * 10_000,
    "9/15/" * 5_000,
    "1." * 10_000,
    "1-" * 10_000,
    "1 " * 10_000,
    "a " * 10_000,
    " " * 20_000 + "a",
    "sept " * 4_000,
    "sept" + " " * 20_000 + "15",
    "twenty-" * 3_000,
    "a couple of " * 2_000,
    "15th of " * 2_000,
    "ﷺ" * 2_000,
    "september" * 2_000,
    "<" * 20_000,
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=[repr(text[:12]) for text in PATHOLOGICAL])
def test_pathological_input_is_fast(text: str) -> None:
    started = time.perf_counter()
    parse_notice_date(text, TODAY)
    assert time.perf_counter() - started < 1.0


# --- parse_notice_date: properties -------------------------------------------------------

DATE_FORMS: dict[str, Callable[[date], str]] = {
    "spelled": format_date,
    "iso": date.isoformat,
    "us": lambda d: f"{d.month}/{d.day}/{d.year}",
}


@pytest.mark.parametrize("form", DATE_FORMS)
def test_every_date_in_the_window_reads_back_exactly(form: str) -> None:
    write = DATE_FORMS[form]
    misread = {}
    for age in range(MAX_AGE + 1):
        d = TODAY - timedelta(days=age)
        reading = parse_notice_date(write(d), TODAY)
        if reading != DateReading(DateStatus.OK, d):
            misread[write(d)] = reading
    assert misread == {}


@pytest.mark.parametrize(
    "write",
    [lambda d: f"{d.month}/{d.day}", lambda d: format_date(d).removesuffix(f", {d.year}")],
    ids=["9/15", "September 15"],
)
def test_every_date_of_the_past_year_reads_back_without_a_year(
    write: Callable[[date], str],
) -> None:
    misread = {}
    for age in range(365):
        d = TODAY - timedelta(days=age)
        reading = parse_notice_date(write(d), TODAY)
        if reading != DateReading(DateStatus.OK, d):
            misread[write(d)] = reading
    assert misread == {}


@given(d=st.dates(min_value=TODAY + timedelta(days=1)), form=st.sampled_from(sorted(DATE_FORMS)))
def test_future_dates_read_as_future(d: date, form: str) -> None:
    assert parse_notice_date(DATE_FORMS[form](d), TODAY) == DateReading(
        DateStatus.FUTURE, d, detail=format_date(d)
    )


@given(
    d=st.dates(min_value=date(1000, 1, 1), max_value=TODAY - timedelta(days=MAX_AGE + 1)),
    form=st.sampled_from(sorted(DATE_FORMS)),
)
def test_old_dates_read_as_too_old(d: date, form: str) -> None:
    assert parse_notice_date(DATE_FORMS[form](d), TODAY) == DateReading(
        DateStatus.TOO_OLD, d, detail=format_date(d)
    )


@given(
    today=SENSIBLE_DATES,
    weekday=st.sampled_from(range(7)),
    prefix=st.sampled_from(["last ", "on ", "this past ", ""]),
)
def test_weekday_names_mean_the_most_recent_one_before_today(
    today: date, weekday: int, prefix: str
) -> None:
    reading = parse_notice_date(prefix + calendar.day_name[weekday], today, max_age_days=7)
    assert reading.status is DateStatus.OK
    assert reading.value is not None
    assert reading.value.weekday() == weekday
    assert 1 <= (today - reading.value).days <= 7


DATEISH_WORDS = st.sampled_from(
    [
        "sept",
        "feb",
        "15",
        "29",
        "31",
        "0",
        "13",
        "9/15",
        "9/15/26",
        "2026",
        "'26",
        "/",
        "-",
        ".",
        ",",
        "of",
        "the",
        "ago",
        "days",
        "weeks",
        "two",
        "a",
        "few",
        "couple",
        "last",
        "next",
        "monday",
        "yesterday",
        "today",
        "15th",
        "about",
        "or",
        "so",
        "2026-02-30",
    ]
)


@settings(max_examples=300)
@given(
    text=st.one_of(st.text(), st.lists(DATEISH_WORDS, max_size=12).map(" ".join)),
    today=SENSIBLE_DATES,
)
def test_never_raises_and_keeps_its_promises(text: str, today: date) -> None:
    reading = parse_notice_date(text, today)
    assert isinstance(reading, DateReading)
    if reading.status in (DateStatus.UNREADABLE, DateStatus.IMPOSSIBLE):
        assert reading.value is None
    else:
        assert reading.value is not None
    if reading.status is DateStatus.OK:
        assert reading.value is not None
        assert 0 <= (today - reading.value).days <= MAX_AGE
    if reading.status is DateStatus.IMPOSSIBLE:
        assert reading.detail


# --- calendar arithmetic ------------------------------------------------------------------


@given(start=SENSIBLE_DATES, days=st.integers(-100_000, 100_000))
def test_add_days_is_undone_by_subtracting(start: date, days: int) -> None:
    later = add_days(start, days)
    assert add_days(later, -days) == start
    assert days_until(later, start) == days


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 180, date(2027, 5, 22)),
        (date(2026, 11, 23), 60, date(2027, 1, 22)),
        (date(2028, 2, 1), 28, date(2028, 2, 29)),
        (date(2026, 12, 31), 1, date(2027, 1, 1)),
    ],
)
def test_add_days_counts_calendar_days(start: date, days: int, expected: date) -> None:
    assert add_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 10, 31), 4, date(2027, 3, 1)),
        (date(2026, 10, 30), 4, date(2027, 3, 1)),
        (date(2026, 10, 28), 4, date(2027, 2, 28)),
        (date(2026, 11, 23), 4, date(2027, 3, 23)),
        (date(2026, 1, 31), 1, date(2026, 3, 1)),
        (date(2028, 1, 31), 1, date(2028, 3, 1)),
        (date(2028, 1, 29), 1, date(2028, 2, 29)),
        (date(2027, 1, 29), 1, date(2027, 3, 1)),
        (date(2027, 2, 28), 12, date(2028, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 3, 1)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 2, 28), 4, date(2026, 6, 28)),
        (date(2026, 8, 31), 1, date(2026, 10, 1)),
        (date(2026, 8, 31), 4, date(2026, 12, 31)),
        (date(2026, 12, 31), 2, date(2027, 3, 1)),
        (date(2026, 12, 31), 4, date(2027, 5, 1)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 11, 30), 3, date(2027, 3, 1)),
        (date(2026, 9, 15), 0, date(2026, 9, 15)),
    ],
)
def test_add_calendar_months_rolls_missing_days_to_the_next_first(
    start: date, months: int, expected: date
) -> None:
    assert add_calendar_months(start, months) == expected


@given(start=SENSIBLE_DATES, months=st.integers(0, 1200))
def test_add_calendar_months_properties(start: date, months: int) -> None:
    result = add_calendar_months(start, months)
    assert result >= start
    month_distance = (result.year - start.year) * 12 + result.month - start.month
    if result.day == start.day:
        assert month_distance == months
    else:
        target_year, target_index = divmod(start.year * 12 + start.month - 1 + months, 12)
        assert result.day == 1
        assert month_distance == months + 1
        assert start.day > calendar.monthrange(target_year, target_index + 1)[1]


# --- business days and holidays -----------------------------------------------------------

HOLIDAYS_2026 = {
    date(2026, 1, 1),  # New Year's Day, Thursday
    date(2026, 1, 19),  # Birthday of Martin Luther King Jr.
    date(2026, 2, 16),  # Washington's Birthday
    date(2026, 5, 25),  # Memorial Day
    date(2026, 6, 19),  # Juneteenth, Friday
    date(2026, 7, 3),  # Independence Day observed
    date(2026, 7, 4),  # Independence Day, Saturday
    date(2026, 9, 7),  # Labor Day
    date(2026, 10, 12),  # Columbus Day
    date(2026, 11, 11),  # Veterans Day, Wednesday
    date(2026, 11, 26),  # Thanksgiving Day
    date(2026, 12, 25),  # Christmas Day, Friday
}
HOLIDAYS_2027 = {
    date(2027, 1, 1),  # New Year's Day, Friday
    date(2027, 1, 18),  # Birthday of Martin Luther King Jr.
    date(2027, 2, 15),  # Washington's Birthday
    date(2027, 5, 31),  # Memorial Day
    date(2027, 6, 18),  # Juneteenth observed
    date(2027, 6, 19),  # Juneteenth, Saturday
    date(2027, 7, 4),  # Independence Day, Sunday
    date(2027, 7, 5),  # Independence Day observed
    date(2027, 9, 6),  # Labor Day
    date(2027, 10, 11),  # Columbus Day
    date(2027, 11, 11),  # Veterans Day, Thursday
    date(2027, 11, 25),  # Thanksgiving Day
    date(2027, 12, 24),  # Christmas Day observed
    date(2027, 12, 25),  # Christmas Day, Saturday
    date(2027, 12, 31),  # New Year's Day 2028 (a Saturday) observed
}


@pytest.mark.parametrize(("year", "expected"), [(2026, HOLIDAYS_2026), (2027, HOLIDAYS_2027)])
def test_federal_holidays(year: int, expected: set[date]) -> None:
    assert us_federal_holidays(year) == expected


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        (date(2026, 7, 4), "Saturday"),
        (date(2026, 7, 3), "Friday"),
        (date(2026, 1, 19), "Monday"),
        (date(2026, 5, 25), "Monday"),
        (date(2026, 11, 26), "Thursday"),
        (date(2027, 6, 19), "Saturday"),
        (date(2027, 7, 4), "Sunday"),
        (date(2027, 7, 5), "Monday"),
        (date(2027, 5, 31), "Monday"),
        (date(2027, 11, 25), "Thursday"),
        (date(2027, 12, 25), "Saturday"),
        (date(2027, 12, 24), "Friday"),
        (date(2028, 1, 1), "Saturday"),
    ],
)
def test_expected_holiday_weekdays(day: date, weekday: str) -> None:
    assert day.strftime("%A") == weekday


@given(year=st.integers(2021, 2200))
def test_every_year_has_eleven_holidays_on_weekdays(year: int) -> None:
    weekdays = {day for day in us_federal_holidays(year) if day.weekday() < 5}
    new_year_moves_out = date(year, 1, 1).weekday() == calendar.SATURDAY
    next_new_year_moves_in = date(year + 1, 1, 1).weekday() == calendar.SATURDAY
    assert len(weekdays) == 11 - new_year_moves_out + next_new_year_moves_in
    assert all(day.year == year for day in us_federal_holidays(year))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),
        (date(2026, 11, 28), date(2026, 11, 30)),
        (date(2026, 7, 3), date(2026, 7, 6)),
        (date(2026, 7, 4), date(2026, 7, 6)),
        (date(2026, 11, 26), date(2026, 11, 27)),
        (date(2026, 12, 25), date(2026, 12, 28)),
        (date(2027, 1, 18), date(2027, 1, 19)),
        (date(2027, 6, 18), date(2027, 6, 21)),
        (date(2027, 7, 5), date(2027, 7, 6)),
        (date(2027, 12, 24), date(2027, 12, 27)),
        (date(2027, 12, 31), date(2028, 1, 3)),
    ],
)
def test_next_business_day(day: date, expected: date) -> None:
    assert next_business_day(day) == expected


@given(day=st.dates(min_value=date(2021, 1, 1), max_value=date(2200, 12, 31)))
def test_next_business_day_is_the_first_working_day(day: date) -> None:
    result = next_business_day(day)
    assert result >= day
    assert result.weekday() < 5
    assert result not in us_federal_holidays(result.year)
    skipped = [day + timedelta(days=n) for n in range((result - day).days)]
    assert all(d.weekday() >= 5 or d in us_federal_holidays(d.year) for d in skipped)


def test_external_review_deadline_moves_off_a_holiday_weekend() -> None:
    """A notice received March 4, 2026: 4 months is Saturday July 4, so the deadline is July 6."""
    assert next_business_day(add_calendar_months(date(2026, 3, 4), 4)) == date(2026, 7, 6)


# --- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2027, 3, 14), "March 14, 2027"),
        (date(2026, 9, 5), "September 5, 2026"),
        (date(2028, 2, 29), "February 29, 2028"),
    ],
)
def test_format_date(day: date, text: str) -> None:
    assert format_date(day) == text


@pytest.mark.parametrize(
    ("target", "expected"),
    [(date(2026, 11, 23), 0), (date(2027, 3, 23), 120), (date(2026, 11, 1), -22)],
)
def test_days_until(target: date, expected: int) -> None:
    assert days_until(target, TODAY) == expected
