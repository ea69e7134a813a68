"""Tests for appeal.letters: every letter for every kind of case, as text, PDF and Word.

Content: the member's details or marked blanks (never a guess), the argument for each denial
reason, the deadline from the rules engine with its citation and mark, only directory numbers.
Formats: the PDF opens in pypdf and the Word file in python-docx, both with the letter in them.
Hostile values (markup, injected headings and newlines, template syntax, huge pastes, emoji,
other scripts, NUL bytes) never add a block to a letter or break a format.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import fields, replace
from datetime import date
from functools import cache
from typing import Any

import docx
import pypdf
import pytest
from docx.enum.text import WD_COLOR_INDEX
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from appeal import letters
from appeal.dates import format_date
from appeal.deadlines import DueStatus, Stage, plan_appeal
from appeal.directory_store import phones
from appeal.guidance import TriageAnswers, reasons
from appeal.knowledge import KNOWLEDGE_DIR, load_csv, load_yaml
from appeal.letters import (
    LETTER_TYPES,
    MAX_VALUE_CHARS,
    BlockKind,
    Letter,
    LetterFacts,
    draft_letter,
    facts_from_answers,
    letter_docx,
    letter_filename,
    letter_label,
    letter_pdf,
    letter_text,
    member_value,
    parse_markup,
)

TODAY = date(2026, 11, 23)
NOTICE = date(2026, 11, 2)
MEMBER: dict[str, Any] = {
    "member_name": "Maria Lopez",
    "member_id": "XKP123456",
    "claim_number": "CLM-2026-5512",
    "plan_name": "Sunrise Health HMO",
    "denied_service": "MRI of the left knee",
    "service_date": date(2026, 10, 2),
    "notice_date": NOTICE,
    "doctor_name": "Dr. Anne Chen",
}
FACT_SETS = {
    "full": LetterFacts(
        **MEMBER,
        denial_reason="not_medically_necessary",
        us_state="OH",
        plan_type="employer_insured",
        urgency="not_urgent",
        appeal_stage="first_denial",
    ),
    "empty": LetterFacts(),
    "california_hmo": LetterFacts(
        **MEMBER,
        denial_reason="no_referral",
        us_state="CA",
        plan_type="employer_insured",
        ca_regulator="dmhc",
        urgency="not_urgent",
        appeal_stage="first_denial",
    ),
    "erisa": LetterFacts(
        **MEMBER,
        denial_reason="coding_error",
        us_state="TX",
        plan_type="self_funded",
        urgency="not_urgent",
        appeal_stage="internal_appeal_denied",
    ),
    "medicare_advantage": LetterFacts(
        **MEMBER,
        denial_reason="no_prior_authorization",
        us_state="FL",
        plan_type="medicare_advantage",
        urgency="unknown",
        appeal_stage="first_denial",
    ),
    "medicaid": LetterFacts(
        **MEMBER,
        denial_reason="missing_documentation",
        us_state="NY",
        plan_type="medicaid",
        appeal_stage="internal_appeal_denied",
    ),
    "urgent": LetterFacts(
        **MEMBER,
        denial_reason="experimental",
        us_state="GA",
        plan_type="marketplace",
        urgency="urgent",
        appeal_stage="first_denial",
    ),
}
CASES = [(kind, name) for kind in LETTER_TYPES for name in FACT_SETS]
JOB_PLANS = {
    name
    for name, facts in FACT_SETS.items()
    if facts.plan_type in ("employer_insured", "self_funded")
}
BLANK_LABELS = load_yaml("letters/letters.yml")["blanks"]
FREE_TEXT_FIELDS = (
    "member_name",
    "member_id",
    "claim_number",
    "plan_name",
    "denied_service",
    "doctor_name",
)
STRING_FIELDS = tuple(field.name for field in fields(LetterFacts) if field.name not in MEMBER)
STRING_FIELDS += FREE_TEXT_FIELDS
# Every number a letter may give must be in the directory's data, digit for digit.
DIRECTORY_TEXT = " ".join(
    " ".join(row.values())
    for name in ("directory/lines.csv", "directory/external-review.csv")
    for row in load_csv(name)
)
PHONE = re.compile(r"(?<![\d-])(?:1-)?\d{3}-\d{3}-\d{4}(?![\d-])|\(\d{3}\)\s*\d{3}|\b(?:911|988)\b")
# Every regulation or statute a letter cites must be in the project's sourced data.
SOURCED_DATA = " ".join(
    (KNOWLEDGE_DIR / name).read_text(encoding="utf-8")
    for name in ("rules.yml", "routing.yml", "reasons.yml", "letters/letters.yml")
)
CITATION = re.compile(r"\d+ CFR [\d.]+(?:-\d+)?(?:\([^)\s]+\))*|Code \d+(?:\.\d+)?(?:\([a-z]\))?")
LONG_DATE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}"
)


@cache
def drafted(letter_type: str, facts_name: str) -> Letter:
    return draft_letter(letter_type, FACT_SETS[facts_name], TODAY)


@cache
def text_of(letter_type: str, facts_name: str) -> str:
    return letter_text(drafted(letter_type, facts_name))


def flat(text: str) -> str:
    return " ".join(text.split())


def shape(letter: Letter) -> list[tuple[BlockKind, int]]:
    return [(block.kind, len(block.lines)) for block in letter.blocks]


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


# --- the public API -----------------------------------------------------------------------


def test_the_five_letter_types_in_order_each_with_a_label_and_a_safe_file_name():
    assert LETTER_TYPES == (
        "internal_appeal",
        "expedited_appeal",
        "external_review",
        "claim_file_request",
        "medical_necessity_request",
    )
    labels = [letter_label(kind) for kind in LETTER_TYPES]
    assert len(set(labels)) == 5 and labels[0] == "Appeal letter to your plan"
    for kind in LETTER_TYPES:
        letter = drafted(kind, "full")
        for extension in ("pdf", "docx", "txt"):
            name = letter_filename(letter, extension)
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}\.[a-z]{2,4}", name), name
            assert "maria" not in name.lower()


@pytest.mark.parametrize("bad", ["", "p df", "../x", "PDF", "toolong", "pdf\n"])
def test_a_bad_extension_or_letter_type_is_refused(bad):
    with pytest.raises(ValueError):
        letter_filename(drafted("internal_appeal", "full"), bad)
    with pytest.raises(ValueError):
        letter_label(bad or "appeal")
    with pytest.raises(ValueError):
        draft_letter(bad or "appeal", LetterFacts(), TODAY)


def test_templates_render_in_a_sandbox_where_a_missing_name_is_an_error():
    environment = letters._environment()
    assert isinstance(environment, SandboxedEnvironment)
    assert environment.undefined is StrictUndefined
    for kind in LETTER_TYPES:
        assert (KNOWLEDGE_DIR / "letters" / f"{kind}.j2").read_text().find("Sources") >= 0


def test_facts_from_answers_leaves_skipped_answers_unknown():
    answers = TriageAnswers("CA", "employer_insured", "2026-11-02", "unknown", "no_referral",
                            "unknown", "first_denial", "dmhc")  # fmt: skip
    facts = facts_from_answers(answers, member_name="Maria Lopez")
    assert facts.notice_date == NOTICE and facts.denied_service is None
    assert facts.urgency is None and facts.ca_regulator == "dmhc"
    assert facts.member_name == "Maria Lopez" and facts.member_id is None


# --- content ------------------------------------------------------------------------------


@pytest.mark.parametrize(("letter_type", "facts_name"), CASES)
def test_member_details_are_used_and_every_missing_one_is_a_listed_blank(letter_type, facts_name):
    letter, text = drafted(letter_type, facts_name), text_of(letter_type, facts_name)
    facts = FACT_SETS[facts_name]
    assert letter.title and letter.title.upper() in text
    for name in MEMBER:
        value = getattr(facts, name)
        if value is None:
            assert f"[{BLANK_LABELS[name]}]" in text, name
            assert BLANK_LABELS[name] in letter.blanks
        else:
            shown = format_date(value) if isinstance(value, date) else value
            assert shown in text, name
            assert BLANK_LABELS[name] not in letter.blanks
    # every bracket in the text is a listed blank (or an empty box to tick), and vice versa
    bracketed = set(re.findall(r"\[([^\]]+)\]", text)) - {" "}
    assert bracketed == set(letter.blanks)


def test_an_empty_case_invents_nothing():
    for kind in LETTER_TYPES:
        text = text_of(kind, "empty")
        assert set(LONG_DATE.findall(text)) == {format_date(TODAY)}, kind
        assert "Maria" not in text and "Sunrise" not in text


REASON_ARGUMENTS = {
    "no_referral": ["referral on file", "send it to you", "specialist's office"],
    "not_medically_necessary": ["not medically necessary", "clinical criteria or guidelines"],
    "no_prior_authorization": ["retroactive authorization", "could not wait for approval"],
    "coding_error": ["billing or coding mistake", "corrected claim"],
    "missing_documentation": ["records or forms", "They are enclosed"],
    "experimental": ["experimental or investigational", "studies or clinical guidelines"],
    "emergency_or_out_of_network": ["needed care right away", "Anyone with the same symptoms"],
    "other": ["[the reason your denial notice gives]", "[why you disagree, in your own words]"],
}
DOCTOR_ASKS = {
    "no_referral": "send my plan the referral",
    "not_medically_necessary": "how my case meets the plan's own criteria",
    "no_prior_authorization": "approve it after the fact (retroactive authorization)",
    "coding_error": "send the corrected claim to my plan",
    "missing_documentation": "records the denial notice says are missing",
    "experimental": "published studies or clinical guidelines",
    "emergency_or_out_of_network": "my symptoms when I came in",
    "other": "letter of medical necessity",
}


@pytest.mark.parametrize("reason", sorted(REASON_ARGUMENTS))
@pytest.mark.parametrize("letter_type", ["internal_appeal", "expedited_appeal", "external_review"])
def test_each_reason_gets_its_own_argument_and_evidence_checklist(letter_type, reason):
    facts = replace(FACT_SETS["full"], denial_reason=reason)
    text = letter_text(draft_letter(letter_type, facts, TODAY))
    for phrase in REASON_ARGUMENTS[reason]:
        assert phrase in text, phrase
    entry = reasons()[reason]
    assert f"Your denial reason{'' if reason == 'other' else ': ' + entry['label']}" in text
    for item in entry["evidence"]:
        assert f"[ ] {item}" in text  # the reasons.yml checklist, for the member
    for item in load_yaml("letters/letters.yml")["enclosures"][reason]:
        assert f"• {item}" in text  # and what the letter says is enclosed


@pytest.mark.parametrize("reason", sorted(DOCTOR_ASKS))
def test_the_doctor_is_asked_for_what_the_reason_needs_by_the_members_deadline(reason):
    facts = replace(FACT_SETS["full"], denial_reason=reason)
    letter = draft_letter("medical_necessity_request", facts, TODAY)
    text = flat(letter_text(letter))
    assert DOCTOR_ASKS[reason] in text
    assert "Dear Dr. Anne Chen," in text or "To the billing office:" in text
    assert "My deadline to appeal is May 1, 2027." in text


def test_the_urgent_letters_ask_for_the_doctors_statement_and_the_72_hour_decision():
    for kind in ("expedited_appeal", "medical_necessity_request"):
        text = flat(text_of(kind, "urgent"))
        assert "seriously jeopardize my life or health or my ability to regain maximum" in text
        assert "within 72 hours (29 CFR 2560.503-1(i)(2))" in text
    assert "Please decide within 72 hours" in text_of("expedited_appeal", "empty")


def expected_step(letter_type: str, facts: LetterFacts):
    """The letter's dated step, worked out here from the rules engine directly."""
    denied = facts.appeal_stage == "internal_appeal_denied"
    stage = {"internal_appeal": Stage.FIRST_DENIAL, "expedited_appeal": Stage.FIRST_DENIAL}.get(
        letter_type,
        Stage.APPEAL_DENIED if letter_type == "external_review" or denied else Stage.FIRST_DENIAL,
    )
    answers = TriageAnswers(facts.us_state, facts.plan_type, None, None, facts.denial_reason,
                            facts.urgency, facts.appeal_stage, facts.ca_regulator)  # fmt: skip
    counts = (stage is Stage.APPEAL_DENIED) == denied
    case = replace(answers.facts(), stage=stage, notice_date=facts.notice_date if counts else None)
    return plan_appeal(case, TODAY).next_step


