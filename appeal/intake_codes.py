"""Billing codes printed on a denial letter or EOB: CARC, RARC, CPT/HCPCS and ICD-10-CM.

The shapes are easy (a regex each); telling a procedure code from a ZIP code, a PO box or a
Medicare contract number is not, so each candidate is judged by the label nearest before it on
its line (knowledge/intake/fields.yml `codes`), by the table row it sits in, or by the list it
continues ("CPT 77522, 77525").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from appeal.knowledge import load_yaml

_CARC = re.compile(
    r"(?<![\w\-])(CO|PR|OA|PI|CR)[ \t]?[-–]?[ \t]?([A-Z]\d{1,2}|\d{1,3})(?!\w|\.\d|[-/]\d)"
)
_RARC = re.compile(r"(?<![\w.\-])(MA\d{2,3}|N\d{1,3}|M\d{1,3})(?!\w|\.\w|-\d)")
_PROCEDURE = re.compile(r"(?<![\w$.,/\-])(\d{5}|\d{4}[FTU]|[A-V]\d{4})(?![\w/\-]|[.,]\d)")
_ICD = re.compile(r"(?<![\w.\-])([A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?![\w\-]|\.\w)")
MONEY = re.compile(
    r"\$\s?\d[\d,]*\.\d{2}|(?<![\w$.,/\-])\d{1,3}(?:,\d{3})*\.\d{2}(?![\w.%/\-]|,\d)"
)
"""An amount, with or without its dollar sign: claim tables often print "2,140.00" bare."""
# "(99244)", "(77522, 77525)", "wrist  (99213": codes in brackets right after the words they name.
_BRACKETED = re.compile(r"[A-Za-z][ \t]{0,2}\([ \t]*$")
_LIST_GAP = re.compile(
    r"(?:[ \t]*\([^()\n]{1,60}\))?[\s,;/&]*(?:(?:and|or|y)\b)?[\s,;/&]*", re.IGNORECASE
)
"""Between two codes of a list, each perhaps glossed: "97110 (therapeutic exercise), 97140"."""
_GLOSSARY_TAIL = re.compile(r"[ \t]*(?:[-–:]{1,2}[ \t]*)?\(?[A-Za-z]")
_BULLET = re.compile(r"(?:[-*•·–]|\d{1,2}[.)])[ \t]*")
_ADJACENT = re.compile(r"[\s:#.\-()]*(?:(?:no|number|nbr|num)\.?)?[\s:#.\-]*(?:[A-Z]{2}\s+)?")
_LABEL_WINDOW = 48
"""How far back on its line a label still names a code ("Diagnosis codes submitted: R62.50")."""
_CELL_GAP = re.compile(r"  +|[ \t]?\|[ \t]?")
_RULE_LINE = re.compile(r"[\s\-=_|+*]*")
_HEADER_REACH = 6
"""How many lines above a table row its column header may be (rows, rules and wraps between)."""


@dataclass(frozen=True)
class Code:
    """One code as found: its place in the text and its value in the report's form."""

    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Codes:
    """The codes of one letter, each list in order of first appearance."""

    carc: tuple[Code, ...]
    rarc: tuple[Code, ...]
    procedure: tuple[Code, ...]
    diagnosis: tuple[Code, ...]


def find_codes(text: str) -> Codes:
    """Every code printed in the (OCR-repaired) letter text, judged by its context."""
    carc = tuple(
        Code(match.start(), match.end(), f"{match.group(1)}-{_carc_number(match.group(2))}")
        for match in _CARC.finditer(text)
    )
    diagnosis = _diagnosis_codes(text)
    taken = {(code.start, code.end) for code in diagnosis}
    rarc = _remark_codes(text, carc, taken)
    procedure = _procedure_codes(text)
    return Codes(carc, rarc, procedure, diagnosis)


def is_paid_line_code(carc: str) -> bool:
    """True for a cost-share or contract code (PR-3, CO-45): the line was paid, not denied."""
    return carc.split("-", 1)[1] in _settings().paid_codes


def line_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end offsets of the line holding `position`."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def is_column(text: str, start: int, end: int) -> bool:
    """True when text[start:end] stands alone in a table column (line edge or a 2-space gap)."""
    line_start, line_end = line_bounds(text, start)
    before = text[line_start:start]
    after = text[end:line_end]
    return (not before.strip() or before.endswith("  ") or before.endswith("| ")) and (
        not after.strip() or after.startswith("  ") or after.startswith(" |")
    )


