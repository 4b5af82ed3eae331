"""Note genre, service, setting and date of service on the kinds of notes real clinics write (issue 8, items
2, 3 and 5): text written for these tests, in the shapes of discharge summaries, testing reports,
evaluations, medical visits and medication checks."""

import pytest

import billfacts

DISCHARGE = """DISCHARGE SUMMARY

HOSPITAL COURSE: The patient was admitted for worsening depression and was treated with sertraline and daily
individual and group therapy on the unit. She attended 45 minute groups.
DISCHARGE DIAGNOSES:
1. Major depressive disorder, recurrent, severe without psychotic features.
CONDITION ON DISCHARGE: Stable.
DISCHARGE PLAN: Follow up with outpatient psychiatry in one week."""

TESTING = """REASON FOR REFERRAL: The patient was referred for a neuropsychological evaluation after a stroke.
TESTS ADMINISTERED: WAIS-IV, Trail Making Test, Beck Depression Inventory-II.
BEHAVIORAL OBSERVATIONS: She arrived on time and was cooperative for 3 hours of testing.
SUMMARY: Mild executive weaknesses. Poorly treated sleep apnea may contribute.
RECOMMENDATIONS: Comply with CPAP nightly."""

DISABILITY = """COMPREHENSIVE MENTAL STATUS EVALUATION
REASON FOR REFERRAL: Referred to assist in the determination of eligibility for disability benefits.
The claimant came to the evaluation alone and was interviewed for 60 minutes.
DIAGNOSTIC IMPRESSION: Major depressive disorder, recurrent, moderate.
"""

BLANK_FORM = "\n".join(["PSYCHOSOCIAL EVALUATION QUESTIONNAIRE"] + [f"{i}. What is your {w}?" for i, w in enumerate(
    ["age", "occupation", "support system", "understanding of the procedure", "drinking history", "drug history",
     "legal history", "housing", "coping style", "mood"], 1)])

CONSULT = """PSYCHIATRY CONSULTATION
REASON FOR CONSULT: Depressed mood on the medicine floor after a myocardial infarction.
Seen at the bedside, 55 minutes.
PAST PSYCHIATRIC HISTORY: None.
MENTAL STATUS EXAM: Alert, depressed mood, no suicidal ideation.
IMPRESSION: Major depressive disorder, single episode, moderate.
RECOMMENDATIONS: Start sertraline 25 mg daily. Will follow."""

INTAKE = """REASON FOR REFERRAL: Behavioral concerns at school.
This was a 90-minute initial intake completed on 10/03/2011 with the patient's mother.
PREVIOUS COUNSELING: None.
DSM IV DIAGNOSES:
AXIS I: Oppositional defiant disorder.
AXIS II: Deferred."""

MEDICAL_VISIT = """CHIEF COMPLAINT: Mood swings.
HISTORY OF PRESENT ILLNESS: A 50-year-old woman comes to the clinic with mood swings over several months.
PHYSICAL EXAMINATION: Vital signs stable. HEENT normal.
ASSESSMENT:
1. Mood swings.
2. Hypertension.
PLAN: Restart bupropion 150 mg daily. I spent about 30 minutes counseling her about treatment options."""


def run(text, **kwargs):
    return billfacts.analyze(text, date_of_service=kwargs.pop("dos", "2026-03-02"), **kwargs)


@pytest.mark.parametrize("text,genre", [(DISCHARGE, "discharge_summary"), (TESTING, "testing_report"),
                                        (DISABILITY, "disability_exam"), (BLANK_FORM, "blank_form")])
def test_documents_that_are_no_encounter_get_no_code(text, genre):
    result = run(text)
    assert result.facts.note_genre == genre
    assert result.facts.service_type == "other"
    assert result.coding.lines == []
    gaps = {g.id for g in result.gaps.items}
    assert not gaps & {"missing_total_minutes", "missing_start_stop_times", "missing_interventions",
                       "missing_patient_response", "missing_modality"}
    assert result.facts.evidence["note_genre"]  # the headers or words that made the call


def test_discharge_summary_keeps_its_diagnoses_but_not_the_program_minutes():
    result = run(DISCHARGE)
    assert [d.code for d in result.facts.diagnoses if d.status == "affirmed"] == ["F33.2"]
    assert result.facts.psychotherapy_minutes is None