@pytest.mark.parametrize(("letter_type", "facts_name"), CASES)
def test_the_deadline_comes_from_the_rules_engine_with_its_citation_and_mark(
    letter_type, facts_name
):
    letter, text = drafted(letter_type, facts_name), flat(text_of(letter_type, facts_name))
    step = expected_step(letter_type, FACT_SETS[facts_name])
    assert step is not None
    window = step.window
    note = load_yaml("messages.yml")["rule_confidence_notes"][window.confidence]
    assert f"({window.citation}; {note})" in text
    assert f"{window.citation} ({window.confidence}: {note})" in letter.sources
    if step.status is DueStatus.AUTOMATIC:
        assert "You don't have a deadline for this step." in text
    elif step.status is DueStatus.UNDATED:
        assert f"You have {window.length_text} from {window.clock_start}" in text
        assert "count forward" in text.lower()
    else:
        assert step.due is not None
        assert f"Send it by {format_date(step.due)}" in text


@pytest.mark.parametrize(
    ("letter_type", "facts_name", "sentence"),
    [
        ("internal_appeal", "full", "Send it by May 1, 2027 (159 days from today)"),
        ("internal_appeal", "california_hmo", "to file a grievance (internal appeal)"),
        ("external_review", "erisa", "Send it by January 1, 2027 (39 days from today)"),
        ("external_review", "erisa", "The longer reading of the rule runs to March 2, 2027."),
        ("internal_appeal", "medicare_advantage", "Send it by January 1, 2027"),
        ("external_review", "medicaid", "Send it by March 2, 2027 (99 days from today) to ask for"),
        ("claim_file_request", "full", "My deadline to appeal is May 1, 2027"),
    ],
)
def test_known_deadlines_are_written_out(letter_type, facts_name, sentence):
    assert sentence in flat(text_of(letter_type, facts_name))


