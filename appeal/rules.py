"""The appeal rule table (knowledge/rules.yml) as typed records, matched by plan type and state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from appeal.knowledge import load_yaml

RULES_FILE = "rules.yml"
# A California member unsure of the regulator is routed as DMHC, which oversees most plans there.
DEFAULT_CALIFORNIA_REGULATOR = "dmhc"


@dataclass(frozen=True)
class Rule:
    """Fields every rule shares: where it applies and where it comes from."""

    id: str
    plan_types: tuple[str, ...]
    states: tuple[str, ...]
    regulators: tuple[str, ...]
    citation: str
    confidence: str
    note: str

    def applies_to(self, plan_type: str, state: str | None, regulator: str | None) -> bool:
        return (
            plan_type in self.plan_types
            and (not self.states or state in self.states)
            and (
                not self.regulators
                or (regulator or DEFAULT_CALIFORNIA_REGULATOR) in self.regulators
            )
        )

    @property
    def specificity(self) -> int:
        return bool(self.states) + bool(self.regulators)

    @property
    def grounds_the_right(self) -> bool:
        """Its citation is the law that gives this member the step. A rule for an unknown plan
        type only names the safest window among the others, which a letter must not cite."""
        return "unknown" not in self.plan_types


@dataclass(frozen=True)
class Shortcut:
    """When a member may take a step before the usual wait (urgent, experimental, no answer)."""

    when: tuple[str, ...]
    text: str
    citation: str
    confidence: str


@dataclass(frozen=True)
class FilingWindow(Rule):
    """How long a member has to take one step, counted from `clock_start`."""

    step: str
    label: str
    days: int | None
    months: int | None
    safe_days: int | None
    automatic: bool
    business_day_rollover: bool
    clock_start: str
    shortcuts: tuple[Shortcut, ...]

    @property
    def length_text(self) -> str:
        if self.months:
            return f"{self.months} months"
        return f"{self.days} days"


@dataclass(frozen=True)
class DecisionTime(Rule):
    """How fast `who` (the plan, the reviewer) must answer at one step."""

    step: str
    who: str
    urgent: str
    standard: str


@dataclass(frozen=True)
class Advice(Rule):
    """A sourced sentence for some plans: the urgent route, what is left after a deadline."""

    text: str


def _common(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": raw["id"],
        "plan_types": tuple(raw["plan_types"]),
        "states": tuple(raw.get("states", ())),
        "regulators": tuple(raw.get("regulators", ())),
        "citation": raw["citation"],
        "confidence": raw["confidence"],
        "note": raw.get("note", ""),
    }


def _shortcut(raw: Mapping[str, Any]) -> Shortcut:
    return Shortcut(
        when=tuple(raw["when"]),
        text=raw["text"],
        citation=raw["citation"],
        confidence=raw["confidence"],
    )


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
            business_day_rollover=bool(raw.get("business_day_rollover", False)),
            clock_start=raw["clock_start"],
            shortcuts=tuple(_shortcut(item) for item in raw.get("shortcuts", ())),
        )
        for raw in load_yaml(RULES_FILE)["filing_windows"]
    )


@cache
def decision_times() -> tuple[DecisionTime, ...]:
    return tuple(
        DecisionTime(
            **_common(raw),
            step=raw["step"],
            who=raw["who"],
            urgent=raw["urgent"],
            standard=raw["standard"],
        )
        for raw in load_yaml(RULES_FILE)["decision_times"]
    )


@cache
def advice(section: str) -> tuple[Advice, ...]:
    """The `urgent_routes` or `late_options` of the rule table."""
    return tuple(Advice(**_common(raw), text=raw["text"]) for raw in load_yaml(RULES_FILE)[section])


RuleT = TypeVar("RuleT", bound=Rule)


def matching(
    rules: Iterable[RuleT], plan_type: str, state: str | None, regulator: str | None = None
) -> list[RuleT]:
    """Every rule that applies, the most specific (state and regulator named) first."""
    found = [rule for rule in rules if rule.applies_to(plan_type, state, regulator)]
    return sorted(found, key=lambda rule: -rule.specificity)


def most_specific(
    rules: Iterable[RuleT], plan_type: str, state: str | None, regulator: str | None = None
) -> RuleT | None:
    found = matching(rules, plan_type, state, regulator)
    return found[0] if found else None


def filing_window(
    step: str, plan_type: str, state: str | None, regulator: str | None = None
) -> FilingWindow | None:
    windows = (window for window in filing_windows() if window.step == step)
    return most_specific(windows, plan_type, state, regulator)


def decision_time(
    step: str, plan_type: str, state: str | None, regulator: str | None = None
) -> DecisionTime | None:
    times = (time for time in decision_times() if time.step == step)
    return most_specific(times, plan_type, state, regulator)


def urgent_route(plan_type: str, state: str | None, regulator: str | None = None) -> Advice | None:
    return most_specific(advice("urgent_routes"), plan_type, state, regulator)


def late_options(plan_type: str, state: str | None, regulator: str | None = None) -> list[Advice]:
    """Everything still possible after a missed deadline, the plan's own options first."""
    return matching(advice("late_options"), plan_type, state, regulator)
