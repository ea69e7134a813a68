"""docs/evaluation.md is built from rasa's own reports: tables, confusions and targets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from scripts.evaluate import against_target, intent_scores, render, stories_section

REPORT = {
    "greet": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 2},
    "deny": {"precision": 0.5, "recall": 1.0, "f1-score": 0.667, "support": 1},
    "affirm": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 3},
    "accuracy": 0.833,
    "macro avg": {"precision": 0.833, "recall": 0.833, "f1-score": 0.778, "support": 6},
    "weighted avg": {"precision": 0.917, "recall": 0.833, "f1-score": 0.833, "support": 6},
}
ERRORS = [
    {"text": "hey", "intent": "greet", "intent_prediction": {"name": "deny", "confidence": 0.5}},
]
STORIES = {
    "action_listen": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 10},
    "accuracy": 1.0,
    "micro avg": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 10},
    "conversation_accuracy": {"accuracy": 1.0, "correct": 2, "with_warnings": 0, "total": 2},
}


def test_intents_are_listed_weakest_first_with_their_confusions():
    scores = intent_scores(REPORT, ERRORS)
    assert [row[0] for row in scores.per_intent] == ["deny", "greet", "affirm"]
    assert scores.examples == 6 and scores.accuracy == pytest.approx(0.833)
    assert scores.confusions == [("greet", "deny", 1)]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (0.95, "meets the target of 0.95"),
        (0.97, "meets the target of 0.95"),
        (0.921, "**misses the target of 0.95 by 0.029**"),
    ],
)
def test_a_missed_target_says_by_how_much(value, said):
    assert against_target(value, 0.95) == said


def test_stories_give_conversation_and_action_accuracy():
    text = "\n".join(stories_section(STORIES))
    assert "2 of 2 correct" in text and "over 10 predicted actions" in text


def test_the_page_holds_every_section(tmp_path: Path):
    for folder, report, errors in (("nlu", REPORT, ERRORS), ("cv", REPORT, [])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "intent_report.json").write_text(json.dumps(report))
        (tmp_path / folder / "intent_errors.json").write_text(json.dumps(errors))
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "story_report.json").write_text(json.dumps(STORIES))
    page = render(tmp_path, date(2026, 11, 23))
    assert "on 2026-11-23 at commit" in page
    for heading in ("held-out test set", "5-fold cross-validation", "test stories",
                    "Denial-letter reader"):  # fmt: skip
        assert heading in page
    assert "| deny | 0.500 | 1.000 | 0.667 | 1 |" in page
    assert "| service |" in page  # the held-out letters were scored
