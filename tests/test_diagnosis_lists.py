"""Diagnosis lists read as lists, over the whole ICD-10-CM (issue 8, item 4): text written for these tests."""

import pytest

import billfacts


def affirmed(facts, note):
    return sorted(d["code"] for d in facts(note)["diagnoses"] if d["status"] == "affirmed")


@pytest.mark.parametrize("note,expected", [
    # Medical names and abbreviations from the curated layer, in a list.
    ("ASSESSMENT:\n1. Hypertension.\n2. Hypothyroidism.\n3. COPD.\n4. GERD.", ["E03.9", "I10", "J44.9", "K21.9"]),
    ("Axis I: Schizophrenia.\nAxis II: Deferred.\nAxis III: Hypertension; Hypothyroidism", ["E03.9", "F20.9", "I10"]),
    ("Dx: I10", ["I10"]),
    # Terms of the code set itself (titles and inclusion terms), without a curated entry.
    ("IMPRESSION:\n1. Pharyngitis.\n2. Right shoulder bursitis.", ["J02.9", "M75.51"]),
    ("DISCHARGE DIAGNOSES:\n1. Multiple myeloma.\n2. Chronic renal failure.", ["C90.00", "N18.9"]),
    # Specifiers carried to the most specific leaf.
    ("Axis I: Major depression, recurrent, with psychotic features.", ["F33.3"]),
    ("ASSESSMENT:\n1. Alzheimer's dementia, mild.", ["F02.A0", "G30.9"]),
    # "Due to" a medical condition: F06.3x with the condition itself (ICD-10-CM: code first the etiology).
    ("DIAGNOSES:\n1. Major depressive disorder due to Parkinson disease.", ["F06.32", "G20.A1"]),
    # ICD-10-CM's "with" convention.
    ("ASSESSMENT:\n1. Type II diabetes.\n2. Chronic kidney disease.", ["E11.22", "N18.9"]),
    # Legacy DSM-IV numbers map through the table when the words name nothing.
    ("DSM IV DIAGNOSES:\nAxis I: 309.3\nAxis II: V71.09", ["F43.24"]),
    ("Diagnosis: V61.20", ["Z62.820"]),
    # A working diagnosis is coded as written; "not otherwise specified" negates nothing.
    ("IMPRESSION: Tachycardia, probable alcohol withdrawal.", ["F10.930"]),
    ("IMPRESSION: Disruptive behavior disorder, not otherwise specified.", ["F91.9"]),
])
def test_list_items(facts, note, expected):
    assert affirmed(facts, note) == expected


@pytest.mark.parametrize("note,excluded", [
    ("Axis I: ADHD, rule out bipolar disorder and ODD.", ["F31.9", "F91.3"]),
    ("IMPRESSION: Seizure disorder versus transient global amnesia.", ["G40.909"]),
    ("ASSESSMENT:\n1. Possible early dementia.", ["F03.90"]),
    ("ASSESSMENT:\n1. Right arm symptoms, resolved.\n2. Perhaps a subtle tremor.", ["R25.1"]),
    ("DIAGNOSES:\n1. Atypical chest pain with myocardial infarction ruled out.", ["I21.9"]),
    ("Axis III: History of diabetes mellitus and obesity.", ["E11.9", "E66.9"]),
])
def test_qualified_items_are_not_claims(facts, note, excluded):
    assert not set(excluded) & set(affirmed(facts, note))


def test_chest_pain_survives_the_ruled_out_infarction(facts):
    assert affirmed(facts, "DIAGNOSES:\n1. Atypical chest pain with myocardial infarction ruled out.") == ["R07.89"]


def test_history_of_a_condition_still_treated_is_current(facts):
    note = "ASSESSMENT: History of hyperlipidemia. We will maintain his gemfibrozil and recheck lipids."
    assert affirmed(facts, note) == ["E78.5"]


def test_the_list_is_the_claim_not_the_history(facts):
    note = ("HISTORY OF PRESENT ILLNESS: Long history of bipolar disorder and migraines; mother has depression.\n"
            "IMPRESSION:\n1. Generalized anxiety disorder.\n")
    f = facts(note)
    assert affirmed(facts, note) == ["F41.1"]
    assert ("F31.9", "affirmed") not in {(d["code"], d["status"]) for d in f["diagnoses"]}


def test_symptoms_explained_by_a_working_diagnosis_are_not_coded(facts):
    note = "PROBLEMS AND ISSUES:\n1. Headaches and dizziness, consistent with a diagnosis of migraine."
    assert affirmed(facts, note) == ["G43.909"]


