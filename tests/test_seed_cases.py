"""The extraction half of every seed case in shared/domain/seed-cases.md (codes come with the selector)."""

import pytest

SEED_NOTES = {
    1: ("Established patient. LCSW. Session 2:05 PM - 2:49 PM. CBT for worry; GAD-7 12. Dx: F41.1",
        {"psychotherapy_minutes": 44, "service_type": "individual", "diagnoses": [("F41.1", "affirmed")]}),
    2: ("Professional Spanish interpreter present throughout. 10:00-10:47 AM. Trauma-focused CBT. Client has limited "
        "English proficiency and the language barrier complicated the work. Dx: F43.10",
        {"psychotherapy_minutes": 47, "interpreter": True, "interactive_complexity_factors": ["interpreter_or_device"],
         "diagnoses": [("F43.10", "affirmed")]}),
    "2b": ("Spanish interpreter present. 10:00-10:47 AM. Trauma-focused CBT. Dx: F43.10",
           {"interpreter": True, "interactive_complexity_factors": []}),
    3: ("Psychologist. Secure video, patient at home, 3:02-3:48 PM. Consent on file for telehealth. Dx: F33.1",
        {"psychotherapy_minutes": 46, "modality": "video", "patient_location": "home", "telehealth_consent": True}),
    4: ("Psychiatrist. Medication management ~15 min; psychotherapy 40 min; total 55. Dx: F32.1",
        {"psychotherapy_minutes": 40, "em_minutes": 15, "total_minutes": 55, "em_present": True,
         "diagnoses": [("F32.1", "affirmed")]}),
    5: ("Court-mandated therapy; the probation officer called the clinician. 45 min session. Dx: F60.3",
        {"psychotherapy_minutes": 45, "interactive_complexity_factors": [], "diagnoses": [("F60.3", "affirmed")]}),
    6: ("LMHC. 45-min CBT session. Dx: F41.0", {"psychotherapy_minutes": 45, "diagnoses": [("F41.0", "affirmed")]}),
    7: ("50-minute session. CBT. Dx: F41.1", {"psychotherapy_minutes": 50}),
    8: ("Therapy session, 37 minutes. Dx: F41.1", {"psychotherapy_minutes": 37}),
    "8b": ("Therapy session, 35 minutes. Dx: F41.1", {"psychotherapy_minutes": 35}),
    9: ("Individual psychotherapy 90 min. Dx: F43.10", {"psychotherapy_minutes": 90}),
    11: ("Individual psychotherapy, 75 minutes. Dx: F43.10", {"psychotherapy_minutes": 75}),
    12: ("Individual psychotherapy, 105 minutes. Dx: F43.10", {"psychotherapy_minutes": 105}),
    13: ("Individual psychotherapy, 140 minutes. Dx: F43.10", {"psychotherapy_minutes": 140}),
    14: ("Crisis session, 80 minutes. Safety plan revised. Dx: F32.2",
         {"psychotherapy_minutes": 80, "service_type": "crisis", "interactive_complexity_factors": []}),
    15: ("Family therapy without the patient, 50 minutes, with both parents. Dx: F90.2",
         {"psychotherapy_minutes": 50, "service_type": "family_without_patient"}),
    16: ("Audio-only telephone session. Patient at home. 45 min. Dx: F33.1", {"modality": "audio_only"}),
    21: ("Therapy session - 45 minutes. Client discussed anxiety. Doing well.",
         {"psychotherapy_minutes": 45, "start_time": None, "end_time": None, "diagnoses": []}),
    22: ("Life coaching session about goals. No diagnosis.", {"service_type": "other", "diagnoses": []}),
}


@pytest.mark.parametrize("case", list(SEED_NOTES))
def test_seed_case_extraction(facts, case):
    note, expected = SEED_NOTES[case]
    f = facts(note)
    for key, value in expected.items():
        got = [(d["code"], d["status"]) for d in f["diagnoses"]] if key == "diagnoses" else f[key]
        assert got == value, f"seed case {case}: {key}"