def test_consult_with_a_medication_recommendation_is_90792_at_the_inpatient_place_of_service():
    result = run(CONSULT)
    assert (result.facts.service_type, result.facts.em_present, result.facts.modality) == \
        ("diagnostic_eval", False, "in_person")
    assert [(line.code, line.pos) for line in result.coding.lines] == [("90792", "21")]
    assert result.facts.psychotherapy_minutes is None and result.facts.total_minutes == 55
    gaps = {g.id for g in result.gaps.items}
    assert not gaps & {"missing_total_minutes", "missing_interventions", "missing_patient_response"}


def test_intake_before_2013_takes_the_code_of_its_day():
    result = billfacts.analyze(INTAKE)
    assert result.facts.date_of_service == "2011-10-03"
    assert result.coding.date_of_service == "2011-10-03"
    assert [line.code for line in result.coding.lines] == ["90801"]
    assert "legacy psychiatry codes" in result.versions.code_rules


def test_medical_visit_is_an_em_line_and_counselling_minutes_are_not_psychotherapy():
    result = run(MEDICAL_VISIT)
    facts = result.facts
    assert (facts.note_genre, facts.service_type, facts.em_present, facts.modality) == \
        ("medical_visit", "em_only", True, "in_person")
    assert facts.psychotherapy_minutes is None
    assert [line.code for line in result.coding.lines] == ["E/M"]
    assert sorted(d.code for d in facts.diagnoses if d.status == "affirmed") == ["I10", "R45.86"]


@pytest.mark.parametrize("text,codes,service", [
    ("Telehealth medication follow-up completed by video. Medication adherence and side effects reviewed.",
     ["E/M"], "em_only"),
    ("Medication adherence and nausea side effects reviewed. Dose adjustment options discussed. 20 minutes of "
     "CBT-oriented psychotherapy focused on reframing anxious avoidance.", ["90833", "E/M"], "individual"),
    ("Medication adherence, side effects, and dose options reviewed. CBT-oriented intervention focused on "
     "avoidance thoughts. No separate psychotherapy minutes documented.", ["E/M"], "individual"),
    ("Medication management: sertraline increased to 100 mg. Psychotherapy add-on (separate from E/M): 20 min "
     "of CBT for avoidance; patient engaged. Seen in clinic.", ["90833", "E/M"], "individual"),
])
def test_medication_visits(text, codes, service):
    result = run(text)
    assert sorted(line.code for line in result.coding.lines) == codes
    assert result.facts.service_type == service and result.facts.em_present


def test_medication_visit_without_separate_time_is_flagged():
    result = run("Medication adherence, side effects, and dose options reviewed. CBT-oriented intervention focused "
                 "on avoidance thoughts. No separate psychotherapy minutes documented.")
    assert "em_psychotherapy_not_separated" in {g.id for g in result.gaps.items}


@pytest.mark.parametrize("text,modality,location,pos", [
    ("Session 45 minutes in my office. CBT practiced. Dx F41.1", "in_person", "clinic", "11"),
    ("Met face to face with client for 40 minutes. Grounding practiced. Dx F43.10", "in_person", "clinic", "11"),
    ("Location: clinic\n45 minute psychotherapy session. Thought records reviewed. Dx F33.1",
     "in_person", "clinic", "11"),
    ("Patient presented to the emergency department in crisis; crisis psychotherapy 60 minutes with safety "
     "planning and risk assessment. Dx F32.2", "in_person", "emergency_department", "23"),
    ("Telehealth session, 50 minutes, patient at home. CBT. Consent obtained. Dx F41.1", "video", "home", "10"),
])
def test_setting_gives_modality_and_place_of_service(text, modality, location, pos):
    result = run(text)
    assert (result.facts.modality, result.facts.patient_location) == (modality, location)
    assert {line.pos for line in result.coding.lines} == {pos}
    assert result.facts.evidence["modality"]


@pytest.mark.parametrize("text", [
    "Pseudoseizures were confirmed by video EEG last year. Intake completed in office for 60 minutes.",
    "History was obtained through discussion with Dr. X over the phone. Seen at the bedside for 30 minutes.",
])
def test_words_that_are_not_the_visits_modality(text):
    assert run(text).facts.modality == "in_person"


@pytest.mark.parametrize("text,expected", [
    ("Date: April 3, 2026\nSession 50 minutes.", "2026-04-03"),
    ("This was a 90-minute initial intake completed on 10/19/2007 with the mother.", "2007-10-19"),
    ("Session 10:00-10:50 AM. Next session date: 03/09/2026.", None),
    ("DOB: 01/02/1980. Seen in office for 45 minutes.", None),
    ("Date: 00/00/00", None),
])
def test_date_of_service_from_explicit_cues_only(text, expected):
    assert billfacts.analyze(text).facts.date_of_service == expected


