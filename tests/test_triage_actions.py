"""The triage form's validation action: answers, buttons, skips, corrections and bad input."""

from __future__ import annotations

import pytest

from actions.triage import ActionStartTriage, ValidateTriageForm
from tests.actions_support import run, slot_values, tracker


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPEAL_TODAY", "2026-11-23")


async def answer(slot: str, text: str, intent: str = "inform", **kwargs):
    """The member answers the question for `slot` with `text`, as the form would pass it on."""
    state = tracker(
        text,
        intent=intent,
        requested_slot=slot,
        form_active=True,
        slot_candidates={slot: text},
        **kwargs,
    )
    events, said = await run(ValidateTriageForm(), state)
    return slot_values(events), said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("California", "CA"),
        ("ca", "CA"),
        ("I live in new york", "NY"),
        ("<b>Ohio</b>", "OH"),
        ("Washington DC", "DC"),
        ("skip", "unknown"),
    ],
)
async def test_state_answers(text, expected):
    slots, _ = await answer("us_state", text)
    assert slots["us_state"] == expected


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("LA", "Louisiana or California"),
        ("Puerto Rico", "50 states and DC"),
        ("purple monkey", "didn't recognise a US state"),
        ("🙂🙂🙂", "didn't recognise a US state"),
        ("x" * 20_000, "didn't recognise a US state"),
    ],
)
async def test_state_problems_are_asked_back_kindly(text, reply):
    slots, said = await answer("us_state", text)
    assert slots["us_state"] is None
    assert reply in said


async def test_plan_type_from_a_button():
    entities = [{"entity": "plan_type", "value": "medicaid"}]
    slots, _ = await answer("plan_type", '/inform{"plan_type": "medicaid"}', entities=entities)
    assert slots["plan_type"] == "medicaid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("through my job", "employer_insured"),
        ("Medi-Cal", "medicaid"),
        ("Covered California", "marketplace"),
        ("Medicare Advantage", "medicare_advantage"),
        ("it's self-funded", "self_funded"),
    ],
)
async def test_plan_type_answers(text, expected):
    slots, _ = await answer("plan_type", text)
    assert slots["plan_type"] == expected


async def test_unknown_plan_type_gets_help_to_find_out():
    slots, said = await answer("plan_type", "I don't know")
    assert slots["plan_type"] == "unknown"
    assert "insured or self-funded" in said


async def test_unrecognised_plan_type_is_asked_back():
    slots, said = await answer("plan_type", "Medicare")
    assert slots["plan_type"] is None
    assert "through a job" in said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9/15/26", "2026-09-15"),
        ("Sept 15", "2026-09-15"),
        ("two weeks ago", "2026-11-09"),
        ("2026-11-01", "2026-11-01"),
    ],
)
async def test_notice_dates(text, expected):
    slots, _ = await answer("notice_date", text)
    assert slots["notice_date"] == expected


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("February 30", "doesn't exist"),
        ("12/25/2026", "still ahead"),
        ("March 3 2019", "more than three years ago"),
        ("whenever", "couldn't read a date"),
        ("<script>alert(1)</script>", "couldn't read a date"),
    ],
)
async def test_bad_dates_are_asked_back_kindly(text, reply):
    slots, said = await answer("notice_date", text)
    assert slots["notice_date"] is None
    assert reply in said


async def test_skipped_date_is_unknown_with_a_note():
    slots, said = await answer("notice_date", "skip", intent="skip")
    assert slots["notice_date"] == "unknown"
    assert "in days" in said


async def test_denied_service_is_cleaned_and_capped():
    slots, _ = await answer("denied_service", "an MRI of my knee")
    assert slots["denied_service"] == "an MRI of my knee"
    long_slots, _ = await answer("denied_service", "physical therapy " * 500)
    assert len(long_slots["denied_service"]) <= 121


@pytest.mark.parametrize("reply", ["yes", "no, it can wait", "Yes it's urgent", "nope"])
async def test_a_yes_or_no_is_not_a_denied_service(reply):
    slots, said = await answer("denied_service", reply, intent="inform")
    assert slots["denied_service"] is None
    assert "what was denied" in said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they said it wasn't medically necessary", "not_medically_necessary"),
        ("no referral on file", "no_referral"),
        ("CO-197", "no_prior_authorization"),
        ("I don't know", "unknown"),
    ],
)
async def test_denial_reasons(text, expected):
    slots, _ = await answer("denial_reason", text)
    assert slots["denial_reason"] == expected


