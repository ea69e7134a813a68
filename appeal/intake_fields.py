"""Each field of a denial letter, read from the spaCy annotations of appeal/intake_nlp.py.

Rules read the OCR-repaired text; values are copied from the cleaned text at the same offsets,
so they come back as printed. Every reader returns None (or an empty tuple) when unsure: a
member is asked to confirm what was read, and a blank is easier to fill than a wrong value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from appeal.intake_codes import (
    MONEY,
    Code,
    Codes,
    find_codes,
    is_column,
    is_paid_line_code,
    line_bounds,
)
from appeal.intake_nlp import DATES, DEADLINES, VOCABULARY, Doc, Span, filter_spans, fold
from appeal.knowledge import load_yaml

_FIELD_LABELS = ("member_id", "claim:", "notice_date:", "service_date", "service", "plan")
_STEP_ORDER = ("veto", "external", "internal", "plan_action")
# Two spaces, a pipe, or a dot leader ("Emergency visit ........ $1,450.00") part columns.
_COLUMN_GAP = re.compile(r"  +|\s\|\s?|\s*\.{3,}\s*")
_ID_VALUE = re.compile(
    r"[ \t)]*(?:\([^()\n]{1,40}\))?[ \t]*(?i:(?:#|no\.?|nbr\.?|num\.?|number|is)(?![A-Za-z0-9]))?"
    r"(?:[ \t]*[:#.\-])*[ \t]*"  # "No.:", and a scan's "No. :"
    r"(?P<value>(?:[A-Z]{1,4} (?=\d{3}))?(?=[A-Za-z0-9\-./]*\d)"
    r"[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9]))*(?: \d{3,}(?![\w\-]))*)"
)
_LABEL_TO_VALUE = re.compile(r"[ \t]*(?:\([^()\n]{0,40}\))?[ \t]*[:#.\-–]*[ \t]*\n?[ \t]*")
# A phone line printed beside a label ("(510) and seven digits", "1-800 and seven digits"),
# not an identifier.
_PHONE = re.compile(
    r"(?:1[ .\-])?\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}|1[ .\-]\d{3}[ .\-]\d{3}[ .\-]\d{4}"
)
_DATE_JOINER = re.compile(
    r"[ \t]*(?:-|–|—|to|through|thru|and|,|y|al|a|&)?[ \t,]*(?:and|y)?[ \t]*\n?[ \t]*", re.I
)
# An e-mail's own header ("From:", "Subject:") dates the e-mail, not the notice it carries.
_MAIL_HEADER = re.compile(r"^(?:from|subject|sent|reply-to):", re.I)
_SALUTATION = re.compile(r"^(?:dear|estimad[oa]|to whom|hello|hi)\b", re.I | re.M)
_CODE_GROUP = re.compile(
    r",?\s*\(?\s*(?:(?:cpt|hcpcs|cdt|c[oó]digo|codes?|procedure codes?)(?:\s+cpt)?[\s:#]*)?"
    r"(?:[A-Z]?\d{4,5}[A-Z]?)(?:\s*(?:,|and|y|&)\s*[A-Z]?\d{4,5}[A-Z]?)*\s*\)?",
    re.IGNORECASE,
)
_TRAILING_WHEN = re.compile(
    r",?\s*(?:(?:that\s+you\s+)?(?:received|provided|performed|rendered|had)\s+)?\bon\s*$|"
    r",?\s*(?:received|provided|performed|rendered|done)\s*$",
    re.IGNORECASE,
)
# A description may hold its own abbreviation: "positive airway pressure (CPAP) device (E0601)".
_DESCRIPTION_CHAR = r"(?:[^()\n.;:]|\([A-Z][A-Za-z]{1,7}\))"
_FOR_CODE = re.compile(
    rf"\b(?:for|por)\s+(?:an?\s+|the\s+|your\s+|la\s+|el\s+|los\s+|las\s+)?(?P<desc>{_DESCRIPTION_CHAR}{{3,90}}?"
    rf"(?:\n{_DESCRIPTION_CHAR}{{1,60}}?)?)"
    r"\s*\(\s*(?:(?:CPT|HCPCS|CDT|procedure\s+codes?|codes?|c[oó]digos?)\b|(?:[A-Z]\d{4}|\d{4}[0-9A-Z])\b)",
    re.IGNORECASE,
)
# "We are denying the request for personal care services.", "Payment has been denied for the
# following visits:", "Your doctor asked us to approve a course of ..." (no code printed)
_REQUEST_FOR = re.compile(
    r"(?:\b(?:request|requests|claim|claims|coverage|payment)\b"
    r"(?:\s+(?:from|by)\s+[^.;:\n]{1,60}?)?"
    r"(?:\s+(?:has|have)\s+been\s+(?:denied|approved)|\s+(?:is|was|were|are)\s+(?:denied|approved))?"
    r"\s+(?:for|of)|\basked\s+us(?:\s+on\s+[^.;:\n]{4,30}?)?\s+to\s+(?:approve|cover|authorize|pay\s+for)"
    r"|\bbilled\s+(?:the\s+plan|us|your\s+plan)\s+for)"
    r"\s+(?:an?\s+|the\s+(?:following\s+)?|your\s+)?"
    r"(?P<desc>(?!(?:this|these|that|those|it)\b)(?:[^.,;:\n]|\n(?![ \t]*\n)){3,80}?)"
    r"(?=\s*(?:[.,;:]|\((?:CPT|HCPCS|CDT|code)\b|\n\n|\s(?:from|on|because|was|were|is|has|have|for\s+you|you|that|"
    r"which|while|after)\b))",
    re.IGNORECASE,
)
# "  Home oxygen concentrator, stationary (E1390), with ...": a line opening with the service.
_LINE_WITH_CODE = re.compile(
    r"^[ \t]*(?P<desc>[A-Za-z][^()\n]{2,90}?)\s*\(\s*"
    r"(?:(?i:CPT|HCPCS|CDT)\b|(?:[A-Z]\d{4}|\d{4}[0-9A-Z])[ \t]*\))",
    re.MULTILINE,
)
# "surgery on both eyelids (upper eyelid blepharoplasty, CPT 15823, right and left)"
_DESCRIPTION_BEFORE_CODE_IN_PARENS = re.compile(
    r"\((?P<desc>[A-Za-z][^()\n,;:]{3,80}?),?[ \t]+(?:CPT|HCPCS|CDT)(?:[ \t]+codes?)?[ \t:#]*"
    r"(?:[A-Z]\d{4}|\d{4}[0-9A-Z])\b",
    re.IGNORECASE,
)
# "Service ........... Intensive outpatient program": a label and its dot leader.
_DOTTED_LABEL = re.compile(r"^[^.\n]{1,40}?\s*\.{3,}\s*")
_WORDS = re.compile(r"[^\W\d_]{2,}")
# "RE: NOTICE OF DENIAL - Knee arthroscopy": a subject line's lead and its capitalized heading.
_SUBJECT_HEADING = re.compile(
    r"^\s*(?:(?i:re|subject|asunto)\s*:\s*)?(?:[A-Z0-9][A-Z0-9 ,/&']+\s[-–]\s+(?=[A-Za-z]*[a-z]))?"
)
_PLAN_TYPE = re.compile(
    r"\s*\((?:HMO|PPO|EPO|POS|PFFS|MSA|HMO[- ]POS|HMO[- ]?D?-?SNP|HMO C-SNP|PPO D-SNP|"
    r"HMO-SNP|SNP|D-SNP|C-SNP|I-SNP)\)",
    re.IGNORECASE,
)
_INC = re.compile(r",?\s+(?:inc|incorporated)\.?$", re.IGNORECASE)
_ORG_CHAIN = (
    r"(?:the\s+)?(?P<name>(?:[A-Z][\w&'\-]*)"
    r"(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?:[A-Z][\w&'\-]*|of|and|for|the|de|del|&)){0,7}"
    r"(?:\([A-Za-z\- ]{2,12}\))?)"
)
# Form check boxes: "[X] Denied   [ ] Approved in part".
_UNCHECKED_BOX = re.compile(r"\[ ?\]|[☐□]")
_CHECKED_BOX = re.compile(r"\[[xX✓✔]\]|[☒☑]")
_ANY_BOX = re.compile(f"{_UNCHECKED_BOX.pattern}|{_CHECKED_BOX.pattern}")
_BEHALF_PHRASES = (
    "on behalf of",
    "administrator for",
    "administrators for",
    "administrator of",
    "claims administrator for",
    "processes claims for",
    "en nombre de",
)
# In any case, words one or more spaces apart (scans double them), perhaps a colon, then the
# plan's name.
_BEHALF = re.compile(
    "(?i:"
    + "|".join(r"\s+".join(phrase.split()) for phrase in _BEHALF_PHRASES)
    + r")(?:[ \t]*:)?\s+"
    + _ORG_CHAIN
)


@dataclass
class Letter:
    """A letter as read: printed and repaired text, the spaCy doc and what was found in it."""

    printed: str
    text: str
    doc: Doc
    codes: Codes = field(init=False)
    spans: dict[str, list[Span]] = field(init=False)
    dates: list[tuple[Span, date]] = field(init=False)
    lines: list[ClaimLine] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.codes = find_codes(self.text)
        self.dates = [(span, span._.intake_date) for span in self.doc.spans[DATES]]
        unticked = _unticked_choices(self.text)
        self.spans = _grouped(
            span
            for span in self.doc.spans[VOCABULARY]
            if not any(start <= span.start_char < end for start, end in unticked)
            and not _label_across_lines(span)
        )

    def labelled(self, prefix: str) -> list[Span]:
        """Spans whose label is `prefix` or starts with `prefix` + ":" ("claim" -> "claim:x")."""
        found = [
            span
            for label, spans in self.spans.items()
            if label == prefix or label.startswith(prefix + ":")
            for span in spans
        ]
        return sorted(found, key=lambda span: span.start)

    def as_printed(self, start: int, end: int) -> str:
        return " ".join(self.printed[start:end].split())


def _unticked_choices(text: str) -> list[tuple[int, int]]:
    """The text of each choice a form leaves unticked ("[ ] The service is not medically
    necessary."), up to the next box on its line or the line's end: the notice does not say
    it, so no word in it counts."""
    choices = []
    for box in _UNCHECKED_BOX.finditer(text):
        _, line_end = line_bounds(text, box.start())
        following = _ANY_BOX.search(text, box.end(), line_end)
        choices.append((box.start(), following.start() if following else line_end))
    return choices


def _label_across_lines(span: Span) -> bool:
    """ "Requested Service" over "Date: ...": a field label is printed on one line, so words
    joined across a line break are a heading and the next label, not "service date"."""
    return _family(span.label_) == "field" and "\n" in span.text


def _after_ticked_box(letter: Letter, span: Span) -> bool:
    """True when the nearest box before the span on its line is ticked ("[X] Denied")."""
    line_start, _ = line_bounds(letter.text, span.start_char)
    boxes = list(_ANY_BOX.finditer(letter.text, line_start, span.start_char))
    return bool(boxes) and bool(_CHECKED_BOX.fullmatch(boxes[-1].group()))


def _grouped(spans: Iterable[Span]) -> dict[str, list[Span]]:
    """Vocabulary spans by label; within a family (field labels, reasons, steps, cues) the
    longest of overlapping spans wins, so "claim number" hides "claim"."""
    families: dict[str, list[Span]] = {}
    for span in spans:
        families.setdefault(_family(span.label_), []).append(span)
    grouped: dict[str, list[Span]] = {}
    for family, members in families.items():
        kept = filter_spans(members) if family != "route" else members
        for span in kept:
            grouped.setdefault(span.label_, []).append(span)
    return grouped


def _family(label: str) -> str:
    if label.startswith(_FIELD_LABELS):
        return "field"
    return label.split(":", 1)[0]


# What kind of notice this is.


def is_conditional(letter: Letter, span: Span) -> bool:
    """True when an "if"-like word comes before the span in its sentence."""
    sentence = span.sent
    return any(
        sentence.start <= cue.start < span.start for cue in letter.spans.get("conditional", [])
    )


_UNDOING_CUES = {"denial": "negated_denial", "appeal_decision": "future_decision"}
"""Words that, just before a cue, undo it: "No part of this claim was denied", "after you
receive the final decision on your appeal" (a decision still to come)."""
_UNDOING_REACH = 7
"""How many words may stand between an undoing cue and the cue it undoes."""


def _stated(letter: Letter, label: str) -> list[Span]:
    return [
        span
        for span in letter.spans.get(label, [])
        if not (is_conditional(letter, span) or _undone(letter, label, span))
    ]


def _undone(letter: Letter, label: str, span: Span) -> bool:
    """True when an undoing cue ends shortly before the span in its sentence."""
    undoing = letter.spans.get(_UNDOING_CUES.get(label, ""), [])
    sentence = span.sent
    for cue in undoing:
        if not (sentence.start <= cue.start and cue.end <= span.start):
            continue
        between = [token for token in letter.doc[cue.end : span.start] if not token.is_space]
        if len(between) <= _UNDOING_REACH:
            return True
    return False


def denial_codes(letter: Letter) -> list[str]:
    """Adjustment codes that refuse payment (not cost shares or contract discounts)."""
    return [code.value for code in letter.codes.carc if not is_paid_line_code(code.value)]


def is_denial(letter: Letter) -> bool:
    """The notice refuses at least one service; an appeal granted, an approval or a paid EOB
    is not a denial, whatever appeal-rights text it prints (refusal words in a sentence about
    outside review, "after a final adverse benefit determination", do not count)."""
    if _stated(letter, "overturn"):
        return False
    if any(_after_ticked_box(letter, span) for span in _stated(letter, "denial")):
        return True  # the form's own answer
    rights = letter.spans.get("rights_word", [])
    stated = [
        span
        for span in _stated(letter, "denial")
        if not (_in_header_line(letter, span) or _in_sentence(rights, span.sent))
    ]
    refused = {index for span in stated for index in range(span.start, span.end)}
    # "not approved" is a refusal, not also an approval.
    approvals = len([span for span in _stated(letter, "approval") if span.start not in refused])
    denials = len(stated)
    return (
        bool(denial_codes(letter))
        or (denials > 0 and denials >= approvals)
        or any(line.denied for line in claim_lines(letter))
    )


def _in_header_line(letter: Letter, span: Span) -> bool:
    """ "Billed  Allowed  Not covered  Paid", "Not covered: $0.00": a column name, not a
    decision."""
    line_start, line_end = line_bounds(letter.text, span.start_char)
    line = letter.text[line_start:line_end]
    if re.match(r"[ \t]*:?[ \t]*\$\s?0\.00\b", letter.text[span.end_char : line_end]):
        return True
    return len(_COLUMN_GAP.split(line.strip())) >= 3 and not re.search(r"\d", line)


def is_appeal_decision(letter: Letter) -> bool:
    """The notice decides an appeal (so its next step is outside review)."""
    return bool(_stated(letter, "appeal_decision")) or bool(
        _labelled_values(letter, "claim:appeal")
    )


# Member ID and the decision's number.


def member_id(letter: Letter) -> str | None:
    values = _labelled_values(letter, "member_id")
    return values[0] if values else None


def claim_number(letter: Letter, denial: bool, appeal: bool, pre_service: bool) -> str | None:
    """The number of this notice's decision, by what the notice is (see fields.yml)."""
    order: tuple[str, ...]
    if appeal:
        order = ("appeal", "reference", "claim")
    elif not denial and _stated(letter, "approval"):
        order = ("authorization", "reference", "claim")
    elif pre_service:
        order = ("reference", "authorization", "claim", "appeal")
    else:
        order = ("claim", "reference", "appeal")
    for kind in order:
        values = _labelled_values(letter, f"claim:{kind}")
        if values:
            return values[0]
    return None


def _labelled_values(letter: Letter, label: str) -> list[str]:
    """The identifiers printed right after each label, in order."""
    not_after = _not_after(label.split(":", 1)[0])
    values = []
    for span in letter.labelled(label):
        if _follows_word(letter, span, not_after):
            continue
        match = _ID_VALUE.match(letter.text, span.end_char)
        alone = re.compile(r"[ \t]*[:#]?[ \t]*\n[ \t]*").match(letter.text, span.end_char)
        if (match is None or not _looks_like_identifier(match.group("value"))) and alone:
            match = _ID_VALUE.match(letter.text, alone.end())  # "Member ID" / "XG1234" below it
        if match is None:
            continue
        start, end = match.span("value")
        value = letter.printed[start:end].rstrip(".-/")
        if _is_state_and_zip(letter, span, value):
            continue
        if _looks_like_identifier(value):
            values.append(value)
    return values


def _is_state_and_zip(letter: Letter, label: Span, value: str) -> bool:
    """ "Boise, ID 83702": Idaho's abbreviation and a ZIP code in an address, not an ID."""
    before = letter.text[max(0, label.start_char - 30) : label.start_char]
    return (
        label.text == "ID"
        and bool(re.search(r"[A-Za-z][ \t]*,[ \t]*$", before))
        and bool(re.fullmatch(r"\d{5}(?:-\d{4})?", value))
    )


def _looks_like_identifier(value: str) -> bool:
    compact = re.sub(r"[\s\-./]", "", value)
    return (
        len(compact) >= 4
        and any(char.isdigit() for char in compact)
        and not _PHONE.fullmatch(value)
        and not re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}", value)
    )


