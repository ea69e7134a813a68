"""Letters a member can print, sign and send: an appeal, an urgent appeal, an outside review
request, a claim file request and a request to their doctor, as chat text, PDF and Word.

The wording lives in Jinja templates in knowledge/letters/; this module feeds them the member's
facts, the dated deadline from the rules engine and the offices from the directory, then reads
the simple line markup they emit into blocks that each output format draws its own way.

A member's own words end up in a document they sign and in files other programs open, so they
are cleaned once on the way in (one line, no markup, no control characters, capped), missing
facts become marked blanks rather than guesses, and the PDF and Word writers only ever see
blocks, never markup they could be tricked by.
"""

from __future__ import annotations

import importlib.resources
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timezone
from enum import Enum
from functools import cache
from typing import Any, Protocol

import docx
import jinja2
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt
from fpdf import FPDF
from jinja2.sandbox import SandboxedEnvironment

from appeal.dates import format_date
from appeal.deadlines import AppealPlan, CaseFacts, Stage, plan_appeal
from appeal.directory import HelpLine, lines_for_office, referral
from appeal.guidance import TriageAnswers, plan_type_label, reasons, state_name
from appeal.knowledge import KNOWLEDGE_DIR, load_yaml
from appeal.rules import filing_window
from appeal.text import clean_member_text

LETTER_TYPES: tuple[str, ...] = (
    "internal_appeal",
    "expedited_appeal",
    "external_review",
    "claim_file_request",
    "medical_necessity_request",
)
TEMPLATES_DIR = KNOWLEDGE_DIR / "letters"
MAX_VALUE_CHARS = 200
"""A member's value longer than this is cut on a word boundary and ends with "…"."""

# A blank in rendered text is wrapped in two private-use characters, which a member's value can
# never contain (they are removed on the way in), so no value can pose as a blank.
_BLANK_OPEN, _BLANK_CLOSE = "\ue000", "\ue001"
_BLANK = re.compile(f"{_BLANK_OPEN}([^{_BLANK_OPEN}{_BLANK_CLOSE}]*){_BLANK_CLOSE}")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_MARKUP_CHARACTERS = re.compile(r"[<>\[\]`]")
# What the template markup means at the start of a line; never allowed to open a value.
_LINE_MARKUP = re.compile(r"^[\s#\-|*+>•]+")
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EXTENSION = re.compile(r"[a-z0-9]{2,4}")