def test_a_missed_deadline_says_what_is_still_possible_and_leaves_the_reason_blank():
    facts = replace(FACT_SETS["full"], notice_date=date(2025, 1, 2))
    letter = draft_letter("internal_appeal", facts, TODAY)
    text = flat(letter_text(letter))
    assert "The usual deadline to file an internal appeal with your plan was July 1, 2025" in text
    assert "Don't give up." in text and "deemed exhaustion" in text
    assert "after the usual deadline because [why you are sending this late]" in text


def test_a_notice_date_after_today_is_not_counted():
    facts = replace(FACT_SETS["full"], notice_date=date(2027, 1, 5))
    text = flat(letter_text(draft_letter("internal_appeal", facts, TODAY)))
    assert "You have 180 days from the day you received the denial notice" in text
    assert "January 5, 2027" in text  # still shown as the member gave it


@pytest.mark.parametrize(("letter_type", "facts_name"), CASES)
def test_only_directory_numbers_and_sourced_citations_are_given(letter_type, facts_name):
    letter, text = drafted(letter_type, facts_name), text_of(letter_type, facts_name)
    for number in PHONE.findall(text):
        assert number in DIRECTORY_TEXT, number
    for citation in CITATION.findall(text):
        assert citation in SOURCED_DATA, citation
    for source in letter.sources:
        assert re.search(r"\((?:H|M|L): |source of the advice", source), source
    if letter_type == "claim_file_request" and facts_name in JOB_PLANS:
        assert "2560.503-1(h)(2)(iii)" in text  # the right to the file, for employer plans
    else:
        assert "2560.503-1(h)(2)(iii)" not in text


