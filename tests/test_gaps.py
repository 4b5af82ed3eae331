"""The gap scorer: every check both ways, documented-as-denied versus not documented, the score."""

import pytest

import billfacts
from billfacts import score_gaps, select_codes
from billfacts.gaps import checklist

COMPLETE = (
    "Individual Psychotherapy Progress Note\n"
    "Session 2:05 PM - 2:50 PM via Zoom, patient at home. Verbal consent for telehealth obtained.\n"
    "S: Client reports daily worry that impairs her work functioning.\n"
    "Intervention: CBT - cognitive restructuring with a thought record.\n"
    "Response: Client engaged well and generated two balanced thoughts.\n"
    "Risk: denies SI/HI.\n"
    "Plan: continue weekly CBT per treatment plan goals.\n"
    "Dx: F41.1 Generalized anxiety disorder\n"
)


def ids(text, **kw):
    return {g.id for g in billfacts.analyze(text, date_of_service="2026-03-02", **kw).gaps.items}


def test_complete_note_scores_at_least_90():
    report = billfacts.analyze(COMPLETE, date_of_service="2026-03-02").gaps
    assert report.score >= 90, [g.id for g in report.items]


def test_bare_note_of_seed_case_21_scores_under_50():
    report = billfacts.analyze("Therapy session - 45 minutes. Client discussed anxiety. Doing well.",
                               date_of_service="2026-03-02").gaps
    found = {g.id for g in report.items}
    assert {"missing_start_stop_times", "missing_interventions", "missing_patient_response", "missing_diagnosis",
            "missing_medical_necessity"} <= found
    assert report.score < 50
    missing = next(g for g in report.items if g.id == "missing_interventions")
    assert missing.evidence == [] and "nothing in the note" in missing.message


def test_seed_case_22_life_coaching_needs_a_diagnosis():
    result = billfacts.analyze("Life coaching session about goals. No diagnosis.", date_of_service="2026-03-02")
    assert result.coding.lines == []
    assert "missing_diagnosis" in {g.id for g in result.gaps.items}


@pytest.mark.parametrize("gap,satisfied,unsatisfied", [
    ("missing_start_stop_times", COMPLETE, COMPLETE.replace("Session 2:05 PM - 2:50 PM", "Session of 45 minutes")),
    ("missing_total_minutes", COMPLETE, COMPLETE.replace("Session 2:05 PM - 2:50 PM", "Session")),
    ("time_inconsistent", COMPLETE, COMPLETE.replace("via Zoom", "(60 minutes) via Zoom")),
    ("missing_diagnosis", COMPLETE, COMPLETE.replace("Dx: F41.1 Generalized anxiety disorder", "Dx: deferred")),
    ("missing_interventions", COMPLETE, COMPLETE.replace("Intervention: CBT - cognitive restructuring with a thought record.\n", "")),
    ("missing_patient_response", COMPLETE, COMPLETE.replace("Response: Client engaged well and generated two balanced thoughts.\n", "")),
    ("missing_medical_necessity", COMPLETE, COMPLETE.replace("that impairs her work functioning", "")),
    ("missing_treatment_plan", COMPLETE, COMPLETE.replace("Plan: continue weekly CBT per treatment plan goals.\n", "")),
    ("missing_risk_assessment", COMPLETE, COMPLETE.replace("Risk: denies SI/HI.\n", "")),
    ("missing_modality", COMPLETE, COMPLETE.replace(" via Zoom, patient at home", "").replace(" Verbal consent for telehealth obtained.", "")),
    ("missing_telehealth_location", COMPLETE, COMPLETE.replace(", patient at home", "")),
    ("missing_telehealth_consent", COMPLETE, COMPLETE.replace(" Verbal consent for telehealth obtained.", "")),
    ("interactive_complexity_factor_unstated",
     COMPLETE.replace("Risk:", "Spanish interpreter used due to limited English proficiency.\nRisk:"),
     COMPLETE.replace("Risk:", "Spanish interpreter present.\nRisk:")),
    ("em_psychotherapy_not_separated",
     COMPLETE.replace("Session 2:05 PM - 2:50 PM", "Medication management 15 min; psychotherapy 30 min."),
     COMPLETE.replace("Session 2:05 PM - 2:50 PM", "Medication management and psychotherapy")),
])
def test_each_check_both_ways(gap, satisfied, unsatisfied):
    assert gap not in ids(satisfied)
    assert gap in ids(unsatisfied)


def test_crisis_elements_both_ways():
    crisis = ("Crisis session, 4:10 pm to 5:30 pm, in office. Client in acute crisis with SI. Completed suicide risk "
              "assessment (C-SSRS). {plan} Used grounding; client calmer. Plan: follow up tomorrow. Dx: F32.2")
    assert "crisis_elements_missing" not in ids(crisis.format(plan="Safety plan revised."))
    assert "crisis_elements_missing" in ids(crisis.format(plan=""))


def test_group_participants_both_ways():
    group = ("Group therapy note, in office. {count} Member practiced opposite action and engaged well; symptoms "
             "impair functioning. Risk: denies SI. Plan: continue group per treatment plan. Dx: F33.1")
    assert "group_participants_missing" not in ids(group.format(count="8 members present."))
    assert "group_participants_missing" in ids(group.format(count=""))


