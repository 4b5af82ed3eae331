"""Span-level scoring (issue 12, first part): precision, recall and F1 per label, strict (same boundaries
and label) and lenient (overlapping, same label), with nervaluate's schemes ("strict" and "ent_type"),
95% bootstrap intervals over documents, a paired bootstrap for the difference between two systems, and
attribute accuracy (negated, historical, hypothetical, family) on the spans both sides found.

A span is ``{"label": str, "start": int, "end": int}`` with character offsets, ``end`` exclusive (as
billfacts' evidence); attributes ride along as extra keys. A document is a list of spans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .bootstrap import interval, resamples

SCHEMES = {"strict": "strict", "lenient": "ent_type"}
ATTRIBUTES = ("negated", "historical", "hypothetical", "family")


@dataclass(frozen=True)
class Counts:
    correct: float
    actual: int  # spans the system gave
    possible: int  # spans the gold holds

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.correct + other.correct, self.actual + other.actual, self.possible + other.possible)


def prf(counts: Counts) -> dict:
    """nervaluate's precision (correct / actual) and recall (correct / possible). Nothing given is no error
    (precision 1.0) and nothing to find is nothing missed (recall 1.0); F1 is then 0 unless both hold."""
    precision = counts.correct / counts.actual if counts.actual else 1.0
    recall = counts.correct / counts.possible if counts.possible else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _inclusive(spans: Sequence[dict]) -> list[dict]:
    # nervaluate compares inclusive token ranges; billfacts spans end one past their last character.
    return [{"label": s["label"], "start": s["start"], "end": s["end"] - 1} for s in spans if s["end"] > s["start"]]


def document_counts(gold: Sequence[dict], system: Sequence[dict], labels: Sequence[str]) -> dict:
    """{scheme: {label or "overall": Counts}} for one document."""
    from nervaluate import Evaluator

    gold, system = _inclusive(gold), _inclusive(system)
    if not gold or not system:  # nothing to pair (nervaluate needs spans on both sides to read the format)
        return {name: {label: Counts(0, sum(s["label"] == label for s in system),
                                     sum(s["label"] == label for s in gold)) if label != "overall"
                       else Counts(0, len(system), len(gold)) for label in ["overall", *labels]}
                for name in SCHEMES}
    result = Evaluator([gold], [system], tags=list(labels)).evaluate()
    out = {}
    for name, scheme in SCHEMES.items():
        per = {"overall": _counts(result["overall"][scheme])}
        for label in labels:
            entity = result["entities"].get(label)
            if entity is None:  # a label neither side used in this document
                per[label] = Counts(0, 0, 0)
            else:
                per[label] = _counts(entity[scheme])
        out[name] = per
    return out


def _counts(evaluation) -> Counts:
    return Counts(correct=evaluation.correct, actual=evaluation.actual, possible=evaluation.possible)


def score_spans(gold_docs: Sequence[Sequence[dict]], system_docs: Sequence[Sequence[dict]],
                labels: Optional[Sequence[str]] = None, seed: int = 12) -> dict:
    """Strict and lenient P/R/F1, overall and per label, each F1 with a 95% bootstrap interval over
    documents, and attribute accuracy on matched spans."""
    if len(gold_docs) != len(system_docs):
        raise ValueError("gold and system must hold the same documents, in the same order")
    labels = sorted(set(labels or {s["label"] for doc in list(gold_docs) + list(system_docs) for s in doc}))
    per_doc = [document_counts(g, s, labels) for g, s in zip(gold_docs, system_docs)]
    report: dict = {"documents": len(per_doc), "labels": labels}
    indices = resamples(len(per_doc), seed)
    for name in SCHEMES:
        table = {}
        for label in ["overall", *labels]:
            counts = [doc[name][label] for doc in per_doc]
            point = prf(_total(counts))
            resampled = [prf(_total(counts[i] for i in sample)) for sample in indices]
            table[label] = {**{k: round(v, 4) for k, v in point.items()},
                            **{f"{k}_ci95": interval(sorted(r[k] for r in resampled)) for k in ("f1", "precision",
                                                                                                  "recall")},
                            "gold": _total(counts).possible, "system": _total(counts).actual}
        report[name] = table
    report["attributes"] = attribute_accuracy(gold_docs, system_docs)
    return report


def paired_difference(gold_docs, system_a, system_b, labels=None, scheme: str = "strict", seed: int = 12) -> dict:
    """F1 of system B minus system A, with a 95% interval from resampling the same documents for both."""
    labels = sorted(set(labels or {s["label"] for doc in list(gold_docs) + list(system_a) + list(system_b)
                                   for s in doc}))
    a = [document_counts(g, s, labels)[scheme]["overall"] for g, s in zip(gold_docs, system_a)]
    b = [document_counts(g, s, labels)[scheme]["overall"] for g, s in zip(gold_docs, system_b)]
    point = prf(_total(b))["f1"] - prf(_total(a))["f1"]
    differences = sorted(prf(_total(b[i] for i in sample))["f1"] - prf(_total(a[i] for i in sample))["f1"]
                         for sample in resamples(len(a), seed))
    return {"scheme": scheme, "difference_f1": round(point, 4), "ci95": interval(differences)}


def attribute_accuracy(gold_docs, system_docs, seed: int = 12) -> dict:
    """For spans both sides found with the same label and boundaries: how often each attribute agrees, with
    a 95% bootstrap interval over documents."""
    per_doc = []  # per document: {attribute: (agreeing spans, compared spans)}
    for gold, system in zip(gold_docs, system_docs):
        found = {(s["label"], s["start"], s["end"]): s for s in system}
        agree = {name: [0, 0] for name in ATTRIBUTES}
        for span in gold:
            match = found.get((span["label"], span["start"], span["end"]))
            if match is None:
                continue
            for name in ATTRIBUTES:
                if name in span:
                    agree[name][1] += 1
                    agree[name][0] += bool(match.get(name, False)) == bool(span[name])
        per_doc.append(agree)
    samples = resamples(len(per_doc), seed)
    out = {}
    for name in ATTRIBUTES:
        pairs = [doc[name] for doc in per_doc]
        hits, total = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        rates = sorted(sum(pairs[i][0] for i in s) / n for s in samples if (n := sum(pairs[i][1] for i in s)))
        out[name] = {"accuracy": round(hits / total, 4) if total else None, "spans": total,
                     "ci95": interval(rates) if total else None}
    return out


def _total(counts) -> Counts:
    total = Counts(0, 0, 0)
    for count in counts:
        total = total + count
    return total
