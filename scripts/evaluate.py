"""Write docs/evaluation.md from the results `make eval` produced, with the date and the commit.

Usage: python scripts/evaluate.py RESULTS_DIR [OUTPUT]
RESULTS_DIR holds `nlu/` (the held-out set), `cv/` (5-fold cross-validation on data/nlu) and
`stories/` (tests/test_stories.yml), as `rasa test` writes them. Each figure is set beside the
target issue 6 gives it, and a missed target says by how much.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from appeal.answers import parse_appeal_stage, parse_urgency
from appeal.dates import DateStatus, parse_notice_date
from appeal.deadlines import CaseFacts, Stage, plan_appeal
from appeal.directory import parse_california_regulator
from appeal.plans import parse_plan_type
from appeal.reasons import parse_denial_reason
from appeal.states import parse_state_answer
from scripts.extraction_report import LETTER_SETS, score_folder

ROOT = Path(__file__).resolve().parent.parent
INTENT_TARGET = 0.95
ENTITY_TARGET = 0.90
ENTITY_ANSWERS = ROOT / "tests" / "entities" / "answers.yml"
DEADLINE_EXAMPLES = ROOT / "tests" / "deadlines" / "worked_examples.yml"
ANSWERS_TODAY = date(2026, 11, 23)  # the day tests/entities/answers.yml was written for
CONFUSION_PAIRS = 10


@dataclass(frozen=True)
class IntentScores:
    accuracy: float
    macro_f1: float
    weighted_f1: float
    examples: int
    per_intent: list[tuple[str, float, float, float, int]]  # name, precision, recall, F1, n
    confusions: list[tuple[str, str, int]]  # true intent, predicted intent, count


def intent_scores(report: dict[str, Any], errors: list[dict[str, Any]]) -> IntentScores:
    per_intent = sorted(
        (
            (name, float(s["precision"]), float(s["recall"]), float(s["f1-score"]),
             int(s["support"]))
            for name, s in report.items()
            if isinstance(s, dict) and "support" in s and "avg" not in name
        ),
        key=lambda row: (row[3], row[0]),
    )  # fmt: skip
    pairs = Counter(
        (error["intent"], (error.get("intent_prediction") or {}).get("name") or "none")
        for error in errors
    )
    return IntentScores(
        accuracy=float(report["accuracy"]),
        macro_f1=float(report["macro avg"]["f1-score"]),
        weighted_f1=float(report["weighted avg"]["f1-score"]),
        examples=int(report["weighted avg"]["support"]),
        per_intent=per_intent,
        confusions=[(true, wrong, n) for (true, wrong), n in pairs.most_common(CONFUSION_PAIRS)],
    )


def against_target(value: float, target: float) -> str:
    if value >= target:
        return f"meets the target of {target:.2f}"
    return f"**misses the target of {target:.2f} by {target - value:.3f}**"


def intent_section(title: str, scores: IntentScores, note: str) -> list[str]:
    lines = [
        f"## {title}",
        "",
        note,
        "",
        f"- Intent accuracy **{scores.accuracy:.3f}** on {scores.examples} messages: "
        f"{against_target(scores.accuracy, INTENT_TARGET)}.",
        f"- Macro F1 {scores.macro_f1:.3f}; weighted F1 {scores.weighted_f1:.3f}.",
        "",
        "| intent | precision | recall | F1 | messages |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {support} |"
        for name, precision, recall, f1, support in scores.per_intent
    ]
    lines += ["", "Most frequent confusions (what it was, what the model said, how often):", ""]
    lines += [f"- {true} → {wrong}: {n}" for true, wrong, n in scores.confusions] or ["- none"]
    return [*lines, ""]


def stories_section(report: dict[str, Any]) -> list[str]:
    conversations = report["conversation_accuracy"]
    actions = report["micro avg"] if "micro avg" in report else report["weighted avg"]
    return [
        "## Dialogue: test stories",
        "",
        "`tests/test_stories.yml` with `rasa test core --fail-on-prediction-errors`.",
        "",
        f"- Conversations: {conversations['correct']} of {conversations['total']} correct "
        f"(accuracy {conversations['accuracy']:.3f}); target: every story passes.",
        f"- Actions: accuracy {float(report['accuracy']):.3f} over "
        f"{int(actions['support'])} predicted actions.",
        "",
    ]


def extraction_section() -> list[str]:
    held_out = LETTER_SETS[0]
    scores = score_folder(held_out.folder)
    lines = [
        "## Denial-letter reader",
        "",
        f"{held_out.title}: {scores.letters} letters. Per field (precision / recall); every "
        "set and every miss is in [extraction.md](extraction.md).",
        "",
        "| field | precision | recall |",
        "|---|---|---|",
    ]
    for name, score in scores.fields.items():
        precision = "–" if score.precision is None else f"{score.precision:.2f}"
        recall = "–" if score.recall is None else f"{score.recall:.2f}"
        lines.append(f"| {name} | {precision} | {recall} |")
    return [*lines, ""]


# Entities: what the triage readers take from members' typed answers -------------------------


def _read_date(text: str) -> str | None:
    reading = parse_notice_date(text, ANSWERS_TODAY)
    readable = reading.status not in (DateStatus.IMPOSSIBLE, DateStatus.UNREADABLE)
    return reading.value.isoformat() if readable and reading.value else None


READERS: dict[str, Any] = {
    "us_state": lambda text: parse_state_answer(text).code,
    "plan_type": parse_plan_type,
    "ca_regulator": parse_california_regulator,
    "notice_date": _read_date,
    "denial_reason": parse_denial_reason,
    "urgency": parse_urgency,
    "appeal_stage": parse_appeal_stage,
}


@dataclass(frozen=True)
class EntityScore:
    slot: str
    answers: int
    correct: int
    read: int  # answers the reader took a value from
    given: int  # answers that hold a value

    @property
    def precision(self) -> float:
        return self.correct / self.read if self.read else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.given if self.given else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def entity_scores(answers: list[dict[str, Any]]) -> tuple[list[EntityScore], list[str]]:
    """Per slot: a value read that matches the label is correct; a value read where the label
    says there is none, or a different value, counts against precision; a label missed counts
    against recall. Also the misses, for the report."""
    tallies: dict[str, list[int]] = {slot: [0, 0, 0, 0] for slot in READERS}
    misses = []
    for answer in answers:
        slot, expected = answer["slot"], answer["value"]
        expected = None if expected is None else str(expected)
        found = READERS[slot](answer["text"])
        tally = tallies[slot]
        tally[0] += 1
        tally[1] += found is not None and found == expected
        tally[2] += found is not None
        tally[3] += expected is not None
        if found != expected:
            misses.append(f"{slot}: {answer['text']!r} read as {found} (labelled {expected})")
    return [EntityScore(slot, *tally) for slot, tally in tallies.items() if tally[0]], misses


def micro_f1(scores: list[EntityScore]) -> float:
    total = EntityScore("all", *(sum(getattr(s, f) for s in scores)
                                 for f in ("answers", "correct", "read", "given")))  # fmt: skip
    return total.f1


def entity_section() -> list[str]:
    answers = yaml.safe_load(ENTITY_ANSWERS.read_text(encoding="utf-8"))["answers"]
    scores, misses = entity_scores(answers)
    overall = micro_f1(scores)
    lines = [
        "## Entities: the triage readers",
        "",
        'The NLU model extracts no entities: a member\'s typed answers ("cali", "through my '
        'husband\'s job", "two weeks ago") are read by the readers in `appeal/`. '
        f"`{ENTITY_ANSWERS.relative_to(ROOT)}`: {len(answers)} answers written apart from the "
        "readers and never used to build them, each labelled with the value it means or with "
        "none.",
        "",
        f"- Entity F1 (micro, all slots) **{overall:.3f}**: "
        f"{against_target(overall, ENTITY_TARGET)}.",
        "",
        "| slot | precision | recall | F1 | answers |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {s.slot} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.answers} |"
        for s in scores
    ]
    lines += ["", f"Misses ({len(misses)}):", ""]
    lines += [f"- {miss}" for miss in misses] or ["- none"]
    return [*lines, ""]


# Deadlines: the rules against examples worked by hand ------------------------------------------


def deadline_results() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each worked example with what appeal/deadlines.py gives for it (rule, dates, status)."""
    examples = yaml.safe_load(DEADLINE_EXAMPLES.read_text(encoding="utf-8"))["examples"]
    results = []
    for example in examples:
        case = example["case"]
        facts = CaseFacts(
            state=case["state"],
            plan_type=case["plan_type"],
            notice_date=case["notice"],
            urgent=False,
            stage=Stage.FIRST_DENIAL if case["stage"] == "first_denial" else Stage.APPEAL_DENIED,
            regulator=case.get("regulator"),
        )
        step = plan_appeal(facts, case["today"]).next_step
        assert step is not None, example["name"]
        got = {"rule": step.window.id, "due": step.due, "status": step.status.value}
        if "rule_due" in example["expect"]:
            got["rule_due"] = step.rule_due
        results.append((example, got))
    return results


