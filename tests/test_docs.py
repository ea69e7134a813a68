"""docs/rules.md is generated from the rule table and the directory, and kept current."""

from __future__ import annotations

from scripts.generate_docs import DOCS_FILE, render


def test_the_rules_reference_page_is_current():
    assert DOCS_FILE.read_text(encoding="utf-8") == render(), (
        "docs/rules.md is stale: run `make docs`"
    )


def test_the_page_lists_every_rule_with_value_clock_start_and_citation():
    page = render()
    for needle in (
        "| internal_appeal_aca_erisa | internal appeal |",
        "180 days",
        "45 CFR 147.136(d)(2)(i)",
        "a weekend or federal holiday moves to the next business day",
        "Cal. Health & Safety Code 1374.30(j)",
        "| Georgia | conflict |",
    ):
        assert needle in page