def _follows_word(letter: Letter, span: Span, words: frozenset[str]) -> bool:
    index = span.start - 1
    while index >= 0 and (letter.doc[index].is_space or letter.doc[index].is_punct):
        if "\n" in letter.doc[index].text or letter.doc[index].text in (":", "|"):
            return False
        index -= 1
    return index >= 0 and fold(letter.doc[index].text) in words


@functools.cache
def _not_after(field_name: str) -> frozenset[str]:
    fields = load_yaml("intake/fields.yml")
    key = "claim_number" if field_name == "claim" else field_name
    section = fields.get(key, {})
    return frozenset(fold(word) for word in section.get("not_after", []))


# Dates.


def notice_date(letter: Letter) -> date | None:
    """The date of the letter: a labelled date first, then a date standing alone near the top
    (not a fax header's), else None."""
    earlier = _not_after("notice_date")
    for kind in ("notice", "processed", "plain"):
        for span in letter.labelled(f"notice_date:{kind}"):
            if not (_at_field_start(letter, span) or letter.text.startswith(":", span.end_char)):
                continue  # "our decision dated August 12" names an earlier notice
            if _follows_word(letter, span, earlier):
                continue  # "Original denial dated: August 14" too
            found = _date_after(letter, span)
            if found is not None and not _in_fax_header(letter, found[0]):
                return found[1]
    salutation = _SALUTATION.search(letter.text)
    top = salutation.start() if salutation else min(len(letter.text), 1500)
    for span, value in letter.dates:
        if span.start_char >= top:
            break
        if _stands_alone(letter, span) and not (
            _in_fax_header(letter, span) or _is_stamp(letter, span)
        ):
            return value
    return None


