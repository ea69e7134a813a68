"""Reading the member's plan type from how they describe their coverage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal.plans import find_plan_type_in_sentence, parse_plan_type

PLAN_TYPES = {"employer_insured", "marketplace", "medicaid", "medicare_advantage", "self_funded"}
BAD_INPUTS = [None, "", "   ", "😀", "<script>medicaid()</script>", "x" * 20_000, "שלום", "?"]


def _cases(plan_type: str, answers: list[str]) -> list[tuple[str, str]]:
    return [(answer, plan_type) for answer in answers]


@pytest.mark.parametrize(
    ("answer", "plan_type"),
    [
        *_cases(
            "employer_insured",
            [
                "HMO through work",
                "Kaiser through my employer",
                "my job's insurance",
                "it's through my job",
                "through work",
                "I get it through my employer",
                "my employer's HMO",
                "through my husband's job",
                "my wife's work insurance",
                "I get it through my union",
                "Blue Shield HMO through my company",
                "COBRA from my old job",
                "wait no, it's through my job",
                "employeer",
            ],
        ),
        *_cases(
            "self_funded",
            [
                "self-funded",
                "self insured",
                "my employer pays claims itself, Aetna just administers it",
                "my company is self-funded",
                "it's self insured through my employer",
                "HR said our plan is self-funded",
            ],
        ),
        *_cases(
            "marketplace",
            [
                "Covered California",
                "healthcare.gov",
                "Obamacare",
                "ACA plan",
                "marketplace",
                "the exchange",
                "I bought it myself",
                "I bought it on covered california",
                "I bought it myself on the marketplace",
                "I pay for it myself, it's an ACA plan",
                "individual plan from the exchange",
                "obamcare",
            ],
        ),
        *_cases(
            "medicaid",
            [
                "Medi-Cal",
                "medi cal",
                "Medicaid",
                "MassHealth",
                "TennCare",
                "Apple Health",
                "SoonerCare",
                "BadgerCare",
                "HUSKY",
                "AHCCCS",
                "Medical Assistance",
                "it's a medicaid plan, TennCare",
                "my kids are on CHIP",
                "Medi-Cal through Covered California",
                "medicaide",
            ],
        ),
        *_cases(
            "medicare_advantage",
            [
                "Medicare Advantage",
                "Part C",
                "Medicare HMO",
                "Medicare PPO",
                "Humana Medicare plan",
                "I have a medicare advantage plan",
                "it's a part C plan",
                "AARP medicare advantage through United",
                "Medicare Advantage through my old employer",
            ],
        ),
        *_cases(
            "unknown",
            [
                "skip",
                "I don't know",
                "not sure",
                "idk",
                "not sure what kind of plan it is",
                "no idea what type of plan",
            ],
        ),
    ],
)
def test_parse_plan_type(answer: str, plan_type: str) -> None:
    assert parse_plan_type(answer) == plan_type


@pytest.mark.parametrize(
    "answer",
    [
        "Medicare",  # Original Medicare or Medicare Advantage? The caller asks.
        "I have Medicare",
        "HMO",
        "Blue Shield HMO",
        "Kaiser",
        "Medicare supplement from Aetna",
        "Medicare Part D",
        "Medi-Cal and Medicare",
        "not through work",
        "I'm not on Medicaid",
        "medicade",  # Medicaid or Medicare?
        "hello",
        "PPO",
        *BAD_INPUTS,
    ],
)
def test_parse_plan_type_asks_back(answer: str | None) -> None:
    assert parse_plan_type(answer) is None


@pytest.mark.parametrize(
    ("message", "plan_type"),
    [
        ("sorry, I meant Medicaid", "medicaid"),
        ("correction: it's Medi-Cal not Medicare", "medicaid"),
        ("my bad, it's Kaiser through work not Covered California", "employer_insured"),
        ("change my plan type to marketplace", "marketplace"),
        ("sorry I put the wrong plan, it's medicare advantage", "medicare_advantage"),
        ("the plan is self-funded actually", "self_funded"),
        ("wait no, it's through my job", "employer_insured"),
        ("they said my Humana Medicare plan needs a referral", "medicare_advantage"),
    ],
)
def test_find_plan_type_in_sentence(message: str, plan_type: str) -> None:
    assert find_plan_type_in_sentence(message) == plan_type


@pytest.mark.parametrize(
    "message",
    [
        "I don't know",
        "skip",
        "I lost my job last month",
        "I had to miss work for the MRI",
        "my MRI was at work",
        "I have Medicare",
        "I had a CT scan and I have Medicare",
        "the exchange of letters took weeks",
        "my kids ate chips",
        *BAD_INPUTS,
    ],
)
def test_find_plan_type_in_sentence_stays_quiet(message: str | None) -> None:
    assert find_plan_type_in_sentence(message) is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parsers_are_total(text: str) -> None:
    assert parse_plan_type(text) in PLAN_TYPES | {"unknown", None}
    assert find_plan_type_in_sentence(text) in PLAN_TYPES | {None}