def _carc_number(number: str) -> str:
    return number if number[0].isalpha() else str(int(number))


def _procedure_codes(text: str) -> tuple[Code, ...]:
    found: list[Code] = []
    for match in _PROCEDURE.finditer(text):
        label = _nearest_label(text, match.start())
        continues = bool(found) and _continues_list(text, found[-1], match.start())
        if label == "not_code" or label in ("diagnosis", "remark"):
            continue
        bracketed = bool(_BRACKETED.search(text, max(0, match.start() - 5), match.start()))
        if (
            label == "procedure"
            or continues
            or bracketed
            or _in_table_row(text, match)
            or _opens_code_line(text, match)
            or _wrapped_under_row(text, match)
        ):
            found.append(Code(match.start(), match.end(), match.group(1)))
    return tuple(found)


def _in_table_row(text: str, match: re.Match[str]) -> bool:
    """A code in its own column of a line with amounts (a long description may run into it)."""
    line_start, line_end = line_bounds(text, match.start())
    after = text[match.end() : line_end]
    return (
        bool(MONEY.search(text, line_start, line_end))
        and (match.start() == line_start or text[match.start() - 1] in " |")
        and (not after.strip() or after.startswith("  ") or after.startswith(" |"))
    )


def _opens_code_line(text: str, match: re.Match[str]) -> bool:
    """ "81415  Exome sequence analysis", "- J1745  Injection, ...": a code (perhaps after a
    list bullet), a column gap, then its description."""
    line_start, _ = line_bounds(text, match.start())
    before = text[line_start : match.start()]
    return (not before.strip() or bool(_BULLET.fullmatch(before))) and bool(
        _UNITS_THEN_DESCRIPTION.match(text, match.end())
    )


_UNITS_THEN_DESCRIPTION = re.compile(r"(?:[ \t]*[x×][ \t]?\d{1,3})?  +[A-Za-z]")
"""After a code: perhaps its units ("95004 x 40"), then a column gap and its description."""


def _wrapped_under_row(text: str, match: re.Match[str]) -> bool:
    """ "(99214)" alone on the line below a claim row: the row's description cell wrapped."""
    line_start, line_end = line_bounds(text, match.start())
    if text[line_start:line_end].strip() != f"({match.group()})" or line_start == 0:
        return False
    row_start, row_end = line_bounds(text, line_start - 1)
    return len(MONEY.findall(text, row_start, row_end)) >= 2


def _diagnosis_codes(text: str) -> tuple[Code, ...]:
    found: list[Code] = []
    undotted: Code | None = None  # the last code without its dot, not yet accepted
    for match in _ICD.finditer(text):
        code = Code(match.start(), match.end(), match.group(1))
        label = _nearest_label(text, match.start())
        continues = bool(found) and _continues_list(text, found[-1], match.start())
        # The dotted shape ("M54.16") is a diagnosis code wherever it is printed; without its
        # dot ("G35") a code counts only after a diagnosis label or in a list of them, also
        # when a dotted code continues it ("N62 (hypertrophy of breast) and M54.2").
        if "." in code.value or label == "diagnosis" or continues:
            if undotted is not None and _continues_list(text, undotted, code.start):
                found.append(undotted)
            found.append(code)
            undotted = None
        else:
            undotted = code
    return tuple(found)


def _remark_codes(
    text: str, carc: tuple[Code, ...], taken: set[tuple[int, int]]
) -> tuple[Code, ...]:
    found: list[Code] = []
    has_adjustments = bool(carc) or "remark" in text.lower()
    for match in _RARC.finditer(text):
        if (match.start(), match.end()) in taken:
            continue
        label = _nearest_label(text, match.start())
        if label in ("diagnosis", "not_code"):
            continue
        line_start, line_end = line_bounds(text, match.start())
        beside_carc = any(line_start <= code.start < line_end for code in carc)
        continues = bool(found) and _continues_list(text, found[-1], match.start())
        glossary = has_adjustments and _opens_glossary_entry(text, match, line_start)
        under_carc = _alone_under_carc(text, carc, line_start, line_end)
        if label == "remark" or beside_carc or continues or glossary or under_carc:
            found.append(Code(match.start(), match.end(), match.group(1)))
    return tuple(found)


