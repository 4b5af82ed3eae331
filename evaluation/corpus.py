"""Score extraction against a gold corpus (JSONL: ``{note_id, text, spans, gold}`` per line).

Document fields are scored by exact match (accuracy); diagnoses by micro precision/recall/F1 over
affirmed codes per note, and separately over (code, status) pairs; spans (``facts.mentions`` against gold
``spans``) strict and lenient per label with attribute accuracy. Every disagreement is listed with its note
id, the two values and the evidence offsets (never the note's text), so a researcher can open the note and
see why. Confidence intervals are 95% bootstrap intervals over documents; two systems are compared with a
paired bootstrap (the same resampled documents for both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional, Sequence

from .bootstrap import bootstrap, paired, resamples
from .gold_format import SPAN_LABELS
from .span_eval import gold_spans, span_errors, system_spans, thin_labels
from .span_scoring import paired_difference, score_spans

FIELDS = ("psychotherapy_minutes", "em_minutes", "modality", "patient_location", "telehealth_consent", "interpreter",
          "interactive_complexity_factors", "em_present", "service_type", "start_time", "end_time")


def read_jsonl(path: Path) -> list[dict]:
    """Records of a JSONL file; broken lines are left out here (``billfacts evaluate`` names them)."""
    from .real_notes import read_records

    return read_records(Path(path), skipped=[])


def _normalise(field: str, value):
    if field == "interactive_complexity_factors":
        return sorted(value or [])
    return value


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp, "fp": fp,
            "fn": fn}


def _dx_counts(gold_dx: list[dict], system_dx: list[dict], with_status: bool) -> tuple[int, int, int]:
    if with_status:
        gold = {(d["code"], d["status"]) for d in gold_dx}
        system = {(d["code"], d["status"]) for d in system_dx}
    else:
        gold = {d["code"] for d in gold_dx if d["status"] == "affirmed"}
        system = {d["code"] for d in system_dx if d["status"] == "affirmed"}
    return len(gold & system), len(system - gold), len(gold - system)


def _evidence_of(facts: dict, field: str) -> list[str]:
    return [f"{r['start']}-{r['end']}" for r in (facts.get("evidence") or {}).get(field, [])][:6]


def score(gold_records: list[dict], system_facts: dict[str, Optional[dict]],
          system_gaps: Optional[dict[str, list[str]]] = None) -> dict:
    """Compare gold with system facts (``note_id -> facts dict``, ``None`` for a failed note) and, when given,
    system gap ids (``note_id -> [gap id]``) with the gold ``gaps``."""
    per_field: dict[str, list[int]] = {f: [] for f in FIELDS}
    errors: list[dict] = []
    dx_per_doc: list[tuple[int, int, int]] = []
    dx_status_per_doc: list[tuple[int, int, int]] = []
    gap_per_doc: list[tuple[int, int, int]] = []
    for record in gold_records:
        note_id = record["note_id"]
        gold = record["gold"]
        facts = system_facts.get(note_id) or {}
        for field in FIELDS:
            if field not in gold:
                continue
            expected = _normalise(field, gold[field])
            got = _normalise(field, facts.get(field))
            hit = int(expected == got)
            per_field[field].append(hit)
            if not hit:
                errors.append({"note_id": note_id, "field": field, "gold": expected, "system": got,
                               "evidence": _evidence_of(facts, field)})
        system_dx = facts.get("diagnoses") or []
        dx_per_doc.append(_dx_counts(gold.get("diagnoses", []), system_dx, with_status=False))
        dx_status_per_doc.append(_dx_counts(gold.get("diagnoses", []), system_dx, with_status=True))
        if system_gaps is not None and "gaps" in gold:
            expected_gaps, got_gaps = set(gold["gaps"]), set(system_gaps.get(note_id) or [])
            gap_per_doc.append((len(expected_gaps & got_gaps), len(got_gaps - expected_gaps),
                                len(expected_gaps - got_gaps)))
            for gap in sorted(expected_gaps ^ got_gaps):
                errors.append({"note_id": note_id, "field": f"gap:{gap}", "gold": gap in expected_gaps,
                               "system": gap in got_gaps})
        gold_codes = {d["code"] for d in gold.get("diagnoses", []) if d["status"] == "affirmed"}
        got_codes = {d["code"] for d in system_dx if d["status"] == "affirmed"}
        if gold_codes != got_codes:
            errors.append({"note_id": note_id, "field": "diagnoses(affirmed)", "gold": sorted(gold_codes),
                           "system": sorted(got_codes), "evidence": _evidence_of(facts, "diagnoses")})

    def micro(rows):
        tp, fp, fn = (sum(r[i] for r in rows) for i in range(3))
        return _prf(tp, fp, fn)

    fields = {}
    for field, hits in per_field.items():
        if hits:
            fields[field] = {"accuracy": round(sum(hits) / len(hits), 4), "n": len(hits),
                             "ci95": bootstrap(hits, lambda xs: sum(xs) / len(xs))}
    dx = micro(dx_per_doc)
    dx["ci95_f1"] = bootstrap(dx_per_doc, lambda rows: micro(rows)["f1"])
    with_status = micro(dx_status_per_doc)
    with_status["ci95_f1"] = bootstrap(dx_status_per_doc, lambda rows: micro(rows)["f1"])
    report = {"documents": len(gold_records), "fields": fields, "diagnosis_codes": dx,
              "diagnoses_with_status": with_status, "errors": errors}
    if any(record.get("spans") for record in gold_records):
        gold_docs = [gold_spans(record) for record in gold_records]
        system_docs = [system_spans(system_facts.get(record["note_id"])) for record in gold_records]
        labels = [label for label in SPAN_LABELS if any(s["label"] == label for doc in gold_docs for s in doc)]
        report["spans"] = score_spans(gold_docs, system_docs, labels=labels)
        report["spans"]["thin"] = thin_labels(gold_docs, labels)
        for record, gold_doc, system_doc in zip(gold_records, gold_docs, system_docs):
            errors.extend(span_errors(record["note_id"], gold_doc, system_doc))
    if gap_per_doc:
        report["gaps"] = micro(gap_per_doc)
        report["gaps"]["ci95_f1"] = bootstrap(gap_per_doc, lambda rows: micro(rows)["f1"])
    return report


def run_billfacts(records: Iterable[dict]) -> tuple[dict[str, Optional[dict]], dict[str, list[str]]]:
    from billfacts import analyze_many

    records = list(records)
    results = list(analyze_many({"text": r["text"], "note_id": r["note_id"]} for r in records))
    facts = {r.note_id: (r.facts.model_dump() if r.facts else None) for r in results}
    gaps = {r.note_id: [g.id for g in r.gaps.items] if r.gaps else [] for r in results}
    return facts, gaps


def read_system(path: Path) -> tuple[dict[str, Optional[dict]], dict[str, list[str]]]:
    """Facts and gap ids by note id from billfacts JSONL output of any run: ``billfacts analyze --format
    jsonl``, ``billfacts qa``'s results.jsonl, the service's batch answers written a line each."""
    rows = read_jsonl(path)
    facts = {row.get("note_id"): row.get("facts") for row in rows}
    gaps = {row.get("note_id"): [g["id"] for g in (row.get("gaps") or {}).get("items", [])] for row in rows}
    return facts, gaps


def evaluate_corpus(gold_path: Path, system: Optional[Path] = None, systems: Sequence[Path] = (),
                    records: Optional[list[dict]] = None) -> dict:
    """The report of one system (billfacts run here when none is given); with two or more, each system's
    report under ``systems`` and the paired comparison of the second (and later) with the first."""
    gold_records = records if records is not None else read_jsonl(gold_path)
    paths = list(systems) or ([system] if system is not None else [])
    corpus = describe_corpus(gold_path, gold_records)
    if not paths:
        facts, gaps = run_billfacts(gold_records)
        return {"corpus": corpus, "system": "billfacts (run now)", **score(gold_records, facts, gaps)}
    outputs = {str(path): read_system(path) for path in paths}
    reports = {name: {"system": name, **score(gold_records, *output)} for name, output in outputs.items()}
    first = str(paths[0])
    if len(paths) == 1:
        return {"corpus": corpus, **reports[first]}
    comparisons = [compare(gold_records, outputs[first], outputs[str(other)], first, str(other)) for other in paths[1:]]
    return {"corpus": corpus, "systems": reports, "comparisons": comparisons}


def describe_corpus(path: Path, records: list[dict]) -> dict:
    """Which corpus was scored: its path, size, splits and what its notes were written for."""
    meta = [record.get("meta") or {} for record in records]
    return {"path": str(path), "notes": len(records),
            "splits": sorted({m["split"] for m in meta if m.get("split")}),
            "written_for": sorted({m["written_for"] for m in meta if m.get("written_for")}),
            "synthetic": bool(meta) and all(m.get("synthetic") for m in meta)}


def compare(gold_records: list[dict], a: tuple, b: tuple, name_a: str, name_b: str, seed: int = 12) -> dict:
    """System B minus system A on the same documents, each difference with a 95% paired bootstrap
    interval: field accuracies, diagnosis-code F1, and span F1 (strict and lenient)."""
    facts_a, _ = a
    facts_b, _ = b
    rounds = resamples(len(gold_records), seed)
    differences: dict[str, dict] = {}
    for field in FIELDS:
        rows = [(record["gold"], facts_a.get(record["note_id"]) or {}, facts_b.get(record["note_id"]) or {})
                for record in gold_records if field in record["gold"]]
        if not rows:
            continue
        hits = [(int(_normalise(field, fa.get(field)) == _normalise(field, g[field])),
                 int(_normalise(field, fb.get(field)) == _normalise(field, g[field]))) for g, fa, fb in rows]
        differences[field] = paired(hits, lambda xs: sum(xs) / len(xs), resamples(len(hits), seed))
    dx = [(_dx_counts(r["gold"].get("diagnoses", []), (facts_a.get(r["note_id"]) or {}).get("diagnoses") or [], False),
           _dx_counts(r["gold"].get("diagnoses", []), (facts_b.get(r["note_id"]) or {}).get("diagnoses") or [], False))
          for r in gold_records]
    differences["diagnosis_codes_f1"] = paired(dx, lambda rows: _prf(*map(sum, zip(*rows)))["f1"], rounds)
    if any(record.get("spans") for record in gold_records):
        gold_docs = [gold_spans(r) for r in gold_records]
        docs_a = [system_spans(facts_a.get(r["note_id"])) for r in gold_records]
        docs_b = [system_spans(facts_b.get(r["note_id"])) for r in gold_records]
        for scheme in ("strict", "lenient"):
            result = paired_difference(gold_docs, docs_a, docs_b, scheme=scheme, seed=seed)
            differences[f"span_f1_{scheme}"] = {"difference": result["difference_f1"], "ci95": result["ci95"]}
    return {"a": name_a, "b": name_b, "b_minus_a": differences}
