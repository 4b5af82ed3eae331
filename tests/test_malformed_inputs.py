"""A malformed-input suite (issue 13): generated records of every bad kind, through the Python API,
``analyze_many`` with one and two workers, and the CLI. Every record gets exactly one answer, in order; no
exception escapes; no error message quotes the note. The run prints what it tried."""

import json
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import billfacts
from ledger import tried

CANARY = "ZEBRACANARY"
GOOD = ["Session 2:05 PM - 2:50 PM via Zoom, patient at home. Dx: F41.1",
        "Individual therapy 45 minutes in office. CBT; client engaged. Plan: weekly. Dx F33.1",
        "Medication follow-up by video. Side effects reviewed. Total time 20 minutes."]


def generated(count: int = 1000, seed: int = 13) -> list:
    rng = random.Random(seed)
    kinds = ["good", "empty", "spaces", "binary", "long_line", "huge", "absurd_time", "contradiction",
             "no_id", "duplicate_id", "wrong_types", "control", "line_endings", "not_a_record"]
    records = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        text = f"{CANARY} " + rng.choice(GOOD)
        record = {"text": text, "note_id": f"n{i}"}
        if kind == "empty":
            record["text"] = ""
        elif kind == "spaces":
            record["text"] = " \n\t " * rng.randint(1, 50)
        elif kind == "binary":
            record["text"] = CANARY + bytes(rng.randrange(256) for _ in range(2000)).decode("latin-1")
        elif kind == "long_line" and i % 560 == kind_index(kinds, "long_line"):
            record["text"] = CANARY + (" 45 minutes;" * 17000)[:199_000]  # one line, just under the size limit
        elif kind == "huge" and i % 140 == kind_index(kinds, "huge"):
            record["text"] = CANARY + "x" * 10_000_000
        elif kind == "absurd_time":
            record["text"] = f"{CANARY} Session 99:99 - 125:00, 9999 minutes, -45 minutes. Dx F41.1"
        elif kind == "contradiction":
            record["text"] = f"{CANARY} Session 2:00-2:30 PM. Session length 90 minutes. Psychotherapy 10 min."
        elif kind == "no_id":
            record.pop("note_id")
        elif kind == "duplicate_id":
            record["note_id"] = "dup"
        elif kind == "wrong_types":
            record = rng.choice([{"text": 12345, "note_id": "w"}, {"text": text, "note_id": ["x"]},
                                 {"text": text, "date_of_service": "not a date"}, {"text": text, "payer": 7},
                                 {"text": text, "billed_codes": {"a": 1}}, {"text": None}])
        elif kind == "control":
            record["text"] = text.replace(" ", "\x00", 3).replace("PM", "P\x07M")
        elif kind == "line_endings":
            record["text"] = (text + "\nPlan: weekly\n").replace("\n", rng.choice(["\r\n", "\r", "\u2028", "\x0c"]))
        elif kind == "not_a_record":
            record = rng.choice([42, None, ["a list"], 3.5])
        records.append(record)
    return records


def kind_index(kinds, name):
    return kinds.index(name)


def check_answers(records, results):
    assert len(results) == len(records)
    for record, result in zip(records, results):
        if isinstance(record, dict) and isinstance(record.get("note_id"), str):
            assert result.note_id == record["note_id"]
        assert result.status in ("ok", "error")
        if result.status == "error":
            assert result.error.code and CANARY not in result.error.message
        else:
            assert result.facts is not None and result.coding is not None


@pytest.fixture(scope="module")
def records():
    return generated()


@pytest.mark.parametrize("workers", [1, 2])
def test_every_record_gets_one_answer(records, workers, capsys):
    results = list(billfacts.analyze_many(records, workers=workers, batch_size=64))
    check_answers(records, results)
    errors = {}
    for result in results:
        if result.status == "error":
            errors[result.error.code] = errors.get(result.error.code, 0) + 1
    tried(f"malformed records through analyze_many (workers={workers})", len(records))
    tried("records lost", len(records) - len(results))
    with capsys.disabled():
        print(f"\nmalformed-input suite, workers={workers}: {len(records)} records tried, {len(results)} answered, "
              f"records lost 0, crashes 0, canary hits 0; errors by code {dict(sorted(errors.items()))}")
    assert errors.get("note_too_long", 0) >= 1 and errors.get("invalid_input", 0) >= 1


def test_the_same_answers_from_one_and_two_workers(records):
    sample = [r for r in records[:280]]
    one = [r.model_dump_json() for r in billfacts.analyze_many(sample, workers=1)]
    two = [r.model_dump_json() for r in billfacts.analyze_many(sample, workers=2)]
    assert one == two


def test_the_cli_never_quotes_the_note(tmp_path, records):
    for index, record in enumerate(records[:14]):  # one of each kind
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or len(record["text"]) > 50_000:
            continue
        note = tmp_path / f"n{index}.txt"
        note.write_text(record["text"], encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "billfacts.cli", "analyze", str(note), "--format", "jsonl"],
                             capture_output=True, text=True)
        assert out.returncode in (0, 1), out.stderr[-200:]
        result = json.loads(out.stdout)
        assert CANARY not in out.stderr
        assert CANARY not in json.dumps(result.get("error") or {})
        tried("malformed records through the CLI")


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_no_text_raises(text):
    tried("property examples: no text raises")
    result = billfacts.analyze(text)
    assert result.status in ("ok", "error")
    if result.status == "ok":
        for records in result.facts.evidence.values():
            for record in records:
                assert text[record.start:record.end] == record.text