def _alone_under_carc(text: str, carc: tuple[Code, ...], line_start: int, line_end: int) -> bool:
    """A table cell that wrapped: "CO-149" on a row and the remark code alone on the line
    below, with nothing but table borders and other codes beside it."""
    if line_start == 0:
        return False
    rest = re.sub(r"\b(?:MA\d{2,3}|N\d{1,3}|M\d{1,3})\b", "", text[line_start:line_end])
    if rest.strip(" \t|│┃¦:"):
        return False
    row_start, row_end = line_bounds(text, line_start - 1)
    return any(row_start <= code.start < row_end for code in carc)


def _opens_glossary_entry(text: str, match: re.Match[str], line_start: int) -> bool:
    """ "M62     Missing/incomplete...", "M127 -- Missing patient...": a code explained."""
    before = text[line_start : match.start()]
    opens = not before.strip() or before.endswith("  ")
    return opens and bool(_GLOSSARY_TAIL.match(text, match.end()))


def _continues_list(text: str, previous: Code, start: int) -> bool:
    """True when only commas, "and", spaces or the previous code's gloss separate this code
    from the code before it."""
    gap = text[previous.end : start]
    unglossed = re.sub(r"\([^()]*\)", "", gap)
    return len(gap) > 0 and len(unglossed) <= 12 and _LIST_GAP.fullmatch(gap) is not None


def _nearest_label(text: str, position: int) -> str | None:
    """The kind of the last code label before `position` on its line ("procedure",
    "diagnosis", "remark", "not_code"), or None."""
    line_start, _ = line_bounds(text, position)
    line_above = not text[line_start:position].strip() and line_start > 0
    if line_above:  # "(CPT" + line break + code
        line_start, _ = line_bounds(text, line_start - 1)
    window_start = max(line_start, position - _LABEL_WINDOW)
    window = text[window_start:position].lower()
    settings = _settings()
    kind = None
    for match in settings.labels.finditer(window):
        kind = settings.kinds[match.lastgroup or ""]
        # "ZIP 95661", "Group: 88017" name the number; "the claim for a visit (99244)" does
        # not, nor does a heading's last word over a list ("Services on this claim:").
        if kind == "not_code" and (line_above or not _ADJACENT.fullmatch(window[match.end() :])):
            kind = None
    return kind if kind is not None else _column_header_kind(text, position)


def _column_header_kind(text: str, position: int) -> str | None:
    """The kind of code a table's column header names ("Procedure codes", "DX") for a value
    in that column of a row below it. Cleaning narrows column gaps to two spaces, so the
    column is found by its place among the row's cells, not by its offset."""
    line_start, line_end = line_bounds(text, position)
    if len(_CELL_GAP.split(text[line_start:line_end].strip())) < 2:
        return None
    column = len(_CELL_GAP.findall(text[line_start:position].lstrip()))
    above = line_start - 1
    for _ in range(_HEADER_REACH):
        if above <= 0:
            return None
        start, end = line_bounds(text, above)
        line = text[start:end].strip()
        above = start - 1
        if not line:
            return None  # a blank line ends the table
        if _RULE_LINE.fullmatch(line) or re.search(r"\d", line):
            continue  # a ruled line or another row
        cells = _CELL_GAP.split(line)
        if len(cells) < 2 or column >= len(cells):
            return None
        kinds = [
            _settings().kinds[m.lastgroup or ""]
            for m in _settings().labels.finditer(cells[column].lower())
        ]
        return kinds[-1] if kinds else None
    return None


@dataclass(frozen=True)
class _Settings:
    labels: re.Pattern[str]
    """Every code label, longest first, each in a group named after its kind and number."""
    kinds: dict[str, str]
    paid_codes: frozenset[str]


@functools.cache
def _settings() -> _Settings:
    codes = load_yaml("intake/fields.yml")["codes"]
    by_kind = {
        "procedure": codes["procedure_labels"],
        "diagnosis": codes["diagnosis_labels"],
        "remark": codes["remark_labels"],
        "not_code": codes["not_code_labels"],
    }
    # Longest first, so "zip code" is read whole and not as the procedure label "code".
    labels = sorted(
        (
            (str(label).lower(), kind)
            for kind, names in by_kind.items()
            for name in [names]
            for label in name
        ),
        key=lambda item: -len(item[0]),
    )
    groups = {f"label{index}": kind for index, (_, kind) in enumerate(labels)}
    alternatives = "|".join(
        f"(?P<label{index}>{re.escape(label)})" for index, (label, _) in enumerate(labels)
    )
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    paid = frozenset(str(code) for code in load_yaml("intake/reasons.yml")["paid_codes"])
    return _Settings(pattern, groups, paid)
