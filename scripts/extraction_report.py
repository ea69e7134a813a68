"""Score the denial-letter reader (appeal/intake.py) against letters with answer keys.

Writes docs/extraction.md: per-field precision and recall on every letter set (the held-out set
first, then the sets used to tune the rules, then the development set) and the misses of each
letter. With --folder, scores that one folder instead.

Usage: python scripts/extraction_report.py [--folder DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `appeal` importable
    sys.path.insert(0, str(ROOT))

from appeal.intake import LetterReading, read_denial_letter  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT_OUT = ROOT / "docs" / "extraction.md"
SCALAR_FIELDS = (
    "plan_name",
    "member_id",
    "claim_number",
    "notice_date",
    "service",
    "reason_category",
    "external_review_route",
)
LIST_FIELDS = ("service_dates", "carc_codes", "rarc_codes", "cpt_hcpcs_codes", "icd10_codes")
FIELDS = (
    "is_denial",
    *SCALAR_FIELDS[:4],
    "service_dates",
    *SCALAR_FIELDS[4:6],
    *LIST_FIELDS[1:],
    "stated_deadline",
    "stated_deadline_text",
    "external_review_route",
)
SERVICE_JACCARD = 0.6
_INC = re.compile(r",?\s+inc\.?$", re.IGNORECASE)


@dataclass
class FieldScore:
    """Counts for one field: predictions made, key values present, and predictions correct."""

    predicted: int = 0
    relevant: int = 0
    correct: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.relevant if self.relevant else None


@dataclass(frozen=True)
class Miss:
    """A field of one letter where the reading and the key differ."""

    letter: str
    field: str
    read: str
    key: str


@dataclass
class ExtractionScores:
    """Scores of one folder: per field, and the misses of each letter."""

    letters: int = 0
    denials: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    misses: list[Miss] = field(default_factory=list)


def score_folder(folder: Path) -> ExtractionScores:
    """Read every NN-name.txt in the folder and score it against NN-name.json."""
    scores = ExtractionScores()
    for letter in sorted(folder.glob("*.txt")):
        key = json.loads(letter.with_suffix(".json").read_text(encoding="utf-8"))
        reading = read_denial_letter(letter.read_text(encoding="utf-8"))
        score_letter(scores, letter.stem, reading, key)
    return scores


def score_letter(
    scores: ExtractionScores, name: str, reading: LetterReading, key: dict[str, Any]
) -> None:
    """Add one letter's reading to the scores."""
    scores.letters += 1
    denial = bool(key["is_denial"])
    scores.denials += denial
    _count_denial(scores, name, reading.is_denial, denial)
    for name_of_field in SCALAR_FIELDS:
        if name_of_field == "reason_category" and not denial:
            continue
        read = _scalar(getattr(reading, name_of_field))
        wanted = key[name_of_field]
        same = {"service": _same_service, "plan_name": _same_plan}.get(name_of_field, _same_text)
        _count(scores, name, name_of_field, read, wanted, same)
    for name_of_field in LIST_FIELDS:
        _count_items(scores, name, name_of_field, getattr(reading, name_of_field), key)
    _count_deadline(scores, name, reading, key["stated_deadline"])


def _count_denial(scores: ExtractionScores, letter: str, read: bool, wanted: bool) -> None:
    score = scores.fields["is_denial"]
    score.predicted += read
    score.relevant += wanted
    score.correct += read and wanted
    if read != wanted:
        scores.misses.append(Miss(letter, "is_denial", str(read), str(wanted)))


def _count(
    scores: ExtractionScores,
    letter: str,
    name: str,
    read: Any,
    wanted: Any,
    same: Callable[[Any, Any], bool],
) -> None:
    score = scores.fields[name]
    score.predicted += read is not None
    score.relevant += wanted is not None
    correct = read is not None and wanted is not None and bool(same(read, wanted))
    score.correct += correct
    if not correct and (read is not None or wanted is not None):
        scores.misses.append(Miss(letter, name, _shown(read), _shown(wanted)))


