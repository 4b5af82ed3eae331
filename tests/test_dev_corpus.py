"""Accuracy floors on the development corpus (synthetic; see annotations/GUIDELINES.md)."""

from pathlib import Path

import pytest

from billfacts.evaluation.corpus import evaluate_corpus, score

DEV = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"


@pytest.fixture(scope="module")
def report():
    return evaluate_corpus(DEV)


def test_corpus_size_and_variety():
    import json

    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 150
    kinds = {r["meta"]["kind"] for r in records}
    assert {"individual", "psychiatry", "intake", "crisis", "family", "family_absent", "group"} <= kinds
    words = [len(r["text"].split()) for r in records]
    assert min(words) <= 80 and max(words) >= 400


def test_psychotherapy_minutes_exact(report):
    assert report["fields"]["psychotherapy_minutes"]["accuracy"] >= 0.97


def test_modality(report):
    assert report["fields"]["modality"]["accuracy"] >= 0.97


def test_diagnosis_code_f1(report):
    assert report["diagnosis_codes"]["f1"] >= 0.95


def test_gap_ids_f1(report):
    assert report["gaps"]["f1"] >= 0.90


def test_scorer_counts_ties_correctly():
    """Two notes with equal counts must both count (a known bug in a peer's scorer collapsed them)."""
    gold = [{"note_id": "a", "gold": {"diagnoses": [{"code": "F41.1", "status": "affirmed"}]}},
            {"note_id": "b", "gold": {"diagnoses": [{"code": "F41.1", "status": "affirmed"}]}}]
    system = {"a": {"diagnoses": [{"code": "F41.1", "status": "affirmed"}]},
              "b": {"diagnoses": [{"code": "F41.1", "status": "affirmed"}]}}
    assert score(gold, system)["diagnosis_codes"]["tp"] == 2
    system["b"] = {"diagnoses": []}
    result = score(gold, system)["diagnosis_codes"]
    assert (result["tp"], result["fn"], result["fp"]) == (1, 1, 0)
