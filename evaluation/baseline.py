"""A learned baseline for the document-level fields (issue 12, part 6): TF-IDF over word uni- and bigrams
with logistic regression (scikit-learn), scored by cross-validation on the same notes the rule pipeline is
scored on, so that the rules' advantage, or the lack of it, is a measured number.

Each field is predicted per note from the note's text alone; folds are shuffled with a fixed seed. A
training fold that holds a single class predicts that class (logistic regression needs two). The
comparison is paired: the same notes, the rules' and the baseline's correctness per note, with a 95%
bootstrap interval of the difference in accuracy."""

from __future__ import annotations

from typing import Optional, Sequence

from .bootstrap import interval, resamples

FIELDS = ("service_type", "modality", "em_present")
FOLDS = 5


def cross_validated(texts: Sequence[str], labels: Sequence[str], folds: int = FOLDS, seed: int = 0) -> list[str]:
    """Out-of-fold predictions of TF-IDF + logistic regression for every note."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.pipeline import make_pipeline

    predictions: list[Optional[str]] = [None] * len(texts)
    splits = KFold(n_splits=min(folds, len(texts)), shuffle=True, random_state=seed)
    for train, test in splits.split(list(texts)):
        train_labels = [labels[i] for i in train]
        if len(set(train_labels)) == 1:
            for i in test:
                predictions[i] = train_labels[0]
            continue
        model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                              LogisticRegression(max_iter=2000, class_weight="balanced"))
        model.fit([texts[i] for i in train], train_labels)
        for i, label in zip(test, model.predict([texts[i] for i in test])):
            predictions[i] = label
    return predictions  # type: ignore[return-value]


def compare(texts: Sequence[str], gold: dict[str, Sequence], rules: dict[str, Sequence],
            fields: Sequence[str] = FIELDS, seed: int = 12) -> dict:
    """Per field: the rules' accuracy, the baseline's cross-validated accuracy, and the paired difference
    (rules minus baseline) with its 95% bootstrap interval."""
    report = {"documents": len(texts), "folds": min(FOLDS, len(texts)), "fields": {}}
    samples = resamples(len(texts), seed)
    for field in fields:
        truth = [str(value) for value in gold[field]]
        predicted = cross_validated(texts, truth)
        rule_hits = [str(value) == t for value, t in zip(rules[field], truth)]
        base_hits = [p == t for p, t in zip(predicted, truth)]
        differences = sorted(sum(rule_hits[i] - base_hits[i] for i in sample) / len(sample) for sample in samples)
        report["fields"][field] = {
            "rules": round(sum(rule_hits) / len(truth), 4), "baseline": round(sum(base_hits) / len(truth), 4),
            "difference": round((sum(rule_hits) - sum(base_hits)) / len(truth), 4),
            "difference_ci95": interval(differences),
            "classes": len(set(truth)),
        }
    return report


def format_baseline(report: dict, corpus: str) -> str:
    lines = [f"learned baseline (TF-IDF + logistic regression, {report['folds']}-fold cross-validation) on {corpus}, "
             f"{report['documents']} notes", "", f"{'field':<16}{'rules':<9}{'baseline':<10}{'rules - baseline':<18}95% CI"]
    for field, row in report["fields"].items():
        low, high = row["difference_ci95"]
        lines.append(f"{field:<16}{row['rules']:<9.3f}{row['baseline']:<10.3f}{row['difference']:<+18.3f}"
                     f"[{low:+.3f}, {high:+.3f}]")
    return "\n".join(lines)