def _at_field_start(letter: Letter, span: Span) -> bool:
    """True when a label opens its line or a column of a form ("Member ID:  X    Date: ...")."""
    line_start, _ = line_bounds(letter.text, span.start_char)
    before = letter.text[line_start : span.start_char]
    return not before.strip() or before.endswith("  ") or before.rstrip().endswith("|")


def _date_after(letter: Letter, label: Span) -> tuple[Span, date] | None:
    """The date printed right after a label (on its line or the next), if any."""
    gap = _LABEL_TO_VALUE.match(letter.text, label.end_char)
    start = gap.end() if gap else label.end_char
    for span, value in letter.dates:
        if span.start_char == start:
            return span, value
        if span.start_char > start:
            break
    return None


def _stands_alone(letter: Letter, span: Span) -> bool:
    """True when the date fills its line or its column ("October 2, 2026", "Date  10/02/2026"
    is read by its label instead)."""
    line_start, line_end = line_bounds(letter.text, span.start_char)
    before = letter.text[line_start : span.start_char]
    after = letter.text[span.end_char : line_end]
    return (not before.strip() or before.endswith("  ")) and (
        not after.strip(" .") or after.startswith("  ")
    )


def _is_stamp(letter: Letter, span: Span) -> bool:
    """ "RECEIVED / OCT 12 2026": an office's stamp on a scanned letter."""
    line_start, _ = line_bounds(letter.text, span.start_char)
    column = letter.text[line_start : span.start_char].rsplit("  ", 1)[-1]
    previous_start, _ = line_bounds(letter.text, max(0, line_start - 1))
    previous = letter.text[previous_start:line_start] if line_start - previous_start < 30 else ""
    return bool(re.search(r"\b(?:received|rec'?d|stamped|filed)\b", column + previous, re.I))


