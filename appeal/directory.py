"""Who regulates a member's plan, and which offices can help them, from the SQL directory.

Routing (which office for which plan type and state) is data in knowledge/routing.yml; the
numbers come only from the directory tables, each with its source and confidence mark, so the
assistant can always say how sure it is and where a number comes from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from appeal import directory_store
from appeal.directory_store import PhoneRecord, ReviewRoute
from appeal.knowledge import load_yaml
from appeal.text import find_mentions, phrases_of, pieces_of
from appeal.vocabulary import word_lists

CONFIRMED = ("confirmed-official", "confirmed-secondary")
NATIONAL = "US"
MEMBER_STATE = "STATE"


@dataclass(frozen=True)
class HelpLine:
    """One office with its numbers; each number keeps its own source and confidence."""

    jurisdiction: str
    office: str
    name: str
    url: str
    scope: str
    numbers: tuple[PhoneRecord, ...]

    @property
    def voice(self) -> tuple[PhoneRecord, ...]:
        return tuple(number for number in self.numbers if number.kind == "voice")

    @property
    def tty(self) -> tuple[PhoneRecord, ...]:
        return tuple(number for number in self.numbers if number.kind == "tty")

    @property
    def confirmed(self) -> bool:
        return any(number.confidence in CONFIRMED for number in self.voice)

    @property
    def checked_on(self) -> date:
        return max(number.checked_on for number in self.numbers)


@dataclass(frozen=True)
class Route:
    """One entry of routing.yml: who regulates the plan and the offices to offer."""

    id: str
    plan_types: tuple[str, ...]
    states: tuple[str, ...]
    regulators: tuple[str, ...]
    regulator: str
    why: str
    citation: str
    confidence: str
    offices: tuple[tuple[str, str], ...]
    plan_extras: dict[str, tuple[tuple[str, str], ...]]
    fallback: tuple[str, str] | None
    external_review_route: bool

    def applies_to(self, plan_type: str, state: str | None, regulator: str | None) -> bool:
        return (
            plan_type in self.plan_types
            and (not self.states or state in self.states)
            and (not self.regulators or regulator in self.regulators)
        )

    def offices_for(self, plan_type: str) -> tuple[tuple[str, str], ...]:
        return self.offices + self.plan_extras.get(plan_type, ())


@dataclass(frozen=True)
class Referral:
    """The answer to "who regulates my plan and who do I call?"."""

    route: Route
    lines: tuple[HelpLine, ...]
    review_route: ReviewRoute | None
    fallback: HelpLine | None


def _pairs(raw: Iterable[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(where), str(office)) for where, office in raw)


@functools.cache
def routes() -> tuple[Route, ...]:
    return tuple(_route(raw) for raw in load_yaml("routing.yml")["routes"])


def _route(raw: dict[str, Any]) -> Route:
    fallback = raw.get("fallback")
    return Route(
        id=raw["id"],
        plan_types=tuple(raw["plan_types"]),
        states=tuple(raw.get("states", ())),
        regulators=tuple(raw.get("regulators", ())),
        regulator=raw["regulator"],
        why=" ".join(raw["why"].split()),
        citation=raw["citation"],
        confidence=raw["confidence"],
        offices=_pairs(raw["offices"]),
        plan_extras={plan: _pairs(pairs) for plan, pairs in raw.get("plan_extras", {}).items()},
        fallback=(fallback[0], fallback[1]) if fallback else None,
        external_review_route=bool(raw.get("external_review_route", False)),
    )


def route_for(plan_type: str, state: str | None, regulator: str | None = None) -> Route:
    """The first routing entry for this plan, state and (California) regulator."""
    for route in routes():
        if route.applies_to(plan_type, state, regulator):
            return route
    raise LookupError(f"no route for {plan_type} in {state}")


def office_lines(pairs: Iterable[tuple[str, str]], state: str | None) -> list[HelpLine]:
    """The directory's offices for these (jurisdiction, office) pairs, in order, each once."""
    lines: list[HelpLine] = []
    for where, office in pairs:
        jurisdiction = state if where == MEMBER_STATE else where
        if jurisdiction is None:
            continue
        for line in _group(directory_store.phones(jurisdiction, [office])):
            if line not in lines:
                lines.append(line)
    return lines


