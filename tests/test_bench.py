"""`make bench`'s figures and report, on made-up results (the real run is `make bench`)."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scripts.bench import (
    CHANNELS,
    CONCURRENCY,
    OURS,
    STOCK,
    Phase,
    cpu_seconds,
    load_conversations,
    percentile,
    render,
    targets,
)


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [([5.0], 0.95, 5.0), ([1.0, 2.0, 3.0, 4.0, 5.0], 0.5, 3.0), ([10.0, 20.0], 0.95, 19.5),
     (list(map(float, range(1, 101))), 0.99, 99.01)],
)  # fmt: skip
def test_percentiles_interpolate_between_ranks(values, share, expected):
    assert percentile(values, share) == pytest.approx(expected)


@given(st.lists(st.floats(0, 1e5), min_size=1, max_size=200))
def test_percentiles_are_ordered_and_within_the_values(values):
    p50, p95, p99 = (percentile(values, share) for share in (0.5, 0.95, 0.99))
    assert min(values) <= p50 <= p95 <= p99 <= max(values)


def test_a_phase_reports_turns_per_second_and_errors():
    phase = Phase("rest", 10, conversations=2, turns=40, seconds=2.0,
                  latencies_ms=[10.0] * 39 + [200.0], errors=["500 to 'hi'"])  # fmt: skip
    summary = phase.summary()
    assert summary["turns_per_second"] == 20.0 and summary["errors"] == 1
    assert summary["p50_ms"] == 10.0 and summary["p99_ms"] > summary["p95_ms"]


@pytest.mark.parametrize("bot", [OURS, STOCK])
def test_the_script_has_at_least_twenty_multi_turn_conversations(bot):
    conversations = load_conversations(bot)
    assert len(conversations) >= 20
    assert sum(len(turns) > 1 for turns in conversations) >= 20
    assert all(turn.text.strip() for turns in conversations for turn in turns)


def _results(ours_p95: float, ours_rate: float, ours_errors: int, cold: float) -> dict[str, Any]:
    def phases(p95: float, rate: float, errors: int) -> list[dict[str, Any]]:
        return [
            {"channel": channel, "concurrency": level, "conversations": 20, "turns": 100,
             "seconds": 5.0, "turns_per_second": rate, "p50_ms": p95 / 2, "p95_ms": p95,
             "p99_ms": p95 * 1.2, "errors": errors, "error_examples": ["500 to 'hi'"] * errors,
             "peak_memory_mb": {"rasa": 1200, "actions": 150, "gateway": 80},
             "cpu_ms_per_turn": {"rasa": 1000 / rate, "actions": 3.0, "gateway": 5.0}}
            for channel in CHANNELS
            for level in CONCURRENCY
        ]  # fmt: skip

    def bot(p95: float, rate: float, errors: int, cold_start: float) -> dict[str, Any]:
        return {"cold_start_seconds": cold_start, "conversations": 22, "scripted_turns": 90,
                "memory_at_rest_mb": {"rasa": 1100, "actions": 140, "gateway": 70},
                "memory_after_load_mb": {"rasa": 1150, "actions": 145, "gateway": 75},
                "phases": phases(p95, rate, errors)}  # fmt: skip

    return {
        "date": "2026-11-23", "commit": "abc1234",
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 24.0, "system": "Linux",
                    "python": "3.10.13"},
        "training_seconds": {OURS: 290.0, STOCK: 100.0},
        "model_mb": {OURS: 36.0, STOCK: 25.0},
        "bots": {OURS: bot(ours_p95, ours_rate, ours_errors, cold), STOCK: bot(100.0, 50.0, 0, 40)},
    }  # fmt: skip


def test_targets_met_are_said_to_be_met():
    lines = targets(_results(ours_p95=140.0, ours_rate=35.0, ours_errors=0, cold=55.0))
    assert all("**met**" in line for line in lines), lines


def test_a_missed_target_says_by_how_much():
    lines = "\n".join(targets(_results(ours_p95=180.0, ours_rate=25.0, ours_errors=3, cold=70)))
    assert "1.80× the stock bot's" in lines and "**missed** (by 0.30×)" in lines
    assert "5.0 turns/s short, 3 errors" in lines
    assert "**missed** (by 10.0 s)" in lines


def test_the_report_names_the_machine_and_both_bots():
    report = render(_results(ours_p95=140.0, ours_rate=35.0, ours_errors=0, cold=55.0))
    assert "Test CPU, 2 cores, 24.0 GB" in report and "commit abc1234" in report
    assert "## Through the website gateway" in report and "## Through Rasa's REST webhook" in report
    assert "| rasa | 1100 / 1200 | 1100 / 1200 |" in report
    assert "| process, rest, 50 at once | this assistant (ms) | stock bot (ms) |" in report
    assert "| rasa | 28.6 | 20.0 |" in report and "| all three | 36.6 | 28.0 |" in report


def test_a_phase_reports_cpu_per_turn_of_each_process():
    phase = Phase("gateway", 50, turns=200, seconds=8.0, cpu_seconds={"rasa": 6.0, "actions": 0.5})
    assert phase.summary()["cpu_ms_per_turn"] == {"rasa": 30.0, "actions": 2.5}


def test_results_from_before_cpu_was_measured_still_render():
    results = _results(ours_p95=140.0, ours_rate=35.0, ours_errors=0, cold=55.0)
    for phase in results["bots"][OURS]["phases"]:
        del phase["cpu_ms_per_turn"]
    assert "- gateway: not measured in this run." in render(results)


def test_cpu_time_of_a_process_grows_as_it_works():
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert cpu_seconds(os.getpid()) >= before + 0.1
    assert cpu_seconds(2**22 + 1) == 0.0  # no such process