@pytest.mark.parametrize(
    ("slot", "text", "intent", "expected"),
    [
        ("urgency", "yes", "affirm", "urgent"),
        ("urgency", "no", "deny", "not_urgent"),
        ("urgency", "not sure", "inform", "unknown"),
        ("appeal_stage", "this is the first denial", "inform", "first_denial"),
        ("appeal_stage", "they already denied my appeal", "inform", "internal_appeal_denied"),
    ],
)
async def test_urgency_and_stage(slot, text, intent, expected):
    slots, _ = await answer(slot, text, intent=intent)
    assert slots[slot] == expected


async def test_urgent_answer_promises_the_fast_route():
    _, said = await answer("urgency", "yes, I'm in a lot of pain", intent="affirm")
    assert "expedited" in said


async def test_correction_of_an_earlier_answer_mid_form():
    state = tracker(
        "actually I'm in Oregon, not Ohio",
        intent="correct",
        requested_slot="plan_type",
        form_active=True,
        slots={"us_state": "OH"},
    )
    events, said = await run(ValidateTriageForm(), state)
    assert slot_values(events)["us_state"] == "OR"
    assert "changed your state to Oregon" in said
    assert "couldn't tell" not in said


async def test_several_answers_in_one_message():
    text = "California, and I have Medi-Cal"
    events, _ = await run(
        ValidateTriageForm(),
        tracker(
            text, requested_slot="us_state", form_active=True, slot_candidates={"us_state": text}
        ),
    )
    values = slot_values(events)
    assert values == {"us_state": "CA", "plan_type": "medicaid", "requested_slot": "notice_date"}


async def test_side_questions_fill_nothing():
    events, said = await run(
        ValidateTriageForm(),
        tracker("what is an HMO?", intent="faq", requested_slot="us_state", form_active=True),
    )
    assert slot_values(events) == {"requested_slot": "us_state"}  # the same question again
    assert said == ""


async def test_start_triage_counts_the_questions_left():
    _, said = await run(ActionStartTriage(), tracker(slots={"us_state": "CA"}))
    assert "6 quick questions" in said
    full = dict.fromkeys(
        ["us_state", "plan_type", "notice_date", "denied_service", "denial_reason", "urgency"],
        "unknown",
    )
    _, said_when_done = await run(
        ActionStartTriage(), tracker(slots={**full, "appeal_stage": "unknown"})
    )
    assert said_when_done == ""


async def test_a_corrected_date_is_confirmed_in_words():
    state = tracker(
        "wait, the date was wrong, it was March 3",
        intent="correct",
        requested_slot="denied_service",
        form_active=True,
        slots={"notice_date": "2026-09-15"},
    )
    events, said = await run(ValidateTriageForm(), state)
    assert slot_values(events)["notice_date"] == "2026-03-03"
    assert "changed the notice date to March 3, 2026" in said


async def test_an_extra_detail_never_replaces_an_earlier_answer():
    state = tracker(
        "an MRI, and I'm in Texas",
        requested_slot="denied_service",
        form_active=True,
        slots={"us_state": "CA"},
        slot_candidates={"denied_service": "an MRI, and I'm in Texas"},
    )
    events, _ = await run(ValidateTriageForm(), state)
    assert "us_state" not in slot_values(events)


async def test_a_garbled_answer_the_model_thinks_is_a_skip_is_asked_again():
    slots, said = await answer("notice_date", "qwerty zxcv", intent="skip", confidence=0.6)
    assert slots["notice_date"] is None
    assert "couldn't read a date" in said


async def test_a_sure_skip_in_other_words_is_a_skip():
    slots, _ = await answer("notice_date", "I'd rather not answer that", intent="skip")
    assert slots["notice_date"] == "unknown"


async def test_a_long_paste_is_never_a_skip():
    slots, said = await answer("notice_date", "blah " * 4000, intent="skip", confidence=0.95)
    assert slots["notice_date"] is None
    assert "couldn't read a date" in said


