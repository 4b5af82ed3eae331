"""Score billfacts on third-party notes in the real-note format (``../shared/real-notes/*.jsonl``).

One record a line: ``id``, ``note_text``, provenance, and ``gold`` with document-level labels (codes as plain
strings, ``expected_cpt``, ``expected_gaps``). The measures are the ones the real-note README names:
psychotherapy minutes exact (where gold has them), modality accuracy (null is a class), E/M presence
accuracy, diagnosis-code micro F1, CPT code-set exact match with E/M codes compared by presence, notes whose
suggestion pays more than gold, and gap-id micro F1 over the gap ids the gold annotates. Each comes with a
95% bootstrap interval over notes. Errors name the note, the field, the two values and the evidence offsets
the system relied on; never the note's text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

from .bootstrap import bootstrap, paired, resamples
from .corpus import _prf

# The gap ids the real-note gold is annotated with (README "Gaps"), plus the time conflict an auditor
# would raise; other checklist ids (medical necessity, risk screen ...) are not annotated there.
SCORED_GAPS = frozenset({
    "missing_start_stop_times", "missing_total_minutes", "missing_interventions", "missing_patient_response",
    "missing_modality", "missing_telehealth_location", "missing_telehealth_consent", "missing_diagnosis",
    "missing_treatment_plan", "em_psychotherapy_not_separated", "time_inconsistent",
})
FIELDS = ("psychotherapy_minutes", "modality", "em_present", "service_type", "date_of_service",
          "interpreter", "interactive_complexity_factors", "start_time", "end_time")
# Families of alternative codes for one service, cheapest first (codes of one rank are the same service in
# two eras): a suggestion of a higher rank where gold has a lower one pays more.
FAMILIES = ((("90832",), ("90834",), ("90837",)), (("90833",), ("90836",), ("90838",)),
            (("90804",), ("90806",), ("90808",)), (("90805",), ("90807",), ("90809",)),
            (("90801", "90791"), ("90792",)), (("90846",), ("90847",)))
RANK = {code: (family, rank) for family, ranks in enumerate(FAMILIES) for rank, codes in enumerate(ranks)
        for code in codes}


def is_real_note_record(record: dict) -> bool:
    return "note_text" in record and "expected_cpt" in (record.get("gold") or {})


def read_records(path: Path, skipped: Optional[list[str]] = None) -> list[dict]:
    """Records of one JSONL file, or of every ``*.jsonl`` in a folder (sorted by name). A line that is not
    a JSON object is left out and named in ``skipped`` (file and line number, never its content)."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    records = []
    for file in files:
        with file.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    record, reason = None, f"not valid JSON ({exc.msg})"
                else:
                    reason = None if isinstance(record, dict) else "not a JSON object"
                if reason is None:
                    records.append(record)
                elif skipped is not None:
                    skipped.append(f"{file.name} line {number}: {reason}")
                else:
                    raise ValueError(f"{file.name} line {number}: {reason}")
    return records


def _is_em(code: str) -> bool:
    return code == "E/M" or (code.startswith("99") and code[:3] in {"992", "993", "994"}
                             and code not in {"99354", "99355", "99356", "99357"})


def code_set(codes: Iterable[str]) -> frozenset[str]:
    """Codes with every E/M code read as 'E/M' (gold's 99214 is a placeholder for an E/M line)."""
    return frozenset("E/M" if _is_em(c) else c for c in codes)


def pays_more(system: Iterable[str], gold: Iterable[str]) -> list[str]:
    """Why a suggestion pays more than gold: a code gold lacks that is not a cheaper alternative of one of
    gold's codes (an add-on, a psychotherapy code on an E/M-only visit, a code where gold codes nothing), or
    a higher member of a family (a higher time band, 90792 for 90791)."""
    system, gold = code_set(system), code_set(gold)
    reasons = []
    for code in sorted(system - gold):
        family, rank = RANK.get(code, (None, 0))
        rivals = [RANK[g][1] for g in gold if family is not None and RANK.get(g, (None,))[0] == family]
        if not rivals:
            reasons.append(f"{code} not in gold")
        elif rank > max(rivals):
            reasons.append(f"{code} above gold's rank in its family")
    return reasons


def _evidence(result: dict, *names: str) -> list[str]:
    facts = result.get("facts") or {}
    out = []
    for name in names:
        for record in (facts.get("evidence") or {}).get(name, []):
            out.append(f"{name}@{record['start']}-{record['end']}")
    return out


