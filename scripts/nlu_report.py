"""Summarise `rasa test nlu` on the held-out set and fail when intent accuracy drops too low.

Usage: python scripts/nlu_report.py RESULTS_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MIN_INTENT_ACCURACY = 0.92


def _per_label(report: dict[str, dict[str, float]]) -> list[tuple[str, float, int]]:
    rows = [
        (label, scores["f1-score"], int(scores["support"]))
        for label, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and "avg" not in label
    ]
    return sorted(rows, key=lambda row: row[1])


def main(results_dir: Path) -> int:
    intents = json.loads((results_dir / "intent_report.json").read_text())
    accuracy = float(intents["accuracy"])
    examples = int(intents["weighted avg"]["support"])
    print(f"Held-out intent accuracy: {accuracy:.3f} on {examples} examples")
    print("Weakest intents (F1, examples):")
    for label, f1, support in _per_label(intents)[:6]:
        print(f"  {label:<28} {f1:.3f}  {support}")
    if accuracy < MIN_INTENT_ACCURACY:
        print(f"FAILED: intent accuracy is below {MIN_INTENT_ACCURACY}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
