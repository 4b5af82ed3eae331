import pytest


def dx(facts, note):
    return [(d["code"], d["status"]) for d in facts(note)["diagnoses"]]


@pytest.mark.parametrize("note,expected", [
    ("Dx: F41.1", [("F41.1", "affirmed")]),
    ("Dx: F41.1 Generalized anxiety disorder", [("F41.1", "affirmed")]),
    ("Diagnosis: MDD, recurrent, moderate", [("F33.1", "affirmed")]),
    ("Diagnosis: Major depressive disorder, single episode, severe without psychotic features", [("F32.2", "affirmed")]),
    ("Dx: Adjustment disorder with mixed anxiety and depressed mood", [("F43.23", "affirmed")]),
    ("Dx: ADHD, combined type", [("F90.2", "affirmed")]),
    ("Dx: chronic PTSD", [("F43.12", "affirmed")]),
    ("Dx: Alcohol use disorder, moderate", [("F10.20", "affirmed")]),
    ("Dx: GAD; panic disorder", [("F41.1", "affirmed"), ("F41.0", "affirmed")]),
    ("Dx: F43.10,F41.1", [("F43.10", "affirmed"), ("F41.1", "affirmed")]),
    ("R/O bipolar II disorder.", [("F31.81", "uncertain")]),
    ("Denies history of bipolar disorder.", [("F31.9", "negated")]),
    ("Mother has bipolar disorder.", [("F31.9", "family")]),
    ("Discussed her brother's autism and how it affects the family.", [("F84.0", "family")]),
    ("Client's son was recently diagnosed with ADHD.", [("F90.9", "family")]),
    ("Her husband has bipolar disorder; she feels overwhelmed.", [("F31.9", "family")]),
    ("History of alcohol use disorder, in sustained remission.", [("F10.21", "historical")]),
    # DSM-5 names whose own words look like qualifiers or need their subtype read
    ("Diagnosis: Sedative, hypnotic, or anxiolytic use disorder, moderate", [("F13.20", "affirmed")]),
    ("Dx: MDD or bipolar disorder", [("F32.9", "uncertain"), ("F31.9", "uncertain")]),
    ("Diagnosis: Specific phobia, animal type", [("F40.218", "affirmed")]),
    ("Diagnosis: Specific phobia, situational (flying)", [("F40.248", "affirmed")]),
    ("Dx: Conduct disorder, childhood-onset type", [("F91.1", "affirmed")]),
    ("Dx: Specific learning disorder with impairment in reading", [("F81.0", "affirmed")]),
    ("Dx: Bipolar I disorder, current episode manic, in full remission", [("F31.74", "affirmed")]),
    # medical conditions a psychiatric note lists (Axis III, the assessment of a consult)
    ("Axis III: Chronic pain; iron deficiency anemia", [("G89.29", "affirmed"), ("D50.9", "affirmed")]),
    ("Assessment: Chronic hepatitis C. Polysubstance dependence.", [("B18.2", "affirmed"), ("F19.20", "affirmed")]),
    ("Dx: polysubstance abuse", [("F19.10", "affirmed")]),
    ("Diagnosis: Functional neurological symptom disorder with attacks or seizures", [("F44.5", "affirmed")]),
    ("Diagnosis: Unspecified schizophrenia spectrum disorder", [("F29", "affirmed")]),
    ("Diagnosis: Major neurocognitive disorder due to vascular disease, mild", [("F01.A0", "affirmed")]),
    ("Dx: Postpartum depression; persistent motor tic disorder", [("F53.0", "affirmed"), ("F95.1", "affirmed")]),
    ("Assessment: Delirium due to another medical condition. Alcohol intoxication.", [("F05", "affirmed"), ("F10.920", "affirmed")]),
])
def test_diagnoses(facts, note, expected):
    assert dx(facts, note) == expected


@pytest.mark.parametrize("note", [
    "GAD-7 today 12.",
    "Client discussed anxiety. Doing well.",
    "Went to bed late; room A12.",
    "Patient reports depression has improved.",
])
def test_not_diagnoses(facts, note):
    assert dx(facts, note) == []


def test_codes_are_checked_against_icd10cm(facts):
    f = facts("Dx: F43.1 (PTSD); F99.99")
    codes = {d["code"]: d for d in f["diagnoses"]}
    assert "F99.99" not in codes
    assert codes["F43.1"]["billable"] is False  # a header, not a billable leaf