_FAX_REACH = 60
"""How far from a date, on its line, a fax mark ("FAX", "14:22", "P. 001") still belongs to it."""


def _cell_of(text: str, start: int, end: int) -> str:
    """The column cell (between two-space gaps or line ends) holding text[start:end]."""
    line_start, line_end = line_bounds(text, start)
    before = _COLUMN_GAP.split(text[line_start:start])[-1]
    after = _COLUMN_GAP.split(text[end:line_end])[0]
    return before + text[start:end] + after


def _in_fax_header(letter: Letter, span: Span) -> bool:
    """True for the date of a fax line or of an e-mail header, not of the notice. The fax
    marks must be near the date ("FAX 10/09/2026 14:22 ... P. 001"), and a page number in the
    date's own column: "Statement Date: 7/14/26    Page 1 of 2" is the statement's date."""
    line_start, line_end = line_bounds(letter.text, span.start_char)
    near = letter.text[
        max(line_start, span.start_char - _FAX_REACH) : min(line_end, span.end_char + _FAX_REACH)
    ]
    if re.search(r"\bfax\b|\bp\.\s*\d|\d{1,2}:\d{2}", near, re.I):
        return True
    if re.search(r"\bpage\b", _cell_of(letter.text, span.start_char, span.end_char), re.I):
        return True
    block_start = letter.text.rfind("\n\n", 0, line_start)
    block_end = letter.text.find("\n\n", line_end)
    block = letter.text[block_start + 1 : len(letter.text) if block_end < 0 else block_end]
    return any(_MAIL_HEADER.match(other.strip()) for other in block.split("\n"))


def service_dates(letter: Letter) -> tuple[date, ...]:
    """Dates of service in order of first appearance: after a date-of-service label, in a
    claim line with amounts, or after a service or code in a sentence ("(CPT 98941) on
    6/2/2026, 6/9/2026 and 6/16/2026")."""
    chosen: set[int] = set()
    labels = letter.labelled("service_date")
    for label in labels:
        found = _date_after(letter, label)
        if found is not None:
            chosen |= _with_following_dates(letter, found[0])
    other_labels = [
        span for prefix in ("notice_date", "claim", "member_id") for span in letter.labelled(prefix)
    ]
    labelled_elsewhere = {
        found[0].start_char for label in other_labels if (found := _date_after(letter, label))
    }
    in_prose: set[int] = set()
    for index, (span, _) in enumerate(letter.dates):
        if index in chosen or span.start_char in labelled_elsewhere:
            continue
        if _in_claim_line(letter, span):
            chosen |= _with_following_dates(letter, span)
        elif _after_care_words(letter, span):
            in_prose |= _with_following_dates(letter, span)
    chosen |= _prose_dates_of_this_claim(letter, chosen, in_prose - chosen)
    values: list[date] = []
    for index, (_, value) in enumerate(letter.dates):
        if index in chosen and value not in values:
            values.append(value)
    return tuple(values)


_EARLIER_CARE_REACH = 31
"""Days before a claim's first labelled date of service that a visit named in prose may still
belong to it."""


def _prose_dates_of_this_claim(letter: Letter, labelled: set[int], in_prose: set[int]) -> set[int]:
    """Dates of care named in sentences, when the claim's own dates are labelled or in its
    table: only those near them, not an earlier visit ("you had this visit on 09/14/2025") or
    a date after the notice."""
    if not labelled:
        return in_prose
    first = min(letter.dates[index][1] for index in labelled)
    issued = notice_date(letter)
    return {
        index
        for index in in_prose
        if (first - letter.dates[index][1]).days <= _EARLIER_CARE_REACH
        and (issued is None or letter.dates[index][1] <= issued)
    }


def _with_following_dates(letter: Letter, first: Span) -> set[int]:
    """The date and those chained to it by "-", "through", commas or "and"."""
    indexes = {index for index, (span, _) in enumerate(letter.dates) if span.start == first.start}
    if not indexes:
        return set()
    index = next(iter(indexes))
    while index + 1 < len(letter.dates):
        current, following = letter.dates[index][0], letter.dates[index + 1][0]
        gap = letter.text[current.end_char : following.start_char]
        if not _DATE_JOINER.fullmatch(gap):
            break
        index += 1
        indexes.add(index)
    return indexes


def _in_claim_line(letter: Letter, span: Span) -> bool:
    """A date on a line with a procedure code and an amount, or with two amounts: a claim line."""
    line_start, line_end = line_bounds(letter.text, span.start_char)
    line = letter.text[line_start:line_end]
    amounts = len(MONEY.findall(line))
    has_code = any(line_start <= code.start < line_end for code in letter.codes.procedure)
    paid_words = re.search(
        r"\b(?:check|payment|paid on|sent|issued|as of|processed|received)\b", line, re.I
    )
    table_row = is_column(letter.text, span.start_char, span.end_char) and any(
        line_start <= code.start < line_end and is_column(letter.text, code.start, code.end)
        for code in letter.codes.procedure
    )
    return not paid_words and (amounts >= 2 or (amounts >= 1 and has_code) or table_row)


_CARE_WINDOW = 9


def _after_care_words(letter: Letter, span: Span) -> bool:
    """A service word or procedure code shortly before the date in its sentence, with no word
    between them saying the date is of something else (a receipt, a letter, a payment)."""
    sentence = span.sent
    window_start = max(sentence.start, span.start - _CARE_WINDOW)
    window_chars = (letter.doc[window_start].idx, span.start_char)
    cues = [
        cue.end_char
        for cue in letter.spans.get("care_word", [])
        if window_start <= cue.start and cue.end <= span.start
    ]
    cues += [
        code.end
        for code in letter.codes.procedure
        if window_chars[0] <= code.start < span.start_char
    ]
    if not cues:
        return False
    last_cue = max(cues)
    if ":" in letter.text[last_cue : span.start_char]:
        return False  # "Medical Services / Monthly summary: October 31, 2026": another label's
    return not any(
        last_cue <= blocker.start_char < span.start_char
        for blocker in letter.spans.get("not_care_word", [])
    )


# Codes.


def codes_in_order(codes: Iterable[str]) -> tuple[str, ...]:
    """Each code once, in order of first appearance."""
    return tuple(dict.fromkeys(codes))


# The service.


@dataclass(frozen=True)
class ClaimLine:
    """A line of a claim table: its description and whether it was denied."""

    description: str
    denied: bool | None
    """None when the line shows neither amounts nor codes to tell."""