def test_the_california_hmo_imr_request_names_the_dmhc_and_asks_what_the_application_needs():
    letter = drafted("external_review", "california_hmo")
    text = flat(letter_text(letter))
    dmhc = phones("CA", ["managed_care_regulator"])
    assert letter.title == "Application for Independent Medical Review (IMR)"
    assert dmhc[0].name in text and dmhc[0].phone in text
    for asked in (
        "Person asking: Maria Lopez, the member",
        "Someone filing for me, if anyone: [the name of the person filing for you, if anyone]",
        "Plan: Sunrise Health HMO",
        "Care that was denied: MRI of the left knee",
        "Treating doctor or other provider: Dr. Anne Chen",
        "Date of the denial notice: November 2, 2026",
        "Urgent: no",
        "the plan has not decided it in the time the rules allow (Cal. Health & Safety Code "
        "1368.03(a))",
        "Why I disagree with the plan",
        "a form signed by me that lets them act for me",
        "You have 6 months from the date of the plan's written decision",
    ):
        assert asked in text, asked


def test_california_experimental_denials_may_go_to_the_dmhc_at_once():
    facts = replace(FACT_SETS["california_hmo"], denial_reason="experimental")
    text = flat(letter_text(draft_letter("external_review", facts, TODAY)))
    assert "The plan called this treatment experimental or investigational, so I am asking" in text
    assert "1368.03(a), 1374.31(a)" in text