@pytest.mark.parametrize(
    ("text", "expected", "reply"),
    [
        ("DMHC", "dmhc", ""),
        ("it's a Kaiser HMO", "dmhc", ""),
        ("my card says Department of Insurance", "cdi", ""),
        ("an insured PPO policy", "cdi", ""),
        ("it's a PPO", "unknown", "both agencies"),
        ("not sure", "unknown", "both agencies"),
        ("banana", None, "Department of Managed Health Care"),
        ("<script>alert(1)</script>", None, "Department of Managed Health Care"),
    ],
)
async def test_california_regulator_answers(text, expected, reply):
    slots, said = await answer(
        "ca_regulator", text, slots={"us_state": "CA", "plan_type": "employer_insured"}
    )
    assert slots["ca_regulator"] == expected
    assert reply in said


async def test_california_regulator_from_a_button():
    slots, _ = await answer(
        "ca_regulator",
        '/inform{"ca_regulator": "cdi"}',
        entities=[{"entity": "ca_regulator", "value": "cdi"}],
        slots={"us_state": "CA", "plan_type": "marketplace"},
    )
    assert slots["ca_regulator"] == "cdi"


@pytest.mark.parametrize(
    ("state", "plan_type", "asked"),
    [
        ("CA", "employer_insured", True),
        ("CA", "marketplace", True),
        ("CA", "medicaid", False),
        ("CA", "self_funded", False),
        ("OH", "employer_insured", False),
        (None, None, False),
    ],
)
async def test_the_california_question_is_asked_only_where_it_matters(state, plan_type, asked):
    from rasa_sdk.executor import CollectingDispatcher

    from tests.actions_support import domain

    form = ValidateTriageForm()
    state_tracker = tracker(slots={"us_state": state, "plan_type": plan_type})
    slots = await form.required_slots(
        form.domain_slots(domain()), CollectingDispatcher(), state_tracker, domain()
    )
    assert ("ca_regulator" in slots) is asked
    if asked:
        assert slots.index("ca_regulator") == slots.index("plan_type") + 1


@pytest.mark.parametrize(("state", "next_slot"), [("OH", "notice_date"), ("CA", None)])
async def test_only_california_plan_answers_lead_to_the_regulator_question(state, next_slot):
    """Elsewhere the form skips the question; in California the form's own order (which puts
    ca_regulator next) applies, so the validator names no next slot."""
    events, _ = await run(
        ValidateTriageForm(),
        tracker(
            "through my job",
            requested_slot="plan_type",
            form_active=True,
            slot_candidates={"plan_type": "through my job"},
            slots={"us_state": state},
        ),
    )
    assert slot_values(events).get("requested_slot") == next_slot


async def test_kaiser_hmo_in_an_earlier_answer_answers_the_regulator_question():
    events, _ = await run(
        ValidateTriageForm(),
        tracker(
            "Kaiser HMO through my job",
            requested_slot="plan_type",
            form_active=True,
            slot_candidates={"plan_type": "Kaiser HMO through my job"},
            slots={"us_state": "CA"},
        ),
    )
    values = slot_values(events)
    assert values["plan_type"] == "employer_insured" and values["ca_regulator"] == "dmhc"


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("there's a DMHC notice on my letter", "faq_read_denial_letter", "dmhc"),
        ("the denial names the California Department of Insurance", "faq_california_imr", "cdi"),
        ("what does a denial letter usually say?", "faq_read_denial_letter", None),
        ("the DMHC, and I can't breathe", "emergency", None),
    ],
)
async def test_the_regulator_answer_is_read_even_when_it_looks_like_a_question(
    text, intent, expected
):
    events, _ = await run(
        ValidateTriageForm(),
        tracker(
            text,
            intent=intent,
            requested_slot="ca_regulator",
            form_active=True,
            slots={"us_state": "CA", "plan_type": "employer_insured"},
        ),
    )
    assert slot_values(events).get("ca_regulator") == expected


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("the date was February 30", "doesn't exist"),
        ("the letter is dated December 25, 2026", "still ahead of us"),
        ("the notice was dated March 3, 2019", "more than three years ago"),
        ("the date was Sept 15", None),
        ("I'm in Ohio", None),
    ],
)
async def test_an_unusable_date_before_the_questions_is_named(text, said):
    _, reply = await run(ActionStartTriage(), tracker(text, "inform"))
    if said:
        assert said in reply and "didn't save it" in reply
    else:
        assert "didn't save it" not in reply
