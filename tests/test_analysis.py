"""The Python API: results in the contract, per-record errors, nothing lost in a batch."""

import billfacts
from billfacts.models import AnalysisResult


def test_analyze_returns_the_contract():
    result = billfacts.analyze("Session 2:05 PM - 2:50 PM via Zoom, patient at home. Dx: F41.1", note_id="n1")
    assert isinstance(result, AnalysisResult)
    assert result.status == "ok" and result.note_id == "n1"
    assert result.versions.billfacts
    assert result.facts.psychotherapy_minutes == 45


def test_batch_keeps_order_and_reports_bad_records_without_their_text():
    secret = "Patient Jane Secretname 2:00-2:45 PM"
    notes = [{"note_id": "a", "text": secret}, {"note_id": "b", "text": 12345}, "Session 45 minutes.",
             {"note_id": "d"}, {"note_id": "e", "text": "Dx: F41.1", "date_of_service": "not a date"}]
    results = list(billfacts.analyze_many(notes, batch_size=2))
    assert [r.status for r in results] == ["ok", "error", "ok", "error", "error"]
    assert [r.note_id for r in results] == ["a", "b", None, "d", "e"]
    for r in results:
        if r.error:
            assert "Secretname" not in r.error.message and "12345" not in r.error.message


def test_empty_note_is_ok_and_empty():
    result = billfacts.analyze("")
    assert result.status == "ok"
    assert result.facts.psychotherapy_minutes is None and result.facts.diagnoses == []


def test_schema_has_the_contract_fields():
    schema = AnalysisResult.model_json_schema()
    facts = schema["$defs"]["BillingFacts"]["properties"]
    for field in ("start_time", "end_time", "psychotherapy_minutes", "em_minutes", "total_minutes", "modality",
                  "patient_location", "telehealth_consent", "interpreter", "interactive_complexity_factors",
                  "em_present", "service_type", "diagnoses", "evidence"):
        assert field in facts


def test_workers_give_the_same_results_in_the_same_order():
    notes = ["Session 2:05 PM - 2:50 PM via Zoom, patient at home. Dx: F41.1",
             {"note_id": "bad", "text": None},
             "Medication management ~15 min; psychotherapy 40 min; total 55. Dx: F32.1",
             "Crisis session, 80 minutes. Safety plan revised. Dx: F32.2"] * 5
    one = [r.model_dump() for r in billfacts.analyze_many(notes, workers=1, batch_size=7)]
    two = [r.model_dump() for r in billfacts.analyze_many(notes, workers=2, batch_size=7)]
    assert one == two
    assert [r["status"] for r in two].count("error") == 5
