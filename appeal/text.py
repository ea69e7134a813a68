"""Cleaning and word matching shared by the answer parsers.

Members type into a chat box, so anything can arrive: pasted HTML, emoji, 20,000 characters,
right-to-left marks, other languages. Every function here is total: bad input gives an empty
result, never an exception, so a parser built on them can only ever say "not recognised".
"""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple, TypeAlias

from appeal.vocabulary import word_list

MAX_ANSWER_CHARS = 300
# Bounds the work done on a pasted document; far more than any answer needs.
_MAX_RAW_CHARS = 50_000

Phrase: TypeAlias = tuple[str, ...]

_HIDDEN_BLOCK = re.compile(r"<(script|style)\b[^<>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<[!?][^<>]*>")
# Whatever is left of a tag after cleaning ("<b" cut short, "<<b>>"): drop the "<".
_TAG_OPENER = re.compile(r"<+(?=[/!?]*[^\W\d_])")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})

_APOSTROPHES = str.maketrans("", "", "'’‘`´ʻʼ")
# "N.Y.", "D.C.", "U.S." -> "NY", "DC", "US", so abbreviations read as one word.
_DOTTED = re.compile(r"(?<![A-Za-z])([A-Za-z])\.([A-Za-z])\.?(?![A-Za-z])")
_WORD = re.compile(r"[^\W_]+")
_PIECE_BREAK = re.compile(r"[,;!?…()\[\]\"]+|\.(?!\w)|\s[-–—]+\s")


def clean_member_text(text: str | None, max_chars: int = MAX_ANSWER_CHARS) -> str:
    """Plain, single-line, safe-to-echo text of a member's message.

    Markup is removed (with the content of <script>/<style>), entities are decoded, invisible
    and control characters are dropped and whitespace collapsed. Over-long text is cut on a word
    boundary and ends with "…", so the result is at most max_chars + 1 characters.
    """
    if not isinstance(text, str):
        return ""
    cleaned = _strip_markup(_visible(unicodedata.normalize("NFKC", text[:_MAX_RAW_CHARS])))
    cleaned = unicodedata.normalize("NFKC", html.unescape(cleaned))
    cleaned = _TAG_OPENER.sub("", _strip_markup(_visible(cleaned)))
    return _shorten(" ".join(cleaned.split()), max_chars)


def _visible(text: str) -> str:
    return "".join(
        char for char in text if char.isspace() or unicodedata.category(char) not in _INVISIBLE
    )


def _strip_markup(text: str) -> str:
    text = _COMMENT.sub(" ", _HIDDEN_BLOCK.sub(" ", text))
    return _TAG.sub(" ", text)


