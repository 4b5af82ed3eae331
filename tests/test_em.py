def test_medication_management_section_is_em(facts):
    note = "Psychiatry note\nMEDICATION MANAGEMENT:\nContinue sertraline 100 mg; no side effects.\nPSYCHOTHERAPY:\nCBT 30 min."
    assert facts(note)["em_present"] is True


def test_therapist_listing_medications_is_not_em(facts):
    note = "Progress note\nMedications: sertraline 50 mg prescribed by PCP.\nCBT for 45 minutes."
    assert facts(note)["em_present"] is False


def test_em_statement(facts):
    assert facts("E/M: MDM moderate. Psychotherapy 20 min.")["em_present"] is True