def test_each_route_gets_its_own_outside_review_letter():
    titles = {name: drafted("external_review", name).title for name in FACT_SETS}
    assert titles["medicaid"] == "Request for a State Fair Hearing"
    assert titles["erisa"] == titles["full"] == "Request for external review"
    assert titles["medicare_advantage"].startswith("Request to confirm my case was sent")
    medi_cal = replace(FACT_SETS["medicaid"], us_state="CA")
    letter = draft_letter("external_review", medi_cal, TODAY)
    assert letter.title == "Request for a State Hearing"
    assert phones("CA", ["state_hearings"])[0].name in letter_text(letter)
    assert "42 CFR 422.590(a)(2)" in text_of("external_review", "medicare_advantage")
    assert "Who runs external review in Georgia is not settled" in text_of(
        "internal_appeal", "urgent"
    )


def test_the_claim_file_request_asks_for_the_file_and_the_criteria_free_of_charge():
    for name in ("full", "erisa", "medicaid"):
        text = flat(text_of("claim_file_request", name))
        assert "free of charge" in text
        assert "my complete claim file" in text
        assert "rules, guidelines, protocols or clinical criteria you relied on" in text
    assert "summary plan description" in text_of("claim_file_request", "erisa")
    assert "member handbook" in text_of("claim_file_request", "medicaid")


def test_every_letter_ends_with_a_before_you_send_checklist_for_the_member():
    for kind in LETTER_TYPES:
        letter = drafted(kind, "full")
        kinds = [block.kind for block in letter.blocks]
        assert BlockKind.PAGE_BREAK in kinds
        notes = letter_text(letter).split("— — —")[1]
        assert "Before you send" in notes and "[ ] Fill in every blank" in notes
        if kind != "medical_necessity_request":
            assert "Make a copy of everything you send" in notes
            assert "Send it in a way you can prove" in notes
        assert "Write down the date" in notes


# --- output formats -----------------------------------------------------------------------