def claim_lines(letter: Letter) -> list[ClaimLine]:
    """Lines holding a procedure code, each with its description and status; adjustment codes
    printed on the line below ("Adjustment: CO-11") belong to it. Read once per letter."""
    if letter.lines is None:
        letter.lines = _claim_lines(letter)
    return letter.lines


def _claim_lines(letter: Letter) -> list[ClaimLine]:
    lines: list[ClaimLine] = []
    seen: set[int] = set()
    starts = [
        line_bounds(letter.text, code.start)
        for code in letter.codes.procedure
        if _is_claim_line_code(letter.text, code, *line_bounds(letter.text, code.start))
    ]
    starts += [  # rows without a code: a date of service and amounts
        line_bounds(letter.text, span.start_char)
        for span, _ in letter.dates
        if _in_claim_line(letter, span)
    ]
    for line_start, line_end in sorted(starts):
        if line_start in seen:
            continue
        seen.add(line_start)
        description = _row_description(letter, line_start, line_end)
        if description is None:
            continue
        carcs = [c.value for c in letter.codes.carc if line_start <= c.start < line_end]
        next_start, next_end = line_bounds(letter.text, min(line_end + 1, len(letter.text)))
        if line_end < len(letter.text) and not any(
            next_start <= c.start < next_end for c in letter.codes.procedure
        ):
            carcs += [c.value for c in letter.codes.carc if next_start <= c.start < next_end]
        lines.append(ClaimLine(description, _row_denied(letter.text[line_start:line_end], carcs)))
    return lines


def _is_claim_line_code(text: str, code: Code, line_start: int, line_end: int) -> bool:
    """A code in a column of its own, or before a column gap on a line with amounts (a
    procedure named in a sentence, "(CPT 70450)", is not a claim line)."""
    after = text[code.end : line_end]
    ends_column = not after.strip() or after.startswith("  ")
    return is_column(text, code.start, code.end) or (
        ends_column and bool(MONEY.search(text, line_start, line_end))
    )


def _row_denied(line: str, carcs: Sequence[str]) -> bool | None:
    if any(not is_paid_line_code(code) for code in carcs):
        return True
    if re.search(r"\b(?:denied|not covered|rejected)\b", line, re.I):
        return True
    if carcs:
        return False
    amounts = [_amount_value(found) for found in MONEY.findall(line)]
    if not amounts:
        return None
    # Billed, then nothing allowed or paid: the line was refused. A zero beside other
    # amounts is a share the member owes nothing of, not a refusal.
    return all(value == 0 for value in amounts[1:]) and (len(amounts) > 1 or amounts[0] == 0)


def _amount_value(printed: str) -> float:
    return float(re.sub(r"[^\d.]", "", printed))


def _row_description(letter: Letter, line_start: int, line_end: int) -> str | None:
    """The first column of a claim line that reads as words, without codes or amounts (or
    the date of service a narrow table runs into it: "16 Sep 2026 Office visit")."""
    position = line_start
    for piece in _COLUMN_GAP.split(letter.text[line_start:line_end]):
        start = letter.text.find(piece, position)
        end = position = start + len(piece)
        start = next((span.end_char for span, _ in letter.dates if span.start_char == start), start)
        piece = letter.text[start:end]
        if ":" in piece or len(_WORDS.findall(_CODE_GROUP.sub(" ", piece))) < 2:
            continue
        if MONEY.search(piece):
            continue
        return _tidy_service(letter.as_printed(start, end))
    return None


def service(letter: Letter, denial: bool) -> str | None:
    """The service the notice decides, as printed: a "Service:" field, else the denied claim
    line, else "... for <service> (CPT ...)" in the text, else the first claim line."""
    if not denial and not (_stated(letter, "approval") or _stated(letter, "overturn")):
        return None  # neither refused nor granted: a paid EOB or a notice of something else
    labelled = _labelled_service(letter)
    if labelled:
        return labelled
    lines = claim_lines(letter)
    if denial:
        denied = [line.description for line in lines if line.denied]
        if denied:
            return denied[0]
    elif any(line.denied is not None for line in lines):
        return None  # a paid EOB: nothing was refused or granted by this notice
    described = _service_before_code(letter)
    if described:
        return described
    if lines:
        return lines[0].description
    return _service_requested(letter)


def _service_requested(letter: Letter) -> str | None:
    """ "... the request for personal care services." in or just before a sentence that
    decides it."""
    decided = [
        *letter.spans.get("denial", []),
        *letter.spans.get("approval", []),
        *letter.spans.get("overturn", []),
    ]
    for match in _REQUEST_FOR.finditer(letter.text):
        span = letter.doc.char_span(*match.span("desc"), alignment_mode="expand")
        if span is None or match.group().isupper():  # a title, not the sentence that decides
            continue
        if not _decided_near(letter, decided, span):
            continue
        tidy = _tidy_service(letter.as_printed(*match.span("desc")))
        if tidy:
            return tidy
    return None


def _decided_near(letter: Letter, decided: list[Span], span: Span) -> bool:
    """A decision word in the span's sentence, the two after it, or the rest of its paragraph
    and the next one ("We received a claim for ... The claim listed: ..." then "We have
    denied this claim")."""
    if any(_in_sentence(decided, sentence) for sentence in _sentences_from(span, 3)):
        return True
    end = _paragraph_end(letter.text, span.end_char, paragraphs=2)
    return any(span.end_char <= cue.start_char < end for cue in decided)


_HEADING_CHARS = 40
"""A paragraph this short is a heading ("2. OUR DECISION"), not one of the paragraphs counted."""


def _paragraph_end(text: str, position: int, paragraphs: int) -> int:
    """Where the paragraph holding `position` and the next ones end, headings not counted."""
    end = position
    while paragraphs > 0 and end < len(text):
        start = end
        found = text.find("\n\n", end if end == position else end + 2)
        end = len(text) if found < 0 else found
        counted = end - start > _HEADING_CHARS or start == position
        if counted and not text[start:end].rstrip().endswith(":"):  # a list's lead-in
            paragraphs -= 1
    return end


def _sentences_from(span: Span, count: int) -> list[Span]:
    """The span's sentence and the ones after it, `count` in all."""
    sentences = [span.sent]
    while len(sentences) < count and sentences[-1].end < len(span.doc):
        sentences.append(span.doc[sentences[-1].end].sent)
    return sentences


def _labelled_service(letter: Letter) -> str | None:
    not_after = _not_after("service")
    label_starts = {
        span.start_char
        for label, spans in letter.spans.items()
        if _family(label) == "field"
        for span in spans
    }
    for span in letter.labelled("service"):
        rest = _SERVICE_VALUE_LEAD.match(letter.text, span.end_char) or _stacked_value_lead(
            letter, span
        )
        if rest is None or _follows_word(letter, span, not_after):
            continue
        ends_line = letter.text[rest.end() :].startswith("\n")
        if not (_at_field_start(letter, span) or ends_line):
            continue
        start = rest.end()
        _, line_end = line_bounds(letter.text, start)
        if not letter.text[start:line_end].strip():  # the value is on the next line
            following = re.compile(r"\n\s*(?=\S)").search(letter.text, line_end)
            if following is None or following.end() - line_end > 4:
                continue
            start = following.end()
            _, line_end = line_bounds(letter.text, start)
            if start in label_starts:
                continue  # "the following service:" then "Requested service: MRI ..."
        value = _first_worded_column(letter, start, line_end)
        if value:
            return value
    return None


