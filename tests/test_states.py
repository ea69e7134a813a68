"""Reading a member's state from an answer, and spotting one inside another message."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal.states import (
    Jurisdiction,
    StateParse,
    all_jurisdictions,
    find_state_in_sentence,
    jurisdiction,
    parse_state_answer,
)

JURISDICTIONS = all_jurisdictions()
CODES = frozenset(place.code for place in JURISDICTIONS)
# Answers that name a place but cannot be settled without asking which one.
AMBIGUOUS_NAMES = {"Washington": ("WA", "DC")}
AMBIGUOUS_CODES = {"LA": ("LA", "CA")}  # Louisiana, or Los Angeles?
INTERJECTIONS = {"hi", "ok", "oh"}
BAD_INPUTS = [
    None,
    "",
    "   ",
    "😀😀",
    "<script>alert('Ohio')</script>",
    "x" * 20_000,
    "أنا أعيش هنا",
    "\u202e\u200b",
    "我住在这里",
    "?",
]
NOTHING = StateParse(None)


def test_the_51_jurisdictions_are_loaded() -> None:
    assert len(JURISDICTIONS) == 51
    assert len(CODES) == 51
    assert jurisdiction("DC") == Jurisdiction("DC", "District of Columbia")


@pytest.mark.parametrize("code", ["PR", "GU", "XX", "", "California", "ca", " CA ", "ok"])
def test_jurisdiction_rejects_anything_but_an_exact_code(code: str) -> None:
    with pytest.raises(KeyError):
        jurisdiction(code)


@pytest.mark.parametrize("place", JURISDICTIONS, ids=lambda place: place.code)
def test_every_name_round_trips(place: Jurisdiction) -> None:
    expected = _expected(place.code, AMBIGUOUS_NAMES.get(place.name))
    for typed in (place.name, place.name.upper(), place.name.lower()):
        assert parse_state_answer(typed) == expected, typed
    assert parse_state_answer(f"I live in {place.name}") == expected


@pytest.mark.parametrize("place", JURISDICTIONS, ids=lambda place: place.code)
def test_every_code_round_trips(place: Jurisdiction) -> None:
    code = place.code
    expected = _expected(code, AMBIGUOUS_CODES.get(code))
    assert parse_state_answer(code) == expected
    assert parse_state_answer(f"{code[0]}.{code[1]}.") == expected
    lower = code.lower()
    assert parse_state_answer(lower) == (NOTHING if lower in INTERJECTIONS else expected)


def _expected(code: str, candidates: tuple[str, ...] | None) -> StateParse:
    return StateParse(None, candidates) if candidates else StateParse(code)


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("I live in new york", "NY"),
        ("we're in the state of Ohio", "OH"),
        ("ny state", "NY"),
        ("New York City", "NY"),
        ("NYC", "NY"),
        ("Los Angeles", "CA"),
        ("Los Angeles, California", "CA"),
        ("LA, CA", "CA"),
        ("Chicago", "IL"),
        ("I'm in Texas, Houston area", "TX"),
        ("Calif", "CA"),
        ("Mass", "MA"),
        ("Penn", "PA"),
        ("Fla", "FL"),
        ("Wash DC", "DC"),
        ("Washington, D.C.", "DC"),
        ("D.C.", "DC"),
        ("Washington state", "WA"),
        ("Portland, OR", "OR"),
        ("Kansas City, MO", "MO"),
        ("I'm in PA", "PA"),
        ("live in TN", "TN"),
        ("i live in NC", "NC"),
        ("I'm in ca", "CA"),
        ("IN", "IN"),
        ("OK", "OK"),
        ("HI", "HI"),
        ("we just moved to Virginia", "VA"),
        ("not Ohio, Texas", "TX"),
        ("Virginia, not West Virginia", "VA"),
        ("I moved from Puerto Rico to Florida", "FL"),
        ("Hawaiʻi", "HI"),
        ("Nueva York", "NY"),
        ("vivo en Texas", "TX"),
        ("<b>Ohio</b>", "OH"),
        ("O\u200bhio", "OH"),
        ("ＯＨＩＯ", "OH"),
    ],
)
def test_answers_naming_one_state(answer: str, code: str) -> None:
    assert parse_state_answer(answer) == StateParse(code)


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("Virginia", "VA"),
        ("virginia", "VA"),
        ("West Virginia", "WV"),
        ("W. Va.", "WV"),
        ("I live in Virginia", "VA"),
        ("I live in West Virginia", "WV"),
        ("Virgina", "VA"),
        ("West Virgina", "WV"),
        ("westvirginia", "WV"),
    ],
)
def test_virginia_and_west_virginia_never_mix(answer: str, code: str) -> None:
    assert parse_state_answer(answer) == StateParse(code)


@pytest.mark.parametrize(
    ("typo", "code"),
    [
        ("Californa", "CA"),
        ("Pensylvania", "PA"),
        ("Masachusetts", "MA"),
        ("Massachusets", "MA"),
        ("Conneticut", "CT"),
        ("Missisippi", "MS"),
        ("Tennesee", "TN"),
        ("Illinios", "IL"),
        ("Lousiana", "LA"),
        ("Kentuky", "KY"),
        ("Arkansaw", "AR"),
        ("texsa", "TX"),
        ("Ohoi", "OH"),
        ("newyork", "NY"),
        ("new yrok", "NY"),
        ("I live in Floirda", "FL"),
    ],
)
def test_typos(typo: str, code: str) -> None:
    assert parse_state_answer(typo) == StateParse(code)


@pytest.mark.parametrize(
    ("answer", "candidates"),
    [
        ("LA", ("LA", "CA")),
        ("la", ("LA", "CA")),
        ("L.A.", ("LA", "CA")),
        ("Washington", ("WA", "DC")),
        ("I live in Washington", ("WA", "DC")),
        ("Carolina", ("NC", "SC")),
        ("Dakota", ("ND", "SD")),
        ("Portland", ("OR", "ME")),
        ("Kansas City", ("MO", "KS")),
        ("Ohio or Texas", ("OH", "TX")),
    ],
)
def test_ambiguous_answers_return_candidates(answer: str, candidates: tuple[str, ...]) -> None:
    parsed = parse_state_answer(answer)
    assert parsed == StateParse(None, candidates)
    assert parsed.ambiguous
    assert not parsed.matched


@pytest.mark.parametrize(
    ("answer", "territory"),
    [
        ("Puerto Rico", "Puerto Rico"),
        ("I live in puerto rico", "Puerto Rico"),
        ("PR", "Puerto Rico"),
        ("Guam", "Guam"),
        ("US Virgin Islands", "U.S. Virgin Islands"),
        ("American Samoa", "American Samoa"),
        ("Northern Mariana Islands", "Northern Mariana Islands"),
        ("Saipan", "Northern Mariana Islands"),
    ],
)
def test_territories_are_reported_as_unsupported(answer: str, territory: str) -> None:
    parsed = parse_state_answer(answer)
    assert parsed == StateParse(None, unsupported=territory)
    assert not parsed.matched
    assert not parsed.ambiguous


@pytest.mark.parametrize(
    "answer",
    [
        "blah",
        "ok",
        "hi",
        "oh",
        "Hi",
        "me too",
        "or maybe",
        "I'm in a lot of pain",
        "I'm Indian",
        "Mexico",
        "Canada",
        "I used to live in Ohio",
        "not California",
        "main",
        "my insurance",
        *BAD_INPUTS,
    ],
)
def test_answers_without_a_state(answer: str | None) -> None:
    assert parse_state_answer(answer) == NOTHING


def test_a_match_is_neither_ambiguous_nor_unsupported() -> None:
    parsed = parse_state_answer("Ohio")
    assert parsed.matched
    assert not parsed.ambiguous
    assert parsed.unsupported is None


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("actually I'm in Oregon now", "OR"),
        ("I have Medi-Cal in California", "CA"),
        ("no, I'm in Oregon not Ohio", "OR"),
        ("scratch that, it's Florida", "FL"),
        ("fix the state, it should be NJ", "NJ"),
        ("oops I meant TX", "TX"),
        ("that's not right, I live in Nevada", "NV"),
        ("no wait, it's Washington state not DC", "WA"),
        ("I moved to New York City last year", "NY"),
        ("I live in DC", "DC"),
        ("We live in Chicago", "IL"),
    ],
)
def test_find_state_in_sentence(message: str, code: str) -> None:
    assert find_state_in_sentence(message) == code


@pytest.mark.parametrize("place", JURISDICTIONS, ids=lambda place: place.code)
def test_find_state_in_sentence_knows_every_name(place: Jurisdiction) -> None:
    expected = None if place.name in AMBIGUOUS_NAMES else place.code
    assert find_state_in_sentence(f"sorry, I forgot to say I'm in {place.name} now") == expected


@pytest.mark.parametrize(
    "message",
    [
        "I'm in a lot of pain",
        "or maybe",
        "me too",
        "ok",
        "OK",
        "hi",
        "HI there",
        "OK I get it",
        "I live in IN",
        "IN my opinion it was needed",
        "my MD said it was needed",
        "I had a CT scan",
        "the PA at the clinic said no",
        "my VA doctor",
        "I have MS",
        "CO-50 is on my EOB",
        "they found a mass",
        "I was ill",
        "I miss work",
        "I live in LA",
        "I live in Washington",
        "Ohio or Iowa, I'm not sure",
        "oh no I said Ohio but I meant Iowa",
        "I used to live in Ohio",
        "I'm in Puerto Rico",
        "I live in ca",
        *BAD_INPUTS,
    ],
)
def test_find_state_in_sentence_stays_quiet(message: str | None) -> None:
    assert find_state_in_sentence(message) is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parsers_are_total(text: str) -> None:
    parsed = parse_state_answer(text)
    assert parsed.code is None or parsed.code in CODES
    assert set(parsed.candidates) <= CODES
    found = find_state_in_sentence(text)
    assert found is None or found in CODES