def _system_value(field: str, facts: dict):
    value = facts.get(field)
    if field == "interactive_complexity_factors":
        return sorted(value or [])
    return value


def note_values(record: dict, result: dict, errors: Optional[list[dict]] = None) -> dict:
    """One note's contribution to every measure: a 0/1 hit per field scored on it (fields gold leaves out, or
    psychotherapy minutes gold leaves null, are absent), the CPT code-set hit, (tp, fp, fn) for diagnoses and
    gap ids, and whether the suggestion pays more than gold. Disagreements go to ``errors`` when given."""
    note_id, gold = record["id"], record["gold"]
    facts = result.get("facts") or {}
    values: dict = {}

    def error(field, expected, got, *evidence_names):
        if errors is not None:
            errors.append({"note_id": note_id, "field": field, "gold": expected, "system": got,
                           "evidence": _evidence(result, *evidence_names) if evidence_names else []})

    for field in FIELDS:
        if field not in gold or (field == "psychotherapy_minutes" and gold[field] is None):
            continue
        expected = sorted(gold[field]) if field == "interactive_complexity_factors" else gold[field]
        got = _system_value(field, facts)
        values[field] = int(expected == got)
        if expected != got:
            error(field, expected, got, field)

    gold_dx = set(gold.get("diagnoses") or [])
    got_dx = {d["code"] for d in facts.get("diagnoses") or [] if d.get("status") == "affirmed"}
    values["diagnosis_codes"] = (len(gold_dx & got_dx), len(got_dx - gold_dx), len(gold_dx - got_dx))
    if gold_dx != got_dx:
        error("diagnoses", sorted(gold_dx), sorted(got_dx), "diagnoses")

    got_codes = [line["code"] for line in (result.get("coding") or {}).get("lines", [])]
    gold_codes = gold.get("expected_cpt") or []
    same = code_set(got_codes) == code_set(gold_codes)
    values["cpt_code_set"] = int(same)
    if not same:
        error("cpt", sorted(code_set(gold_codes)), sorted(code_set(got_codes)), "service_type")
    reasons = pays_more(got_codes, gold_codes) if result.get("status") == "ok" else []
    values["pays_more"] = int(bool(reasons))
    if reasons:
        error("pays_more", sorted(gold_codes), sorted(got_codes) + reasons)

    gold_gaps = set(gold.get("expected_gaps") or []) & SCORED_GAPS
    got_gaps = {g["id"] for g in (result.get("gaps") or {}).get("items", [])} & SCORED_GAPS
    values["gaps"] = (len(gold_gaps & got_gaps), len(got_gaps - gold_gaps), len(gold_gaps - got_gaps))
    for gap in sorted(gold_gaps ^ got_gaps):
        error(f"gap:{gap}", gap in gold_gaps, gap in got_gaps)
    if result.get("status") != "ok":
        error("status", "ok", (result.get("error") or {}).get("code", "missing"))
    return values


def _micro(rows):
    return _prf(*(sum(r[i] for r in rows) for i in range(3)))


def _mean(values):
    return sum(values) / len(values)


def score_real_notes(records: list[dict], results: dict[str, dict]) -> dict:
    """Compare gold with ``note_id -> AnalysisResult as dict``."""
    errors: list[dict] = []
    per_note = [note_values(record, results.get(record["id"]) or {}, errors) for record in records]

    def column(name):
        return [values[name] for values in per_note if name in values]

    measures = {}
    for field in (*FIELDS, "cpt_code_set"):
        hits = column(field)
        if hits:
            measures[field] = {"accuracy": round(_mean(hits), 4), "n": len(hits), "ci95": bootstrap(hits, _mean)}
    dx = _micro(column("diagnosis_codes"))
    dx["ci95_f1"] = bootstrap(column("diagnosis_codes"), lambda rows: _micro(rows)["f1"])
    gaps = _micro(column("gaps"))
    gaps["ci95_f1"] = bootstrap(column("gaps"), lambda rows: _micro(rows)["f1"])
    overpay = column("pays_more")
    return {"format": "real-notes", "documents": len(records), "fields": measures, "diagnosis_codes": dx,
            "gaps": gaps, "pays_more_than_gold": sum(overpay), "pays_more_ci95": bootstrap(overpay, sum),
            "errors": errors}


