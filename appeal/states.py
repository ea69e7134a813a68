"""Which US state (or DC) a member lives in, from whatever they typed.

The state decides which insurance department, help line and external-review rules apply, so a
wrong guess is worse than asking again: an answer that could mean two places comes back with
both, a territory we do not cover comes back by name, and a message that was answering another
question is searched only for unmistakable mentions.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from appeal.knowledge import load_csv
from appeal.text import Phrase, find_phrases, fold, phrases_of, tokens_of, words_of
from appeal.vocabulary import word_list, word_lists

# Typos: "Californa", "Pensylvania". Shorter or less similar words are too easily real words.
_TYPO_MIN_CHARS = 5
_TYPO_CUTOFF = 0.86
# Two neighbouring letters swapped ("Texsa", "Ohoi") is a typo difflib scores too low.
_SWAP_MIN_CHARS = 4
_SWAP_SCORE = 0.9

Places = tuple[str, ...]


@dataclass(frozen=True)
class Jurisdiction:
    """One of the 50 states or DC: the places whose rules and help lines we know."""

    code: str
    name: str


@dataclass(frozen=True)
class StateParse:
    """What an answer says about the member's state.

    code is set when exactly one state is meant. Otherwise candidates lists the places an
    ambiguous answer could mean ("LA": Louisiana or Los Angeles, California) and unsupported
    names a territory we do not cover yet, so the caller can say so instead of asking again.
    """

    code: str | None
    candidates: tuple[str, ...] = ()
    unsupported: str | None = None

    @property
    def matched(self) -> bool:
        return self.code is not None

    @property
    def ambiguous(self) -> bool:
        return self.code is None and len(self.candidates) > 1


@functools.cache
def all_jurisdictions() -> tuple[Jurisdiction, ...]:
    """The 50 states and DC, in the order of knowledge/directory/jurisdictions.csv."""
    return tuple(
        Jurisdiction(row["code"].strip(), row["name"].strip())
        for row in load_csv("directory/jurisdictions.csv")
    )


def jurisdiction(code: str) -> Jurisdiction:
    """The jurisdiction for an exact USPS code ("CA"); KeyError for anything else.

    Strict on purpose: typed text ("ok", "hi", "la") must go through parse_state_answer, which
    knows a greeting or an ambiguous name from a code.
    """
    return _by_code()[code]


def parse_state_answer(text: str | None) -> StateParse:
    """Read a message that answers "Which state do you live in?".

    Accepts full names, USPS codes in any case or with dots ("ca", "N.Y."), nicknames and cities
    ("Calif", "NYC"), short sentences ("we're in the state of Ohio", "ny state") and typos
    ("Pensylvania"). Places the member says they are not in ("not Ohio", "moved from Ohio") are
    ignored. Nothing recognisable gives StateParse(None).
    """
    vocabulary = _vocabulary()
    tokens = tokens_of(text)
    words = tuple(map(fold, tokens))
    found = _find(tokens, words, vocabulary.answer_places, answer=True)
    if not found.places:
        lone_code = _lone_code(tokens)
        if lone_code in vocabulary.codes:
            return StateParse(lone_code)
        territory = vocabulary.territory_codes.get(lone_code) if lone_code else None
        if territory is not None:
            return StateParse(None, unsupported=territory)
    places = [*found.places, *_misspelt_places(words, found.taken)]
    result = _resolve(places, found.hints)
    if not result.matched and not result.ambiguous and found.territories:
        return StateParse(None, unsupported=found.territories[0])
    return result


def find_state_in_sentence(text: str | None) -> str | None:
    """The state code in a message that was answering another question, or None.

    Conservative on purpose ("actually I'm in Oregon now", "I have Medi-Cal in California"):
    only full names and unmistakable aliases count, a two-letter code only when typed in
    capitals and not also a word (IN, OR, ME, OK, PA, MD, CT... never count), and a code is
    returned only when exactly one state is mentioned.
    """
    tokens = tokens_of(text)
    words = tuple(map(fold, tokens))
    found = _find(tokens, words, _vocabulary().sentence_places, answer=False)
    codes = _unique(code for places in found.places for code in places)
    return codes[0] if len(codes) == 1 else None


@dataclass(frozen=True)
class _Vocabulary:
    """directory/jurisdictions.csv and states.yml, read once into lookup tables."""

    codes: frozenset[str]
    answer_places: Mapping[Phrase, Places]
    sentence_places: Mapping[Phrase, Places]
    misspelling_targets: Mapping[str, Places]
    swapped_letters: Mapping[str, str]
    territories: Mapping[Phrase, str]
    territory_codes: Mapping[str, str]
    codes_that_are_words: frozenset[str]
    interjections: frozenset[str]
    answer_fillers: frozenset[str]
    not_here_cues: frozenset[Phrase]
    not_here_connectors: frozenset[str]
    not_typos: frozenset[str]


@dataclass(frozen=True)
class _Found:
    """Places named in a message (one tuple per mention), territories named, capital codes that
    may settle an ambiguous name, and the word positions already read as a place."""

    places: list[Places]
    territories: list[str]
    hints: list[str]
    taken: frozenset[int]


@functools.cache
def _by_code() -> dict[str, Jurisdiction]:
    return {place.code: place for place in all_jurisdictions()}


@functools.cache
def _vocabulary() -> _Vocabulary:
    codes = frozenset(_by_code())
    state_names = {words_of(place.name): (place.code,) for place in all_jurisdictions()}
    sentence_places = {**state_names, **_aliases("aliases", codes)}
    misspelling_targets = {
        "".join(phrase): places
        for phrase, places in sentence_places.items()
        if phrase in state_names or len(places) > 1
    }
    return _Vocabulary(
        codes=codes,
        answer_places={**sentence_places, **_aliases("answer_only_aliases", codes)},
        sentence_places=sentence_places,
        misspelling_targets=misspelling_targets,
        swapped_letters={
            target[:index] + target[index + 1] + target[index] + target[index + 2 :]: target
            for target in misspelling_targets
            if len(target) >= _SWAP_MIN_CHARS
            for index in range(len(target) - 1)
            if target[index] != target[index + 1]
        },
        territories={
            phrase: name
            for name, aliases in word_lists("states", "territories").items()
            for phrase in phrases_of(aliases)
        },
        territory_codes={
            code.upper(): territory[0]
            for code, territory in word_lists("states", "territory_codes").items()
        },
        codes_that_are_words=frozenset(word_list("states", "codes_that_are_words")),
        interjections=_words("interjections"),
        answer_fillers=_words("answer_fillers"),
        not_here_cues=phrases_of(word_list("states", "not_here_cues")),
        not_here_connectors=_words("not_here_connectors"),
        not_typos=_words("not_typos"),
    )


def _aliases(key: str, codes: frozenset[str]) -> dict[Phrase, Places]:
    aliases = word_lists("states", key)
    unknown = {code for places in aliases.values() for code in places} - codes
    if unknown:
        raise ValueError(f"states.yml {key} names unknown codes: {sorted(unknown)}")
    return {words_of(alias): places for alias, places in aliases.items()}


def _words(key: str) -> frozenset[str]:
    return frozenset(word for phrase in phrases_of(word_list("states", key)) for word in phrase)


def _find(
    tokens: Sequence[str], words: Phrase, places: Mapping[Phrase, Places], *, answer: bool
) -> _Found:
    """Names, aliases and codes in the message, minus places the member says they are not in.

    Codes that are also words (IN, OR, PA...) never count inside a sentence; in an answer typed
    in capitals they only pick between the places of an ambiguous name ("Portland, OR").
    """
    vocabulary = _vocabulary()
    found: list[Places] = []
    territories: list[str] = []
    hints: list[str] = []
    taken: set[int] = set()
    for start, end in find_phrases(words, places.keys() | vocabulary.territories.keys()):
        taken.update(range(start, end))
        if _not_here(words, start):
            continue
        phrase = words[start:end]
        if phrase in places:
            found.append(places[phrase])
        else:
            territories.append(vocabulary.territories[phrase])
    for index, token in enumerate(tokens):
        code = token.upper()
        if index in taken or len(token) != 2 or code not in vocabulary.codes:
            continue
        if _not_here(words, index):
            continue
        if code not in vocabulary.codes_that_are_words and (answer or token.isupper()):
            found.append((code,))
        elif answer and token.isupper():
            hints.append(code)
    return _Found(found, territories, hints, frozenset(taken))


def _lone_code(tokens: Sequence[str]) -> str | None:
    """The code in an answer that is nothing but a code, fillers aside ("I'm in PA", "in")."""
    vocabulary = _vocabulary()
    if len(tokens) == 1:
        content = list(tokens)
    else:
        content = [token for token in tokens if fold(token) not in vocabulary.answer_fillers]
    if len(content) != 1 or len(content[0]) != 2:
        return None
    token = content[0]
    if fold(token) in vocabulary.interjections and not token.isupper():
        return None
    return token.upper()


def _misspelt_places(words: Phrase, taken: frozenset[int]) -> list[Places]:
    """Places behind near-misses of names ("Masachusetts"), longest stretch of words first."""
    vocabulary = _vocabulary()
    targets = vocabulary.misspelling_targets
    scored: list[tuple[int, float, int, int, str]] = []
    for start in range(len(words)):
        for size in range(1, 4):
            window = words[start : start + size]
            if len(window) < size or not all(
                word.isalpha() and word not in vocabulary.answer_fillers for word in window
            ):
                break
            joined = "".join(window)
            if joined in vocabulary.not_typos or not taken.isdisjoint(range(start, start + size)):
                continue
            if joined in vocabulary.swapped_letters:
                target = vocabulary.swapped_letters[joined]
                scored.append((len(joined), _SWAP_SCORE, start, start + size, target))
            elif len(joined) >= _TYPO_MIN_CHARS:
                for target in difflib.get_close_matches(joined, targets, n=1, cutoff=_TYPO_CUTOFF):
                    ratio = difflib.SequenceMatcher(None, joined, target).ratio()
                    scored.append((len(joined), ratio, start, start + size, target))
    places: list[Places] = []
    used: set[int] = set()
    for _, _, start, end, target in sorted(scored, reverse=True):
        if used.isdisjoint(range(start, end)) and not _not_here(words, start):
            used.update(range(start, end))
            places.append(targets[target])
    return places


def _not_here(words: Phrase, start: int) -> bool:
    """True for "not Ohio", "I used to live in Ohio", "moved from Ohio"."""
    vocabulary = _vocabulary()
    index = start
    while True:
        if any(
            len(cue) <= index and words[index - len(cue) : index] == cue
            for cue in vocabulary.not_here_cues
        ):
            return True
        if index == 0 or words[index - 1] not in vocabulary.not_here_connectors:
            return False
        index -= 1


def _resolve(places: Sequence[Places], hints: Sequence[str]) -> StateParse:
    """One state when the mentions agree; otherwise the candidates, for the caller to ask."""
    definite = _unique(codes[0] for codes in places if len(codes) == 1)
    if definite:
        return StateParse(definite[0]) if len(definite) == 1 else StateParse(None, definite)
    if not places:
        return StateParse(None)
    shared = tuple(code for code in places[0] if all(code in codes for codes in places[1:]))
    candidates = shared or _unique(code for codes in places for code in codes)
    hinted = tuple(code for code in candidates if code in hints)
    if len(hinted) == 1:
        candidates = hinted
    return StateParse(candidates[0]) if len(candidates) == 1 else StateParse(None, candidates)


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))
