"""From note text to ``AnalysisResult``: one note, or a stream of many with per-record errors."""

from __future__ import annotations

import datetime as dt
import re
import signal
import threading
from contextlib import contextmanager
from functools import lru_cache, partial
from typing import Iterable, Iterator, Optional, Union

from pydantic import ValidationError
from spacy.language import Language

from billfacts.models import AnalysisResult, BillingFacts, CodingResult, ErrorInfo, NoteInput, Versions, Warning_

from .coding import code_table, payer_profiles, select_codes
from .gaps import score_gaps
from .nlp import build
from .icd10cm import edition as icd10cm_edition
from .version import __version__

MAX_NOTE_CHARS = 200_000
ICD10CM_IN_USE_FROM = dt.date(2015, 10, 1)  # before it, claims carried ICD-9-CM diagnoses
# The last guard against a note no rule foresaw: seconds one note may take (linear-time components make a
# 200,000-character note take well under this; see tests/test_reliability.py).
DEFAULT_TIME_LIMIT = 60.0
# Line breaks written another way (lone CR, CRLF's CR, U+2028/U+2029, form and vertical feeds) and control
# characters, mapped one character to one so that every offset still indexes the caller's text: "\r\n"
# becomes " \n", a lone "\r" a line break, NUL and other controls a space.
_AT_THE_DOOR = str.maketrans({**{chr(c): " " for c in range(32) if chr(c) not in "\t\n\r"}, "\x7f": " ",
                              "\u2028": "\n", "\u2029": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})


# A run of this many characters without a space is no word of a note ("';;;;'" to 32 KB, a pasted blob):
# spaCy's tokenizer strips affixes from a chunk one character at a time, quadratic in its length, so a
# space takes the place of every LONG_RUN-th character of such a run (what billfacts reads, not what it quotes).
LONG_RUN = 100
_LONG_RUN = re.compile(r"\S{%d,}" % (LONG_RUN + 1))


def normalise_text(text: str) -> str:
    """The note as the pipeline reads it: same length, same offsets, one kind of line break, no
    whitespace-free run longer than LONG_RUN characters."""
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    text = text.translate(_AT_THE_DOOR)
    if _LONG_RUN.search(text):
        chars = list(text)
        for match in _LONG_RUN.finditer(text):
            for position in range(match.start() + LONG_RUN, match.end(), LONG_RUN):
                chars[position] = " "
        text = "".join(chars)
    return text


def text_to_read(text: str) -> tuple[str, int]:
    """What the pipeline reads of a note, and where that starts in the caller's text: the normalised
    note without leading and trailing whitespace, so that neither a blank line before the header nor
    the line endings change a fact (a cue like "in the note's first 250 characters" reads the same)."""
    normal = normalise_text(text)
    kept = normal.lstrip()
    lead = len(normal) - len(kept)
    return kept.rstrip(), lead


def _restore_evidence(facts: dict, original: str, lead: int) -> None:
    """Evidence indexes and quotes the caller's own text (the pipeline read the normalised copy from
    ``lead`` on; normalising keeps every character's place)."""
    records = [record for values in (facts.get("evidence") or {}).values() for record in values]
    for record in records + list(facts.get("mentions") or []):
        record["start"] += lead
        record["end"] += lead
        record["text"] = original[record["start"]:record["end"]]


@lru_cache(maxsize=1)
def load() -> Language:
    """The billfacts pipeline (built once per process; rules are read from the packaged data files)."""
    return build()


def versions() -> Versions:
    return Versions(billfacts=__version__, code_table=code_table().edition, icd10cm=icd10cm_edition())


def _error(note_id: Optional[str], code: str, message: str) -> AnalysisResult:
    return AnalysisResult(note_id=note_id, status="error", error=ErrorInfo(code=code, message=message),
                          versions=versions())


