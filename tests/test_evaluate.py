"""docs/evaluation.md is built from rasa's own reports: tables, confusions and targets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scripts.evaluate import (
    against_target,
    deadline_results,
    entity_scores,
    intent_scores,
    micro_f1,
    render,
    stories_section,
)

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
                    "Denial-letter reader", "Entities: the triage readers",
                    "Deadlines: worked examples"):  # fmt: skip
        assert heading in page
    assert "| deny | 0.500 | 1.000 | 0.667 | 1 |" in page
    assert "| service |" in page  # the held-out letters were scored


@pytest.mark.parametrize(
    ("example", "got"), deadline_results(), ids=lambda item: item.get("name", "")
)
def test_each_worked_deadline_example_agrees_with_the_rules(example, got):
    assert got == example["expect"], example["worked"]


def test_entity_scores_count_wrong_and_invented_values_against_precision():
    answers: list[dict[str, Any]] = [
        {"slot": "us_state", "text": "oregon", "value": "OR"},
        {"slot": "us_state", "text": "ohio", "value": "OR"},  # read, but not what was meant
        {"slot": "us_state", "text": "no idea", "value": None},
        {"slot": "us_state", "text": "the big one", "value": "TX"},  # nothing read
        {"slot": "notice_date", "text": "9/15/26", "value": "2026-09-15"},
        {"slot": "notice_date", "text": "feb 30", "value": None},
    ]
    scores, misses = entity_scores(answers)
    by_slot = {score.slot: score for score in scores}
    assert (by_slot["us_state"].correct, by_slot["us_state"].read, by_slot["us_state"].given) == (
        1, 2, 3,
    )  # fmt: skip
    assert by_slot["us_state"].precision == 0.5 and by_slot["us_state"].recall == pytest.approx(
        1 / 3
    )
    assert by_slot["notice_date"].f1 == 1.0
    assert len(misses) == 2
    assert micro_f1(scores) == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))
