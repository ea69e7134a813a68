"""The spaCy pipeline that annotates a pasted denial letter, built once from knowledge/intake/.

No pretrained model is used (none can be downloaded here): a blank English pipeline with a
tokenizer that splits form punctuation ("Claim#:123"), a sentence splitter that knows letters
are laid out in lines and columns, the printed dates, and phrase matchers built from the
vocabularies in knowledge/intake/*.yml (field labels, reason cues, review routes, deadline
phrasings). Components only annotate (doc.spans); appeal/intake_fields.py reads the fields.
"""

# No `from __future__ import annotations` here: spaCy reads the factories' annotations at run
# time to validate their settings, and postponed (string) annotations break that.
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, cast

from appeal.intake_text import find_dates
from appeal.knowledge import load_yaml


def _import_spacy() -> Any:
    """Import spaCy without letting thinc load TensorFlow.

    thinc imports TensorFlow whenever it is installed (Rasa installs it), which costs about
    9 seconds and hundreds of megabytes; this pipeline never runs a neural layer. TensorFlow is
    hidden during the import only, and only when nothing has loaded it yet.
    """
    if "spacy" in sys.modules or "tensorflow" in sys.modules:
        import spacy

        return spacy
    sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        del sys.modules["tensorflow"]
    return spacy


spacy = _import_spacy()
import numpy  # noqa: E402
from spacy.attrs import SENT_START  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.matcher import Matcher, PhraseMatcher  # noqa: E402
from spacy.tokenizer import Tokenizer  # noqa: E402
from spacy.tokens import Doc, Span, SpanGroup, Token  # noqa: E402
from spacy.util import compile_infix_regex, filter_spans  # noqa: E402

__all__ = ["Doc", "Span", "filter_spans", "fold", "pipeline"]

DATES = "dates"
VOCABULARY = "vocabulary"
DEADLINES = "deadlines"
WORDS = "intake_words"
_SKIPPED = frozenset({"-", "–", "—", "/"})
"""Tokens a phrase may have or lack: "out-of-network" is "out of network"."""
_LINE_LENGTH_OF_PROSE = 55
"""A line break ends a sentence unless the line before was this long and ran on without a
stop: letters wrap their paragraphs near 80-100 characters, while header and form lines are
short."""
_WILDCARD_WORDS = 4
_DOUBLE_SPACED_GAPS = 4
"""A line needs this many two-space gaps, most of its word gaps, to be read as double-spaced
prose rather than a table row."""

Span.set_extension("intake_date", default=None, force=True)

_BUILD_LOCK = threading.Lock()
_PIPELINE: list[Language] = []


def pipeline() -> Language:
    """The letter pipeline, built on first use and shared; spaCy's nlp(text) is safe to call
    from several threads."""
    if not _PIPELINE:
        with _BUILD_LOCK:
            if not _PIPELINE:
                _PIPELINE.append(_build())
    return _PIPELINE[0]


def _build() -> Language:
    nlp = spacy.blank("en")
    defaults = nlp.tokenizer
    infixes = [*nlp.Defaults.infixes, r"[#:|•]", r"(?<=[A-Za-z])\((?=[A-Za-z])"]
    # English exceptions split "id" as "I'd" and "cannot" as "can not", but not "ID" or
    # "CANNOT": letters shout in capitals, so words stay whole whatever their case.
    rules = {
        text: pieces
        for text, pieces in defaults.rules.items()
        if not (text.isalpha() and len(pieces) > 1)
    }
    nlp.tokenizer = Tokenizer(  # built once: each tokenizer setting reloads every exception
        nlp.vocab,
        rules=rules,
        prefix_search=defaults.prefix_search,
        suffix_search=defaults.suffix_search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )
    nlp.add_pipe("letter_sentences")
    nlp.add_pipe("letter_dates")
    nlp.add_pipe("letter_words")
    nlp.add_pipe("letter_vocabulary")
    nlp.add_pipe("letter_deadlines")
    return nlp