def _as_input(note: Union[NoteInput, str, dict], index: int) -> Union[NoteInput, AnalysisResult]:
    """Validate one record; a bad record becomes an error result that never quotes its content."""
    note_id = None
    try:
        if isinstance(note, NoteInput):
            record = note
        elif isinstance(note, str):
            record = NoteInput(text=note)
        elif isinstance(note, dict):
            note_id = str(note.get("note_id")) if note.get("note_id") is not None else None
            record = NoteInput.model_validate(note)
        else:
            return _error(None, "invalid_input", f"record {index}: expected text or a note object, got "
                                                  f"{type(note).__name__}")
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
        return _error(note_id, "invalid_input", f"record {index}: invalid field(s): {', '.join(fields)}")
    if record.payer not in payer_profiles():
        shown = record.payer if len(record.payer) <= 40 else record.payer[:40] + "..."
        return _error(record.note_id, "unknown_payer", f"unknown payer profile {shown!r}; known: "
                                                       f"{', '.join(payer_profiles())}")
    if len(record.text) > MAX_NOTE_CHARS:
        return _error(record.note_id, "note_too_long", f"note has {len(record.text)} characters; the limit is "
                                                       f"{MAX_NOTE_CHARS}")
    return record


def _coding(record: NoteInput, facts: BillingFacts) -> CodingResult:
    """Codes for the date of service from the caller, else the note, else today (each said in a warning)."""
    if record.date_of_service is not None:
        dos, source = record.date_of_service, None
    elif facts.date_of_service:
        dos, source = dt.date.fromisoformat(facts.date_of_service), "dos_from_note"
    else:
        dos, source = dt.date.today(), "dos_today"
    coding = select_codes(facts, dos, record.payer)
    if dos < ICD10CM_IN_USE_FROM and facts.diagnoses:
        coding.warnings.append(Warning_(rule_id="icd10cm_before_its_time", message=(
            f"ICD-10-CM replaced ICD-9-CM on {ICD10CM_IN_USE_FROM.isoformat()}: the diagnosis codes are today's "
            "ICD-10-CM equivalents, not what a claim of that date carried")))
    if source == "dos_from_note":
        coding.warnings.insert(0, Warning_(rule_id=source, message="date of service taken from the note"))
    elif source == "dos_today":
        coding.warnings.insert(0, Warning_(rule_id=source, message="no date of service given or found in the "
                                                                   "note: today's date was used"))
    return coding


def _result(record: NoteInput, facts: dict, read: tuple[str, int]) -> AnalysisResult:
    """The full result for one note, or an error result naming the stage that failed: never raises, and the
    message names the exception type only (a validation error's text would quote the note)."""
    stage = "facts"
    try:
        read_text, lead = read
        if lead or read_text != record.text:
            _restore_evidence(facts, record.text, lead)
        billing = BillingFacts.model_validate(facts)
        stage = "coding"
        coding = _coding(record, billing)
        stage = "gaps"
        gaps = score_gaps(billing, coding, record.billed_codes)
        stated = versions()
        stated.code_rules = code_table().rules_on(dt.date.fromisoformat(coding.date_of_service))
    except Exception as exc:  # noqa: BLE001 - one record's failure is that record's answer
        return _error(record.note_id, f"{stage}_error", f"the {stage} stage failed on this note ({type(exc).__name__})")
    return AnalysisResult(note_id=record.note_id, status="ok", facts=billing, coding=coding, gaps=gaps,
                          versions=stated)


def analyze(
    text: str,
    *,
    note_id: Optional[str] = None,
    date_of_service: Union[dt.date, str, None] = None,
    payer: str = "commercial",
    billed_codes: Optional[list[str]] = None,
    time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
) -> AnalysisResult:
    """Analyse one note. Never raises for bad input: the result says ``status="error"`` instead (code
    ``timeout`` for a note that runs past ``time_limit`` seconds; None for no limit)."""
    record = _as_input({"text": text, "note_id": note_id, "date_of_service": date_of_service, "payer": payer,
                        "billed_codes": billed_codes}, 0)
    if isinstance(record, AnalysisResult):
        return record
    return next(analyze_many([record], time_limit=time_limit))


class NoteTimeLimit(Exception):
    """A note ran past the per-note time limit."""


@contextmanager
def _deadline(seconds: float):
    """Raise NoteTimeLimit in this thread after ``seconds`` (a real-time timer signal: the main thread of
    the process only, which the parent and each worker process are)."""
    def expire(signum, frame):
        raise NoteTimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_time_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _facts_for_texts(texts: list[str], time_limit: Optional[float] = None) -> list[Union[dict, str]]:
    """Facts for each text, or the exception's type name for a text that failed (worker-side; no note text).
    With a time limit each note gets at most that many seconds; one that runs past it answers "Timeout"."""
    nlp = load()
    out: list[Union[dict, str]] = []
    if time_limit and _can_time_limit():
        for text in texts:
            try:
                with _deadline(time_limit):
                    out.append(nlp(text)._.billing_facts)
            except NoteTimeLimit:
                out.append("Timeout")
            except Exception as exc:  # noqa: BLE001 - reported per record, without note text
                out.append(type(exc).__name__)
        return out
    try:
        out = [doc._.billing_facts for doc in nlp.pipe(texts)]
    except Exception:  # isolate the record that broke the batch
        out = []
        for text in texts:
            try:
                out.append(nlp(text)._.billing_facts)
            except Exception as exc:  # noqa: BLE001 - reported per record, without note text
                out.append(type(exc).__name__)
    return out