def _group(records: Sequence[PhoneRecord]) -> list[HelpLine]:
    """Numbers of the same office become one help line, in the order the directory lists them."""
    grouped: dict[tuple[str, str, str], list[PhoneRecord]] = {}
    for record in records:
        grouped.setdefault((record.jurisdiction, record.office, record.name), []).append(record)
    return [
        HelpLine(
            jurisdiction=jurisdiction,
            office=office,
            name=name,
            url=next((number.url for number in numbers if number.url), ""),
            scope=numbers[0].scope,
            numbers=tuple(numbers),
        )
        for (jurisdiction, office, name), numbers in grouped.items()
    ]


def referral(state: str | None, plan_type: str, regulator: str | None = None) -> Referral:
    """Who regulates the plan, the offices to call, the external-review route and, when every
    number found is unverified, a confirmed national line beside them."""
    route = route_for(plan_type, state, regulator)
    lines = office_lines(route.offices_for(plan_type), state)
    review = None
    if route.external_review_route and state:
        review = directory_store.review_route(state)
        if review and review.route in ("federal", "conflict"):
            for line in office_lines([(NATIONAL, "federal_external_review")], state):
                if line not in lines:
                    lines.append(line)
    fallback = None
    if route.fallback and not any(line.confirmed for line in lines):
        candidates = office_lines([route.fallback], state)
        fallback = next((line for line in candidates if line not in lines), None)
    return Referral(route, tuple(lines), review, fallback)


def lines_for_office(office: str, state: str | None) -> list[HelpLine]:
    """A named office: the member's state's one if the directory has it, else the national."""
    if state:
        lines = office_lines([(state, office)], state)
        if lines:
            return lines
    return office_lines([(NATIONAL, office)], state)


_NUMBER_SLOT = re.compile(r"\{(phone|tty):([A-Z]{2}):([a-z_]+)\}")


def fill_numbers(text: str) -> str:
    """Replace {phone:CA:managed_care_regulator} (or tty) with the directory's first such number,
    so texts in knowledge/ never hold a number of their own."""

    def number(match: re.Match[str]) -> str:
        kind, jurisdiction, office = match.groups()
        found = [
            record.phone
            for record in directory_store.phones(jurisdiction, [office])
            if record.kind == ("tty" if kind == "tty" else "voice")
        ]
        if not found:
            raise LookupError(f"the directory has no {kind} number for {office} in {jurisdiction}")
        return found[0]

    return _NUMBER_SLOT.sub(number, text)


def office_name(office: str) -> str:
    return str(load_yaml("routing.yml")["office_names"][office])


@dataclass(frozen=True)
class NamedOffice:
    """An office a member asked about; `jurisdiction` is set when the name belongs to one state
    ("the DMHC" is California's), else the member's state applies."""

    office: str
    jurisdiction: str | None = None


def find_office_in_sentence(text: str | None) -> NamedOffice | None:
    """The office a member names ("the insurance department's number"), or None."""
    mentions = find_mentions(pieces_of(text), _office_phrases())
    named = [mention.label for mention in mentions if not mention.negated]
    if not named:
        return None
    office, _, jurisdiction = named[0].partition("@")
    return NamedOffice(office, jurisdiction or None)


def parse_california_regulator(text: str | None) -> str | None:
    """ "dmhc" or "cdi" for an answer naming the regulator or a plan only one of them oversees;
    "unknown" for a PPO or EPO alone (it could be either); None when nothing is recognised."""
    mentions = find_mentions(pieces_of(text), _regulator_phrases())
    named = {mention.label for mention in mentions if not mention.negated}
    regulators = named & {"dmhc", "cdi"}
    if len(regulators) == 1:
        return regulators.pop()
    return "unknown" if named else None


@functools.cache
def _office_phrases() -> dict[tuple[str, ...], str]:
    return {
        phrase: office
        for office, texts in word_lists("offices", "offices").items()
        for phrase in phrases_of(texts)
    }


@functools.cache
def _regulator_phrases() -> dict[tuple[str, ...], str]:
    return {
        phrase: label
        for label, texts in word_lists("offices", "california_regulator").items()
        for phrase in phrases_of(texts)
    }
