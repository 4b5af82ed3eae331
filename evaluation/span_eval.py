"""Span-level evaluation of billfacts' mentions against gold spans: what to compare, and every error.

Gold spans come from the corpus line (``spans``); system spans from a result's ``facts.mentions`` (a fresh
run or any billfacts JSONL output). A DX mention's status becomes the four attributes gold carries
(``uncertain`` is ``hypothetical``: a rule-out or a possibility is not asserted as present). The scoring
itself (strict and lenient P/R/F1, intervals, paired differences) is ``span_scoring``'s."""

from __future__ import annotations

from typing import Optional, Sequence

from .gold_format import ATTRIBUTES

THIN = 15  # fewer gold spans than this, and a label's numbers say little: the report says so
_STATUS_ATTRIBUTE = {"negated": "negated", "historical": "historical", "uncertain": "hypothetical",
                     "family": "family"}


def gold_spans(record: dict) -> list[dict]:
    return [dict(span) for span in record.get("spans") or []]


def system_spans(facts: Optional[dict]) -> list[dict]:
    """The spans a result's facts state: its mentions, DX ones with the attributes of their status."""
    spans = []
    for mention in (facts or {}).get("mentions") or []:
        span = {"label": mention["label"], "start": mention["start"], "end": mention["end"]}
        if mention.get("value") is not None:
            span["value"] = mention["value"]
        if mention["label"] == "DX":
            flagged = _STATUS_ATTRIBUTE.get(mention.get("status") or "affirmed")
            span.update({name: name == flagged for name in ATTRIBUTES})
        spans.append(span)
    return spans


def span_errors(note_id: str, gold: Sequence[dict], system: Sequence[dict]) -> list[dict]:
    """Every disagreement in one note, in the categories researchers read (SemEval 2013 9.1's, which
    nervaluate counts): ``missed`` (no system span of the label overlaps), ``spurious`` (no gold span of the
    label overlaps), ``boundary`` (overlapping, other offsets), and ``attribute`` (same offsets, an attribute
    differs). Offsets only: a report must never quote a note."""
    errors = []
    by_label: dict[str, list[dict]] = {}
    for span in system:
        by_label.setdefault(span["label"], []).append(span)
    gold_by_label: dict[str, list[dict]] = {}
    for span in gold:
        gold_by_label.setdefault(span["label"], []).append(span)

    def row(kind: str, label: str, gold_span: Optional[dict], system_span: Optional[dict], detail: str = "") -> dict:
        return {"note_id": note_id, "field": f"span:{label}", "kind": kind,
                "gold": _where(gold_span), "system": _where(system_span), "detail": detail}

    for label, spans in gold_by_label.items():
        candidates = by_label.get(label, [])
        for span in spans:
            exact = next((s for s in candidates if (s["start"], s["end"]) == (span["start"], span["end"])), None)
            if exact is not None:
                differ = [name for name in ATTRIBUTES if name in span and bool(exact.get(name)) != bool(span[name])]
                if differ:
                    errors.append(row("attribute", label, span, exact, ", ".join(
                        f"{name}: gold {bool(span[name])}, system {bool(exact.get(name))}" for name in differ)))
                continue
            overlapping = [s for s in candidates if s["start"] < span["end"] and span["start"] < s["end"]]
            if overlapping:
                errors.append(row("boundary", label, span, overlapping[0]))
            else:
                errors.append(row("missed", label, span, None))
    for label, spans in by_label.items():
        golds = gold_by_label.get(label, [])
        for span in spans:
            if not any(g["start"] < span["end"] and span["start"] < g["end"] for g in golds):
                errors.append(row("spurious", label, None, span))
    return errors


def _where(span: Optional[dict]) -> Optional[str]:
    if span is None:
        return None
    value = span.get("code") or span.get("value")
    return f"{span['start']}-{span['end']}" + (f" {value}" if value else "")


def thin_labels(gold_docs: Sequence[Sequence[dict]], labels: Sequence[str]) -> dict:
    """Labels and attributes with fewer than ``THIN`` gold occurrences in the scored notes."""
    counts = {label: 0 for label in labels}
    attributes = {name: 0 for name in ATTRIBUTES}
    for doc in gold_docs:
        for span in doc:
            counts[span["label"]] = counts.get(span["label"], 0) + 1
            for name in ATTRIBUTES:
                attributes[name] += bool(span.get(name))
    return {"labels": {k: v for k, v in counts.items() if v < THIN},
            "attributes": {k: v for k, v in attributes.items() if v < THIN}, "threshold": THIN}
