"""The directory: seeded from knowledge/directory/, one sourced value per row, and the right
office for every plan type in all 51 jurisdictions."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from appeal import db, directory_store
from appeal.directory import (
    NamedOffice,
    find_office_in_sentence,
    lines_for_office,
    parse_california_regulator,
    referral,
    route_for,
)
from appeal.knowledge import load_csv
from appeal.states import all_jurisdictions
from tests.actions_support import SOURCED_TEXT

PLAN_TYPES = [
    "employer_insured",
    "marketplace",
    "medicaid",
    "medicare_advantage",
    "self_funded",
    "unknown",
]
CODES = [j.code for j in all_jurisdictions()]
MARKS = {"confirmed-official", "confirmed-secondary", "inferred", "listed"}
PHONE = re.compile(r"^(\d-)?(\d{3}-){2}\d{4}$|^\d{3}$")


def test_all_51_jurisdictions_have_an_insurance_department_and_a_review_route():
    assert len(CODES) == 51
    for code in CODES:
        assert lines_for_office("insurance_department", code)[0].jurisdiction == code
        route = directory_store.review_route(code)
        assert route is not None and route.route in {"state", "federal", "conflict", "unknown"}


@pytest.mark.parametrize("row", load_csv("directory/lines.csv"), ids=lambda row: row["phone"])
def test_every_number_carries_its_own_source_mark_and_date(row):
    assert PHONE.match(row["phone"]), row["phone"]
    if row["office"] != "emergency":  # 911: the reference lists it without a web page
        assert row["source_url"].startswith(("http://", "https://"))
    assert row["confidence"] in MARKS
    assert date.fromisoformat(row["checked_on"]) <= date(2026, 11, 23)
    assert row["kind"] in {"voice", "tty"}


def test_the_tables_hold_exactly_the_seed_files():
    with db.session() as session:
        numbers = session.scalar(select(func.count()).select_from(db.help_lines))
        routes = session.scalar(select(func.count()).select_from(db.external_review_routes))
    assert numbers == len(load_csv("directory/lines.csv"))
    assert routes == len(load_csv("directory/external-review.csv")) == 51


@pytest.mark.parametrize("plan_type", PLAN_TYPES)
@pytest.mark.parametrize("state", [*CODES, None])
def test_every_plan_in_every_state_gets_a_regulator_and_only_sourced_numbers(state, plan_type):
    found = referral(state, plan_type)
    assert found.route.regulator and found.route.citation
    for line in (*found.lines, *([found.fallback] if found.fallback else [])):
        for number in line.numbers:
            assert number.phone in SOURCED_TEXT
    if found.lines and not any(line.confirmed for line in found.lines) and found.route.fallback:
        assert found.fallback is not None and found.fallback.confirmed


@pytest.mark.parametrize(
    ("state", "plan_type", "regulator", "expected_phone", "route_id"),
    [
        ("CA", "employer_insured", "dmhc", "1-888-466-2219", "california_dmhc"),  # DMHC
        ("CA", "marketplace", "cdi", "1-800-927-4357", "california_cdi"),  # Dept. of Insurance
        ("CA", "employer_insured", None, "1-800-927-4357", "california_unsure"),
        ("CA", "unknown", None, "1-888-466-2219", "california_unsure"),
        ("CA", "medicaid", None, "1-888-452-8609", "medi_cal"),  # Medi-Cal ombudsman
        ("CA", "medicaid", None, "1-800-743-8525", "medi_cal"),  # State Hearings
        ("CA", "medicare_advantage", None, "1-800-434-0222", "medicare_advantage_california"),
        ("TX", "self_funded", None, "1-866-444-3272", "self_funded"),  # EBSA
        ("TX", "self_funded", None, "1-888-866-6205", "self_funded"),  # federal review
        ("FL", "medicare_advantage", None, "1-877-839-2675", "medicare_advantage"),  # SHIP
        ("FL", "medicare_advantage", None, "1-800-633-4227", "medicare_advantage"),  # Medicare
        ("MN", "employer_insured", None, "651-201-5100", "state_insured"),  # MN managed care
        ("OH", "employer_insured", None, "1-800-686-1526", "state_insured"),  # Ohio DOI
        ("AL", "marketplace", None, "1-888-866-6205", "state_insured"),  # federal route
        ("GA", "employer_insured", None, "1-888-866-6205", "state_insured"),  # conflict
    ],
)
def test_the_right_office_for_plan_state_and_regulator(
    state, plan_type, regulator, expected_phone, route_id
):
    found = referral(state, plan_type, regulator)
    assert found.route.id == route_id
    phones = [number.phone for line in found.lines for number in line.numbers]
    assert expected_phone in phones


def test_self_funded_plans_skip_the_state_insurance_department():
    found = referral("OH", "self_funded")
    assert all(line.jurisdiction == "US" for line in found.lines)


@pytest.mark.parametrize(
    ("state", "route"), [("GA", "conflict"), ("AL", "federal"), ("TX", "state")]
)
def test_external_review_routes_carry_the_conflicts(state, route):
    found = referral(state, "employer_insured")
    assert found.review_route is not None and found.review_route.route == route
    if route == "conflict":
        assert "33-20A" in found.review_route.law + found.review_route.note


def test_unverified_state_numbers_come_with_a_confirmed_line():
    found = referral("OR", "employer_insured")  # Oregon's numbers come from one dataset only
    assert found.lines and not any(line.confirmed for line in found.lines)
    assert found.fallback is not None and found.fallback.confirmed


def test_every_route_entry_can_be_reached():
    reached = {
        route_for(plan, state, regulator).id
        for plan in PLAN_TYPES
        for state in ("CA", "OH")
        for regulator in ("dmhc", "cdi", None)
    }
    assert reached == {route.id for route in __import__("appeal.directory").directory.routes()}


@pytest.mark.parametrize(
    ("message", "office"),
    [
        ("what's the insurance department's number in Ohio", ("insurance_department", None)),
        ("phone number for the texas dept of insurance", ("insurance_department", None)),
        ("how do I reach the DMHC", ("managed_care_regulator", "CA")),
        ("is HICAP free?", ("ship", "CA")),
        ("medicare's phone number please", ("medicare", None)),
        ("number for the department of labor", ("ebsa", None)),
        ("consumer assistance program in Connecticut", ("consumer_assistance", None)),
        ("how do I ask for a state fair hearing", ("state_hearings", None)),
        ("who do I call?", None),
        ("my plan is not the problem, I need a lawyer", None),
    ],
)
def test_office_named_in_a_message(message, office):
    expected = NamedOffice(*office) if office else None
    assert find_office_in_sentence(message) == expected


@pytest.mark.parametrize(
    ("answer", "regulator"),
    [
        ("DMHC", "dmhc"),
        ("it's a kaiser HMO", "dmhc"),
        ("my card says department of managed health care", "dmhc"),
        ("the department of insurance", "cdi"),
        ("insured PPO", "cdi"),
        ("it's a PPO", "unknown"),
        ("blue shield epo", "unknown"),
        ("both DMHC and department of insurance", "unknown"),
        ("banana", None),
        ("", None),
    ],
)
def test_california_regulator_answers(answer, regulator):
    assert parse_california_regulator(answer) == regulator


def test_a_named_office_falls_back_to_the_national_line():
    lines = lines_for_office("ship", "OH")
    assert lines and lines[0].jurisdiction == "US"
    assert lines_for_office("ship", "CA")[0].jurisdiction == "CA"  # HICAP
    assert lines_for_office("managed_care_regulator", "OH") == []


def test_a_new_database_is_migrated_and_seeded_and_reseeded_only_on_change(tmp_path, monkeypatch):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert db.migrate(engine) == db.MIGRATIONS[-1][0]
    assert db.migrate(engine) == db.MIGRATIONS[-1][0]  # a second start changes nothing
    assert {"help_lines", "external_review_routes", "downloads"} <= db.table_names(engine)
    assert directory_store.seed_directory(engine) is True
    assert directory_store.seed_directory(engine) is False
    knowledge = tmp_path / "knowledge"
    shutil.copytree(Path(directory_store.KNOWLEDGE_DIR) / "directory", knowledge / "directory")
    lines_file = knowledge / "directory" / "lines.csv"
    rows = lines_file.read_text(encoding="utf-8").splitlines()
    lines_file.write_text("\n".join(rows[:-1]) + "\n", encoding="utf-8")  # one number removed
    monkeypatch.setattr(directory_store, "KNOWLEDGE_DIR", knowledge)
    monkeypatch.setattr(directory_store, "load_csv", _reader(knowledge))
    assert directory_store.seed_directory(engine) is True
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(db.help_lines))
    assert count == len(rows) - 2  # header and the removed row


def _reader(folder: Path):
    import csv

    def read(relative: str) -> tuple[dict[str, str], ...]:
        with (folder / relative).open(encoding="utf-8", newline="") as handle:
            return tuple(csv.DictReader(handle))

    return read


def test_no_phone_number_in_code():
    """Numbers live in knowledge/, never in Python (a guard against a hand-typed number)."""
    pattern = re.compile(r"\b\d{3}-\d{3}-\d{4}\b")
    root = Path(__file__).resolve().parent.parent
    for folder in ("appeal", "actions", "components", "gateway"):
        for path in (root / folder).glob("*.py"):
            assert not pattern.search(path.read_text()), path