# Each letter type once, each with other facts: every format is drawn from the same blocks.
FORMAT_CASES = [
    ("internal_appeal", "full"),
    ("expedited_appeal", "urgent"),
    ("external_review", "california_hmo"),
    ("claim_file_request", "empty"),
    ("medical_necessity_request", "medicaid"),
]


@cache
def pdf_of(letter_type: str, facts_name: str) -> bytes:
    return letter_pdf(drafted(letter_type, facts_name))


@cache
def docx_of(letter_type: str, facts_name: str) -> bytes:
    return letter_docx(drafted(letter_type, facts_name))


@pytest.mark.parametrize(("letter_type", "facts_name"), FORMAT_CASES)
def test_the_pdf_and_the_word_file_open_and_hold_the_letter(letter_type, facts_name):
    letter = drafted(letter_type, facts_name)
    name = "Maria Lopez" if facts_name != "empty" else "[your full name]"
    reader = pypdf.PdfReader(io.BytesIO(pdf_of(letter_type, facts_name)))
    assert reader.metadata is not None and reader.metadata.title == letter.title
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert letter.title in text and name in text and "Before you send" in text
    document = docx.Document(io.BytesIO(docx_of(letter_type, facts_name)))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == letter.title
    assert any(name in paragraph for paragraph in paragraphs)
    assert "Before you send" in paragraphs
    marked = [
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert marked and all(re.fullmatch(r"\[[^\]]+\]", blank) for blank in marked)
    assert ("[your member ID]" in marked) == (facts_name == "empty")


def test_the_same_letter_gives_the_same_files_in_well_under_a_few_seconds():
    started = time.perf_counter()
    letter = draft_letter("claim_file_request", FACT_SETS["empty"], TODAY)
    files = (letter_text(letter), letter_pdf(letter), letter_docx(letter))
    assert time.perf_counter() - started < 5  # about 0.3 s on 2 cores
    assert letter == drafted("claim_file_request", "empty")
    assert files[1] == pdf_of("claim_file_request", "empty")
    assert files[2] == docx_of("claim_file_request", "empty")


def test_the_markup_reader():
    title, blocks = parse_markup(
        "# Title\n| a\n| b\n\nOne\ntwo\n- x\n- y\n[ ] z\n## H\n---\n\ue000label\ue001 end"
    )
    assert title == "Title"
    assert [(block.kind, block.texts) for block in blocks] == [
        (BlockKind.LINES, ("a", "b")),
        (BlockKind.PARAGRAPH, ("One two",)),
        (BlockKind.BULLETS, ("x", "y")),
        (BlockKind.CHECKLIST, ("z",)),
        (BlockKind.HEADING, ("H",)),
        (BlockKind.PAGE_BREAK, ()),
        (BlockKind.PARAGRAPH, ("[label] end",)),
    ]
    with pytest.raises(ValueError):
        parse_markup("no title")


# --- hostile values -----------------------------------------------------------------------

HOSTILE = {
    "html": '<script>alert("x")</script><b onclick="y()">Maria</b> &lt;img src=x&gt;',
    "headings": "## Approved\n# Title\n- bullet\n[ ] box\n| line\n---\nMaria",
    "newlines": "Maria\r\n\r\nDear plan,\n\nPlease ignore the above.\u2028\u2029\x0b\x0c",
    "jinja": "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {# c #} {{ cite }}",
    "long": "Maria " + "A" * 10_000,
    "emoji": "Maria 😀👍🏽‍👩‍👩‍👧 ✅",
    "arabic": "مريم لوبيز",
    "chinese": "玛丽亚·洛佩斯",
    "nul": "Ma\x00ria\x00\x07\x1b[31m\u202e\ue000x\ue001",
}


def hostile_facts(value: str) -> LetterFacts:
    values = dict.fromkeys(FREE_TEXT_FIELDS, value)
    return LetterFacts(
        **values,
        service_date=date(2026, 10, 2),
        notice_date=NOTICE,
        denial_reason=value,
        us_state=value,
        plan_type=value,
        ca_regulator=value,
        urgency=value,
        appeal_stage=value,
    )


@cache
def plain_hostile(letter_type: str) -> Letter:
    """The letter with a harmless value where the hostile ones go, for its shape."""
    return draft_letter(letter_type, hostile_facts("Maria"), TODAY)


@pytest.mark.parametrize("letter_type", LETTER_TYPES)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_value_is_printed_cleaned_and_never_adds_a_block(letter_type, name):
    value = HOSTILE[name]
    letter = draft_letter(letter_type, hostile_facts(value), TODAY)
    plain = plain_hostile(letter_type)
    assert shape(letter) == shape(plain)
    text = letter_text(letter)
    cleaned = member_value(value)
    assert cleaned and cleaned in text
    assert len(cleaned) <= MAX_VALUE_CHARS + 1
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e\ue000\ue001<>]", text)
    assert "A" * (MAX_VALUE_CHARS + 1) not in text
    if name == "jinja":
        assert "{{ 7*7 }}" in text and "49" not in text.replace("2049", "")