def test_family_session_without_the_patient():
    result = run("Family session, w/o patient present. Met with parents for 50 minutes in office to address limit "
                 "setting; parents receptive. Plan: next week. Dx: F91.3")
    assert result.facts.service_type == "family_without_patient"
    assert [line.code for line in result.coding.lines] == ["90846"]


def test_plain_words_of_impairment_are_medical_necessity():
    result = run("45 minute session in office. Depression makes it hard for her to get to work and she has missed "
                 "5 days this month. Used behavioral activation; she agreed to one activity. Plan weekly. Dx F32.1")
    assert "missing_medical_necessity" not in {g.id for g in result.gaps.items}


@pytest.mark.parametrize("text", [
    # A therapist's SOAP note that mentions medication stays a therapy note.
    "S: Client reports ongoing worry about work and good medication adherence; will ask her psychiatrist for a "
    "refill.\nO: Anxious affect, engaged.\nA: GAD symptoms moderate.\nP: Continue weekly CBT. Session 10:00-10:53 "
    "in office.\nInterventions: cognitive restructuring, thought record; client receptive.\nDx: F41.1",
    "S: Worry about work, sleeping better.\nO: Anxious, engaged.\nA: GAD improving.\nP: Weekly CBT. Her "
    "psychiatrist increased sertraline to 100 mg last week.\n50 minute session in office. Dx F41.1",
    "Individual therapy session, 45 minutes, in office.\nSubjective: Client states psychiatrist increased sertraline "
    "to 100 mg last week.\nAssessment: mood improving.\nPlan: continue weekly sessions.\nIntervention: behavioral "
    "activation; client scheduled two activities.\nDx: F33.1",
])
def test_therapy_notes_that_mention_medication_are_not_em(text):
    result = run(text)
    assert result.facts.note_genre is None and not result.facts.em_present
    assert result.facts.service_type == "individual"
    assert all(not line.code.startswith(("E/M", "9083")) or line.code in ("90832", "90834", "90837")
               for line in result.coding.lines)


@pytest.mark.parametrize("text,codes", [
    ("PSYCHIATRIC PROGRESS NOTE\nCC: follow-up of depression.\nInterval history: mood better on sertraline.\n"
     "Assessment: MDD, recurrent, moderate.\nPlan: continue sertraline 100 mg daily; RTC 4 weeks. Seen in clinic.",
     ["E/M"]),
    ("PSYCHOSOCIAL DONOR EVALUATION\nThe patient was evaluated in clinic as a kidney donor for his brother.\n"
     "PSYCHIATRIC HISTORY: None.\nASSESSMENT: Good candidate.\nRECOMMENDATION: Proceed with work-up.", ["90791"]),
])
def test_prescriber_and_evaluation_notes(text, codes):
    assert [line.code for line in run(text).coding.lines] == codes


def test_telehealth_consent_phrase_does_not_hide_the_modality():
    result = run("Telepsychiatry follow-up via video, patient at home, consent obtained.\nMedication management: "
                 "increased bupropion XL to 300 mg; side effects reviewed.\nDx: F32.1")
    assert (result.facts.modality, result.facts.patient_location, result.facts.telehealth_consent) == \
        ("video", "home", True)


def test_an_evaluation_named_in_its_title_keeps_its_physical_exam():
    text = ("INITIAL PSYCHIATRIC EVALUATION\nCHIEF COMPLAINT: hearing voices.\nHPI: 30 yo with 2 weeks of AH.\n"
            "PAST PSYCHIATRIC HISTORY: none.\nREVIEW OF SYSTEMS: negative.\nPHYSICAL EXAMINATION: Vitals stable.\n"
            "MENTAL STATUS EXAM: guarded, AH present.\nIMPRESSION: Brief psychotic disorder.\n"
            "PLAN: Start risperidone 1 mg nightly. Seen in clinic.")
    result = run(text)
    assert [line.code for line in result.coding.lines] == ["90792"]
    assert [d.code for d in result.facts.diagnoses] == ["F23"]


def test_oral_intake_is_no_intake_evaluation():
    text = ("CHIEF COMPLAINT: Poor oral intake and confusion.\nHPI: 80 yo.\nREVIEW OF SYSTEMS: neg.\n"
            "PHYSICAL EXAMINATION: frail.\nASSESSMENT: Dehydration.\nPLAN: IV fluids.")
    assert run(text).facts.service_type == "em_only"
