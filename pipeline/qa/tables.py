"""``results.parquet``: one row per result with the columns a billing analyst filters on, and the full
result as JSON in ``result_json``. Written from ``results.jsonl`` in chunks (memory flat in the number of
notes), to a temporary name renamed when complete."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

CHUNK = 2_000


def _schema():
    import pyarrow as pa

    text, integer, flag = pa.string(), pa.int32(), pa.bool_()
    return pa.schema([
        ("index", pa.int64()), ("note_id", text), ("status", text), ("error_code", text), ("clinician", text),
        ("patient", text), ("date_of_service", text), ("payer_profile", text), ("note_genre", text),
        ("service_type", text), ("modality", text), ("patient_location", text), ("psychotherapy_minutes", integer),
        ("em_minutes", integer), ("total_minutes", integer), ("em_present", flag), ("interpreter", flag),
        ("interactive_complexity_factors", pa.list_(text)), ("diagnoses", pa.list_(text)),
        ("codes", pa.list_(text)), ("code_lines", pa.list_(text)), ("billed", pa.list_(text)),
        ("gap_ids", pa.list_(text)), ("gap_score", integer), ("result_json", text)])


def flatten(line: str) -> dict:
    data = json.loads(line)
    qa = data.get("qa") or {}
    facts = data.get("facts") or {}
    coding = data.get("coding") or {}
    gaps = data.get("gaps") or {}
    lines = coding.get("lines") or []
    return {
        "index": qa.get("index"), "note_id": data.get("note_id"), "status": data.get("status"),
        "error_code": (data.get("error") or {}).get("code"), "clinician": qa.get("clinician"),
        "patient": qa.get("patient"), "date_of_service": coding.get("date_of_service"),
        "payer_profile": coding.get("payer_profile"), "note_genre": facts.get("note_genre"),
        "service_type": facts.get("service_type"), "modality": facts.get("modality"),
        "patient_location": facts.get("patient_location"),
        "psychotherapy_minutes": facts.get("psychotherapy_minutes"), "em_minutes": facts.get("em_minutes"),
        "total_minutes": facts.get("total_minutes"), "em_present": facts.get("em_present"),
        "interpreter": facts.get("interpreter"),
        "interactive_complexity_factors": facts.get("interactive_complexity_factors") or [],
        "diagnoses": [d["code"] for d in facts.get("diagnoses") or []],
        "codes": [line["code"] for line in lines],
        "code_lines": [_code_line(line) for line in lines], "billed": qa.get("billed") or [],
        "gap_ids": [gap["id"] for gap in gaps.get("items") or []],
        "gap_score": gaps.get("score") if data.get("status") == "ok" else None,
        "result_json": line.rstrip("\n"),
    }


def _code_line(line: dict) -> str:
    parts = [line["code"] + (f" x{line['units']}" if line.get("units", 1) != 1 else "")]
    if line.get("modifiers"):
        parts.append("-".join(line["modifiers"]))
    if line.get("pos"):
        parts.append(f"POS {line['pos']}")
    return " ".join(parts)


def rows(results: Path) -> Iterator[dict]:
    with Path(results).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield flatten(line)


def write_parquet(results: Path, target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema()
    partial = target.with_suffix(".parquet.partial")
    with pq.ParquetWriter(partial, schema) as writer:
        chunk: list[dict] = []
        for row in rows(results):
            chunk.append(row)
            if len(chunk) >= CHUNK:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    os.replace(partial, target)


SUMMARY_COLUMNS = ["index", "note_id", "status", "error_code", "clinician", "patient", "date_of_service",
                   "psychotherapy_minutes", "codes", "billed", "gap_ids", "gap_score"]


def read_rows(table: Path, columns: list[str] = SUMMARY_COLUMNS) -> Iterator[dict]:
    """Rows of results.parquet with only ``columns``, a batch at a time: the cross-note passes read these
    instead of parsing every result's JSON again."""
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(table).iter_batches(batch_size=CHUNK, columns=columns):
        yield from batch.to_pylist()


def qa_of(line: str) -> dict:
    """The ``qa`` object of a results.jsonl line without parsing the rest: it is written last, and the
    characters ,"qa": cannot stand inside a JSON string (its quotes would be escaped)."""
    return json.loads(line[line.rindex(',"qa":') + 6: line.rstrip().rindex("}")])
