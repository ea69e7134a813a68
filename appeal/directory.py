"""Who can help: the right office and help line for a member's state and plan type.

Numbers come only from knowledge/states.csv and knowledge/national-lines.csv, each with its
confidence mark, so the assistant can say when a number is not confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from appeal.knowledge import load_csv

CONFIRMED = ("confirmed-official", "confirmed-secondary")


@dataclass(frozen=True)
class HelpLine:
    name: str
    phone: str
    why: str
    confidence: str
    source: str
    tty: str = ""
    url: str = ""

    @property
    def confirmed(self) -> bool:
        return self.confidence in CONFIRMED


@dataclass(frozen=True)
class StateOffices:
    """One row of states.csv, with its per-field confidence marks parsed."""

    code: str
    name: str
    insurance_department: str
    insurance_phone: str
    insurance_url: str
    managed_care_regulator: str
    managed_care_phone: str
    assistance_program: str
    assistance_phone: str
    external_review: str
    sources: str
    confidence: dict[str, str]

    def mark(self, field: str) -> str:
        return self.confidence.get(field, "unknown")


def parse_confidence(marks: str) -> dict[str, str]:
    """'doi_phone=confirmed-official; cap=unknown' -> {'doi_phone': 'confirmed-official', ...}."""
    parsed: dict[str, str] = {}
    for part in marks.split(";"):
        field, _, value = part.partition("=")
        if field.strip() and value.strip():
            parsed[field.strip()] = value.strip().split(" ")[0]
    return parsed


@cache
def state_offices(code: str) -> StateOffices:
    for row in load_csv("states.csv"):
        if row["code"] == code:
            return StateOffices(
                code=row["code"],
                name=row["state"],
                insurance_department=row["doi_name"],
                insurance_phone=row["doi_phone"],
                insurance_url=row["doi_url"],
                managed_care_regulator=row["managed_care_regulator"],
                managed_care_phone=row["managed_care_phone"],
                assistance_program=row["cap_name"],
                assistance_phone=row["cap_phone"],
                external_review=row["external_review"],
                sources=row["source_urls"],
                confidence=parse_confidence(row["confidence"]),
            )
    raise KeyError(code)


@cache
def national_line(line_id: str) -> HelpLine:
    for row in load_csv("national-lines.csv"):
        if row["id"] == line_id:
            return HelpLine(
                name=row["name"],
                phone=row["phone"],
                why=row["scope"],
                confidence=row["confidence"],
                source=row["source"],
                tty=row["tty"],
                url=row["url"],
            )
    raise KeyError(line_id)


def _state_lines(offices: StateOffices, regulators: bool) -> list[HelpLine]:
    """The state's regulators (when they oversee the plan) and its consumer assistance program."""
    lines = []
    if regulators and offices.managed_care_phone:
        lines.append(
            HelpLine(
                name=offices.managed_care_regulator,
                phone=offices.managed_care_phone,
                why=f"regulates managed-care plans such as HMOs in {offices.name}",
                confidence=offices.mark("managed_care"),
                source=offices.sources,
            )
        )
    if regulators and offices.insurance_phone:
        lines.append(
            HelpLine(
                name=offices.insurance_department,
                phone=offices.insurance_phone,
                why=f"takes complaints about insured health plans in {offices.name}",
                confidence=offices.mark("doi_phone"),
                source=offices.sources,
                url=offices.insurance_url,
            )
        )
    if offices.assistance_phone and not (
        regulators and offices.assistance_phone == offices.insurance_phone
    ):
        lines.append(
            HelpLine(
                name=offices.assistance_program,
                phone=offices.assistance_phone,
                why="free consumer help with appeals",
                confidence=offices.mark("cap"),
                source=offices.sources,
            )
        )
    return lines


CALIFORNIA_LINES = {
    "medicaid": ("ca_medi_cal_ombudsman", "ca_state_hearings"),
    "medicare_advantage": ("medicare", "ca_hicap"),
    "self_funded": ("ebsa", "federal_external_review"),
    "employer_insured": ("ca_dmhc",),
    "marketplace": ("ca_dmhc", "healthcare_gov"),
    "unknown": ("ca_dmhc", "ebsa"),
}
NATIONAL_LINES = {
    "medicare_advantage": ("medicare", "ship"),
    "self_funded": ("ebsa", "federal_external_review"),
    "marketplace": ("healthcare_gov",),
    "unknown": ("ebsa",),
}


def help_lines(state: str | None, plan_type: str) -> list[HelpLine]:
    """The offices to call, most relevant first.

    Self-funded employer plans are outside state law, so they go to the Department of Labor and
    the federal external review; Medicare Advantage goes to Medicare and the state's SHIP; in
    California, HMOs are regulated by the DMHC and Medi-Cal has its own ombudsman and hearings.
    """
    if state == "CA":
        return [national_line(line_id) for line_id in CALIFORNIA_LINES[plan_type]]
    lines = [national_line(line_id) for line_id in NATIONAL_LINES.get(plan_type, ())]
    if state and plan_type not in ("self_funded", "medicare_advantage"):
        state_regulates_plan = plan_type != "medicaid"
        lines = _state_lines(state_offices(state), state_regulates_plan) + lines
    return lines


CONFIRMED_FALLBACKS = {
    "employer_insured": "ebsa",
    "self_funded": "ebsa",
    "unknown": "ebsa",
    "marketplace": "federal_external_review",
}


def confirmed_fallback(lines: list[HelpLine], plan_type: str) -> HelpLine | None:
    """A confirmed line to offer when every state line found is unverified."""
    if any(line.confirmed for line in lines):
        return None
    fallback_id = CONFIRMED_FALLBACKS.get(plan_type)
    if fallback_id is None:
        return None
    fallback = national_line(fallback_id)
    return fallback if fallback not in lines else None
