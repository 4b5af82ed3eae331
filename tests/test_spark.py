"""billfacts on Spark (issue 11), on ``local[2]``: the same results as ``analyze_many`` row for row on 500
notes, malformed rows as error rows; ``billfacts qa --engine spark`` writes what the local engine writes.
The session is started here and stopped here."""

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import billfacts

pyspark = pytest.importorskip("pyspark")

DEV = Path(__file__).resolve().parents[1] / "annotations" / "dev" / "dev.jsonl"
TEXTS = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def spark():
    from billfacts.spark import session

    spark = session("local[2]", app="billfacts tests")
    yield spark
    spark.stop()


def notes(count=500, seed=11):
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        row = {"note_id": f"s{i}", "text": TEXTS[i % len(TEXTS)], "visit_date": f"2026-{1 + i % 12:02d}-{1 + i % 27:02d}",
               "payer": rng.choice(["commercial", "medicare"]), "billed": rng.choice([None, "90837-95", "90834, 90785"])}
        if i % 50 == 3:
            row["text"] = None  # no text
        elif i % 50 == 5:
            row["visit_date"] = "the 5th of May"  # unreadable date
        elif i % 50 == 7:
            row["payer"] = "nobody"  # unknown payer
        elif i % 50 == 9:
            row["text"] = "Session 45 minutes. " * 12_000  # over the size limit
        rows.append(row)
    return rows


def test_the_spark_path_gives_analyze_manys_results_row_for_row(spark):
    from billfacts.spark import analyze_df

    rows = notes()
    frame = spark.createDataFrame(rows, "note_id string, text string, visit_date string, payer string, billed string")
    out = analyze_df(frame, text_col="text", id_col="note_id", date_col="visit_date", payer_col="payer",
                     billed_col="billed", keep=["visit_date"])
    got = {row.note_id: row for row in out.collect()}
    assert len(got) == 500
    records = []
    for row in rows:
        record = {"note_id": row["note_id"], "date_of_service": row["visit_date"], "payer": row["payer"]}
        if row["text"] is not None:
            record["text"] = row["text"]
        if row["billed"] is not None:
            record["billed_codes"] = [row["billed"]]
        records.append(record)
    expected = {r.note_id: r for r in billfacts.analyze_many(records, workers=2)}
    for note_id, result in expected.items():
        if result.error is not None:  # "record 3: ..." names the place in the stream, which Spark has not
            result.error.message = re.sub(r"^record \d+: ", "", result.error.message)
        assert json.loads(got[note_id].result_json) == json.loads(result.model_dump_json()), note_id
        assert got[note_id].status == result.status
    assert all(got[row["note_id"]].visit_date == row["visit_date"] for row in rows)  # carried over
    errors = {row.error_code for row in got.values() if row.status == "error"}
    assert errors == {"invalid_input", "unknown_payer", "note_too_long"}
    ok = next(row for row in got.values() if row.status == "ok" and row.codes)
    assert ok.gap_score is not None and isinstance(ok.codes, list)


def test_qa_with_the_spark_engine_writes_what_the_local_engine_writes(tmp_path):
    source = tmp_path / "notes.jsonl"
    with source.open("w") as handle:
        for i, row in enumerate(notes(120, seed=2)):
            record = {"note_id": row["note_id"], "text": row["text"], "date_of_service": row["visit_date"],
                      "clinician": f"dr{i % 3}", "billed_codes": row["billed"]}
            handle.write(json.dumps(record) + "\n")
        handle.write("not json\n")
    for engine in ("local", "spark"):
        out = subprocess.run([sys.executable, "-m", "billfacts.cli", "qa", str(source), "--out", str(tmp_path / engine),
                              "--engine", engine, "--workers", "2", "--no-clones"], capture_output=True, text=True,
                             timeout=900)
        assert out.returncode == 0, out.stderr[-2000:]
    assert (tmp_path / "spark" / "results.jsonl").read_bytes() == (tmp_path / "local" / "results.jsonl").read_bytes()
    assert json.loads((tmp_path / "spark" / "summary.json").read_text()) == \
        json.loads((tmp_path / "local" / "summary.json").read_text())
