import pytest


@pytest.mark.parametrize("header,category", [
    ("Subjective:", "subjective"), ("S:", "subjective"), ("Data:", "data"), ("Behavior:", "behavior"),
    ("Intervention:", "intervention"), ("Response:", "response"), ("Goal:", "goal"), ("Assessment:", "assessment"),
    ("Plan:", "plan"), ("Mental Status Exam:", "mental_status_exam"), ("MSE:", "mental_status_exam"),
    ("Risk Assessment:", "risk_assessment"), ("MEDICATION MANAGEMENT:", "medication_management"),
    ("Psychotherapy:", "psychotherapy"), ("Diagnosis:", "diagnosis"), ("Dx:", "diagnosis"),
])
def test_behavioral_health_headers(nlp, header, category):
    doc = nlp(f"Progress note\n{header} some text here.\n")
    assert category in [c for c, _, _ in doc._.bf_sections]


def test_header_must_start_a_line(nlp):
    doc = nlp("Client reported a plan: to call her sister.")
    assert "plan" not in [c for c, _, _ in doc._.bf_sections]
