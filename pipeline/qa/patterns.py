"""Cross-note patterns for ``summary.json`` and the report: code distribution, psychotherapy minutes,
gap rates, per-clinician 90837 share against a norm, session lengths repeated to the minute, revenue at
risk and left behind, the lowest-scoring notes, and notes cloned across dates.

Everything but the clone search is counted in one pass over the columns of ``results.parquet`` it needs,
with memory bounded by the number of clinicians and codes. The clone search (``clones.py``) reads the notes once more."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from pathlib import Path

from ..coding.table import code_table
from ..gaps.billed import parse_billed
from ..gaps.predicates import under_coded
from .tables import read_rows

TIMED_INDIVIDUAL = ("90832", "90834", "90837")
MIN_SESSIONS = 10  # a clinician pattern is judged on at least this many individual sessions
REPEATED_SHARE = 0.8  # "always 53 minutes": this share of sessions at one minute value
LOWEST = 50


def summarize(results: Path, source: Path, options) -> dict:
    counts = Counter()
    errors = Counter()
    codes = Counter()
    minutes = Counter()
    gaps = Counter()
    at_risk = Counter()
    left_behind = Counter()
    clinicians: dict = defaultdict(lambda: {"notes": 0, "individual": 0, "n90837": 0, "minutes": Counter(),
                                            "with_gap": 0, "score_sum": 0})
    lowest: list = []
    for row in read_rows(Path(results).with_name("results.parquet")):
        counts["records"] += 1
        if row["status"] != "ok":
            counts["errors"] += 1
            errors[row["error_code"] or "error"] += 1
            continue
        counts["analysed"] += 1
        selected = row["codes"]
        codes.update(selected)
        minutes_here = row["psychotherapy_minutes"]
        if minutes_here is not None:
            minutes[minutes_here] += 1
        ids = row["gap_ids"]
        gaps.update(set(ids))
        if ids:
            counts["with_gap"] += 1
        clinician = clinicians[row["clinician"] or "(not given)"]
        clinician["notes"] += 1
        clinician["with_gap"] += bool(ids)
        clinician["score_sum"] += row["gap_score"]
        timed = [code for code in selected if code in TIMED_INDIVIDUAL]
        if timed:
            clinician["individual"] += 1
            clinician["n90837"] += "90837" in timed
            if minutes_here is not None:
                clinician["minutes"][minutes_here] += 1
        if row["billed"]:
            risk, behind = _claim(row["billed"], selected)
            at_risk.update(risk)
            left_behind.update(behind)
            counts["with_billed"] += 1
            counts["notes_at_risk"] += bool(risk)
            counts["notes_left_behind"] += bool(behind)
        entry = (-row["gap_score"], -row["index"])
        item = {"index": row["index"], "note_id": row["note_id"], "score": row["gap_score"], "gaps": ids[:8],
                "clinician": row["clinician"]}
        if len(lowest) < LOWEST:
            heapq.heappush(lowest, (entry, item))
        else:
            heapq.heappushpop(lowest, (entry, item))
    analysed = counts["analysed"] or 1
    per_clinician = []
    for name, c in sorted(clinicians.items()):
        share = c["n90837"] / c["individual"] if c["individual"] else None
        top_minutes, top_count = (c["minutes"].most_common(1) or [(None, 0)])[0]
        timed_total = sum(c["minutes"].values())
        repeated = top_count / timed_total if timed_total else None
        per_clinician.append({
            "clinician": name, "notes": c["notes"], "individual_sessions": c["individual"],
            "share_90837": _round(share), "above_90837_norm": bool(share is not None and c["individual"] >= MIN_SESSIONS
                                                                and share > options.norm_90837),
            "most_common_minutes": top_minutes, "most_common_minutes_share": _round(repeated),
            "repeated_length_flag": bool(repeated is not None and timed_total >= MIN_SESSIONS
                                         and repeated >= REPEATED_SHARE),
            "gap_rate": _round(c["with_gap"] / c["notes"]), "mean_gap_score": _round(c["score_sum"] / c["notes"], 1),
        })
    from .clones import find_clones

    clones = find_clones(results, source, options) if options.clones else {"pairs": [], "pairs_found": 0,
                                                                            "skipped": "clone search turned off"}
    return {
        "records": counts["records"], "analysed": counts["analysed"], "errors": counts["errors"],
        "errors_by_code": dict(sorted(errors.items())),
        "code_distribution": dict(codes.most_common()),
        "psychotherapy_minutes": {str(k): v for k, v in sorted(minutes.items())},
        "band_edges": [16, 38, 53],
        "gap_rate": _round(counts["with_gap"] / analysed),
        "gap_frequencies": {gap: {"notes": n, "rate": _round(n / analysed)} for gap, n in gaps.most_common()},
        "norm_90837": options.norm_90837,
        "clinicians": per_clinician,
        "claims": {"notes_with_billed_codes": counts["with_billed"], "notes_with_revenue_at_risk": counts["notes_at_risk"],
                   "notes_with_revenue_left_behind": counts["notes_left_behind"],
                   "revenue_at_risk": dict(at_risk.most_common()), "revenue_left_behind": dict(left_behind.most_common())},
        "lowest_scoring": [item for _, item in sorted(lowest, key=lambda pair: pair[0], reverse=True)],
        "clones": clones,
    }


def _claim(billed: list, selected: list[str]) -> tuple[list[str], list[str]]:
    """Billed codes the note does not support (at risk), and supported codes or add-ons not billed, or
    billed at a lower rung of their time ladder (left behind)."""
    table = code_table()
    codes, problems = parse_billed(billed)
    billed_codes = [code.code for code in codes]
    risk, behind = [], []
    for code in billed_codes:
        row = table.get(code)
        if code in selected or (row is not None and row.kind == "em_partner" and "E/M" in selected):
            continue
        higher = under_coded(code, selected)
        (behind if higher else risk).append(f"{code}->{higher}" if higher else code)
    for code in selected:
        if code == "E/M" or code in billed_codes:
            continue
        if not any(under_coded(b, [code]) for b in billed_codes):
            behind.append(code)
    risk.extend(p.item for p in problems)
    return risk, behind


def _round(value, places: int = 3):
    return None if value is None else round(value, places)