def _chunks(items: list, parts: int) -> list[list]:
    size = max(1, -(-len(items) // parts))
    return [items[i:i + size] for i in range(0, len(items), size)]


class _Workers:
    """Worker processes that each run the pipeline, replaced when one dies: the batch that lost its worker
    is run again note by note, and a note that kills a worker twice gets an error result of its own."""

    def __init__(self, count: int, time_limit: Optional[float]):
        self.count = count
        self.work = partial(_facts_for_texts, time_limit=time_limit)
        self.executor = self._start()

    def _start(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.count, mp_context=multiprocessing.get_context("fork"))

    def _restart(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def facts(self, texts: list[str]) -> list[Union[dict, str]]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return [v for part in self.executor.map(self.work, _chunks(texts, self.count)) for v in part]
        except BrokenProcessPool:
            self._restart()
        out: list[Union[dict, str]] = []
        for text in texts:
            for attempt in (1, 2):
                try:
                    out.append(self.executor.submit(self.work, [text]).result()[0])
                    break
                except BrokenProcessPool:
                    self._restart()
                    if attempt == 2:
                        out.append("WorkerDied")
        return out

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _read_batch(iterator, size: int) -> tuple[list, Optional[BaseException]]:
    """Up to ``size`` records, and the exception the input raised while reading them (if it did)."""
    batch = []
    try:
        for item in iterator:
            batch.append(item)
            if len(batch) == size:
                break
    except Exception as exc:  # noqa: BLE001 - the records read so far are answered before it is raised
        return batch, exc
    return batch, None


def analyze_many(
    notes: Iterable[Union[NoteInput, str, dict]], *, workers: int = 1, batch_size: int = 128,
    time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
) -> Iterator[AnalysisResult]:
    """Analyse a stream of notes in input order. Memory stays flat: notes are read one batch at a time;
    a record that fails gets an error result and the batch goes on. Every record read gets exactly one
    answer: when a worker process dies, the batch is run again without it; when the input itself raises,
    the records read before are answered and then the input's exception is raised.

    With ``workers > 1`` each batch is split over worker processes that each run the pipeline and send
    back facts (small JSON-safe dicts), not Docs: measured faster than ``nlp.pipe(n_process=...)``,
    whose workers ship whole serialised Docs back to the parent."""
    load()  # build once here, so forked workers inherit the pipeline
    pool = _Workers(workers, time_limit) if workers > 1 else None
    try:
        iterator = enumerate(notes)
        while True:
            batch, failure = _read_batch(iterator, batch_size)
            if not batch and failure is None:
                return
            prepared = [_as_input(note, index) for index, note in batch]
            valid = [p for p in prepared if isinstance(p, NoteInput)]
            reads = [text_to_read(p.text) for p in valid]
            texts = [text for text, _ in reads]
            values = pool.facts(texts) if pool is not None and len(texts) > 1 else \
                _facts_for_texts(texts, time_limit=time_limit)
            facts = {id(p): value for p, value in zip(valid, values, strict=True)}
            read = {id(p): text_and_lead for p, text_and_lead in zip(valid, reads)}
            for p in prepared:
                if isinstance(p, AnalysisResult):
                    yield p
                    continue
                value = facts.get(id(p))
                if value == "Timeout":
                    yield _error(p.note_id, "timeout", f"the note took longer than the {time_limit:g} s limit per note")
                elif value == "WorkerDied":
                    yield _error(p.note_id, "worker_died", "the worker process analysing this note died twice")
                elif not isinstance(value, dict):
                    yield _error(p.note_id, "pipeline_error", f"the pipeline failed on this note ({value or 'missing'})")
                else:
                    yield _result(p, value, read[id(p)])
            if failure is not None:
                raise failure
    finally:
        if pool is not None:
            pool.close()
