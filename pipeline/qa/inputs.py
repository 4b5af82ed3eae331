"""Reading notes for batch QA: a folder of ``.txt`` files, a JSONL, CSV or Parquet file, one record at a
time (memory flat in the number of notes), each as an ``InputRecord`` in input order.

A record's problems that make it unanalysable are found here and named with stable codes
(``undecodable_text``, ``invalid_json``, ``invalid_input``, ``missing_id``, ``empty_text``); duplicate ids
are found by the runner, which sees every id in order."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from ..cli import decode_note

DEFAULT_COLUMNS = {"id": "note_id", "text": "text", "date": "date_of_service", "clinician": "clinician",
                   "patient": "patient", "payer": "payer", "billed": "billed_codes"}
CHUNK_ROWS = 2_000


class InputError(Exception):
    """The input as a whole cannot be read (no such file, an unknown format): a usage error."""


@dataclass
class InputRecord:
    index: int
    note_id: Optional[str] = None
    text: Optional[str] = None
    date_of_service: Any = None
    clinician: Optional[str] = None
    patient: Optional[str] = None
    payer: Any = None
    billed: Any = None
    problem: Optional[tuple[str, str]] = None  # (code, message): never quotes the note
    extra: dict = field(default_factory=dict)


def input_format(path: Path) -> str:
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    formats = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
    if suffix not in formats:
        raise InputError(f"cannot tell the format of {path.name}: use a folder of .txt files or a .jsonl, .csv or "
                         ".parquet file")
    return formats[suffix]


def count_records(path: Path) -> Optional[int]:
    """How many records the input holds, when that is cheap to know (for the progress bar)."""
    kind = input_format(path)
    if kind == "folder":
        return sum(1 for _ in path.glob("*.txt"))
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if kind == "jsonl":
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    return None  # CSV rows may span lines


def read_records(path: Path, columns: Optional[dict] = None) -> Iterator[InputRecord]:
    """Every record of the input, in order, as InputRecords (problems marked, nothing dropped)."""
    columns = {**DEFAULT_COLUMNS, **(columns or {})}
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such input: {path}")
    kind = input_format(path)
    if kind == "folder":
        yield from _folder(path)
    elif kind == "jsonl":
        yield from _jsonl(path, columns)
    elif kind == "csv":
        yield from _csv(path, columns)
    else:
        yield from _parquet(path, columns)


def _folder(path: Path) -> Iterator[InputRecord]:
    for index, file in enumerate(sorted(path.glob("*.txt"))):
        record = InputRecord(index=index, note_id=file.stem)
        try:
            record.text = decode_note(file.read_bytes())
        except UnicodeDecodeError:
            record.problem = ("undecodable_text", "the file is neither UTF-8 nor UTF-16 with a byte-order mark")
        except OSError as exc:
            record.problem = ("unreadable_file", f"the file could not be read ({type(exc).__name__})")
        yield record


def _jsonl(path: Path, columns: dict) -> Iterator[InputRecord]:
    index = 0
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield InputRecord(index=index, problem=("undecodable_text", "the line is not UTF-8"))
                index += 1
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                yield InputRecord(index=index, problem=("invalid_json", "the line is not valid JSON"))
                index += 1
                continue
            yield from_mapping(index, value, columns)
            index += 1


def _csv(path: Path, columns: dict) -> Iterator[InputRecord]:
    import pandas as pd

    index = 0
    try:
        chunks = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=CHUNK_ROWS, encoding="utf-8")
        for frame in chunks:
            for row in frame.to_dict(orient="records"):
                yield from_mapping(index, {k: (v if v != "" else None) for k, v in row.items()}, columns)
                index += 1
    except UnicodeDecodeError:
        raise InputError("the CSV file is not UTF-8") from None


def _parquet(path: Path, columns: dict) -> Iterator[InputRecord]:
    import pyarrow.parquet as pq

    index = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS):
        for row in batch.to_pylist():
            yield from_mapping(index, row, columns)
            index += 1


def from_mapping(index: int, value: Any, columns: dict) -> InputRecord:
    """One record from a JSON object or a table row, with the problems that keep it from analysis."""
    if not isinstance(value, dict):
        return InputRecord(index=index, problem=("invalid_input", "the record is not an object"))
    record = InputRecord(index=index)
    note_id = value.get(columns["id"])
    if isinstance(note_id, (int, float)) and not isinstance(note_id, bool) and note_id == note_id:
        note_id = str(int(note_id)) if float(note_id).is_integer() else str(note_id)  # an id written as a number
    record.note_id = note_id if isinstance(note_id, str) and note_id.strip() else None
    text = value.get(columns["text"])
    record.date_of_service = value.get(columns["date"])
    record.clinician = _as_label(value.get(columns["clinician"]))
    record.patient = _as_label(value.get(columns["patient"]))
    record.payer = value.get(columns["payer"])
    record.billed = value.get(columns["billed"])
    if note_id is not None and not isinstance(note_id, str):
        record.problem = ("invalid_input", f"the {columns['id']} field is not a text or a number")
    elif record.note_id is None:
        record.problem = ("missing_id", f"the record has no {columns['id']}")
    elif text is not None and not isinstance(text, str):
        record.problem = ("invalid_input", f"the {columns['text']} field is not text")
    elif text is None or not text.strip():
        record.problem = ("empty_text", "the note text is empty")
    elif record.billed is not None and not isinstance(record.billed, (str, list)):
        record.problem = ("invalid_input", f"the {columns['billed']} field is neither text nor a list")
    else:
        record.text = text
    return record


def _as_label(value: Any) -> Optional[str]:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value)[:120]