class BlockKind(str, Enum):
    """What a block of a letter is, which decides how each format draws it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"  # one line of wrapped text
    LINES = "lines"  # lines kept as written (addresses, the case details)
    BULLETS = "bullets"
    CHECKLIST = "checklist"  # boxes the member ticks
    PAGE_BREAK = "page_break"  # what follows is for the member, not for the recipient


@dataclass(frozen=True)
class Span:
    """A run of text; `blank` marks a fact left for the member to fill in (its label)."""

    text: str
    blank: bool = False

    @property
    def plain(self) -> str:
        return f"[{self.text}]" if self.blank else self.text


Line = tuple[Span, ...]


@dataclass(frozen=True)
class LetterBlock:
    """One heading, paragraph, list or break; `lines` holds its lines or items."""

    kind: BlockKind
    lines: tuple[Line, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        """Each line or item as plain text, blanks in square brackets."""
        return tuple("".join(span.plain for span in line) for line in self.lines)


@dataclass(frozen=True)
class LetterFacts:
    """What we know for a letter; anything None becomes a marked blank, never a guess."""

    member_name: str | None = None
    member_id: str | None = None
    claim_number: str | None = None
    plan_name: str | None = None
    denied_service: str | None = None
    service_date: date | None = None
    notice_date: date | None = None
    doctor_name: str | None = None
    denial_reason: str | None = None  # a knowledge/reasons.yml key or "other"
    us_state: str | None = None  # two-letter code
    plan_type: str | None = None  # canonical plan type (messages.yml plan_type_labels)
    ca_regulator: str | None = None  # "dmhc" / "cdi" / None
    urgency: str | None = None  # "urgent" / "not_urgent" / "unknown", as the triage slot
    appeal_stage: str | None = None  # "first_denial" / "internal_appeal_denied" / "unknown"


@dataclass(frozen=True)
class Letter:
    letter_type: str
    title: str
    blocks: tuple[LetterBlock, ...]
    blanks: tuple[str, ...]
    """Labels of the facts left blank, in the order they first appear."""
    sources: tuple[str, ...]
    """The citations the letter relies on, each with its confidence mark."""
    written_on: date | None = None
    """The letter's date; also the PDF's creation date, so the same letter gives the same file."""


# --- the member's values ---------------------------------------------------------------------


def member_value(value: object) -> str:
    """A member's value as it may appear in a letter: one line of plain text, at most
    MAX_VALUE_CHARS (+ "…"), with no tags, control or private-use characters, no brackets
    that could pass for a blank, and nothing at its start that reads as line markup."""
    if not isinstance(value, str):
        return ""
    text = clean_member_text(value, MAX_VALUE_CHARS)
    text = "".join(char for char in text if unicodedata.category(char) not in _DROPPED_CATEGORIES)
    text = " ".join(_MARKUP_CHARACTERS.sub(" ", text).split())
    return _LINE_MARKUP.sub("", text)


@dataclass(frozen=True)
class Blank:
    """A fact the member fills in. False in a template `if`, marked when printed."""

    label: str

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"{_BLANK_OPEN}{self.label}{_BLANK_CLOSE}"


def _one_line(value: object) -> str:
    """Every `{{ ... }}` output: whatever it holds, it cannot start or break a line."""
    if value is None:
        return ""
    text = "".join(
        char
        for char in str(value)
        if char in (_BLANK_OPEN, _BLANK_CLOSE) or unicodedata.category(char) not in ("Cc", "Cs")
    )
    return _LINE_MARKUP.sub("", " ".join(text.split()))


# --- sources a letter cites --------------------------------------------------------------------


class Cited(Protocol):
    @property
    def citation(self) -> str: ...

    @property
    def confidence(self) -> str: ...


@dataclass(frozen=True)
class Sourced:
    """A sentence of knowledge/letters/letters.yml with its citation and confidence mark."""

    text: str
    citation: str
    confidence: str


_cited: ContextVar[list[str] | None] = ContextVar("letter_sources", default=None)


@contextmanager
def _collecting_sources() -> Iterator[list[str]]:
    collected: list[str] = []
    token = _cited.set(collected)
    try:
        yield collected
    finally:
        _cited.reset(token)


def _record(source: str) -> None:
    collected = _cited.get()
    if collected is not None and source not in collected:
        collected.append(source)


def _confidence_note(mark: str) -> str:
    return str(load_yaml("messages.yml")["rule_confidence_notes"].get(mark, "not confirmed"))


def cite(item: Cited, mark: bool = False) -> str:
    """The citation to print after a statement, recorded among the letter's sources; with
    `mark`, followed by how sure the source is (for the member's notes, not the recipient)."""
    note = _confidence_note(item.confidence)
    _record(f"{item.citation} ({item.confidence}: {note})")
    return f"{item.citation}; {note}" if mark else item.citation


def _advice_sources(reason: Mapping[str, Any]) -> str:
    """Where the advice on a denial reason comes from (reasons.yml), recorded as sources."""
    names = [re.sub(r"\s*\(seeds? [^)]*\)", "", str(source)) for source in reason["sources"]]
    names = list(dict.fromkeys(names))
    for name in names:
        _record(f"{name} (source of the advice on your denial reason)")
    return "; ".join(names)


# --- the template environment -----------------------------------------------------------------


@cache
def _settings() -> dict[str, Any]:
    return dict(load_yaml("letters/letters.yml"))


@cache
def _environment() -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        finalize=_one_line,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(
        blank=_named_blank,
        cite=cite,
        advice_sources=_advice_sources,
        sources_so_far=lambda: tuple(_cited.get() or ()),
        days=_days,
    )
    environment.filters["date_text"] = format_date
    environment.filters["sentence_case"] = _sentence_case
    environment.filters["unstop"] = lambda text: str(text).rstrip(" .")
    return environment


def _named_blank(key: str) -> Blank:
    return Blank(str(_settings()["blanks"][key]))


def _sentence_case(text: str) -> str:
    """First letter up, the rest untouched ("the IMR reviewer" -> "The IMR reviewer")."""
    return text[:1].upper() + text[1:]


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


# --- what a template is given ------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """An office from the directory as a letter names it; numbers are never typed anywhere."""

    name: str
    phones: str
    tty: str
    url: str
    office: str
    trust: str


def _trust(mark: str) -> str:
    """How sure the directory is of a value, in words (messages.yml confidence_notes)."""
    return str(load_yaml("messages.yml")["confidence_notes"].get(mark, "not verified yet"))


def _contact(line: HelpLine) -> Contact:
    marks = {number.confidence for number in line.voice or line.numbers}
    trust = "; ".join(sorted({_trust(mark) for mark in marks}))
    return Contact(
        name=line.name,
        phones=", ".join(number.phone for number in line.voice),
        tty=", ".join(number.phone for number in line.tty),
        url=line.url,
        office=line.office,
        trust=trust,
    )


def _member_fields(facts: LetterFacts) -> dict[str, object]:
    """Every member-supplied field, cleaned (free text) or spelled out (dates), else a blank.
    Built from the dataclass's own fields, so a field added later cannot skip the cleaning."""
    labels = _settings()["blanks"]
    values: dict[str, object] = {}
    for field in fields(facts):
        if field.name not in labels:
            continue  # the case's facts (state, plan type, ...) are read, never printed
        raw = getattr(facts, field.name)
        text = format_date(raw) if isinstance(raw, date) else member_value(raw)
        values[field.name] = text or Blank(str(labels[field.name]))
    return values


def _canonical(value: str | None, allowed: Sequence[str] | Mapping[str, Any]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _case(facts: LetterFacts) -> CaseFacts:
    state = facts.us_state.strip().upper() if isinstance(facts.us_state, str) else None
    answers = TriageAnswers(
        us_state=state,
        plan_type=_canonical(facts.plan_type, load_yaml("messages.yml")["plan_type_labels"]),
        notice_date=facts.notice_date.isoformat() if facts.notice_date else None,
        denied_service=None,
        denial_reason=_canonical(facts.denial_reason, reasons()),
        urgency=_canonical(facts.urgency, ("urgent", "not_urgent")),
        appeal_stage=_canonical(facts.appeal_stage, ("first_denial", "internal_appeal_denied")),
        ca_regulator=_canonical(facts.ca_regulator, ("dmhc", "cdi")),
    )
    return answers.facts()


def _letter_stage(letter_type: str, appeal_denied: bool) -> Stage:
    """The step whose deadline a letter is about."""
    if letter_type in ("internal_appeal", "expedited_appeal"):
        return Stage.FIRST_DENIAL
    if letter_type == "external_review":
        return Stage.APPEAL_DENIED
    return Stage.APPEAL_DENIED if appeal_denied else Stage.FIRST_DENIAL


def _plans(
    letter_type: str, case: CaseFacts, appeal_denied: bool, today: date
) -> tuple[AppealPlan, AppealPlan]:
    """The plan for the letter's own step, and the one from the first denial (which holds the
    ways to reach the independent step early). The notice date counts only when it is the
    notice that starts this step's clock (a first denial for the appeal, the plan's final
    answer for the outside review), and never when it is after today."""
    stage = _letter_stage(letter_type, appeal_denied)
    notice = case.notice_date if case.notice_date and case.notice_date <= today else None
    starts_clock = (stage is Stage.APPEAL_DENIED) == appeal_denied
    urgent = case.urgent or letter_type == "expedited_appeal"
    letter_case = replace(
        case, stage=stage, notice_date=notice if starts_clock else None, urgent=urgent
    )
    plan = plan_appeal(letter_case, today)
    if stage is Stage.FIRST_DENIAL:
        return plan, plan
    return plan, plan_appeal(replace(letter_case, stage=Stage.FIRST_DENIAL), today)


def _appeal_name(case: CaseFacts) -> dict[str, str]:
    """What the plan's own first review is called ("grievance" for a DMHC plan), and a title."""
    names = _settings()["appeal_names"]
    window = filing_window(Stage.FIRST_DENIAL.value, case.plan_type, case.state, case.regulator)
    return dict(names.get(window.id if window else "", names["default"]))


def _review_letter(plan: AppealPlan) -> dict[str, str]:
    """How the outside review letter reads for the rule that applies (letters.yml)."""
    letters = _settings()["review_letters"]
    window = plan.next_step.window.id if plan.next_step else ""
    return dict(letters.get(window, letters["external_review_unknown_plan"]))


def _context(letter_type: str, facts: LetterFacts, today: date) -> dict[str, Any]:
    case = _case(facts)
    appeal_denied = facts.appeal_stage == "internal_appeal_denied"
    plan, first = _plans(letter_type, case, appeal_denied, today)
    found = referral(case.state, case.plan_type, case.regulator)
    lines = [*found.lines, *([found.fallback] if found.fallback else [])]
    reason_key = _canonical(facts.denial_reason, reasons()) or "other"
    reason = reasons()[reason_key]
    where = state_name(case.state)
    contacts = [_contact(line) for line in lines]
    review_letter = _review_letter(plan)
    sourced = {
        key: Sourced(str(entry["text"]), str(entry["citation"]), str(entry["confidence"]))
        for key, entry in _settings()["sourced"].items()
    }
    return {
        **_member_fields(facts),
        "letter_type": letter_type,
        "today": format_date(today),
        "state_name": where,
        "plan_type": case.plan_type,
        "plan_label": plan_type_label(case.plan_type),
        "urgent": case.urgent or letter_type == "expedited_appeal",
        "member_says_urgent": case.urgent,
        "urgency": _canonical(facts.urgency, ("urgent", "not_urgent")),
        "appeal_denied": appeal_denied,
        "reason_key": reason_key,
        "reason_named": reason_key != "other",
        "reason": reason,
        "letter_enclosures": _settings()["enclosures"][reason_key],
        "appeal": _appeal_name(case),
        "step": plan.next_step,
        "decision": plan.decision,
        "urgent_route": first.urgent_route if not appeal_denied else None,
        "late_options": plan.late_options,
        "later_step": plan.later_step,
        "later_decision": plan.later_decision,
        # ways to skip ahead of the plan's answer, moot once the plan has answered
        "shortcuts": () if appeal_denied else first.shortcuts,
        "route": found.route,
        "regulator_name": found.route.regulator.format(state=where or "your state"),
        "review": found.review_route,
        "review_trust": _trust(found.review_route.confidence) if found.review_route else "",
        "review_letter": review_letter,
        "review_recipient": next(
            (c.name for c in contacts if c.office == review_letter.get("office")), None
        ),
        "contacts": contacts,
        "emergency": [_contact(line) for line in lines_for_office("emergency", None)],
        "sourced": sourced,
    }


# --- drafting ---------------------------------------------------------------------------------


def letter_label(letter_type: str) -> str:
    """The plain-English name of a letter, for buttons and messages."""
    return str(_letter_settings(letter_type)["label"])


def _letter_settings(letter_type: str) -> Mapping[str, Any]:
    if letter_type not in LETTER_TYPES:
        raise ValueError(f"unknown letter type: {letter_type!r}")
    entry: Mapping[str, Any] = _settings()["letters"][letter_type]
    return entry


def facts_from_answers(
    answers: TriageAnswers,
    *,
    member_name: str | None = None,
    member_id: str | None = None,
    claim_number: str | None = None,
    plan_name: str | None = None,
    service_date: date | None = None,
    doctor_name: str | None = None,
) -> LetterFacts:
    """LetterFacts from the triage answers and the member's details for the letter; a skipped
    answer or detail ("unknown") is not known, so it becomes a blank."""

    def known(value: str | None) -> str | None:
        return None if value in (None, "", "unknown") else value

    notice = known(answers.notice_date)
    try:
        notice_date = date.fromisoformat(notice) if notice else None
    except ValueError:
        notice_date = None
    return LetterFacts(
        member_name=known(member_name),
        member_id=known(member_id),
        claim_number=known(claim_number),
        plan_name=known(plan_name),
        denied_service=known(answers.denied_service),
        service_date=service_date,
        notice_date=notice_date,
        doctor_name=known(doctor_name),
        denial_reason=known(answers.denial_reason),
        us_state=known(answers.us_state),
        plan_type=known(answers.plan_type),
        ca_regulator=known(answers.ca_regulator),
        urgency=known(answers.urgency),
        appeal_stage=known(answers.appeal_stage),
    )


def draft_letter(letter_type: str, facts: LetterFacts, today: date) -> Letter:
    """The letter of this type for these facts, dated `today`."""
    _letter_settings(letter_type)
    template = _environment().get_template(f"{letter_type}.j2")
    with _collecting_sources() as sources:
        rendered = template.render(_context(letter_type, facts, today))
    title, blocks = parse_markup(rendered)
    blanks = [span.text for block in blocks for line in block.lines for span in line if span.blank]
    return Letter(
        letter_type=letter_type,
        title=title,
        blocks=blocks,
        blanks=tuple(dict.fromkeys(blanks)),
        sources=tuple(sources),
        written_on=today,
    )


# --- the template markup -------------------------------------------------------------------------

_PREFIXES = (
    ("## ", BlockKind.HEADING),
    ("- ", BlockKind.BULLETS),
    ("[ ] ", BlockKind.CHECKLIST),
    ("| ", BlockKind.LINES),
)


def parse_markup(rendered: str) -> tuple[str, tuple[LetterBlock, ...]]:
    """Blocks from the line markup the templates emit:

        # Title              the first line, once
        ## Heading
        - bullet             consecutive items make one list
        [ ] checklist item
        | kept line          consecutive lines keep their line breaks (addresses)
        ---                  page break
        (empty line)         ends a paragraph; other lines run together into one

    Values never hold a line break or start a line with markup (see `member_value`), so only
    the templates' own text can make a block.
    """
    lines = [line.strip() for line in rendered.split("\n")]
    content = [line for line in lines if line]
    if not content or not content[0].startswith("# "):
        raise ValueError("a letter template must start with '# Title'")
    title = content[0][2:].strip()
    blocks: list[LetterBlock] = []
    kind: BlockKind | None = None
    pending: list[str] = []

    def flush() -> None:
        nonlocal kind, pending
        if kind is not None and pending:
            if kind is BlockKind.PARAGRAPH:
                pending = [" ".join(pending)]
            blocks.append(LetterBlock(kind, tuple(_spans(text) for text in pending)))
        kind, pending = None, []

    for line in lines[lines.index(content[0]) + 1 :]:
        if line.startswith("# "):
            raise ValueError(f"a second title in a letter template: {line!r}")
        if not line:
            flush()
            continue
        if line == "---":
            flush()
            blocks.append(LetterBlock(BlockKind.PAGE_BREAK))
            continue
        line_kind, text = next(
            (
                (found, line[len(prefix) :])
                for prefix, found in _PREFIXES
                if line.startswith(prefix)
            ),
            (BlockKind.PARAGRAPH, line),
        )
        if line_kind is BlockKind.HEADING or line_kind is not kind:
            flush()
        kind = line_kind
        if text.strip():
            pending.append(text.strip())
        if line_kind is BlockKind.HEADING:
            flush()
    flush()
    return title, tuple(blocks)


def _spans(text: str) -> Line:
    spans: list[Span] = []
    position = 0
    for match in _BLANK.finditer(text):
        if match.start() > position:
            spans.append(Span(text[position : match.start()]))
        spans.append(Span(match.group(1), blank=True))
        position = match.end()
    if position < len(text):
        spans.append(Span(text[position:]))
    return tuple(spans)


# --- output formats ---------------------------------------------------------------------------


_TEXT_MARKERS = {BlockKind.BULLETS: "• ", BlockKind.CHECKLIST: "[ ] "}


def letter_text(letter: Letter) -> str:
    """The letter as plain text for the chat window: blanks in square brackets."""
    out = [letter.title.upper(), ""]
    for block in letter.blocks:
        if block.kind is BlockKind.PAGE_BREAK:
            out += ["— — —", ""]
            continue
        marker = _TEXT_MARKERS.get(block.kind, "")
        out += [*(f"{marker}{text}" for text in block.texts), ""]
    return "\n".join(out).rstrip() + "\n"


def letter_filename(letter: Letter, extension: str) -> str:
    """A safe ASCII file name that says what the letter is and nothing about the member."""
    if not _EXTENSION.fullmatch(extension):
        raise ValueError(f"unsafe file extension: {extension!r}")
    return f"{_letter_settings(letter.letter_type)['filename']}.{extension}"


_FONT_FOLDER = "mpl-data/fonts/ttf"
_PDF_FAMILY = "DejaVu"
_PDF_MARGIN = 22.0  # mm
_PDF_INDENT = 6.0  # mm, for list items
_CHECKBOX = "☐"
_TOKEN = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class _PdfStyle:
    size: float
    line_height: float
    bold: bool = False


_TITLE = _PdfStyle(15, 7.5, bold=True)
_HEADING = _PdfStyle(12, 6.5, bold=True)
_BODY = _PdfStyle(11, 5.6)
_Piece = tuple[str, bool]  # text, is a blank


def _font_path(name: str) -> str:
    """A DejaVu font shipped inside matplotlib (a Rasa dependency), so nothing is downloaded."""
    return str(importlib.resources.files("matplotlib") / _FONT_FOLDER / name)


class _LetterPdf(FPDF):
    """An FPDF that lays out lines itself: fpdf's own wrapping measures each line again for
    every character, which made a two-page letter take most of a second."""

    def __init__(self) -> None:
        super().__init__(format="Letter")
        self.set_margins(_PDF_MARGIN, _PDF_MARGIN, _PDF_MARGIN)
        self.set_auto_page_break(True, margin=_PDF_MARGIN)
        self.add_font(_PDF_FAMILY, "", _font_path("DejaVuSans.ttf"))
        self.add_font(_PDF_FAMILY, "B", _font_path("DejaVuSans-Bold.ttf"))
        regular = self.fonts[_PDF_FAMILY.lower()]
        bold = self.fonts[f"{_PDF_FAMILY.lower()}B"]
        self._glyphs = set(getattr(regular, "cmap", {})) & set(getattr(bold, "cmap", {}))
        self._widths: dict[tuple[str, bool, float], float] = {}

    def footer(self) -> None:
        self.set_y(-15)
        self._use(False, 8)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")

    def safe(self, text: str) -> str:
        """The text with every character the fonts cannot draw (emoji, Chinese) as "?"."""
        return "".join(char if char == " " or ord(char) in self._glyphs else "?" for char in text)

    def _use(self, bold: bool, size: float, underline: bool = False) -> None:
        self.set_font(_PDF_FAMILY, ("B" if bold else "") + ("U" if underline else ""), size)

    def _width(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold, size)
        if key not in self._widths:
            self._use(bold, size)
            self._widths[key] = self.get_string_width(text)
        return self._widths[key]

    def paragraph(
        self, line: Line, style: _PdfStyle, indent: float = 0.0, marker: str = ""
    ) -> None:
        """One line of spans, wrapped to the page; a blank is bold and underlined."""
        pieces = [(self.safe(span.plain), span.blank) for span in line]
        rows = self._wrap(pieces, style, self.epw - indent)
        for number, row in enumerate(rows):
            if self.will_page_break(style.line_height):
                self.add_page()
            if marker and number == 0:
                self.set_x(self.l_margin)
                self._use(style.bold, style.size)
                self.cell(indent, style.line_height, marker)
            self.set_x(self.l_margin + indent)
            for text, blank in _merged(row):
                bold = style.bold or blank
                self._use(bold, style.size, underline=blank)
                self.cell(self._width(text, bold, style.size), style.line_height, text)
            self.ln(style.line_height)

    def _wrap(self, pieces: list[_Piece], style: _PdfStyle, room: float) -> list[list[_Piece]]:
        rows: list[list[_Piece]] = []
        row: list[_Piece] = []
        used = 0.0
        gap: _Piece | None = None
        for text, blank in pieces:
            bold = style.bold or blank
            for token in _TOKEN.findall(text):
                if token.isspace():
                    gap = (" ", blank) if row else None
                    continue
                for part in self._fitting_parts(token, bold, style.size, room):
                    width = self._width(part, bold, style.size)
                    gap_width = self._width(" ", gap[1] or style.bold, style.size) if gap else 0
                    if row and used + gap_width + width > room:
                        rows.append(row)
                        row, used, gap, gap_width = [], 0.0, None, 0.0
                    if gap:
                        row.append(gap)
                        used += gap_width
                    row.append((part, blank))
                    used += width
                    gap = None
        if row:
            rows.append(row)
        return rows or [[("", False)]]

    def _fitting_parts(self, word: str, bold: bool, size: float, room: float) -> list[str]:
        """A word too wide for a line (a pasted ID, a URL) cut into parts that fit."""
        if self._width(word, bold, size) <= room:
            return [word]
        parts, part = [], ""
        for char in word:
            if part and self._width(part + char, bold, size) > room:
                parts.append(part)
                part = ""
            part += char
        return [*parts, part] if part else parts


def _merged(row: list[_Piece]) -> list[_Piece]:
    """Neighbouring pieces of the same kind as one run, so each line is a few cells."""
    runs: list[_Piece] = []
    for text, blank in row:
        if runs and runs[-1][1] == blank:
            runs[-1] = (runs[-1][0] + text, blank)
        else:
            runs.append((text, blank))
    return runs


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a US Letter PDF in DejaVu Sans; characters the font lacks (most emoji,
    Chinese) become "?", so any text makes a valid file."""
    pdf = _LetterPdf()
    written = letter.written_on or date(2000, 1, 1)
    pdf.set_creation_date(datetime.combine(written, time(), timezone.utc))
    pdf.set_creator("HMO Appeal Assistant")
    pdf.set_producer("HMO Appeal Assistant")
    pdf.set_title(pdf.safe(letter.title))
    pdf.add_page()
    pdf.paragraph((Span(letter.title),), _TITLE)
    pdf.ln(3)
    for block in letter.blocks:
        _pdf_block(pdf, block)
    return bytes(pdf.output())


def _pdf_block(pdf: _LetterPdf, block: LetterBlock) -> None:
    if block.kind is BlockKind.PAGE_BREAK:
        pdf.add_page()
        return
    if block.kind is BlockKind.HEADING:
        if pdf.will_page_break(_HEADING.line_height + 3 * _BODY.line_height):
            pdf.add_page()  # keep a heading with the lines under it
        pdf.ln(1.5)
        pdf.paragraph(block.lines[0], _HEADING)
        pdf.ln(1)
        return
    marker = {BlockKind.BULLETS: "•", BlockKind.CHECKLIST: pdf.safe(_CHECKBOX)}.get(block.kind)
    for line in block.lines:
        if marker:
            pdf.paragraph(line, _BODY, indent=_PDF_INDENT, marker=marker)
        else:
            pdf.paragraph(line, _BODY)
    pdf.ln(_BODY.line_height / 2)


def letter_docx(letter: Letter) -> bytes:
    """The letter as a Word file the member can edit; blanks are bold and highlighted."""
    document = docx.Document()
    properties = document.core_properties
    written = datetime.combine(letter.written_on or date(2000, 1, 1), time())
    properties.title = _xml_safe(letter.title)
    properties.author = "HMO Appeal Assistant"
    properties.last_modified_by = "HMO Appeal Assistant"
    properties.created = properties.modified = properties.last_printed = written
    properties.revision = 1
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(_xml_safe(letter.title), level=0)
    for block in letter.blocks:
        _docx_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _docx_block(document: Any, block: LetterBlock) -> None:
    if block.kind is BlockKind.PAGE_BREAK:
        document.add_page_break()
    elif block.kind is BlockKind.HEADING:
        _docx_spans(document.add_heading(level=1), block.lines[0])
    elif block.kind is BlockKind.LINES:
        paragraph = document.add_paragraph()
        for index, line in enumerate(block.lines):
            if index:
                paragraph.add_run().add_break()
            _docx_spans(paragraph, line)
    else:
        style = "List Bullet" if block.kind is BlockKind.BULLETS else None
        for line in block.lines:
            paragraph = document.add_paragraph(style=style)
            if block.kind is BlockKind.CHECKLIST:
                paragraph.add_run(f"{_CHECKBOX} ")
            _docx_spans(paragraph, line)


def _docx_spans(paragraph: Any, line: Line) -> None:
    for span in line:
        run = paragraph.add_run(_xml_safe(span.plain))
        if span.blank:
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _fixed_zip_times(content: bytes) -> bytes:
    """The same .docx with every entry dated 1980-01-01, so equal letters give equal files."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
