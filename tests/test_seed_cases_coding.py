"""The coding half of the seed cases (shared/domain/seed-cases.md), through billfacts.analyze on a note."""

import pytest

import billfacts

CASES = [
    (1, "Established patient, LCSW. Session 2:05 PM - 2:49 PM in office. CBT; GAD-7 12. Dx: F41.1", "2026-03-02",
     "commercial", [("90834", 1)]),
    (2, "Professional Spanish interpreter present throughout. 10:00-10:47 AM in office. Trauma-focused CBT. Client has "
        "limited English proficiency and the language barrier complicated the work. Dx: F43.10", "2026-03-02",
     "commercial", [("90834", 1), ("90785", 1)]),
    ("2b", "Spanish interpreter present. 10:00-10:47 AM in office. Trauma-focused CBT. Dx: F43.10", "2026-03-02",
     "commercial", [("90834", 1)]),
    (3, "Psychologist. Secure video, patient at home, 3:02-3:48 PM. Consent for telehealth on file. Dx: F33.1",
     "2026-03-02", "medicare", [("90834", 1)]),
    (4, "Psychiatrist, in office. Medication management ~15 min; psychotherapy 40 min; total 55. Dx: F32.1",
     "2026-03-02", "commercial", [("E/M", 1), ("90836", 1)]),
    (5, "Court-mandated therapy; the probation officer called the clinician. 45 min session in office. Dx: F60.3",
     "2026-03-02", "commercial", [("90834", 1)]),
    (6, "LMHC. 45-min CBT session in office. Dx: F41.0", "2026-03-02", "medicare", [("90834", 1)]),
    (7, "50-minute session in office. CBT. Dx: F41.1", "2026-03-02", "commercial", [("90834", 1)]),
    (8, "Therapy session in office, 37 minutes. Dx: F41.1", "2026-03-02", "commercial", [("90832", 1)]),
    ("8b", "Therapy session in office, 35 minutes. Dx: F41.1", "2026-03-02", "commercial", [("90832", 1)]),
    (9, "Individual psychotherapy in office, 90 min. Dx: F43.10", "2026-03-02", "commercial", [("90837", 1)]),
    (10, "Individual psychotherapy in office, 90 min. Dx: F43.10", "2021-06-01", "commercial", [("90837", 1), ("99354", 1)]),
    (11, "Individual psychotherapy in office, 75 minutes. Dx: F43.10", "2021-06-01", "commercial", [("90837", 1)]),
    (12, "Individual psychotherapy in office, 105 minutes. Dx: F43.10", "2021-06-01", "commercial",
     [("90837", 1), ("99354", 1)]),
    (13, "Individual psychotherapy in office, 140 minutes. Dx: F43.10", "2021-06-01", "commercial",
     [("90837", 1), ("99354", 1), ("99355", 1)]),
    (14, "Crisis session in office, 80 minutes. Suicide risk assessment completed. Safety plan revised. Dx: F32.2",
     "2026-03-02", "commercial", [("90839", 1), ("90840", 1)]),
    (15, "Family therapy without the patient, 50 minutes, with both parents, in office. Dx: F90.2", "2026-03-02",
     "commercial", [("90846", 1)]),
    (21, "Therapy session - 45 minutes. Client discussed anxiety. Doing well.", "2026-03-02", "commercial",
     [("90834", 1)]),
    (22, "Life coaching session about goals. No diagnosis.", "2026-03-02", "commercial", []),
]


@pytest.mark.parametrize("case,note,dos,payer,expected", CASES)
def test_seed_case_codes(case, note, dos, payer, expected):
    result = billfacts.analyze(note, date_of_service=dos, payer=payer)
    assert [(line.code, line.units) for line in result.coding.lines] == expected, f"seed case {case}"


def test_case_3_place_of_service_and_modifiers():
    note = "Psychologist. Secure video, patient at home, 3:02-3:48 PM. Consent for telehealth on file. Dx: F33.1"
    medicare = billfacts.analyze(note, date_of_service="2026-03-02", payer="medicare").coding.lines[0]
    assert (medicare.pos, medicare.modifiers) == ("10", [])
    commercial = billfacts.analyze(note, date_of_service="2026-03-02", payer="commercial").coding.lines[0]
    assert commercial.modifiers == ["95"]


def test_case_9_explains_the_deletion():
    result = billfacts.analyze("Individual psychotherapy in office, 90 min. Dx: F43.10", date_of_service="2026-03-02")
    assert any("2023-01-01" in w.message for w in result.coding.warnings)


def test_case_16_audio_only_medicare_gets_93_never_95():
    note = "Audio-only telephone session. Patient at home. 45 min. Dx: F33.1"
    line = billfacts.analyze(note, date_of_service="2026-03-02", payer="medicare").coding.lines[0]
    assert line.modifiers == ["93"] and "95" not in line.modifiers


@pytest.mark.parametrize("code", ["90812", "90817", "90821", "99354", "99355", "99417", "G2212"])
def test_selector_never_emits_legacy_or_forbidden_codes_in_2026(code):
    notes = ["Individual psychotherapy, 140 minutes, in office. Dx: F41.1", "Session 45 minutes with interpreter due to "
             "limited English. Dx: F41.1", "Psychiatrist. Medication management 20 min; psychotherapy 60 min. Dx: F33.1"]
    for note in notes:
        result = billfacts.analyze(note, date_of_service="2026-03-02")
        assert code not in [line.code for line in result.coding.lines]


def test_date_of_service_from_the_note_then_today():
    from_note = billfacts.analyze("DOS: 03/02/2021. Individual psychotherapy 90 min in office. Dx: F43.10")
    assert from_note.coding.date_of_service == "2021-03-02"
    assert [line.code for line in from_note.coding.lines] == ["90837", "99354"]
    assert from_note.coding.warnings[0].rule_id == "dos_from_note"
    today = billfacts.analyze("Individual psychotherapy 45 min in office. Dx: F43.10")
    assert today.coding.warnings[0].rule_id == "dos_today"
