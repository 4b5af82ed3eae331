import pytest


@pytest.mark.parametrize("note,service", [
    ("Individual psychotherapy, 45 minutes. CBT.", "individual"),
    ("Crisis session: client in acute crisis, safety plan revised. 80 minutes.", "crisis"),
    ("Family therapy session with patient and parents present. 50 min.", "family_with_patient"),
    ("Family session - parents only, patient not present. 50 minutes.", "family_without_patient"),
    ("Group therapy note. 8 members present.", "group"),
    ("Initial evaluation / intake. Biopsychosocial assessment completed.", "diagnostic_eval"),
    ("Medication management visit, 20 minutes, all medication management.", "em_only"),
    ("Life coaching session about career goals. No diagnosis.", "other"),
])
def test_service_type(facts, note, service):
    assert facts(note)["service_type"] == service


def test_group_participants(facts):
    assert facts("Group therapy note. 8 members present.")["group_participants"] == 8


def test_crisis_elements(facts):
    f = facts("Crisis intervention. Completed suicide risk assessment. Safety plan revised. Used de-escalation.")
    assert f["crisis_elements"] == ["risk_assessment", "safety_planning", "de_escalation"]


def test_mentioned_family_therapy_is_not_a_family_session(facts):
    note = ("Individual therapy note\nSession 10:00-10:45. CBT for panic.\n" + "Client practiced breathing. " * 20 +
            "Discussed family therapy as an option.")
    assert facts(note)["service_type"] == "individual"


def test_intake_with_medical_services(facts):
    f = facts("Psychiatric diagnostic evaluation today. Prescribed sertraline 25 mg; ordered TSH.")
    assert f["service_type"] == "diagnostic_eval" and f["diagnostic_eval_medical"] is True