def deadline_section() -> list[str]:
    results = deadline_results()
    agree = sum(example["expect"] == got for example, got in results)
    lines = [
        "## Deadlines: worked examples",
        "",
        f"`{DEADLINE_EXAMPLES.relative_to(ROOT)}`: dates worked out by hand from the cited rules, "
        "one per rule and one per calendar edge (month ends, a leap day, a weekend or holiday). "
        f"**{agree} of {len(results)}** agree with the assistant.",
        "",
        "| case | notice | rule | expected | assistant | agrees |",
        "|---|---|---|---|---|---|",
    ]
    for example, got in results:
        expected = example["expect"]
        lines.append(
            f"| {example['name']} | {example['case']['notice']} | {expected['rule']} "
            f"| {expected['due'] or 'no date'} ({expected['status']}) "
            f"| {got['due'] or 'no date'} ({got['status']}) "
            f"| {'yes' if expected == got else '**no**'} |"
        )
    return [*lines, ""]


def _commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


def render(results: Path, today: date) -> str:
    def load(*parts: str) -> Any:
        return json.loads(results.joinpath(*parts).read_text(encoding="utf-8"))

    held_out = intent_scores(load("nlu", "intent_report.json"), load("nlu", "intent_errors.json"))
    folds = intent_scores(load("cv", "intent_report.json"), load("cv", "intent_errors.json"))
    lines = [
        "# Evaluation",
        "",
        f"Written by `make eval` on {today.isoformat()} at commit {_commit()}, on "
        f"{platform.machine()} with {os.cpu_count()} cores. Targets are issue 6's.",
        "",
        *intent_section(
            "NLU: held-out test set",
            held_out,
            "`tests/nlu/`: messages written apart from the training data and never trained on.",
        ),
        *intent_section(
            "NLU: 5-fold cross-validation",
            folds,
            "`data/nlu/`, split in five; each fifth scored by a model trained on the other four.",
        ),
        *stories_section(load("stories", "story_report.json")),
        *entity_section(),
        *extraction_section(),
        *deadline_section(),
    ]
    return "\n".join(lines)


def main(results: Path, output: Path) -> None:
    output.write_text(render(results, date.today()), encoding="utf-8")
    print(f"Wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    default_output = ROOT / "docs" / "evaluation.md"
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else default_output)