# "Service: MRI", "Service ........ MRI": a colon or a dot leader between label and value.
_SERVICE_VALUE_LEAD = re.compile(r"[ \t]*(?::|\.{3,})[ \t]*")
_SHORT_VALUE_LINE = 90


def _stacked_value_lead(letter: Letter, label: Span) -> re.Match[str] | None:
    """ "Service" alone on its line and the value alone on the next, as phone apps print
    fields; a longer next line is a paragraph under a heading, not a value."""
    line_start, line_end = line_bounds(letter.text, label.start_char)
    if letter.text[line_start:line_end].strip() != label.text.strip():
        return None
    value_start, value_end = line_bounds(letter.text, min(line_end + 1, len(letter.text)))
    value = letter.text[value_start:value_end].strip()
    if not value or len(value) > _SHORT_VALUE_LINE or value.endswith((".", ":")):
        return None
    return re.compile(r"[ \t]*(?=\n)").match(letter.text, label.end_char)


def _first_worded_column(letter: Letter, start: int, end: int) -> str | None:
    position = start
    for piece in _COLUMN_GAP.split(letter.text[start:end]):
        piece_start = letter.text.find(piece, position)
        position = piece_start + len(piece)
        if len(_WORDS.findall(_CODE_GROUP.sub(" ", piece))) < 1 or MONEY.search(piece):
            continue
        if any(span.start_char == piece_start for span, _ in letter.dates):
            continue
        tidy = _tidy_service(letter.as_printed(piece_start, piece_start + len(piece)))
        if tidy and len(_WORDS.findall(tidy)) >= 1:
            return tidy
    return None


def _service_before_code(letter: Letter) -> str | None:
    candidates = []
    for pattern in (_FOR_CODE, _LINE_WITH_CODE, _DESCRIPTION_BEFORE_CODE_IN_PARENS):
        match = pattern.search(letter.text)
        if match:
            candidates.append(match)
    if not candidates:
        return None
    match = min(candidates, key=lambda found: found.start("desc"))
    start, end = match.span("desc")
    description = letter.text[start:end]
    last_for = description.lower().rfind(" for ")
    if last_for >= 0:
        start += last_for + len(" for ")
    return _tidy_service(letter.as_printed(start, end))


# "... therapy that you received on June 2, 2026", "terapia ... que usted recibió el ...":
# when the member had it, not what it was.
_WHEN_CLAUSE = re.compile(
    r"\s+(?:that\s+you|which\s+you|que\s+usted)\s+(?:received|had|got|recibi[oó]|tuvo)\b.*$",
    re.IGNORECASE | re.DOTALL,
)


def _tidy_service(text: str) -> str | None:
    text = _WHEN_CLAUSE.sub("", _SUBJECT_HEADING.sub("", _DOTTED_LABEL.sub("", text)))
    text = _CODE_GROUP.sub("", text) if re.search(r"\d{4}", text) else text
    text = _TRAILING_WHEN.sub("", text.strip())
    text = re.sub(r"^(?:an?|the)\s+", "", text.strip(" ,;:.-–"), flags=re.I)
    words = text.split()
    if not _WORDS.search(text) or len(words) > 16:
        return None
    if all(fold(word.strip(",;:()")) in _generic_service_words() for word in words):
        return None  # "the following services": the service itself is printed elsewhere
    return text


@functools.cache
def _generic_service_words() -> frozenset[str]:
    return frozenset(map(fold, load_yaml("intake/fields.yml")["service"]["generic_words"]))


# The reason.


def reason_category(letter: Letter) -> str:
    """The reason category with the most evidence: denial codes (strong) and the notice's own
    explanation; "other" when nothing points anywhere."""
    settings = load_yaml("intake/reasons.yml")
    order = list(settings["cues"])
    weights = settings["weights"]
    scores = dict.fromkeys(order, 0.0)
    carc_reasons = {
        str(code): reason for reason, codes in settings["carc_codes"].items() for code in codes
    }
    for code in dict.fromkeys(denial_codes(letter)):
        scores[carc_reasons.get(code.split("-", 1)[1], "other")] += float(weights["code"])
    decision = letter.spans.get("decision_word", [])
    rights = letter.spans.get("rights_word", [])
    for reason in order:
        for cue in letter.spans.get(f"reason:{reason}", []):
            sentence = cue.sent
            if is_conditional(letter, cue) or _in_sentence(rights, sentence):
                continue
            weight = float(weights["cues"].get(reason, 1.0))
            if _in_sentence(decision, sentence):
                weight *= float(weights["decision_sentence"])
            scores[reason] += weight
    best = max(order, key=lambda reason: (scores[reason], -order.index(reason)))
    return best if scores[best] > 0 else "other"


def _in_sentence(spans: Iterable[Span], sentence: Span) -> bool:
    return any(sentence.start <= span.start < sentence.end for span in spans)


