"""Span-level scoring (issue 12, first part): hand-made cases, and a system output degraded on purpose."""

import random

import pytest

import billfacts
from billfacts.evaluation.span_scoring import attribute_accuracy, paired_difference, score_spans


def span(label, start, end, **attributes):
    return {"label": label, "start": start, "end": end, **attributes}


def test_exact_matches_and_a_shifted_boundary():
    gold = [[span("time", 0, 10), span("dx", 20, 25)]]
    system = [[span("time", 0, 10), span("dx", 20, 26)]]
    report = score_spans(gold, system)
    assert report["strict"]["overall"]["f1"] == 0.5 and report["lenient"]["overall"]["f1"] == 1.0
    assert report["strict"]["time"]["f1"] == 1.0 and report["strict"]["dx"]["f1"] == 0.0


def test_tied_counts_give_equal_precision_and_recall():
    gold = [[span("a", 0, 5), span("a", 10, 15)]]
    system = [[span("a", 0, 5), span("a", 30, 35)]]
    strict = score_spans(gold, system)["strict"]["overall"]
    assert strict["precision"] == strict["recall"] == strict["f1"] == 0.5


def test_empty_gold_and_empty_predictions():
    nothing = score_spans([[]], [[]])["strict"]["overall"]
    assert (nothing["precision"], nothing["recall"], nothing["f1"]) == (1.0, 1.0, 1.0)
    spurious = score_spans([[]], [[span("a", 0, 3)]], labels=["a"])["strict"]["overall"]
    assert (spurious["precision"], spurious["recall"], spurious["f1"]) == (0.0, 1.0, 0.0)
    missed = score_spans([[span("a", 0, 3)]], [[]], labels=["a"])["strict"]["overall"]
    assert (missed["precision"], missed["recall"], missed["f1"]) == (1.0, 0.0, 0.0)


def test_overlapping_and_nested_spans():
    gold = [[span("a", 0, 10), span("a", 2, 5)]]  # a span nested in another
    system = [[span("a", 0, 10)]]
    report = score_spans(gold, system)
    assert report["strict"]["overall"]["recall"] == 0.5 and report["strict"]["overall"]["precision"] == 1.0
    overlapping = score_spans([[span("a", 0, 10)]], [[span("a", 5, 15)]])
    assert overlapping["strict"]["overall"]["f1"] == 0.0 and overlapping["lenient"]["overall"]["f1"] == 1.0
    touching = score_spans([[span("a", 0, 10)]], [[span("a", 10, 15)]])  # end is exclusive: no overlap
    assert touching["lenient"]["overall"]["f1"] == 0.0
    other_label = score_spans([[span("a", 0, 10)]], [[span("b", 0, 10)]])
    assert other_label["lenient"]["overall"]["f1"] == 0.0


def test_attribute_accuracy_on_matched_spans():
    gold = [[span("dx", 0, 5, negated=True), span("dx", 10, 15, negated=False, family=True)]]
    system = [[span("dx", 0, 5, negated=True), span("dx", 10, 15, negated=True, family=True)]]
    accuracy = attribute_accuracy(gold, system)
    assert (accuracy["negated"]["accuracy"], accuracy["negated"]["spans"]) == (0.5, 2)
    assert accuracy["family"]["accuracy"] == 1.0 and accuracy["historical"]["ci95"] is None  # none annotated
    lo, hi = accuracy["negated"]["ci95"]
    assert lo <= 0.5 <= hi  # one document: every resample is that document


@pytest.fixture(scope="module")
def evidence_spans(dev_texts):
    """billfacts' evidence spans on 80 development notes, one list per note (labels: the fact names)."""
    docs = []
    for text in dev_texts[:80]:
        result = billfacts.analyze(text, date_of_service="2026-03-02")
        found = {(name, r.start, r.end) for name, records in result.facts.evidence.items() for r in records
                 if r.end > r.start}
        docs.append([span(label, start, end) for label, start, end in sorted(found)])
    return docs


def test_a_degraded_system_scores_lower_strictly_than_leniently(evidence_spans):
    rng = random.Random(3)
    degraded = []
    for doc in evidence_spans:
        kept = [s for s in doc if rng.random() >= 0.1]  # a tenth of the spans dropped
        degraded.append([span(s["label"], s["start"], s["end"] + 1) if rng.random() < 0.3 else s for s in kept])
    perfect = score_spans(evidence_spans, evidence_spans)
    report = score_spans(evidence_spans, degraded)
    assert perfect["strict"]["overall"]["f1"] == 1.0
    strict, lenient = report["strict"]["overall"]["f1"], report["lenient"]["overall"]["f1"]
    assert strict < lenient < 1.0
    for scheme in ("strict", "lenient"):
        for values in report[scheme].values():
            low, high = values["f1_ci95"]
            assert low <= values["f1"] <= high
    difference = paired_difference(evidence_spans, degraded, evidence_spans)
    assert difference["difference_f1"] > 0 and difference["ci95"][0] > 0  # the undamaged system is better