@Language.component("letter_sentences")
def letter_sentences(doc: Doc) -> Doc:
    """Sentences end at . ? !, at a column gap (two spaces or more), at a blank line, and at a
    line break after a short line or one ending in punctuation; wrapped prose runs on."""
    text = doc.text
    not_start = numpy.iinfo(numpy.uint64).max  # -1 as spaCy stores it: "not a sentence start"
    starts = numpy.full((len(doc), 1), not_start, dtype="uint64")
    if len(doc):
        starts[0, 0] = 1
    double_spaced = _double_spaced_lines(text)
    for index in range(1, len(doc)):
        if _starts_sentence(doc[index - 1], doc[index], text, double_spaced):
            starts[index, 0] = 1
    # One pass: setting token.is_sent_start one token at a time is quadratic.
    doc.from_array([SENT_START], cast(Any, starts))
    return doc


def _starts_sentence(
    previous: Token, token: Token, text: str, double_spaced: frozenset[int]
) -> bool:
    if token.is_space:
        return False
    if previous.is_space:
        if "\n" not in previous.text:
            # A column gap: two spaces or more in the cleaned text, unless the whole line is
            # typed with two spaces between words, as some scans are.
            return text.rfind("\n", 0, previous.idx) + 1 not in double_spaced
        if "\n\n" in previous.text:
            return True
        line_start = text.rfind("\n", 0, previous.idx) + 1
        line = text[line_start : previous.idx].rstrip()
        return len(line) < _LINE_LENGTH_OF_PROSE or line.endswith((".", ":", ";", "?", "!"))
    if previous.text in (".", "?", "!") or previous.text.endswith((".", "?", "!")):
        return previous.text in (".", "?", "!") and not token.is_lower
    return False


def _double_spaced_lines(text: str) -> frozenset[int]:
    """Start offsets of the lines whose words are mostly two spaces apart and in lower case
    ("Y0u  may  appea1  this  decisi0n"): a scan's spacing, not a table's columns."""
    starts = set()
    position = 0
    for line in text.split("\n"):
        words = line.split()
        gaps = line.count("  ")
        lower = sum(word[0].islower() for word in words)
        if gaps >= _DOUBLE_SPACED_GAPS and min(gaps, lower) >= len(words) * 0.5:
            starts.add(position)
        position += len(line) + 1
    return frozenset(starts)