# The stated deadline.


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase read from the notice, with the step it belongs to."""

    text: str
    days: int | None
    months: int | None
    date: date | None
    step: str


def stated_deadline(letter: Letter, appeal: bool, denial: bool = True) -> Deadline | None:
    """The deadline of the next step: outside review after an appeal decision, else the
    internal appeal; other deadlines (COBRA, the plan's own clock) are never chosen. A notice
    that refuses nothing offers a step only where it names one, and a printed date before the
    notice's own ("if a request was sent before 10/08/2026") is history, not a deadline."""
    issued = notice_date(letter)
    deadlines = [
        found
        for span in letter.doc.spans[DEADLINES]
        if (found := _deadline(letter, span))
        and not (found.date and issued and found.date <= issued)
    ]
    preferred: tuple[str, ...] = (
        ("external", "internal", "unknown") if appeal else ("internal", "unknown", "external")
    )
    if not denial:
        preferred = tuple(step for step in preferred if step != "unknown")
    for step in preferred:
        for deadline in deadlines:
            if deadline.step == step:
                return deadline
    return None


def _deadline(letter: Letter, span: Span) -> Deadline | None:
    settings = load_yaml("intake/deadlines.yml")
    unit_words = {fold(word) for word in (*settings["units"]["days"], *settings["units"]["months"])}
    step = _step_of(letter, span)
    if span.label_ == "date":
        found = next(
            ((dated, value) for dated, value in letter.dates if dated.start >= span.start), None
        )
        if found is None or found[0].start >= span.end:
            return None
        text = letter.as_printed(span.start_char, found[0].end_char)
        return Deadline(text, None, None, found[1], step)
    unit_index = max(
        (token.i for token in span if fold(token.text) in unit_words), default=span.end - 1
    )
    amount = _amount(span, settings["numbers"])
    if amount is None or amount <= 0:
        return None
    after_unit = settings["units"]["after_unit"]
    end_token = unit_index + 1
    while end_token < len(letter.doc) and fold(letter.doc[end_token].text) in map(fold, after_unit):
        end_token += 1
    end = _tail_end(letter, end_token, settings)
    text = letter.as_printed(span.start_char, end)
    if span.label_ == "days":
        return Deadline(text, amount, None, None, step)
    return Deadline(text, None, amount, None, step)


def _amount(span: Span, number_words: dict[str, int]) -> int | None:
    """The number in "180", "sixty (60)", "one hundred eighty", "cuatro"."""
    digits = [token.text for token in span if token.text.isdigit()]
    if digits:
        return int(digits[-1])
    words = [
        fold(token.text) for token in span if token.like_num or fold(token.text) in number_words
    ]
    total = 0
    for word in words:
        value = number_words.get(word)
        if value is None:
            return None
        total = total * value if value == 100 and total else total + value
    return total or None


def _tail_end(letter: Letter, index: int, settings: dict) -> int:
    """Where the printed deadline ends: after "of the date of this letter", before "to ..."."""
    doc = letter.doc
    end = doc[index - 1].idx + len(doc[index - 1].text)
    words = [token for token in doc[index : index + 16] if not token.is_space]
    if not words:
        return end
    starts = [tuple(fold(word).split()) for word in settings["tail_starts"]]
    opening = tuple(fold(token.text) for token in words[:3])
    if not any(opening[: len(start)] == start for start in starts):
        return end
    stops = {fold(word) for word in settings["tail_stops"]}
    for position, token in enumerate(words):
        if position > 0 and (token.is_punct or fold(token.text) in stops):
            break
        if "\n\n" in letter.text[end : token.idx]:
            break
        end = token.idx + len(token.text)
    return end


def _step_of(letter: Letter, span: Span) -> str:
    """Which step a deadline belongs to, from the step words nearest it in its sentence."""
    sentence = span.sent
    steps = [
        (cue, step)
        for step in _STEP_ORDER
        for cue in letter.spans.get(f"step:{step}", [])
        if sentence.start <= cue.start < sentence.end
    ]
    if any(step == "veto" for _, step in steps):
        return "other"
    before = [(cue, step) for cue, step in steps if cue.end <= span.start]
    after = [(cue, step) for cue, step in steps if cue.start >= span.end]
    if before:
        nearest = max(before, key=lambda item: item[0].end)[1]
    elif after:
        nearest = min(after, key=lambda item: item[0].start)[1]
    else:
        nearest = _step_in_sentence_before(letter, sentence)
    return "other" if nearest == "plan_action" else nearest


def _step_in_sentence_before(letter: Letter, sentence: Span) -> str:
    if sentence.start == 0:
        return "unknown"
    previous = letter.doc[sentence.start - 1].sent
    steps = [
        (cue.start, step)
        for step in ("external", "internal")
        for cue in letter.spans.get(f"step:{step}", [])
        if previous.start <= cue.start < previous.end
    ]
    return max(steps)[1] if steps else "unknown"


# The outside review route.


def external_review_route(letter: Letter) -> str | None:
    """The first outside review route the notice names, as its canonical name."""
    if letter.spans.get("route_none"):
        return None
    routes = load_yaml("intake/routes.yml")["routes"]
    named: list[tuple[bool, int, str]] = []
    for index, route in enumerate(routes):
        names = letter.spans.get(f"route:{index}:names", [])
        if not names:
            continue
        position = min(span.start_char for span in names)
        if route.get("with"):
            partners = letter.spans.get(f"route:{index}:with", [])
            if not _named_with_partner(letter, names, partners):
                continue
            position = max(position, min(span.start_char for span in partners))
        if route.get("requires") and not letter.spans.get(f"route:{index}:requires"):
            continue
        if letter.spans.get(f"route:{index}:unless"):
            continue
        named.append((bool(route.get("generic")), position, route["name"]))
    return min(named)[2] if named else None


def _named_with_partner(letter: Letter, names: list[Span], partners: list[Span]) -> bool:
    """The office and the review it runs are named in one paragraph: a state office named
    only as a help line, apart from the review paragraphs, is not the route."""
    paragraphs = {_paragraph_start(letter.text, span.start_char) for span in names}
    return any(_paragraph_start(letter.text, span.start_char) in paragraphs for span in partners)


def _paragraph_start(text: str, position: int) -> int:
    found = text.rfind("\n\n", 0, position)
    return 0 if found < 0 else found + 2


# The plan's name.


# "The Acme Employee Health Plan is administered by ...": the plan, then its administrator.
_PLAN_BEFORE_ADMINISTRATOR = re.compile(
    r"(?P<name>[A-Z][\w&'\-]*(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?:(?:of|and|for|&)[ \t]+)?"
    r"[A-Z][\w&'\-]*){0,7})"
    r"(?:,[ \t]*|[ \t]+is[ \t]+)(?:administered|self-funded|self-insured|a self-funded|"
    r"a self-insured)",
)
_ADMINISTRATOR = re.compile(r"(?:administered by|third[- ]party administrator,?)\s+" + _ORG_CHAIN)


@dataclass
class _PlanCandidate:
    weight: float
    printed: list[str]


def plan_name(letter: Letter) -> str | None:
    """The plan's name as printed: the employer plan a claims administrator writes for, the
    plan a medical group writes for, else the letterhead or the "Plan:" field, else the plan
    name the notice prints most."""
    candidates: dict[str, _PlanCandidate] = {}

    def add(start: int, end: int, weight: float) -> None:
        # The OCR-repaired spelling: a scan's "PlNE RIDGE" is the plan printed as "Pine Ridge".
        working = _tidy_name(" ".join(letter.text[start:end].split()))
        if not working or not _is_plan_like(working):
            return
        key = _name_key(working)
        candidate = candidates.setdefault(key, _PlanCandidate(0.0, []))
        candidate.weight += weight
        candidate.printed.append(working)

    for match in _BEHALF.finditer(letter.text):
        trimmed = _ending_with_plan_word(letter.text, *match.span("name"))
        if trimmed:
            add(*trimmed, 4.0)
    for span in letter.labelled("plan"):
        value = _plan_field(letter, span)
        if value:
            add(*value, 3.0)
    letterhead = _letterhead(letter)
    if letterhead:
        add(*letterhead, 3.0)
    for match in _PLAN_BEFORE_ADMINISTRATOR.finditer(letter.text):
        trimmed = _ending_with_plan_word(letter.text, *match.span("name"))
        if trimmed:
            add(*trimmed, 4.0)
    for match in _ADMINISTRATOR.finditer(letter.text):
        add(*match.span("name"), -4.0)
    for start, end in _plan_mentions(letter):
        add(start, end, 0.5)
    if not candidates:
        return None
    _merge_products(candidates, keep_plan_type=bool(_MEDICARE.search(letter.text)))
    best = max(candidates.values(), key=lambda candidate: candidate.weight)
    return _title_case_if_shouted(_best_printed(best.printed))


def _tidy_name(name: str) -> str:
    name = name.strip(" ,;:-–|")
    if name.endswith(".") and not re.search(r"\b(?:Co|Corp|Ltd|Inc)\.$", name):
        name = name.rstrip(".")
    name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
    name = _INC.sub("", name).strip(" ,;:")
    return name


def _ending_with_plan_word(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Cut a run of capitalized words back to its last plan word ("... Medical Plan PO Box")."""
    plan_words, _ = _plan_words()
    for word in reversed(list(re.finditer(r"\S+", text[start:end]))):
        if fold(word.group().strip("()")) in plan_words:
            return start, start + word.end()
    return None


def _name_key(name: str) -> str:
    return " ".join(fold(name).replace("(", " (").split())


@functools.cache
def _plan_words() -> tuple[frozenset[str], tuple[str, ...]]:
    markers = load_yaml("intake/markers.yml")
    return frozenset(map(fold, markers["plan_words"])), tuple(map(fold, markers["not_plan_words"]))


def _is_plan_like(name: str) -> bool:
    """A capitalized name of 2-9 words that names a plan, not a provider, office or department."""
    words = name.split()
    if not 2 <= len(words) <= 9 or any(char.isdigit() for char in name):
        return False
    connectors = {"of", "and", "for", "the", "de", "del", "la", "y", "&"}
    if any(
        not (word[0].isupper() or word[0] == "(" or word.lower() in connectors) for word in words
    ):
        return False
    plan_words, not_plan = _plan_words()
    folded = f" {_name_key(name).replace('(', '').replace(')', '')} "
    if any(f" {phrase} " in folded for phrase in not_plan):
        return False
    return any(f" {word} " in folded for word in plan_words)


def _plan_field(letter: Letter, label: Span) -> tuple[int, int] | None:
    rest = re.match(r"[ \t]*:[ \t]*", letter.text[label.end_char :])
    if rest is None:
        return None
    start = label.end_char + rest.end()
    _, line_end = line_bounds(letter.text, start)
    gap = _COLUMN_GAP.search(letter.text, start, line_end)
    end = gap.start() if gap else line_end
    # "Peachtree Health Alliance Silver 3500 (Marketplace)": the name ends before the product.
    digit = re.search(r"\s\S*\d", letter.text[start:end])
    if digit:
        end = start + digit.start()
    paren = re.search(r"\s\((?!HMO|PPO|EPO|POS)", letter.text[start:end])
    if paren:
        end = start + paren.start()
    return (start, end) if end > start else None


def _letterhead(letter: Letter) -> tuple[int, int] | None:
    """The first plan-like line (or first column of a line) at the top of the letter."""
    position = 0
    checked = 0
    for line in letter.text.split("\n"):
        line_start = letter.text.find(line, position)
        position = line_start + len(line)
        if not line.strip():
            continue
        checked += 1
        if checked > 8 or _SALUTATION.match(line):
            return None
        stripped = line.strip()
        # A scan that doubles every space ("GRINDSTONE  CREEK  HEALTH  PLAN") is one column.
        letter_spaced = bool(_DOUBLE_SPACED_WORDS.fullmatch(stripped))
        first = stripped if letter_spaced else _COLUMN_GAP.split(stripped)[0]
        start = letter.text.find(first, line_start)
        if _is_plan_like(_tidy_name(" ".join(first.split()))):
            return start, start + len(first)
    return None


_DOUBLE_SPACED_WORDS = re.compile(r"[A-Za-z&'\-]+(?:  [A-Za-z&'\-]+)+")


# Words one space apart: a wider gap is a column break, and a name does not run across it.
_MENTION = re.compile(
    r"(?<![\w])[A-Z][\w&'\-]*[ \t](?:(?:[A-Z][\w&'\-]*|&|of|and)[ \t]){0,5}"
    r"(?:Health[ \t]+Plan|Health|Healthcare|HealthCare|"
    r"Insurance[ \t]+Company|Insurance|Assurance|HMO|Cooperative|Alliance|Partners|"
    r"Medical[ \t]+Plan|Benefit[ \t]+Plan|Benefits[ \t]+Plan|Advantage|Shield|Cross|Dental)"
    r"(?:[ \t]*\((?:HMO|PPO|EPO|POS|HMO-POS|[A-Z\- ]{2,10})\))?(?![\w])"
)


def _plan_mentions(letter: Letter) -> list[tuple[int, int]]:
    return [match.span() for match in _MENTION.finditer(letter.text)]


_MEDICARE = re.compile(r"\bMedicare\b")


def _merge_products(candidates: dict[str, _PlanCandidate], keep_plan_type: bool) -> None:
    """Names that extend one another are one plan: a product named after its plan ("Allegheny
    Ridge Health Gold PPO") counts for the plan, a short form ("Harborview Dental", "Redwood
    Senior Advantage") for the full name ("... Insurance Company"). A plan-type suffix ("...
    (HMO)") is part of a Medicare Advantage plan's name only; elsewhere the plain name wins."""
    product_words = frozenset(map(fold, load_yaml("intake/markers.yml")["product_words"]))
    for short in sorted(candidates, key=len):
        for long in [key for key in candidates if key.startswith(short + " ")]:
            if short not in candidates:
                break
            extra = long[len(short) :]
            typed = _PLAN_TYPE.search(long) and long.endswith(")")
            only_typed = typed and _PLAN_TYPE.fullmatch(extra)
            if (only_typed and not keep_plan_type) or (
                not typed and product_words & set(extra.split())
            ):
                candidates[short].weight += candidates.pop(long).weight
            else:
                candidates[long].weight += candidates.pop(short).weight


_NAME_CONNECTORS = frozenset({"of", "and", "for", "the", "de", "del", "la", "y"})


def _title_case_if_shouted(name: str) -> str:
    """A name printed only in capitals ("PIKE VALLEY HEALTH PLAN") in the case a member would
    write it; short words that are not connectors stay capitals (HMO, PPO)."""
    if not name.isupper():
        return name
    words = []
    for index, word in enumerate(name.split()):
        bare = word.strip("()")
        if index and word.lower() in _NAME_CONNECTORS:
            words.append(word.lower())
        elif len(bare) <= 3 and word.lower() not in _NAME_CONNECTORS:
            words.append(word)
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _best_printed(printed: list[str]) -> str:
    """The cleanest spelling: mixed case over capitals, the most printed one first."""
    return max(
        printed,
        key=lambda name: (
            not any(char.isdigit() for char in name),
            not name.isupper(),
            printed.count(name),
        ),
    )