def compare_real_notes(records: list[dict], results_a: dict[str, dict], results_b: dict[str, dict],
                       name_a: str, name_b: str, seed: int = 12) -> dict:
    """System B minus system A on the same notes, each difference with a 95% paired bootstrap interval."""
    a = [note_values(record, results_a.get(record["id"]) or {}) for record in records]
    b = [note_values(record, results_b.get(record["id"]) or {}) for record in records]
    differences = {}
    for field in (*FIELDS, "cpt_code_set"):
        rows = [(x[field], y[field]) for x, y in zip(a, b) if field in x and field in y]
        if rows:
            differences[field] = paired(rows, _mean, resamples(len(rows), seed))
    rounds = resamples(len(records), seed)
    for name in ("diagnosis_codes", "gaps"):
        differences[f"{name}_f1"] = paired([(x[name], y[name]) for x, y in zip(a, b)],
                                            lambda rows: _micro(rows)["f1"], rounds)
    differences["pays_more_than_gold"] = paired([(x["pays_more"], y["pays_more"]) for x, y in zip(a, b)], sum,
                                                 rounds)
    return {"a": name_a, "b": name_b, "b_minus_a": differences}


def run_billfacts(records: list[dict], workers: int = 1) -> dict[str, dict]:
    from billfacts import analyze_many

    notes = ({"text": r["note_text"], "note_id": r["id"]} for r in records)
    return {r.note_id: r.model_dump(mode="json") for r in analyze_many(notes, workers=workers)}


def evaluate_real_notes(path: Path, system: Optional[Path] = None, records: Optional[list[dict]] = None,
                        systems: tuple = ()) -> dict:
    """One system's report (billfacts run here when none is given); with two or more ``systems``, each
    one's report under ``systems`` and the paired comparison of the later ones with the first."""
    records = records if records is not None else read_records(path)
    paths = list(systems) or ([system] if system is not None else [])
    if not paths:
        return score_real_notes(records, run_billfacts(records))
    outputs = {str(p): {row.get("note_id"): row for row in read_records(p)} for p in paths}
    if len(paths) == 1:
        return score_real_notes(records, outputs[str(paths[0])])
    first = str(paths[0])
    return {"format": "real-notes", "documents": len(records),
            "systems": {name: score_real_notes(records, results) for name, results in outputs.items()},
            "comparisons": [compare_real_notes(records, outputs[first], outputs[str(other)], first, str(other))
                            for other in paths[1:]]}


def format_real_report(report: dict, max_errors: int = 400) -> str:
    lines = [f"real-note format: {report['documents']} notes", "",
             f"{'measure':<32}{'value':<9}{'95% CI':<18}n"]
    for field, row in report["fields"].items():
        lo, hi = row["ci95"]
        lines.append(f"{field:<32}{row['accuracy']:<9.3f}[{lo:.3f}, {hi:.3f}]    {row['n']}")
    for name, key in (("diagnosis codes (micro F1)", "diagnosis_codes"), ("gap ids (micro F1)", "gaps")):
        row = report[key]
        lo, hi = row["ci95_f1"]
        lines.append(f"{name:<32}{row['f1']:<9.3f}[{lo:.3f}, {hi:.3f}]    P {row['precision']:.3f} "
                     f"R {row['recall']:.3f} (tp {row['tp']}, fp {row['fp']}, fn {row['fn']})")
    lo, hi = report["pays_more_ci95"]
    lines.append(f"{'notes paying more than gold':<32}{report['pays_more_than_gold']:<9}[{lo:.0f}, {hi:.0f}]")
    lines += ["", f"errors: {len(report['errors'])} (note, field, gold, system, evidence offsets)"]
    for e in report["errors"][:max_errors]:
        evidence = f"  [{', '.join(e['evidence'][:4])}]" if e["evidence"] else ""
        lines.append(f"  {e['note_id']}  {e['field']}: gold={e['gold']!r} system={e['system']!r}{evidence}")
    if len(report["errors"]) > max_errors:
        lines.append(f"  ... {len(report['errors']) - max_errors} more in report.json")
    fields = report["fields"]
    # The headline again at the end, where a reader of the last lines (a log tail, a hook) finds it.
    lines += ["", "summary: " + ", ".join([
        f"diagnosis F1 {report['diagnosis_codes']['f1']:.3f}",
        f"CPT code set {fields['cpt_code_set']['accuracy']:.3f}",
        *(f"{name} {fields[name]['accuracy']:.3f}" for name in ("modality", "em_present", "service_type")
          if name in fields),
        f"gap F1 {report['gaps']['f1']:.3f}",
        f"notes paying more than gold {report['pays_more_than_gold']}"])]
    return "\n".join(lines)
