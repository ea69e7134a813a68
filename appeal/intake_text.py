"""Plain-text groundwork for reading a pasted denial letter: cleaning, OCR repair, dates.

Members paste letters from scans, portals and e-mails, so the text arrives with HTML, odd
spaces, control characters and OCR slips ("0ctober 2, 2026", "C1aim"). Standard library only;
appeal/intake.py builds the spaCy reading on top of this.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_RAW_LIMIT = 400_000
"""Raw characters looked at before cleaning: a pasted page with its markup fits many times over,
and the cap bounds the work on hostile input."""

_HIDDEN_BLOCK = re.compile(
    r"<(script|style|head|noscript|template)\b[^<>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_TITLE = re.compile(r"<title\b[^<>]*>.*?(?:</title\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Tags that end a line on screen; table cells become a column gap.
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:br|p|div|tr|li|ul|ol|h[1-6]|table|thead|tbody|section|header|footer|nav|"
    r"article|aside|main|hr|dt|dd|dl|caption|form|fieldset|legend|blockquote|pre)\b[^<>]*>",
    re.IGNORECASE,
)
_CELL_TAG = re.compile(r"<\s*/?\s*(?:td|th)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<[!?][^<>]*>")
_HAS_MARKUP = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I
)
_BOX_VERTICALS = str.maketrans(dict.fromkeys("│┃║╎╏┆┇┊┋", "|"))
"""A box-drawn table's column borders ("│ 10/07/2026 │") read as the pipes of a plain table."""
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_COLUMN_GAP = re.compile(r" {3,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(raw: object) -> tuple[str, bool]:
    """The readable text of a paste and whether the raw paste was cut before cleaning.

    Markup goes (with script and style blocks), entities are decoded, control and invisible
    characters are dropped. Line breaks stay; inside a line, any run of three or more spaces
    becomes two, so two spaces always mean a column gap in a table or form.
    """
    if not isinstance(raw, str):
        return "", False
    cut = len(raw) > _RAW_LIMIT
    text = raw[:_RAW_LIMIT].replace("\r\n", "\n").replace("\r", "\n")
    if _HAS_MARKUP.search(text):
        text = _without_markup(text)
        text = _TAG.sub("", html.unescape(text))  # an entity may have spelled a tag
    text = unicodedata.normalize("NFKC", text)
    text = "".join(_visible_character(char) for char in text).translate(_BOX_VERTICALS)
    lines = (_COLUMN_GAP.sub("  ", line.strip()) for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip(), cut


def _without_markup(text: str) -> str:
    text = _COMMENT.sub(" ", _HIDDEN_BLOCK.sub(" ", _TITLE.sub("\n", text)))
    text = _CELL_TAG.sub("  ", _BLOCK_TAG.sub("\n", text))
    return html.unescape(_TAG.sub("", text))


def _visible_character(char: str) -> str:
    if char in "\n\t":
        return "\n" if char == "\n" else "  "
    category = unicodedata.category(char)
    if category in _DROPPED_CATEGORIES:
        return ""
    if category in ("Zl", "Zp"):
        return "\n"
    return " " if category == "Zs" else char


# OCR repair. Each repair swaps one character for one, so offsets in the repaired text are
# offsets in the cleaned text, and values can be copied "as printed" from the same span.
_WORD = re.compile(r"[A-Za-z0-9]+")
_DATE_LIKE = re.compile(
    r"(?<![\w/])[0-9OoIl]{1,4}(?:[/-][0-9OoIl]{1,4}){2}(?![\w/])|(?<![\w/.\-])[0-9OoIl]{4}(?![\w/])"
)
_DIGIT_LOOKALIKES = str.maketrans("OoIl", "0011")


def repair_ocr(text: str, short_words: frozenset[str] = frozenset()) -> str:
    """Undo the usual scanner slips, keeping every offset.

    Digits inside words become letters ("C1aim", "I11inois", "0ctober", "C0MPANY"), letters
    inside dates and years become digits ("1O/07/2026", "2O26"), and a lower-case "l" in
    a capitalized word becomes "I" ("lD", "lNSURANCE", "CLlNIC"). Identifiers such as
    "BCH004417829" are left alone: their digits are not surrounded by letters. A two-character
    word is repaired only when it becomes one of `short_words` ("0f", "N0", "t0"): too short to
    judge by its letters, and labels such as "Date 0f service" or "Claim N0." hang on them.
    """
    text = _DATE_LIKE.sub(_repaired_date, text)
    return _WORD.sub(lambda match: _repaired_word(match, short_words), text)


def _repaired_date(match: re.Match[str]) -> str:
    value = match.group()
    digits = sum(char.isdigit() for char in value)
    letters = sum(char.isalpha() for char in value)
    if letters == 0 or digits < 2 * letters:
        return value
    return value.translate(_DIGIT_LOOKALIKES)


def _repaired_word(match: re.Match[str], short_words: frozenset[str]) -> str:
    word = match.group()
    if len(word) == 2 and not word.isalpha():
        return _repaired_short_word(word, short_words)
    if len(word) > 1 and word[0] == "l" and word[1:].isupper() and word[1:].isalpha():
        return "I" + word[1:]
    if _is_capitals_with_small_l(word):
        return word.replace("l", "I")
    letters = [char for char in word if char.isalpha()]
    digits = [char for char in word if char.isdigit()]
    if not digits or len(letters) < 2 or not set(digits) <= {"0", "1"}:
        return word
    lower = sum(char.islower() for char in letters) > len(letters) / 2
    if not lower and not all(_between_letters(word, i) for i, c in enumerate(word) if c.isdigit()):
        return word
    if lower and not _plausible_lower_case_slip(word, len(letters)):
        return word
    table = str.maketrans("01", "ol") if lower else str.maketrans("01", "OI")
    return word.translate(table)


def _is_capitals_with_small_l(word: str) -> bool:
    """ "CLlNIC", "ACTlON": a word in capitals but for a small "l" inside it, which a
    scanner prints for "I"."""
    capitals = word.replace("l", "")
    return "l" in word[1:] and len(capitals) >= 3 and capitals.isalpha() and capitals.isupper()


def _repaired_short_word(word: str, short_words: frozenset[str]) -> str:
    """ "0f" -> "of", "N0" -> "NO", "1n" -> "in": one digit and one letter, read as a word."""
    digits = [char for char in word if char in "01"]
    if len(digits) != 1 or not any(char.isalpha() for char in word):
        return word
    upper = word.replace(digits[0], "").isupper()
    for letter in ("o",) if digits[0] == "0" else ("l", "i"):
        candidate = word.replace(digits[0], letter.upper() if upper else letter)
        if candidate.lower() in short_words:
            return candidate
    return word


def _between_letters(word: str, index: int) -> bool:
    """True when the run of digits holding word[index] has a letter on each side ("To11er")."""
    start, end = index, index
    while start > 0 and word[start - 1].isdigit():
        start -= 1
    while end < len(word) - 1 and word[end + 1].isdigit():
        end += 1
    return (
        start > 0 and end < len(word) - 1 and word[start - 1].isalpha() and word[end + 1].isalpha()
    )


def _plausible_lower_case_slip(word: str, letters: int) -> bool:
    """ "c1aim", "0ctober", "appea1": a digit inside, opening, or closing a long word."""
    if any(_between_letters(word, i) for i, c in enumerate(word) if c.isdigit()):
        return True
    if word[0].isdigit() and word[1:].isalpha():
        return letters >= 3
    return word[-1].isdigit() and word[:-1].isalpha() and letters >= 4


# Dates as letters print them.
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12, "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5,
    "junio": 6, "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
    # The scanner's "rn" for "m":
    "septernber": 9, "novernber": 11, "decernber": 12,
}  # fmt: skip
_SPLIT_MONTHS = {
    f"{name[:cut]} {name[cut:]}": number
    for name, number in _MONTHS.items()
    if len(name) >= 5 and name.isascii()
    for cut in range(2, len(name) - 1)
}
"""A scan splits a long month name in two ("Octo ber"); a reader still sees the month."""
_MONTH = "(" + "|".join(sorted([*_MONTHS, *_SPLIT_MONTHS], key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wednes|weds?|thurs?|fri|satur|sun)(?:day)?\.?,?\s+)?"
_BEFORE = r"(?<![\w/.\-])"
_AFTER = r"(?![\w/\-]|\.\d)"
_DATE_PATTERNS = (
    ("ymd", re.compile(rf"{_BEFORE}(\d{{4}})([-/])(\d{{1,2}})\2(\d{{1,2}}){_AFTER}")),
    ("mdy", re.compile(rf"{_BEFORE}(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_AFTER}")),
    (
        "month_day_year",
        re.compile(
            rf"{_BEFORE}{_WEEKDAY}{_MONTH}[ \t]*\n?[ \t]*(\d{{1,2}})(?:st|nd|rd|th)?,?"
            rf"\s{{0,3}}(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "day_month_year",
        re.compile(
            rf"{_BEFORE}{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]{{1,3}}(?:de\s+)?{_MONTH}"
            rf",?[\s\-]{{1,3}}(?:de\s+|del\s+)?(\d{{4}})(?!\d)",
            re.IGNORECASE,
        ),
    ),
)
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class FoundDate:
    """A date printed in the letter, with its place in the text."""

    start: int
    end: int
    value: date


def find_dates(text: str) -> list[FoundDate]:
    """Every real calendar date printed in the text, in order, never overlapping.

    Only dates with a year count: a letter prints the year, and "9/15" in a letter is more often
    a fraction or a page number than a date.
    """
    found: list[FoundDate] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _date_of(kind, match)
            if value is not None:
                found.append(FoundDate(match.start(), match.end(), value))
    found.sort(key=lambda item: (item.start, -item.end))
    kept: list[FoundDate] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept


def _date_of(kind: str, match: re.Match[str]) -> date | None:
    groups = match.groups()
    if kind == "ymd":
        year, month, day = int(groups[0]), int(groups[2]), int(groups[3])
    elif kind == "mdy":
        month, day, year = int(groups[0]), int(groups[2]), _full_year(groups[3])
    elif kind == "month_day_year":
        month, day, year = _month_number(groups[0]), int(groups[1]), int(groups[2])
    else:
        day, month, year = int(groups[0]), _month_number(groups[1]), int(groups[2])
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return _MONTHS.get(name.lower()) or _SPLIT_MONTHS[name.lower()]


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def language_of(words: list[str], english: frozenset[str], spanish: frozenset[str]) -> str:
    """ "en", "es" when Spanish function words outnumber English ones, "other" when neither
    language's function words make up a fair share of the words."""
    english_count = sum(word in english for word in words)
    spanish_count = sum(word in spanish for word in words)
    if english_count + spanish_count < max(3, len(words) // 10):
        return "other"
    return "es" if spanish_count > english_count else "en"
