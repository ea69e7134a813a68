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

from scripts.extraction_report import LETTER_SETS, score_folder

ROOT = Path(__file__).resolve().parent.parent
INTENT_TARGET = 0.95
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
        *extraction_section(),
        "## Not measured yet",
        "",
        "Entity F1 (the NLU pipeline extracts no entities: typed answers are read by the tested "
        "parsers in `appeal/`) and a table of worked deadline examples checked against the rules "
        "are still to come (issue 6).",
        "",
    ]
    return "\n".join(lines)


def main(results: Path, output: Path) -> None:
    output.write_text(render(results, date.today()), encoding="utf-8")
    print(f"Wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    default_output = ROOT / "docs" / "evaluation.md"
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else default_output)
