"""Batch note QA (issue 9): one answer per record whatever the record, identical to ``billfacts analyze``
for the good ones, resumable after SIGKILL, the same for any worker count, redaction, inputs of every
kind, usage errors."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import billfacts

DEV = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"
TEXTS = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
MARKER = "WOMBATMARKER"
WORDS = sorted({word for text in TEXTS for word in text.split() if word.isalpha() and len(word) > 3})
MALFORMED = ["empty_text", "undecodable_text", "missing_id", "duplicate_id", "invalid_input", "note_too_long",
             "invalid_json"]


def qa(*args, check=True, timeout=900):
    out = subprocess.run([sys.executable, "-m", "billfacts.cli", "qa", *map(str, args)], capture_output=True,
                         text=True, timeout=timeout)
    if check:
        assert out.returncode == 0, out.stderr[-2000:]
    return out


def good_record(i, rng):
    return {"note_id": f"n{i}", "text": TEXTS[i % len(TEXTS)], "clinician": f"dr{i % 7}", "patient": f"p{i % 400}",
            "date_of_service": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "billed_codes": rng.choice([None, "90837-95", "90834", "90837 95, 90785", "9083X"])}


def write_input(path, count, malformed_share=0.05, seed=9):
    """JSONL records; ``malformed_share`` of them broken, the same number of each kind. Returns the
    expected error code by line (None: a good record)."""
    rng = random.Random(seed)
    expected = []
    with path.open("wb") as handle:
        for i in range(count):
            record = good_record(i, rng)
            kind = MALFORMED[(i // 20) % len(MALFORMED)] if rng.random() < malformed_share else None
            line = None
            if kind == "empty_text":
                record["text"] = rng.choice(["", "   \n\t "])
            elif kind == "undecodable_text":
                line = json.dumps(record).encode("utf-8")[:-2] + b'\xff\xfe"}'
            elif kind == "missing_id":
                record.pop("note_id")
            elif kind == "duplicate_id":
                record["note_id"] = "n0"
            elif kind == "invalid_input":
                record[rng.choice(["text", "note_id", "billed_codes"])] = rng.choice([{"a": 1}, [1, 2], True])
                if isinstance(record.get("text"), list):
                    record["text"] = 5
            elif kind == "note_too_long":
                record["text"] = MARKER + " Session 45 minutes. " * 12_000
            elif kind == "invalid_json":
                line = b'{"note_id": "n' + str(i).encode() + b'", "text": "' + MARKER.encode() + b' unterminated'
            handle.write((line if line is not None else json.dumps(record).encode("utf-8")) + b"\n")
            expected.append(kind)
    return expected


def results(folder):
    return [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def test_ten_thousand_notes_one_answer_each_malformed_as_errors_the_rest_as_analyze_says(tmp_path):
    source = tmp_path / "notes.jsonl"
    expected = write_input(source, 10_000)
    assert sum(kind is not None for kind in expected) >= 400
    qa(source, "--out", tmp_path / "out", "--workers", "2")
    answers = results(tmp_path / "out")
    assert len(answers) == 10_000
    assert [a["qa"]["index"] for a in answers] == list(range(10_000))
    lines = source.read_bytes().splitlines()
    compared = 0
    for i, (kind, answer) in enumerate(zip(expected, answers)):
        if kind is not None and kind != "invalid_input":
            assert answer["status"] == "error" and answer["error"]["code"] == kind, (i, kind, answer.get("error"))
            assert MARKER not in answer["error"]["message"]
            continue
        if kind == "invalid_input":
            assert answer["status"] == "error" and answer["error"]["code"] == "invalid_input"
            continue
        record = json.loads(lines[i])
        answer.pop("qa")
        alone = billfacts.analyze(record["text"], note_id=record["note_id"], date_of_service=record["date_of_service"],
                                  billed_codes=[record["billed_codes"]] if record["billed_codes"] else None)
        assert answer == json.loads(alone.model_dump_json()), i
        compared += 1
    assert compared >= 9_000
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["records"] == 10_000 and set(summary["errors_by_code"]) == set(MALFORMED)
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "out" / "results.parquet")
    assert table.num_rows == 10_000 and table.column("index").to_pylist() == list(range(10_000))


def _lines(path):
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


def test_killed_with_sigkill_at_several_points_and_resumed_gives_one_record_per_input(tmp_path):
    source = tmp_path / "notes.jsonl"
    write_input(source, 500, seed=3)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "billfacts.cli", "qa", str(source), "--out", str(out), "--no-clones"]
    kills = 0
    for stop_after in (60, 200, 330):
        process = subprocess.Popen(command + (["--resume"] if kills else []), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        began = time.monotonic()
        while _lines(out / "results.jsonl") < stop_after and process.poll() is None and time.monotonic() - began < 300:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
    with (out / "results.jsonl").open("ab") as handle:  # and a half-written line, as a crash mid-write leaves
        handle.write(b'{"note_id": "n9", "status": "o')
    qa(source, "--out", out, "--no-clones", "--resume")
    answers = results(out)
    assert [a["qa"]["index"] for a in answers] == list(range(500))
    qa(source, "--out", tmp_path / "clean", "--no-clones")
    assert (out / "results.jsonl").read_bytes() == (tmp_path / "clean" / "results.jsonl").read_bytes()


def test_the_same_results_from_one_and_two_workers(tmp_path):
    source = tmp_path / "notes.jsonl"
    write_input(source, 400, seed=5)
    qa(source, "--out", tmp_path / "one", "--workers", "1", "--no-clones")
    qa(source, "--out", tmp_path / "two", "--workers", "2", "--no-clones")
    assert (tmp_path / "one" / "results.jsonl").read_bytes() == (tmp_path / "two" / "results.jsonl").read_bytes()


def test_existing_results_are_not_overwritten_without_resume(tmp_path):
    source = tmp_path / "notes.jsonl"
    write_input(source, 5, malformed_share=0)
    qa(source, "--out", tmp_path / "out", "--no-clones")
    again = qa(source, "--out", tmp_path / "out", "--no-clones", check=False)
    assert again.returncode == 2 and "--resume" in again.stderr


def test_redact_leaves_every_piece_of_note_text_out(tmp_path):
    source = tmp_path / "notes.jsonl"
    rng = random.Random(1)
    with source.open("w") as handle:
        for i in range(40):
            record = good_record(i, rng)
            record["text"] = f"{MARKER} " + record["text"].replace("Dx", f"{MARKER} Dx")
            handle.write(json.dumps(record) + "\n")
    qa(source, "--out", tmp_path / "out", "--redact")
    for name in ("results.jsonl", "results.parquet", "summary.json", "report.html"):
        assert MARKER.encode() not in (tmp_path / "out" / name).read_bytes(), name
    assert "<mark" not in (tmp_path / "out" / "report.html").read_text()


def test_csv_parquet_and_folder_inputs_with_column_names_of_their_own(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"visit": [101, 102, 103], "body": [TEXTS[0], TEXTS[1], ""], "seen": ["2026-03-02"] * 3,
                          "provider": ["a", "b", "a"]})
    frame.to_csv(tmp_path / "notes.csv", index=False)
    frame.to_parquet(tmp_path / "notes.parquet")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "one.txt").write_text(TEXTS[2], encoding="utf-8")
    (folder / "two.txt").write_bytes(b"\xff\xfeS\x00e\x00s\x00s\x00i\x00o\x00n\x00")  # UTF-16 with its mark
    (folder / "three.txt").write_bytes(b"caf\xe9 45 min")  # Latin-1: undecodable
    for source in (tmp_path / "notes.csv", tmp_path / "notes.parquet"):
        out = tmp_path / (source.suffix[1:] + "-out")
        qa(source, "--out", out, "--id-col", "visit", "--text-col", "body", "--date-col", "seen",
           "--clinician-col", "provider", "--no-clones")
        answers = results(out)
        assert [a["note_id"] for a in answers] == ["101", "102", "103"]
        assert [a["status"] for a in answers] == ["ok", "ok", "error"] and answers[2]["error"]["code"] == "empty_text"
        assert answers[0]["coding"]["date_of_service"] == "2026-03-02" and answers[0]["qa"]["clinician"] == "a"
    qa(folder, "--out", tmp_path / "folder-out", "--no-clones")
    answers = {a["note_id"]: a for a in results(tmp_path / "folder-out")}
    assert answers["one"]["status"] == "ok" and answers["two"]["status"] == "ok"
    assert answers["three"]["error"]["code"] == "undecodable_text"


@pytest.mark.parametrize("flags,words", [(["--payer", "nobody"], "commercial"),
                                         (["--date-of-service", "03/02/2026"], "YYYY-MM-DD")])
def test_an_unknown_payer_or_an_unreadable_date_is_a_usage_error_naming_the_choices(tmp_path, flags, words):
    source = tmp_path / "notes.jsonl"
    write_input(source, 3, malformed_share=0)
    out = qa(source, "--out", tmp_path / "out", *flags, check=False)
    assert out.returncode == 2 and words in out.stderr and not (tmp_path / "out").exists()


def test_a_records_unknown_payer_or_bad_date_keeps_its_facts(tmp_path):
    source = tmp_path / "notes.jsonl"
    source.write_text(json.dumps({"note_id": "x", "text": TEXTS[0], "payer": "nobody", "date_of_service": "soon"}) + "\n")
    qa(source, "--out", tmp_path / "out", "--no-clones")
    (answer,) = results(tmp_path / "out")
    assert answer["status"] == "ok" and answer["facts"]
    assert {"unknown_payer_default_used", "unreadable_date_of_service"} <= {w["rule_id"] for w in answer["coding"]["warnings"]}


def test_cross_note_patterns(tmp_path):
    """A clinician who bills 90837 for every individual session, always at 53 minutes, with notes cloned
    across dates, is flagged on all three counts; a colleague with varied sessions is not."""
    source = tmp_path / "notes.jsonl"
    rng = random.Random(4)
    with source.open("w") as handle:
        for i in range(24):
            text = ("Individual psychotherapy in office, 53 minutes. Client discussed work stress and sleep; CBT "
                    "restructuring of catastrophic thoughts. Plan: weekly. Dx F41.1")
            handle.write(json.dumps({"note_id": f"c{i}", "text": text, "clinician": "cloner", "patient": f"p{i % 3}",
                                     "date_of_service": f"2026-02-{1 + i:02d}", "billed_codes": "90837"}) + "\n")
        for i in range(24):
            minutes = rng.choice([30, 40, 45, 50, 55, 60])
            topic = " ".join(rng.sample(WORDS, 60))  # every note its own content
            text = f"Individual psychotherapy in office, {minutes} minutes. {topic}. Plan: weekly. Dx F33.1"
            handle.write(json.dumps({"note_id": f"v{i}", "text": text, "clinician": "varied", "patient": f"q{i}",
                                     "date_of_service": f"2026-02-{1 + i:02d}"}) + "\n")
    qa(source, "--out", tmp_path / "out", "--norm-90837", "0.5")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    by_name = {c["clinician"]: c for c in summary["clinicians"]}
    assert by_name["cloner"]["above_90837_norm"] and by_name["cloner"]["repeated_length_flag"]
    assert by_name["cloner"]["most_common_minutes"] == 53
    assert not by_name["varied"]["repeated_length_flag"]
    clone_ids = {p["a"]["note_id"][0] + p["b"]["note_id"][0] for p in summary["clones"]["pairs"]}
    assert clone_ids == {"cc"} and summary["clones"]["pairs_found"] > 0