def _shorten(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    head = text[: max_chars + 1]
    boundary = head.rfind(" ")
    kept = head[:boundary] if boundary >= max_chars // 2 else text[:max_chars]
    return kept.rstrip(" ,;:.-") + "…"


def tokens_of(text: str | None) -> tuple[str, ...]:
    """Words of the cleaned answer with their case kept (state codes need it: "OR" vs "or")."""
    return tuple(_WORD.findall(_prepared(text)))


def fold(word: str) -> str:
    """Lower case without accents, so "Méxíco" matches "mexico"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str | None) -> Phrase:
    """Folded words of the cleaned answer; apostrophes vanish, so "don't" and "dont" match alike."""
    return tuple(fold(token) for token in tokens_of(text))


def pieces_of(text: str | None) -> tuple[Phrase, ...]:
    """Folded words per clause, split at punctuation, so "no, I'm in pain" keeps "no" apart."""
    parts = _PIECE_BREAK.split(_prepared(text))
    pieces = (tuple(fold(word) for word in _WORD.findall(part)) for part in parts)
    return tuple(piece for piece in pieces if piece)


def _prepared(text: str | None) -> str:
    """Cleaned text without apostrophes and with "N.Y." joined to "NY", ready to split."""
    return _DOTTED.sub(r"\1\2", clean_member_text(text).translate(_APOSTROPHES))


def phrases_of(texts: Sequence[str]) -> frozenset[Phrase]:
    """Vocabulary entries read exactly as member answers are read."""
    return frozenset(phrase for phrase in map(words_of, texts) if phrase)


def find_phrases(words: Sequence[str], phrases: Collection[Phrase]) -> list[tuple[int, int]]:
    """(start, end) spans of known phrases, longest first at each position and never overlapping,
    so "west virginia" is not also read as "virginia"."""
    longest = max(map(len, phrases), default=0)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            if tuple(words[start : start + size]) in phrases:
                spans.append((start, start + size))
                start += size
                break
        else:
            start += 1
    return spans


def is_negated(words: Sequence[str], start: int, window: int = 2) -> bool:
    """True when "not", "no", "don't"... comes just before a phrase ("not urgent", "no pain").

    A "no" that opens the clause is the member's answer, not a negation ("no it can wait");
    where "no" belongs to the phrase ("no pain", "no referral") the vocabulary lists it whole.
    """
    first = max(0, start - window)
    if first == 0 and words[:1] == ("no",):
        first = 1
    return not _negations().isdisjoint(words[first:start])


class Mention(NamedTuple):
    """A vocabulary label found in an answer, and whether the member negated it."""

    label: str
    negated: bool


def find_mentions(
    pieces: Sequence[Phrase], phrases: Mapping[Phrase, str], window: int = 2
) -> list[Mention]:
    """Labels of the known phrases in each clause, in order, each marked when a negation comes
    right before it. Clauses keep "no, it's through my job" from reading as "not my job"."""
    return [
        Mention(phrases[piece[start:end]], is_negated(piece, start, window))
        for piece in pieces
        for start, end in find_phrases(piece, phrases)
    ]


def word_meanings(phrases: Mapping[Phrase, str]) -> dict[str, frozenset[str]]:
    """Each vocabulary word with the labels its phrases carry, for correct_spelling."""
    meanings: dict[str, set[str]] = {}
    for phrase, label in phrases.items():
        for word in phrase:
            meanings.setdefault(word, set()).add(label)
    return {word: frozenset(labels) for word, labels in meanings.items()}


def correct_spelling(words: Sequence[str], known: Mapping[str, frozenset[str]]) -> Phrase:
    """Swap a long misspelt word for the known word it is closest to ("referal" -> "referral").

    When two known words are equally close and mean different things ("medicade": Medicaid or
    Medicare?), or nothing is close, the word stays: asking again beats a confident wrong guess.
    """
    return tuple(_closest_known(word, known) for word in words)


def _closest_known(word: str, known: Mapping[str, frozenset[str]]) -> str:
    if len(word) < 6 or word in known or not word.isalpha():
        return word
    matches = difflib.get_close_matches(word, known, n=2, cutoff=0.85)
    if not matches:
        return word
    best = matches[0]
    for other in matches[1:]:
        if known[other] != known[best] and _similarity(word, other) == _similarity(word, best):
            return word
    return best


def _similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, first, second).ratio()


def is_skip_answer(text: str | None) -> bool:
    """True when the whole answer only says "skip", "I don't know", "rather not say" and the like.

    Every clause must be a skip phrase or filler ("um, I don't know, sorry"); a sentence that
    merely contains one ("I'm not sure it was medically necessary") is an answer, not a skip.
    """
    pieces = [piece for piece in map(_without_fillers, pieces_of(text)) if piece]
    return bool(pieces) and all(piece in _skip_phrases() for piece in pieces)


def is_unsure(piece: Sequence[str]) -> bool:
    """True for a clause that is "I don't know" / "not sure", alone or followed by a question
    ("not sure how urgent it is"), whose words must not be read as an answer."""
    words = _without_fillers(piece)
    for skip in _skip_phrases():
        if words[: len(skip)] == skip:
            rest = words[len(skip) :]
            if not rest or rest[0] in _question_words():
                return True
    return False


def starts_with(piece: Sequence[str], phrases: Collection[Phrase]) -> bool:
    """True when a clause opens with one of the phrases, with or without its fillers
    ("well, yes" opens with "yes"; "not really" keeps its "really")."""
    return any(
        words[: len(phrase)] == phrase
        for words in (tuple(piece), _without_fillers(piece))
        for phrase in phrases
    )


def is_filler(piece: Sequence[str]) -> bool:
    """True for a clause that carries no answer at all ("well", "um", "sorry")."""
    return not _without_fillers(piece)


def _without_fillers(piece: Sequence[str]) -> Phrase:
    spans = find_phrases(piece, _fillers())
    dropped = {index for start, end in spans for index in range(start, end)}
    return tuple(word for index, word in enumerate(piece) if index not in dropped)


@functools.cache
def _skip_phrases() -> frozenset[Phrase]:
    tails = ("", *word_list("answers", "skip_tails"))
    return phrases_of([f"{skip} {tail}" for skip in word_list("answers", "skip") for tail in tails])


@functools.cache
def _fillers() -> frozenset[Phrase]:
    return phrases_of(word_list("answers", "fillers"))


@functools.cache
def _negations() -> frozenset[str]:
    return _single_words("negations")


@functools.cache
def _question_words() -> frozenset[str]:
    return _single_words("question_words")


def _single_words(key: str) -> frozenset[str]:
    return frozenset(word for phrase in phrases_of(word_list("answers", key)) for word in phrase)


def pasted_letter_placeholder(letter: str) -> str:
    """What is kept of a pasted letter, in the tracker store and a handoff transcript: that one
    was pasted, and how long it was."""
    return f"[a pasted letter of {len(letter)} characters: read, not kept]"