def test_hostile_values_in_every_field_never_break_a_format():
    values = list(HOSTILE.values())
    # two letters with six fields each: every hostile value lands in some field
    for offset, kind in [(0, "external_review"), (3, "medical_necessity_request")]:
        mixed: dict[str, Any] = {
            field: values[(index + offset) % len(values)]
            for index, field in enumerate(FREE_TEXT_FIELDS)
        }
        letter = draft_letter(kind, replace(hostile_facts("x"), **mixed), TODAY)
        pdf = pdf_text(letter_pdf(letter))
        assert letter.title in pdf and "\x00" not in pdf and "<script" not in pdf
        words = docx_text(letter_docx(letter))
        for value in mixed.values():
            assert member_value(value) in words
        assert "\x00" not in words
        if "玛丽亚" in words:
            assert "玛丽亚" not in pdf and "?" in pdf  # no glyph in the font: replaced


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=600))
def test_a_cleaned_value_is_one_short_line_that_cannot_open_markup(value):
    cleaned = member_value(value)
    again = member_value(cleaned)
    # cleaning twice changes nothing, except that a cut value's "…" may be re-cut and spelled "..."
    assert again == cleaned or (cleaned.endswith("…") and again.endswith(("…", "...")))
    assert len(cleaned) <= MAX_VALUE_CHARS + 1
    assert cleaned == " ".join(cleaned.split())
    assert not re.search(r"[\x00-\x1f\x7f<>\[\]`\ue000\ue001]", cleaned)
    assert not re.match(r"[#\-|*+>•]", cleaned)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(LETTER_TYPES),
    st.sampled_from(STRING_FIELDS),
    st.text(st.characters(exclude_categories=()), max_size=300),
)
def test_any_text_in_any_field_renders_in_every_format(letter_type, field, value):
    facts = replace(FACT_SETS["full"], **{field: value})
    letter = draft_letter(letter_type, facts, TODAY)
    text = letter_text(letter)
    if field in FREE_TEXT_FIELDS:
        shown = member_value(value) or f"[{BLANK_LABELS[field]}]"
        assert shown in text
        assert shown in docx_text(letter_docx(letter))
        assert shape(letter) == shape(drafted(letter_type, "full"))
    reader = pypdf.PdfReader(io.BytesIO(letter_pdf(letter)))
    assert len(reader.pages) >= 2


@pytest.mark.parametrize(
    ("plan_type", "cited"), [("employer_insured", True), ("medicaid", True), (None, False)]
)
def test_the_appeal_cites_a_right_only_when_the_plan_type_gives_one(plan_type, cited):
    facts = replace(FACT_SETS["california_hmo"], plan_type=plan_type)
    text = flat(letter_text(draft_letter("internal_appeal", facts, TODAY)))
    assert ("I have the right to ask for this review" in text) is cited
    assert "shortest window of the plan types above" not in text.split("Why the decision")[0]