def test_documented_as_denied_is_not_a_gap_and_shows_its_evidence():
    result = billfacts.analyze(COMPLETE, date_of_service="2026-03-02")
    assert result.facts.risk_screen == "denied"
    check = next(c for c in result.gaps.checks if c.id == "missing_risk_assessment")
    assert check.status == "met" and any("SI/HI" in e.text for e in check.evidence)
    silent = billfacts.analyze(COMPLETE.replace("Risk: denies SI/HI.\n", ""), date_of_service="2026-03-02")
    assert silent.facts.risk_screen is None
    check = next(c for c in silent.gaps.checks if c.id == "missing_risk_assessment")
    assert check.status == "gap" and check.evidence == []


# ---- billed-code audit (seed cases 7, 17, 18, 20) ---------------------------------------------------------

def test_seed_case_7_fifty_minute_hour_billed_as_90837():
    note = "50-minute session in office. CBT with thought record; client engaged. Dx: F41.1"
    result = billfacts.analyze(note, date_of_service="2026-03-02", billed_codes=["90837"])
    gap = next(g for g in result.gaps.items if g.id == "billed_code_unsupported")
    assert gap.severity == "high" and "90834" in gap.message and "90837" in gap.message
    assert any(e.text == "50-minute" for e in gap.evidence)


def test_seed_case_17_gt_on_a_professional_claim():
    note = "45 minute session via Zoom, patient at home, consent for telehealth obtained. Dx: F41.1"
    result = billfacts.analyze(note, date_of_service="2026-03-02", billed_codes=["90834-GT"])
    assert "deprecated_modifier" in {g.id for g in result.gaps.items}
    clean = billfacts.analyze(note, date_of_service="2026-03-02", billed_codes=["90834-95"])
    assert "deprecated_modifier" not in {g.id for g in clean.gaps.items}


def test_95_on_audio_only_is_wrong():
    note = "45 minute audio-only telephone session, patient at home. Dx: F41.1"
    assert "deprecated_modifier" in ids(note, billed_codes=["90834-95"])
    assert "deprecated_modifier" not in ids(note, billed_codes=["90834-93"])


@pytest.mark.parametrize("code,crosswalk", [("90812", "90834 + 90785"), ("90821", "90837")])
def test_seed_cases_18_and_20_deleted_codes(code, crosswalk):
    note = "Individual psychotherapy 45 min in office. Dx: F41.1"
    result = billfacts.analyze(note, date_of_service="2026-03-02", billed_codes=[code])
    gap = next(g for g in result.gaps.items if g.id == "deleted_code")
    assert "2013-01-01" in gap.message and crosswalk in gap.message


def test_seed_case_19_legacy_code_valid_on_its_date():
    note = "Inpatient psychotherapy 25 min with E/M. Dx: F32.1"
    result = billfacts.analyze(note, date_of_service="2012-06-01", billed_codes=["90817"])
    assert "deleted_code" not in {g.id for g in result.gaps.items}


def test_revenue_left_behind():
    note = ("10:00-10:47 AM in office. Client has limited English proficiency; Spanish interpreter used throughout. "
            "CBT. Dx: F43.10")
    result = billfacts.analyze(note, date_of_service="2026-03-02", billed_codes=["90834"])
    gap = next(g for g in result.gaps.items if g.id == "supported_code_not_billed")
    assert "90785" in gap.message and gap.severity == "low"


# ---- the scorer as a pure function and the checklist as data ------------------------------------------------

def test_scorer_is_pure_and_usable_from_plain_facts():
    facts = {"service_type": "individual", "psychotherapy_minutes": 45, "modality": "in_person",
             "patient_location": "clinic", "diagnoses": [{"code": "F41.1", "text": "F41.1", "status": "affirmed"}]}
    coding = select_codes(facts, "2026-03-02")
    first = score_gaps(facts, coding)
    assert first == score_gaps(facts, coding)
    assert {"missing_start_stop_times", "missing_interventions"} <= {g.id for g in first.items}


def test_score_formula_is_the_documented_one():
    data = checklist()
    weights = data["scoring"]["weights"]
    report = billfacts.analyze("Therapy session - 45 minutes.", date_of_service="2026-03-02").gaps
    assert report.score == max(0, 100 - sum(weights[g.severity] for g in report.items))


def test_every_check_has_an_id_severity_message_fix_and_source():
    for check in checklist()["checks"]:
        assert check["id"] and check["severity"] in ("high", "medium", "low")
        assert check["message"] and check["fix"] and check["source"].startswith("http")


def test_billed_codes_that_the_note_supports_raise_no_audit_gap():
    note = ("10:00-10:47 AM in office. Client has limited English proficiency; Spanish interpreter used throughout. "
            "CBT. Dx: F43.10")
    found = ids(note, billed_codes=["90834", "90785"])
    assert not found & {"billed_code_unsupported", "supported_code_not_billed", "deleted_code", "deprecated_modifier"}


@pytest.mark.parametrize("screen", ["Safety screen: SI: no. HI: no.", "SI: denies\nHI: none", "Risk: SI - no, HI - no."])
def test_checkbox_style_denials_read_as_denied(screen):
    """'SI: no' negates SI backwards; it must not lose to a forward 'no' over the same word."""
    result = billfacts.analyze(COMPLETE.replace("Risk: denies SI/HI.\n", screen + "\n"), date_of_service="2026-03-02")
    assert result.facts.risk_screen == "denied"