def _count_items(
    scores: ExtractionScores, letter: str, name: str, read: Iterable[Any], key: dict[str, Any]
) -> None:
    got = {_item(value, name) for value in read}
    wanted = {_item(value, name) for value in key[name]}
    score = scores.fields[name]
    score.predicted += len(got)
    score.relevant += len(wanted)
    score.correct += len(got & wanted)
    if got != wanted:
        extra, missing = sorted(got - wanted), sorted(wanted - got)
        scores.misses.append(
            Miss(letter, name, "extra: " + _shown(extra), "missing: " + _shown(missing))
        )


def _count_deadline(
    scores: ExtractionScores, letter: str, reading: LetterReading, wanted: dict[str, Any] | None
) -> None:
    read = reading.stated_deadline
    got = None
    if read is not None:
        got = {
            "text": read.text,
            "days": read.days,
            "months": read.months,
            "date": read.date.isoformat() if read.date else None,
        }
    _count(scores, letter, "stated_deadline", got, wanted, _same_deadline)
    _count(
        scores,
        letter,
        "stated_deadline_text",
        None if got is None else got["text"],
        None if wanted is None else wanted["text"],
        _same_phrase,
    )


def _same_deadline(read: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(read[part] == wanted[part] for part in ("days", "months", "date"))


def _scalar(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _item(value: Any, name: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip().upper()
    if name == "carc_codes":  # "CO 50", "CO50" and "CO-50" are one code
        text = re.sub(r"^([A-Z]{2})[\s\-–]*", r"\1-", text)
    return text


def normalized(text: str) -> str:
    """Case and spacing do not count."""
    return " ".join(str(text).casefold().split())


def _same_text(read: str, wanted: str) -> bool:
    return normalized(read) == normalized(wanted)


def _same_phrase(read: str, wanted: str) -> bool:
    """Keys differ on how much of the sentence the deadline phrase takes ("You have 180 days
    ... to file" or "180 days ..."), so the phrase is right when one contains the other."""
    first, second = normalized(read), normalized(wanted)
    return first in second or second in first


def _same_plan(read: str, wanted: str) -> bool:
    return _INC.sub("", normalized(read)) == _INC.sub("", normalized(wanted))


def _same_service(read: str, wanted: str) -> bool:
    """Equal, one inside the other, or sharing most words (token Jaccard >= 0.6)."""
    first, second = normalized(read), normalized(wanted)
    if first == second or first in second or second in first:
        return True
    first_words, second_words = set(re.findall(r"\w+", first)), set(re.findall(r"\w+", second))
    union = first_words | second_words
    return bool(union) and len(first_words & second_words) / len(union) >= SERVICE_JACCARD


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        value = value.get("text")
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value).replace("|", "\\|")


@dataclass(frozen=True)
class LetterSet:
    """A folder of letters with answer keys, and what it may honestly be used to claim."""

    folder: Path
    title: str
    status: str


LETTER_SETS = (
    LetterSet(
        FIXTURES / "denial_letters_round4",
        "Held-out set (round 4)",
        "Written after the rules, by someone who never saw them, and never used to write or "
        "tune them: these are the figures to quote.",
    ),
    LetterSet(
        FIXTURES / "denial_letters_round3",
        "Tuning set, round 3",
        "Measured blind once (figures in its README), then used for error analysis: no longer "
        "held out.",
    ),
    LetterSet(
        FIXTURES / "denial_letters_round2",
        "Tuning set, round 2",
        "Measured blind once (figures in its README), then used for error analysis: no longer "
        "held out.",
    ),
    LetterSet(
        FIXTURES / "denial_letters_round1",
        "Tuning set, round 1",
        "Measured blind once (figures in its README), then used for error analysis: no longer "
        "held out.",
    ),
    LetterSet(
        FIXTURES / "denial_letters_dev",
        "Development set",
        "Written alongside the rules; tests/test_intake.py checks every field of every letter.",
    ),
)


def _shown_folder(folder: Path) -> Path:
    return folder.resolve().relative_to(ROOT) if folder.resolve().is_relative_to(ROOT) else folder


def _scoring_rules() -> list[str]:
    return [
        "How each field is scored:",
        "",
        "- A prediction counts for precision when the reader gives a value (not None); a key "
        "value counts for recall when the key has one (not null). A value is correct when it "
        "equals the key after case and spacing are ignored (plan names also without a "
        'trailing ", Inc.").',
        f"- `service` is also correct when one text contains the other, or when their words "
        f"overlap with a Jaccard index of at least {SERVICE_JACCARD}.",
        "- `is_denial`: precision and recall of the denial class.",
        "- `reason_category` is scored on denial letters only (the key is null on the others); "
        "every other field on every letter.",
        "- List fields (`service_dates` and the codes) are scored as sets per letter, micro-"
        'averaged over all letters; CARC codes are compared in "CO-50" form.',
        "- `stated_deadline` is correct when its days, months and date all match the key; "
        "`stated_deadline_text` scores the printed phrase separately, and is correct when one "
        'phrase contains the other (keys differ on whether "You have" or "within" belongs to '
        "it).",
        "",
    ]


def _field_table(scores: ExtractionScores) -> list[str]:
    lines = [
        "| field | precision | recall | correct | predicted | in key |",
        "|---|---|---|---|---|---|",
    ]
    for name in FIELDS:
        score = scores.fields[name]
        lines.append(
            f"| {name} | {_ratio(score.precision)} | {_ratio(score.recall)} | "
            f"{score.correct} | {score.predicted} | {score.relevant} |"
        )
    return lines


def _misses(scores: ExtractionScores) -> list[str]:
    if not scores.misses:
        return ["None."]
    lines = ["| letter | field | read | key |", "|---|---|---|---|"]
    for miss in sorted(scores.misses, key=lambda m: (m.letter, FIELDS.index(m.field))):
        lines.append(f"| {miss.letter} | {miss.field} | {miss.read} | {miss.key} |")
    return lines


def render(scores: ExtractionScores, folder: Path) -> str:
    """The report of one folder; the same scores always give the same text."""
    lines = [
        "# Denial letter extraction: measured",
        "",
        f"What `read_denial_letter` (appeal/intake.py) reads from the {scores.letters} letters in "
        f"`{_shown_folder(folder)}/` ({scores.denials} denials), scored against their answer "
        f"keys, by `python scripts/extraction_report.py --folder {_shown_folder(folder)}`.",
        "",
        *_scoring_rules(),
        *_field_table(scores),
        "",
        "## Misses per letter",
        "",
        *_misses(scores),
    ]
    return "\n".join(lines) + "\n"


def render_all(scored: Sequence[tuple[LetterSet, ExtractionScores]]) -> str:
    """docs/extraction.md: every set, held-out first; the same scores give the same text."""
    header = "| field | " + " | ".join(f"{item.title} (P / R)" for item, _ in scored) + " |"
    summary = [header, "|---|" + "---|" * len(scored)]
    for name in FIELDS:
        cells = [
            f"{_ratio(scores.fields[name].precision)} / {_ratio(scores.fields[name].recall)}"
            for _, scores in scored
        ]
        summary.append(f"| {name} | " + " | ".join(cells) + " |")
    lines = [
        "# Denial letter extraction: measured",
        "",
        "What `read_denial_letter` (appeal/intake.py) reads from pasted denial letters, "
        "notices and EOBs, scored field by field against hand-written answer keys. Generated by "
        "`python scripts/extraction_report.py` and regenerated by the tests "
        "(tests/test_extraction_report.py fails when this file is stale); do not edit it by "
        "hand. Every letter is synthetic: written for this project, with made-up people, plans "
        "and numbers.",
        "",
        *_scoring_rules(),
        "## Summary: precision / recall per field",
        "",
        *summary,
    ]
    for item, scores in scored:
        lines += [
            "",
            f"## {item.title}: `{_shown_folder(item.folder)}/`",
            "",
            f"{scores.letters} letters ({scores.denials} denials). {item.status}",
            "",
            *_field_table(scores),
            "",
            "Misses:",
            "",
            *_misses(scores),
        ]
    return "\n".join(lines) + "\n"


def score_all() -> list[tuple[LetterSet, ExtractionScores]]:
    return [(item, score_folder(item.folder)) for item in LETTER_SETS if item.folder.is_dir()]


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="score this folder only")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args(argv)
    if arguments.folder:
        scores = score_folder(arguments.folder)
        report = render(scores, arguments.folder)
        print(f"Scored {scores.letters} letters")
    else:
        scored = score_all()
        report = render_all(scored)
        print(f"Scored {sum(scores.letters for _, scores in scored)} letters in {len(scored)} sets")
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(report, encoding="utf-8")
    print(f"Wrote {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