def test_symptom_words_in_assessment_prose_are_not_claims(facts):
    note = ("ASSESSMENT: Client tearful at times but engaged. Ongoing panic attacks and fatigue limit driving and "
            "grocery shopping, supporting continued treatment.\nDiagnosis: F41.1")
    assert affirmed(facts, note) == ["F41.1"]


def test_every_code_points_at_its_words(facts):
    note = "IMPRESSION:\n1. Hypertension.\n2. Osteoarthritis."
    f = facts(note)
    for record in f["evidence"]["diagnoses"]:
        assert note[record["start"]:record["end"]] == record["text"]


def test_curated_and_legacy_codes_are_billable_leaves():
    import json
    from importlib import resources

    from billfacts import icd10cm

    def load(name):
        return json.loads(resources.files("billfacts").joinpath("resources", name).read_text(encoding="utf-8"))

    names = load("diagnosis_names.json")
    codes = set(load("legacy_dx_codes.json")["codes"].values())
    for disorder in names["disorders"]:
        codes |= {disorder["default"]} | {r["code"] for r in disorder["codes"]} | {r["code"] for r in disorder.get("also", [])}
    codes |= {c["with"] for c in names["diagnosis_combinations"] if c["with"]}
    not_billable = sorted(c for c in codes if not (icd10cm.check(c) or (None, False))[1])
    assert not_billable == []


def test_a_diagnosis_before_icd10cm_is_flagged():
    result = billfacts.analyze("Diagnosis: GAD. 45 minute session in office.", date_of_service="2010-05-04")
    assert "icd10cm_before_its_time" in {w.rule_id for w in result.coding.warnings}


@pytest.mark.parametrize("note,expected", [
    ("IMPRESSION: Migraine without aura.", ["G43.009"]),
    ("IMPRESSION: Vestibular migraine.", ["G43.809"]),  # a named variant the index does not list: other migraine
    # A hospital course organised by problem names current problems.
    ("HOSPITAL COURSE:\n1. Serotonin syndrome. Prozac was stopped.\n2. Depression and anxiety with history of panic "
     "attacks exacerbated by her husband leaving her 2 weeks ago. Cymbalta recommended.", ["F32.A", "F41.9", "G90.81"]),
    # "History of X" in a list, while the note says the patient has X.
    ("PAST MEDICAL HISTORY: The patient has chronic bronchitis.\nAXIS III: History of obesity and chronic bronchitis.",
     ["J42"]),
    # What "consistent with" names replaces what it refines.
    ("PROBLEMS AND ISSUES:\n1. Some peripheral neuropathy, consistent with diabetic peripheral neuropathy.",
     ["E11.42"]),
])
def test_more_list_readings(facts, note, expected):
    assert affirmed(facts, note) == expected


@pytest.mark.parametrize("note", [
    "Assessment: Client presents with depressed mood and anxiety; making progress toward goals.",
    "Assessment:\nClient continues to experience panic attacks and avoidance. Progress fair.",
    "ASSESSMENT: Symptoms of depression persist.",
    "A: Client anxious and tearful. Insomnia continues.",
])
def test_a_therapists_assessment_sentence_is_not_a_diagnosis_list(facts, note):
    assert affirmed(facts, note) == []


@pytest.mark.parametrize("note,expected", [
    ("Assessment: Anxiety", ["F41.9"]),
    ("ASSESSMENT:\n1. Chronic anxiety and depression.", ["F32.A", "F41.9"]),
    ("Assessment: Client meets criteria for PTSD; nightmares continue.", ["F43.10"]),
])
def test_entries_that_name_diagnoses(facts, note, expected):
    assert affirmed(facts, note) == expected


@pytest.mark.parametrize("note,expected", [
    # Recreational use, "not as an attempt": accidental poisonings, initial encounter.
    ("She took ecstasy at a party, not as an attempt to harm herself.\nDIAGNOSES:\n1. Ecstasy ingestion.\n"
     "2. Alcohol ingestion.", ["T43.641A", "T51.0X1A"]),
    # A documented suicide attempt: intentional self-harm; the drugs come from where the note says what was taken.
    ("HPI: Suicide attempt four days ago; she took 30 tablets of Haldol and 40 tablets of Tylenol.\n"
     "AXIS III: Hypertension, status post overdose.", ["I10", "T39.1X2A", "T43.4X2A"]),
    # A drug properly taken that causes harm: adverse effect.
    ("DISCHARGE DIAGNOSES:\n1. Serotonin syndrome secondary to high doses of Prozac.", ["G90.81", "T43.225A"]),
])
def test_poisonings_and_adverse_effects(facts, note, expected):
    assert affirmed(facts, note) == expected


def test_a_drug_in_a_list_without_poisoning_words_is_no_poisoning(facts):
    assert affirmed(facts, "ASSESSMENT:\n1. Depression, improving on sertraline.") == ["F32.A"]