@Language.component("letter_dates")
def letter_dates(doc: Doc) -> Doc:
    """Every printed date as a span in doc.spans["dates"], its value in span._.intake_date."""
    spans = []
    for found in find_dates(doc.text):
        span = doc.char_span(found.start, found.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        span._.intake_date = found.value
        spans.append(span)
    doc.spans[DATES] = SpanGroup(doc, name=DATES, spans=spans)
    return doc


@Language.component("letter_words")
def letter_words(doc: Doc) -> Doc:
    """The words of the letter without line breaks, column gaps and hyphens, as a second Doc,
    so a phrase matches however the letter wraps or hyphenates it ("out-of-network",
    "external\nreview"). Kept in doc.user_data with each word's index in the letter."""
    kept = [token for token in doc if not (token.is_space or token.text in _SKIPPED)]
    words = Doc(doc.vocab, words=[token.text for token in kept])
    doc.user_data[WORDS] = (words, [token.i for token in kept])
    return doc


@Language.factory("letter_vocabulary")
def letter_vocabulary(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Labels, cues, routes and step words from knowledge/intake/, as spans labelled by group."""
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    wildcards = Matcher(nlp.vocab)
    for label, texts in vocabulary_groups().items():
        plain = [text for text in texts if "*" not in text]
        phrases.add(label, [nlp.make_doc(variant) for text in plain for variant in _variants(text)])
        patterns = [_wildcard_pattern(nlp, text) for text in texts if "*" in text]
        if patterns:
            wildcards.add(label, patterns)

    def annotate(doc: Doc) -> Doc:
        words, index = doc.user_data[WORDS]
        found = [*phrases(words, as_spans=True), *wildcards(words, as_spans=True)]
        doc.spans[VOCABULARY] = SpanGroup(
            doc, name=VOCABULARY, spans=[_in_letter(doc, index, span) for span in found]
        )
        return doc

    return annotate


@Language.factory("letter_deadlines")
def letter_deadlines(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Deadline phrases ("within 180 calendar days", "by 03/14/2027") in doc.spans["deadlines"],
    labelled "days", "months" or "date". A number and its unit are matched first, then the
    phrasings of deadlines.yml decide whether the words around them make it a deadline."""
    amounts, phrasings, date_leads = _deadline_matchers(nlp)

    def annotate(doc: Doc) -> Doc:
        words, index = doc.user_data[WORDS]
        found = []
        for amount in amounts(words, as_spans=True):
            start = _deadline_start(words, amount, phrasings)
            if start is not None:
                found.append(Span(words, start, amount.end, label=amount.label_))
        position = {token: word for word, token in enumerate(index)}
        for date in doc.spans[DATES]:
            first = position.get(date.start)
            last = position.get(date.end - 1)
            if first is None or last is None:
                continue
            start = _deadline_start(words, Span(words, first, first), date_leads)
            if start is not None:
                found.append(Span(words, start, last + 1, label="date"))
        spans: list[Span] = []
        # Earliest start first, then the longest: "within 180 days" beats "180 days of".
        for span in sorted(found, key=lambda s: (s.start, -len(s))):
            if not spans or span.start >= spans[-1].end:
                spans.append(span)
        doc.spans[DEADLINES] = SpanGroup(
            doc, name=DEADLINES, spans=[_in_letter(doc, index, span) for span in spans]
        )
        return doc

    return annotate


def _in_letter(doc: Doc, index: list[int], span: Span) -> Span:
    """The span of the letter's doc that covers a span of its compact word doc."""
    return Span(doc, index[span.start], index[span.end - 1] + 1, label=span.label_)


def vocabulary_groups() -> dict[str, tuple[str, ...]]:
    """Every phrase list the Matcher knows, by span label ("member_id", "reason:experimental")."""
    fields, markers = load_yaml("intake/fields.yml"), load_yaml("intake/markers.yml")
    reasons, routes = load_yaml("intake/reasons.yml"), load_yaml("intake/routes.yml")
    deadlines = load_yaml("intake/deadlines.yml")
    groups: dict[str, Iterable[str]] = {
        "member_id": fields["member_id"]["labels"],
        "service_date": fields["service_date"]["labels"],
        "care_word": fields["service_date"]["care_words"],
        "not_care_word": fields["service_date"]["not_care_words"],
        "service": fields["service"]["labels"],
        "plan": fields["plan"]["labels"],
        "route_none": routes["none_available"],
        "decision_word": reasons["decision_words"],
        "rights_word": reasons["rights_words"],
    }
    for kind in ("claim", "reference", "appeal", "authorization"):
        groups[f"claim:{kind}"] = fields["claim_number"][kind]
    for kind in ("notice", "processed", "plain"):
        groups[f"notice_date:{kind}"] = fields["notice_date"][kind]
    for key in (
        "denial",
        "approval",
        "overturn",
        "appeal_decision",
        "conditional",
        "future_decision",
        "negated_denial",
    ):
        groups[key] = markers[key]
    for reason, cues in reasons["cues"].items():
        groups[f"reason:{reason}"] = cues
    for index, route in enumerate(routes["routes"]):
        for part in ("names", "with", "requires", "unless"):
            if route.get(part):
                groups[f"route:{index}:{part}"] = route[part]
    for step, words in deadlines["steps"].items():
        groups[f"step:{step}"] = words
    return {label: tuple(_checked(phrases, label)) for label, phrases in groups.items()}


def _checked(phrases: Any, where: str) -> list[str]:
    if not isinstance(phrases, list) or not all(isinstance(item, str) for item in phrases):
        raise ValueError(f"knowledge/intake: {where} must be a list of text phrases")
    return phrases


def fold(text: str) -> str:
    """Lower case without accents, so "Número" and "numero" match alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _variants(phrase: str) -> set[str]:
    """The phrase as written and without accents, hyphens and slashes ("número" + "numero")."""
    words = " ".join(re.sub(r"(?<=\w)[-–/](?=\w)", " ", phrase.strip()).split())
    return {words.lower(), fold(words)}


def _word_spec(word: str) -> dict[str, Any]:
    variants = sorted({word.lower(), fold(word)})
    return {"LOWER": variants[0]} if len(variants) == 1 else {"LOWER": {"IN": variants}}


def _wildcard_pattern(nlp: Language, phrase: str) -> list[dict[str, Any]]:
    """Token pattern of a phrase where "*" stands for up to four words ("not in * network")."""
    pattern: list[dict[str, Any]] = []
    for token in nlp.make_doc(" ".join(sorted(_variants(phrase))[0].split())):
        if token.text == "*":
            pattern.extend({"OP": "?"} for _ in range(_WILDCARD_WORDS))
        elif not token.is_space and token.text not in _SKIPPED:
            pattern.append(_word_spec(token.text))
    return pattern


_Phrasing = tuple[tuple[str, ...], tuple[str, ...]]
"""The words before "{n} {unit}" and after it, folded."""


def _deadline_matchers(nlp: Language) -> tuple[Matcher, list[_Phrasing], list[_Phrasing]]:
    settings = load_yaml("intake/deadlines.yml")
    units = settings["units"]
    number_words = [word for word in settings["numbers"] if " " not in word]
    numbers: list[list[dict[str, Any]]] = []
    for first in ({"LIKE_NUM": True, "OP": "+"}, {"LOWER": {"IN": number_words}, "OP": "+"}):
        numbers.append([first])
        numbers.append([first, {"ORTH": "("}, {"LIKE_NUM": True}, {"ORTH": ")"}])
    amounts = Matcher(nlp.vocab)
    for kind in ("days", "months"):
        unit: list[dict[str, Any]] = [
            {"LOWER": {"IN": units["before_unit"]}, "OP": "?"},
            {"LOWER": {"IN": [*units[kind], *map(fold, units[kind])]}},
            {"LOWER": {"IN": [*units["after_unit"], *map(fold, units["after_unit"])]}, "OP": "?"},
        ]
        amounts.add(kind, [[*number, *unit] for number in numbers])
    phrasings: list[_Phrasing] = []
    date_leads: list[_Phrasing] = []
    for phrasing in _checked(settings["phrasings"], "deadlines.yml phrasings"):
        if "{date}" in phrasing:
            date_leads.append((_folded_words(nlp, phrasing.replace("{date}", "")), ()))
            continue
        before, _, after = phrasing.partition("{n} {unit}")
        phrasings.append((_folded_words(nlp, before), _folded_words(nlp, after)))
    return amounts, phrasings, date_leads


def _folded_words(nlp: Language, text: str) -> tuple[str, ...]:
    return tuple(
        fold(token.text)
        for token in nlp.make_doc(text.strip())
        if not token.is_space and token.text not in _SKIPPED
    )


def _deadline_start(words: Doc, amount: Span, phrasings: list[_Phrasing]) -> int | None:
    """Where the deadline phrase around a number and unit starts, or None when no phrasing
    fits ("a 180-day period" is not a deadline)."""
    starts = []
    for before, after in phrasings:
        start = amount.start - len(before)
        if start < 0 or amount.end + len(after) > len(words):
            continue
        if tuple(fold(token.text) for token in words[start : amount.start]) != before:
            continue
        following = words[amount.end : amount.end + len(after)]
        if tuple(fold(token.text) for token in following) == after:
            starts.append(start)
    return min(starts, default=None)
