"""The batch QA run: input records through ``analyze_many`` into ``results.jsonl``, in input order, with a
progress bar; then the tables, the cross-note summary and the report from that file.

Records that cannot be analysed (``inputs.py`` names why; a repeated id is ``duplicate_id``) get their
error result in their place. A record's unknown payer or unreadable date of service does not throw its
facts away: it is analysed with the run's payer (or the note's own date, else today) and the result says
so in a coding warning."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from ..analysis import _as_input, _error, analyze_many
from ..coding import payer_profiles
from ..models import AnalysisResult, Warning_
from .checkpoint import ResultsFile
from .inputs import InputRecord, count_records, read_records

RESULTS = "results.jsonl"
BATCH = 64


@dataclass
class QAOptions:
    workers: int = 1
    payer: str = "commercial"
    date_of_service: Optional[dt.date] = None
    columns: dict = field(default_factory=dict)
    resume: bool = False
    redact: bool = False
    norm_90837: float = 0.4  # a clinician's 90837 share among individual sessions above this is flagged
    clone_threshold: float = 0.9  # cosine similarity of two notes' TF-IDF vectors that marks a clone
    review_limit: int = 300  # review views embedded in report.html
    clones: bool = True
    progress: Optional[bool] = None  # None: when standard error is a terminal
    engine: str = "local"  # "local": analyze_many with ``workers`` processes; "spark": billfacts.spark
    master: Optional[str] = None  # the Spark master (default local[workers])


def run_qa(source: Path, out: Path, options: QAOptions) -> dict:
    """Analyse every record of ``source`` into ``out``; returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    results = ResultsFile(out / RESULTS, resume=options.resume)
    total = count_records(source)
    try:
        with _progress(total, results.done, options.progress) as advance:
            for line in _answers(read_records(source, options.columns), options, skip=results.done):
                results.append(line)
                if results.done % BATCH == 0:
                    results.checkpoint()
                advance()
    finally:
        results.close()
    from .report import write_report
    from .tables import write_parquet
    from .patterns import summarize

    write_parquet(out / RESULTS, out / "results.parquet")
    summary = summarize(out / RESULTS, source, options)
    _write_atomic(out / "summary.json", json.dumps(summary, indent=2))
    write_report(out / RESULTS, source, summary, out / "report.html", options)
    return summary


def _answers(records: Iterator[InputRecord], options: QAOptions, skip: int = 0) -> Iterator[str]:
    """One JSON line per record, in input order."""
    seen: set[str] = set()
    pending: deque = deque()  # (record, finished line or None, warnings), in input order
    known_payers = set(payer_profiles())

    def to_analyse():
        for record in records:
            duplicate = record.note_id is not None and record.note_id in seen
            if record.note_id is not None:
                seen.add(record.note_id)
            if record.index < skip:
                continue  # answered before the stop: read only for the ids it holds
            problem = record.problem or (("duplicate_id", "another record before this one has the same id")
                                         if duplicate else None)
            if problem:
                pending.append((record, _line(_error(record.note_id, *problem), record, options), None))
                continue
            note, warnings = _prepared(record, options, known_payers)
            checked = _as_input(note, record.index)  # a refusal names the record by its place in the input
            if isinstance(checked, AnalysisResult):
                pending.append((record, _line(checked, record, options), None))
                continue
            pending.append((record, None, warnings))
            yield checked

    for result in _analysed(to_analyse(), options):
        while pending and pending[0][1] is not None:
            yield pending.popleft()[1]
        record, _, warnings = pending.popleft()
        if warnings and result.status == "ok":
            result.coding.warnings[:0] = warnings
        yield _line(result, record, options)
    while pending:
        yield pending.popleft()[1]


SPARK_CHUNK = 4_096


def _analysed(notes: Iterator, options: QAOptions) -> Iterator[AnalysisResult]:
    """Each note's result in order: with ``analyze_many`` here, or on Spark a chunk of notes at a time
    (the driver keeps reading, checking and writing; the cluster analyses)."""
    if options.engine != "spark":
        yield from analyze_many(notes, workers=options.workers, batch_size=BATCH)
        return
    from ..spark import results_in_order, session

    spark = session(options.master or f"local[{options.workers}]", app="billfacts qa")
    try:
        chunk: list[dict] = []
        for note in notes:
            chunk.append(note.model_dump(mode="json"))
            if len(chunk) >= SPARK_CHUNK:
                yield from (AnalysisResult.model_validate_json(body) for body in results_in_order(spark, chunk))
                chunk = []
        if chunk:
            yield from (AnalysisResult.model_validate_json(body) for body in results_in_order(spark, chunk))
    finally:
        spark.stop()


def _prepared(record: InputRecord, options: QAOptions, known_payers: set) -> tuple[dict, list]:
    warnings = []
    payer = record.payer if isinstance(record.payer, str) and record.payer.strip() else options.payer
    if payer not in known_payers:
        warnings.append(Warning_(rule_id="unknown_payer_default_used",
                                 message=f"the record's payer profile is not one of {', '.join(sorted(known_payers))}: "
                                         f"{options.payer} was used"))
        payer = options.payer
    dos = _date(record.date_of_service)
    if dos is None and record.date_of_service not in (None, ""):
        warnings.append(Warning_(rule_id="unreadable_date_of_service",
                                 message="the record's date of service is not a date (YYYY-MM-DD): the note's own "
                                         "date, else the run's, else today's was used"))
    note = {"text": record.text, "note_id": record.note_id, "payer": payer,
            "date_of_service": dos or options.date_of_service}
    if record.billed is not None:
        note["billed_codes"] = record.billed if isinstance(record.billed, list) else [record.billed]
    return note, warnings


def _date(value) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _line(result: AnalysisResult, record: InputRecord, options: QAOptions) -> str:
    """The result's JSON with a ``qa`` object: the record's place, clinician, patient and billed codes."""
    if options.redact:
        _redact(result)
    billed = record.billed if isinstance(record.billed, list) else ([record.billed] if record.billed else [])
    qa = {"index": record.index, "clinician": record.clinician, "patient": record.patient,
          "billed": [str(item)[:60] for item in billed][:20]}
    body = result.model_dump_json()
    return body[:-1] + ',"qa":' + json.dumps(qa, separators=(",", ":")) + "}"


def _redact(result: AnalysisResult) -> None:
    """Leave every piece of note text out: evidence keeps its offsets only."""
    records = []
    if result.facts is not None:
        records += [r for values in result.facts.evidence.values() for r in values]
        records += result.facts.mentions
        for diagnosis in result.facts.diagnoses:
            diagnosis.text = ""
    if result.coding is not None:
        records += [r for line in result.coding.lines for r in line.evidence]
    if result.gaps is not None:
        records += [r for gap in result.gaps.items for r in gap.evidence]
        records += [r for check in result.gaps.checks for r in check.evidence]
    for record in records:
        record.text = ""


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


class _progress:
    """A rich progress bar (notes/s, time left) on standard error when it is a terminal; silent otherwise."""

    def __init__(self, total: Optional[int], done: int, show: Optional[bool]):
        self.total, self.done = total, done
        self.show = sys.stderr.isatty() if show is None else show

    def __enter__(self):
        if not self.show:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, \
            TimeRemainingColumn
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task):
                return Text(f"{task.speed:,.0f} notes/s" if task.speed else "- notes/s")

        self.bar = Progress(TextColumn("billfacts qa"), BarColumn(), MofNCompleteColumn(), Rate(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=False)
        self.bar.__enter__()
        task = self.bar.add_task("notes", total=self.total, completed=self.done)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc):
        if self.show:
            self.bar.__exit__(*exc)
        return False
