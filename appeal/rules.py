"""The appeal rule table (knowledge/rules.yml) as typed records, matched by plan type and state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from appeal.knowledge import load_yaml

RULES_FILE = "rules.yml"


@dataclass(frozen=True)
class Rule:
    """Fields every rule shares: where it applies and where it comes from."""

    id: str
    plan_types: tuple[str, ...]
    states: tuple[str, ...]
    citation: str
    confidence: str
    note: str

    def applies_to(self, plan_type: str, state: str | None) -> bool:
        return plan_type in self.plan_types and (not self.states or state in self.states)


@dataclass(frozen=True)
class FilingWindow(Rule):
    """How long a member has to take one step, counted from `clock_start`."""

    step: str
    label: str
    days: int | None
    months: int | None
    safe_days: int | None
    automatic: bool
    clock_start: str

    @property
    def length_text(self) -> str:
        if self.months:
            return f"{self.months} months"
        return f"{self.days} days"


@dataclass(frozen=True)
class DecisionTime(Rule):
    """How fast the plan must answer an appeal."""

    urgent: str
    standard: str


@dataclass(frozen=True)
class Guidance:
    """A sourced sentence that applies to every plan (urgent route, late filing)."""

    text: str
    citation: str
    confidence: str


def _common(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": raw["id"],
        "plan_types": tuple(raw["plan_types"]),
        "states": tuple(raw.get("states", ())),
        "citation": raw["citation"],
        "confidence": raw["confidence"],
        "note": raw.get("note", ""),
    }


@cache
def filing_windows() -> tuple[FilingWindow, ...]:
    return tuple(
        FilingWindow(
            **_common(raw),
            step=raw["step"],
            label=raw["label"],
            days=raw.get("days"),
            months=raw.get("months"),
            safe_days=raw.get("safe_days"),
            automatic=bool(raw.get("automatic", False)),
            clock_start=raw["clock_start"],
        )
        for raw in load_yaml(RULES_FILE)["filing_windows"]
    )


@cache
def decision_times() -> tuple[DecisionTime, ...]:
    return tuple(
        DecisionTime(**_common(raw), urgent=raw["urgent"], standard=raw["standard"])
        for raw in load_yaml(RULES_FILE)["decision_times"]
    )


def guidance(key: str) -> Guidance:
    raw = load_yaml(RULES_FILE)[key]
    return Guidance(text=raw["text"], citation=raw["citation"], confidence=raw["confidence"])


RuleT = TypeVar("RuleT", bound=Rule)


def most_specific(rules: Iterable[RuleT], plan_type: str, state: str | None) -> RuleT | None:
    """The matching rule that names the state, else the general one, else None."""
    matching = [rule for rule in rules if rule.applies_to(plan_type, state)]
    matching.sort(key=lambda rule: not rule.states)
    return matching[0] if matching else None


def filing_window(step: str, plan_type: str, state: str | None) -> FilingWindow | None:
    return most_specific(
        (window for window in filing_windows() if window.step == step), plan_type, state
    )


def decision_time(plan_type: str, state: str | None) -> DecisionTime | None:
    return most_specific(decision_times(), plan_type, state)
