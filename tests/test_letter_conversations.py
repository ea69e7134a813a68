"""Letters through the REST webhook: a pasted denial letter is read, confirmed and used to fill
in the questions and the appeal letter, whose files download through the gateway.

Servers start once per session (conftest.py), with today pinned to 2026-11-23.
"""

from __future__ import annotations

import io
import re
import urllib.request
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import Chat, texts

pytestmark = pytest.mark.server

LETTER = """Willow Creek Health Plan
Notice of Denial
Date: October 20, 2026
Member: Jamie Ortiz
Member ID: WCH77120459
Reference number: PA-2026-118830

We reviewed the request from Dr. Leena Shah for physical therapy, 12 visits (CPT 97110).
Your request is denied because it is not medically necessary under our guidelines.

You have the right to appeal. You must file your appeal within 180 days of the date of this
notice. You may also be able to request an external review.
"""
LINK = re.compile(r"http://127\.0\.0\.1:\d+/downloads/[A-Za-z0-9_-]{43}/([a-z-]+\.(?:pdf|docx))")


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        return bytes(response.read())


def test_a_pasted_letter_becomes_the_case_and_then_the_appeal_letter(
    chat: Chat, server_database: Path
):
    read = texts(chat(LETTER))
    for found in ("WCH77120459", "PA-2026-118830", "October 20, 2026", "physical therapy"):
        assert found in read
    assert "within 180 days of the date of this notice" in read and "Is this right?" in read

    assert "Which state" in texts(chat("yes"))  # the date, service and reason are known
    chat("Arizona")
    chat("through my job")
    chat("no")
    summary = texts(chat("first denial"))
    assert "April 18, 2027" in summary
    assert "matches the rule for your plan" in summary
    assert "write your letter" in summary

    asked = texts(chat('/request_letter{"letter_type": "internal_appeal"}'))
    assert "What name should go on the letter?" in asked  # ID, claim and plan came from the letter
    drafted = texts(chat("Jamie Ortiz"))
    assert "WCH77120459" in drafted and "PA-2026-118830" in drafted
    assert "Willow Creek Health Plan" in drafted and "April 18, 2027" in drafted
    links = {match.group(1): match.group(0) for match in LINK.finditer(drafted)}
    assert set(links) == {"appeal-letter.pdf", "appeal-letter.docx"}
    pdf_text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(_download(links["appeal-letter.pdf"]))).pages
    )
    assert "Jamie Ortiz" in pdf_text and "WCH77120459" in pdf_text
    with zipfile.ZipFile(io.BytesIO(_download(links["appeal-letter.docx"]))) as docx:
        assert "WCH77120459" in docx.read("word/document.xml").decode()

    stored = b"".join(path.read_bytes() for path in server_database.parent.glob("appeal.db*"))
    for secret in (b"WCH77120459", b"PA-2026-118830", b"Jamie Ortiz", b"Leena Shah"):
        assert secret not in stored  # conversations are sealed, letters encrypted


def test_a_detail_read_wrongly_is_fixed_in_words(chat: Chat):
    chat(LETTER)
    assert "Tell me what to change" in texts(chat("no, that's not right"))
    fixed = texts(chat("the claim number is wrong, it's PA-2026-118803"))
    assert "the claim number to PA-2026-118803" in fixed


def test_a_letter_pasted_in_the_middle_of_the_questions_is_read(chat: Chat):
    chat("when is my deadline?")
    chat("California")
    read = texts(chat(LETTER))
    assert "WCH77120459" in read and "Is this right?" in read


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        (
            "Explanation of Benefits. Member ID QX5512. Claim 88-1200. Date of service "
            "09/02/2026. Office visit 99213. Billed $180.00. Plan paid $144.00. You owe $36.00. "
            "This claim was processed and paid in full under your benefits. " * 3,
            "doesn't look like a denial",
        ),
        ("<html><body><script>alert('x')</script><p>Member ID</p></body></html>" * 40, ""),
        ("Estimado miembro: su solicitud de fisioterapia fue negada. " * 30, ""),
        ("DENIED " + "lorem ipsum dolor sit amet " * 800, ""),
        ("😀🙏" * 3000, ""),
    ],
)
def test_odd_pastes_get_a_clear_answer(chat: Chat, pasted: str, expected: str):
    reply = texts(chat(pasted))
    assert reply.strip()
    assert expected in reply
    assert "<script>" not in reply
    assert "Which state" in texts(chat("when is my deadline?"))  # the conversation goes on
