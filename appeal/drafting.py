"""A drafted letter handed to the member: readable in the chat, and as PDF and Word files
behind private links that expire (appeal/downloads.py), since letters hold health information.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from appeal import downloads
from appeal.letters import (
    LETTER_TYPES,
    BlockKind,
    Letter,
    LetterFacts,
    draft_letter,
    letter_docx,
    letter_filename,
    letter_label,
    letter_pdf,
    letter_text,
)

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _blanks_note(blanks: tuple[str, ...]) -> str:
    if not blanks:
        return "Read it through, then sign and send it."
    listed = ", ".join(blanks)
    return (
        f"I left blanks in square brackets for what I don't know yet ({listed}). Fill them in "
        "before you send it, or tell me and ask for the letter again."
    )


def _split(letter: Letter) -> tuple[Letter, str | None]:
    """The letter itself (to read in the chat) and the deadline from the member's notes; the
    notes in full (deadline, where to send, help, checklist) are in the files."""
    kinds = [block.kind for block in letter.blocks]
    if BlockKind.PAGE_BREAK not in kinds:
        return letter, None
    cut = kinds.index(BlockKind.PAGE_BREAK)
    notes = letter.blocks[cut + 1 :]
    deadline = next(
        (
            " ".join(notes[index + 1].texts)
            for index, block in enumerate(notes[:-1])
            if block.kind is BlockKind.HEADING and block.texts == ("Your deadline",)
        ),
        None,
    )
    return replace(letter, blocks=letter.blocks[:cut]), deadline


def deliver_letter(letter_type: str, facts: LetterFacts, today: date) -> list[str]:
    """Draft the letter, keep its files for download, and return what to say, in order."""
    if letter_type not in LETTER_TYPES:
        raise ValueError(f"unknown letter type: {letter_type!r}")
    letter = draft_letter(letter_type, facts, today)
    label = letter_label(letter_type)
    pdf = downloads.store(letter_pdf(letter), letter_filename(letter, "pdf"), PDF_TYPE)
    docx = downloads.store(letter_docx(letter), letter_filename(letter, "docx"), DOCX_TYPE)
    hours = int(downloads.ttl().total_seconds() // 3600)
    files = (
        f"Download it to print or edit: PDF {downloads.link(pdf, letter_filename(letter, 'pdf'))}"
        f" · Word {downloads.link(docx, letter_filename(letter, 'docx'))}\n"
        f"These links are private to you and stop working after {hours} hours."
    )
    intro = f"Here is your draft: {label}. {_blanks_note(letter.blanks)}"
    to_send, deadline = _split(letter)
    notes = (
        "The PDF and Word files also have notes just for you: where to send it, what happens "
        "next, papers that help, free help and a checklist."
    )
    messages = [intro, letter_text(to_send), *([deadline] if deadline else []), notes, files]
    return messages
