"""The learned baseline (issue 12, part 6): cross-validated predictions, the paired comparison."""

import random

from billfacts.evaluation.baseline import compare, cross_validated


def test_a_field_the_words_decide_is_learned():
    rng = random.Random(1)
    texts, labels = [], []
    for i in range(60):
        video = i % 2 == 0
        words = rng.sample(["session", "client", "goals", "coping", "sleep", "work", "plan", "mood"], 5)
        texts.append(" ".join(words + (["via", "zoom", "video"] if video else ["in", "office", "room"])))
        labels.append("video" if video else "in_person")
    predicted = cross_validated(texts, labels)
    assert sum(p == t for p, t in zip(predicted, labels)) / len(labels) >= 0.9


def test_a_training_fold_of_one_class_predicts_that_class():
    assert cross_validated(["a b", "a c", "a d", "a e", "a f"], ["x"] * 5) == ["x"] * 5


def test_the_comparison_is_paired_and_signed():
    texts = [f"note {i} words" for i in range(40)]
    gold = {"modality": ["video" if i % 2 else "in_person" for i in range(40)]}
    rules = {"modality": list(gold["modality"])}  # the rules right on every note
    report = compare(texts, gold, rules, fields=["modality"])
    row = report["fields"]["modality"]
    assert row["rules"] == 1.0 and row["difference"] == round(1.0 - row["baseline"], 4)
    low, high = row["difference_ci95"]
    assert low <= row["difference"] <= high
