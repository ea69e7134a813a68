"""Cleaning, skip detection and word matching shared by every answer parser."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal import knowledge, vocabulary
from appeal.text import (
    MAX_ANSWER_CHARS,
    Phrase,
    clean_member_text,
    correct_spelling,
    find_mentions,
    find_phrases,
    is_negated,
    is_skip_answer,
    is_unsure,
    pieces_of,
    tokens_of,
    word_meanings,
    words_of,
)

TAG_START = re.compile(r"<[^\W\d_]")

# Pieces that tend to build tags, entities and invisible characters when combined at random.
MARKUP_PIECES = [
    "<", ">", "/", "!", "?", "b", "p", "script", "style", "</", "<!--", "-->", "&lt;", "&gt;",
    "&#60;", "&#x3c;", "&amp;", "&amp;lt;", "＜", "﹤", "\u200b", "\u202e", "\u2066", "\x00",
    "\ufeff", " ", "\n", "Ohio", "ü", "日本", "😀", "\ud800",
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  I live in   Ohio \n", "I live in Ohio"),
        ("<b>Ohio</b>", "Ohio"),
        ("<p>first</p><p>second</p>", "first second"),
        ("<script>alert('x')</script>Texas", "Texas"),
        ("<STYLE>p {color: red}</STYLE>Texas", "Texas"),
        ("Texas<script>alert('never closed')", "Texas"),
        ("<!-- note -->Texas", "Texas"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Texas", "Texas"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("costs &lt; $5", "costs < $5"),
        ("I paid <$500", "I paid <$500"),
        ("<3 thanks", "<3 thanks"),
        ("a<b", "ab"),
        ("<img src=x onerror=alert(1)", "img src=x onerror=alert(1)"),
        ("Oh\u200bio", "Ohio"),
        ("\u202eoihO\u202c", "oihO"),
        ("\ufeffOhio", "Ohio"),
        ("bell\x07 and\x00 null", "bell and null"),
        ("tab\there", "tab here"),
        ("ＯＨＩＯ", "OHIO"),
        ("ﬁle", "file"),
        ("I ❤️ my doctor 😀", "I ❤️ my doctor 😀"),
        ("أعيش في أوهايو", "أعيش في أوهايو"),
        ("vivo en Nueva York", "vivo en Nueva York"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_clean_member_text(raw: str | None, expected: str) -> None:
    assert clean_member_text(raw) == expected


@pytest.mark.parametrize("not_text", [42, b"Ohio", ["Ohio"], {"state": "Ohio"}])
def test_clean_member_text_ignores_what_is_not_text(not_text: object) -> None:
    assert clean_member_text(not_text) == ""  # type: ignore[arg-type]


def test_long_text_is_cut_on_a_word_boundary() -> None:
    cleaned = clean_member_text("word " * 5_000)
    assert len(cleaned) <= MAX_ANSWER_CHARS + 1
    assert cleaned.endswith("word…")


def test_one_huge_word_is_cut_hard() -> None:
    assert clean_member_text("x" * 20_000, max_chars=10) == "x" * 10 + "…"


def test_text_that_fits_is_not_cut() -> None:
    assert clean_member_text("a" * 300) == "a" * 300


@settings(max_examples=300, deadline=None)
@given(
    raw=st.one_of(
        st.text(),
        st.lists(st.sampled_from(MARKUP_PIECES), max_size=40).map("".join),
    ),
    max_chars=st.integers(min_value=1, max_value=400),
)
def test_clean_member_text_is_total_short_and_tag_free(raw: str, max_chars: int) -> None:
    cleaned = clean_member_text(raw, max_chars)
    assert len(cleaned) <= max_chars + 1
    assert not TAG_START.search(cleaned)
    assert cleaned == cleaned.strip()


@pytest.mark.parametrize(
    "answer",
    [
        "skip",
        "Skip!",
        "skip this question",
        "pass",
        "next",
        "I don't know",
        "i dont know",
        "I don’t know.",
        "not sure",
        "I'm not sure",
        "idk",
        "IDK lol",
        "no idea",
        "I have no idea what that means",
        "rather not say",
        "I'd rather not say",
        "n/a",
        "N.A.",
        "unknown",
        "um, I don't know, sorry",
        "honestly no clue",
        "not sure yet",
        "I forget",
        "no sé",
        "idk. skip",
    ],
)
def test_skip_answers(answer: str) -> None:
    assert is_skip_answer(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "I'm not sure it was medically necessary",
        "not sure, maybe Ohio",
        "I don't know why they denied it",
        "next week",
        "skip the MRI",
        "pass me the form",
        "no",
        "yes",
        "ok",
        "Ohio",
        "?",
        "",
        "   ",
        None,
        "😀",
        "<b></b>",
    ],
)
def test_answers_that_are_not_skips(answer: str | None) -> None:
    assert not is_skip_answer(answer)


@pytest.mark.parametrize(
    ("answer", "unsure"),
    [
        ("not sure how urgent it is", True),
        ("I don't know if it counts", True),
        ("no idea", True),
        ("I'm not sure it can wait", False),
        ("not urgent", False),
    ],
)
def test_is_unsure(answer: str, unsure: bool) -> None:
    assert is_unsure(words_of(answer)) is unsure


def test_words_fold_case_accents_and_apostrophes() -> None:
    assert words_of("I DON'T live in Méxíco, Hawaiʻi") == (
        "i", "dont", "live", "in", "mexico", "hawaii",
    )  # fmt: skip


def test_tokens_keep_case_and_join_dotted_abbreviations() -> None:
    assert tokens_of("N.Y. or D.C.?") == ("NY", "or", "DC")


def test_pieces_split_at_punctuation() -> None:
    assert pieces_of("no, I'm in pain. It hurts!") == (
        ("no",),
        ("im", "in", "pain"),
        ("it", "hurts"),
    )


def test_find_phrases_prefers_the_longest_phrase() -> None:
    phrases = {("virginia",), ("west", "virginia")}
    assert find_phrases(("i", "live", "in", "west", "virginia"), phrases) == [(3, 5)]


@pytest.mark.parametrize(
    ("answer", "negated"),
    [
        ("it is not urgent", True),
        ("i dont have pain", True),
        ("no it can wait", False),
        ("it can wait", False),
    ],
)
def test_is_negated(answer: str, negated: bool) -> None:
    words = words_of(answer)
    assert is_negated(words, len(words) - 1) is negated


def test_find_mentions_keeps_clauses_apart() -> None:
    phrases: dict[Phrase, str] = {("through", "my", "job"): "job"}
    assert find_mentions(pieces_of("no, it's through my job"), phrases)[0].negated is False
    assert find_mentions(pieces_of("not through my job"), phrases)[0].negated is True


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("referal", "referral"),
        ("medicaide", "medicaid"),
        ("medicade", "medicade"),  # Medicaid or Medicare? Left for the caller to ask.
        ("pain", "pain"),  # short words are never changed
        ("zzzzzzzz", "zzzzzzzz"),
    ],
)
def test_correct_spelling(typed: str, corrected: str) -> None:
    known = word_meanings(
        {("referral",): "no_referral", ("medicaid",): "medicaid", ("medicare",): "medicare"}
    )
    assert correct_spelling((typed,), known) == (corrected,)


def test_vocabulary_is_found_next_to_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package_root = Path(vocabulary.__file__).resolve().parent.parent
    assert package_root / "knowledge" == knowledge.KNOWLEDGE_DIR
    monkeypatch.chdir(tmp_path)
    knowledge.load_yaml.cache_clear()
    assert "skip" in vocabulary.word_list("answers", "skip")
    assert vocabulary.load_vocabulary("answers") is vocabulary.load_vocabulary("answers")


@pytest.fixture
def vocabulary_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(knowledge, "KNOWLEDGE_DIR", tmp_path)
    knowledge.load_yaml.cache_clear()
    (tmp_path / "vocabulary").mkdir()
    yield tmp_path / "vocabulary"
    knowledge.load_yaml.cache_clear()


@pytest.mark.parametrize(
    ("content", "read", "message"),
    [
        ("words: [skip, no]\n", vocabulary.word_list, "list of strings"),  # no -> False
        ("words: {yes: [a]}\n", vocabulary.word_lists, "text labels"),
        ("words: {a: [1, 2]}\n", vocabulary.word_lists, "list of strings"),
        ("- just a list\n", vocabulary.word_list, "mapping"),
    ],
)
def test_vocabulary_rejects_malformed_files(
    vocabulary_in: Path, content: str, read: Callable[[str, str], object], message: str
) -> None:
    (vocabulary_in / "broken.yml").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read("broken", "words")
