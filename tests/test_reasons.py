"""Reading the denial reason from the member's words or the codes on an EOB or letter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appeal.reasons import parse_denial_reason

REASONS = {
    "missing_documentation",
    "no_referral",
    "no_prior_authorization",
    "coding_error",
    "not_medically_necessary",
    "experimental",
    "emergency_or_out_of_network",
    "other",
    "unknown",
}
BAD_INPUTS = [None, "", "   ", "😀", "<b></b>", "x" * 20_000, "لا أعرف السبب", "?"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("CO-50", "not_medically_necessary"),
        ("CO 50", "not_medically_necessary"),
        ("co50", "not_medically_necessary"),
        ("code 50", "not_medically_necessary"),
        ("CO-55", "experimental"),
        ("PR-197", "no_prior_authorization"),
        ("reason code 15", "no_prior_authorization"),
        ("CARC 288", "no_referral"),
        ("the code is 16", "missing_documentation"),
        ("CO-4", "coding_error"),
        ("code number 11", "coding_error"),
        ("OA-242", "emergency_or_out_of_network"),
        ("CO-45", "other"),  # a real denial code outside our list
        ("CO-50 but I think it was a referral problem", "not_medically_necessary"),
    ],
)
def test_claim_adjustment_reason_codes(answer: str, reason: str) -> None:
    assert parse_denial_reason(answer) == reason


@pytest.mark.parametrize(
    "answer",
    ["50", "197", "area code 212", "my zip code is 123", "I paid 50 dollars", "co-pay of 50"],
)
def test_numbers_without_a_code_prefix_are_not_codes(answer: str) -> None:
    assert parse_denial_reason(answer) is None


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("not medically necessary", "not_medically_necessary"),
        ("they said it wasn't medically necessary", "not_medically_necessary"),
        ("I'm not sure it was medically necessary", "not_medically_necessary"),
        ("lack of medical necessity", "not_medically_necessary"),
        ("medicaly neccessary", "not_medically_necessary"),
        ("not medically necessary, and no referral either", "not_medically_necessary"),
        ("the letter says it's experimental", "experimental"),
        ("investigational", "experimental"),
        ("experimentle", "experimental"),
        ("no referral", "no_referral"),
        ("they said I needed a referral", "no_referral"),
        ("I didn't get a referral", "no_referral"),
        ("referal", "no_referral"),
        ("correction, the reason was no referral", "no_referral"),
        ("prior authorization", "no_prior_authorization"),
        ("no prior auth", "no_prior_authorization"),
        ("no prior authorization on file", "no_prior_authorization"),
        ("it wasn't pre-approved", "no_prior_authorization"),
        ("preauthorizaton", "no_prior_authorization"),
        ("sorry, it was denied for no prior auth, not a referral", "no_prior_authorization"),
        ("out of network", "emergency_or_out_of_network"),
        ("the hospital wasn't in network", "emergency_or_out_of_network"),
        ("emergency room", "emergency_or_out_of_network"),
        ("it was an ER visit", "emergency_or_out_of_network"),
        ("coding error", "coding_error"),
        ("they said it was billed with the wrong code", "coding_error"),
        ("something about a wrong code I think", "coding_error"),
        ("missing paperwork", "missing_documentation"),
        ("they said they didn't get my records", "missing_documentation"),
        ("they need more information", "missing_documentation"),
        ("they said it's not covered under my plan", "other"),
        ("the reason just says not covered", "other"),
        ("benefit maximum reached", "other"),
        ("filed too late", "other"),
        ("it doesn't really say why", "unknown"),
        ("I don't know", "unknown"),
        ("skip", "unknown"),
        ("not sure", "unknown"),
        ("I don't know why they denied it", "unknown"),
    ],
)
def test_member_words(answer: str, reason: str) -> None:
    assert parse_denial_reason(answer) == reason


@pytest.mark.parametrize(
    "answer", ["they just denied it", "hello", "my knee", "Ohio", "yes", *BAD_INPUTS]
)
def test_nothing_recognised(answer: str | None) -> None:
    assert parse_denial_reason(answer) is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parser_is_total(text: str) -> None:
    assert parse_denial_reason(text) in REASONS | {None}
