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


TEST_SPLIT = DEV.parents[1] / "test" / "test.jsonl"


@pytest.fixture(scope="module")
def test_split_report():
    return evaluate_corpus(TEST_SPLIT)


def test_spans_on_the_development_split(report):
    """Mentions against gold spans: floors a little under README's numbers (strict 1.000, lenient 1.000)."""
    assert report["spans"]["strict"]["overall"]["f1"] >= 0.95
    assert report["spans"]["lenient"]["overall"]["f1"] >= 0.99
    assert all(row["accuracy"] >= 0.99 for row in report["spans"]["attributes"].values())


def test_the_held_out_split_stays_near_the_development_split(test_split_report):
    """The test split is read, never tuned to: its floors sit under README's numbers, so a rule change that
    costs held-out accuracy fails here even when the development split stays perfect."""
    fields = test_split_report["fields"]
    assert fields["psychotherapy_minutes"]["accuracy"] >= 0.97 and fields["service_type"]["accuracy"] >= 0.96
    assert fields["modality"]["accuracy"] >= 0.98 and test_split_report["diagnosis_codes"]["f1"] >= 0.97
    assert test_split_report["gaps"]["f1"] >= 0.94
    assert test_split_report["spans"]["strict"]["overall"]["f1"] >= 0.95
    assert test_split_report["spans"]["lenient"]["overall"]["f1"] >= 0.98
