"""Evaluation for researchers (issue 12): mention spans, the split corpus and its schema, converters, and
`billfacts evaluate` with several systems, paired comparisons and reports."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import billfacts
from billfacts.evaluation import converters
from billfacts.evaluation.corpus import evaluate_corpus, read_jsonl, score
from billfacts.evaluation.gold_format import ATTRIBUTES, SPAN_LABELS, GoldRecord, gold_schema

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "annotations"
DEV = ANNOTATIONS / "dev" / "dev.jsonl"
TEST = ANNOTATIONS / "test" / "test.jsonl"


def cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "billfacts.cli", *map(str, args)], capture_output=True, text=True,
                          **kwargs)


# ---- mentions ----------------------------------------------------------------------------------------
NOTE = ("Progress Note\nSession 2:05 PM - 2:50 PM via Zoom, patient at home.\n"
        "Scheduled for 60 minutes. Psychotherapy time: 45 min.\nR/O PTSD; mother has bipolar disorder.\n"
        "Dx: F41.1 Generalized anxiety disorder; MDD, recurrent, moderate\n")


def test_mentions_quote_the_note_with_their_labels_values_and_status():
    mentions = billfacts.analyze("\n\n  " + NOTE).facts.mentions
    text = "\n\n  " + NOTE
    assert all(text[m.start:m.end] == m.text for m in mentions)
    found = {(m.label, m.text, m.value, m.status) for m in mentions}
    assert ("CLOCK", "2:05 PM - 2:50 PM", "14:05-14:50", None) in found
    assert ("SCHEDULED", "60 minutes", "60", None) in found
    assert ("PSY_TIME", "45 min", "45", None) in found  # the full stop is the sentence's
    assert ("DX", "PTSD", "F43.10", "uncertain") in found  # the cue is an attribute, not part of the span
    assert ("DX", "bipolar disorder", "F31.9", "family") in found
    assert ("DX", "F41.1 Generalized anxiety disorder", "F41.1", "affirmed") in found
    assert ("DX", "MDD, recurrent, moderate", "F33.1", "affirmed") in found
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_redacted_qa_results_leave_mention_text_out(tmp_path):
    notes = tmp_path / "notes.jsonl"
    notes.write_text(json.dumps({"note_id": "a", "text": NOTE}) + "\n", encoding="utf-8")
    assert cli("qa", notes, "--out", tmp_path / "out", "--redact", "--no-clones").returncode == 0
    result = json.loads((tmp_path / "out" / "results.jsonl").read_text().splitlines()[0])
    assert result["facts"]["mentions"] and all(m["text"] == "" for m in result["facts"]["mentions"])


# ---- the corpus --------------------------------------------------------------------------------------
def test_the_corpus_has_a_fixed_split_of_300_notes_with_every_label_15_times():
    dev, test = read_jsonl(DEV), read_jsonl(TEST)
    assert (len(dev), len(test)) == (200, 100)
    assert not {r["note_id"] for r in dev} & {r["note_id"] for r in test}
    assert {r["meta"]["split"] for r in dev} == {"dev"} and {r["meta"]["split"] for r in test} == {"test"}
    assert all(r["meta"]["written_for"] == "development" and r["meta"]["synthetic"] for r in dev + test)
    counts = {label: sum(s["label"] == label for r in dev + test for s in r["spans"]) for label in SPAN_LABELS}
    assert min(counts.values()) >= 15, counts
    for record in dev + test:
        GoldRecord.model_validate(record)
        assert all(0 <= s["start"] < s["end"] <= len(record["text"]) for s in record["spans"])
        assert all(set(ATTRIBUTES) <= set(s) for s in record["spans"] if s["label"] == "DX")


def test_the_committed_schema_and_corpus_are_what_their_writers_write(tmp_path, monkeypatch):
    assert json.loads((ANNOTATIONS / "gold.schema.json").read_text()) == gold_schema()
    sys.path.insert(0, str(ANNOTATIONS))
    try:
        import write_dev_corpus
    finally:
        sys.path.remove(str(ANNOTATIONS))
    monkeypatch.setattr(write_dev_corpus, "HERE", tmp_path)
    write_dev_corpus.main()
    assert (tmp_path / "dev" / "dev.jsonl").read_bytes() == DEV.read_bytes()
    assert (tmp_path / "test" / "test.jsonl").read_bytes() == TEST.read_bytes()


def test_a_gold_line_that_breaks_the_format_is_refused_by_line_number(tmp_path):
    bad = tmp_path / "bad.jsonl"
    record = {"note_id": "x", "text": "short SECRETWORD", "spans": [{"label": "DX", "start": 3, "end": 99}]}
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = cli("convert", bad, tmp_path / "brat", "--to", "brat")
    assert out.returncode == 2 and "bad.jsonl line 1" in out.stderr and "SECRETWORD" not in out.stderr


# ---- converters --------------------------------------------------------------------------------------
def test_gold_to_brat_and_back_gives_the_same_lines(tmp_path):
    assert cli("convert", DEV, tmp_path / "brat", "--to", "brat").returncode == 0
    ann = (tmp_path / "brat" / "dev-002.ann").read_text()
    assert "\tDX " in ann and "AnnotatorNotes" in ann and (tmp_path / "brat" / "annotation.conf").exists()
    assert cli("convert", tmp_path / "brat", tmp_path / "back.jsonl", "--from", "brat", "--to", "gold").returncode == 0
    assert read_jsonl(tmp_path / "back.jsonl") == read_jsonl(DEV)


def test_brat_attributes_and_codes_are_read(tmp_path):
    (tmp_path / "n1.txt").write_text("Hx: R/O PTSD.\nMother has bipolar disorder.", encoding="utf-8")
    (tmp_path / "n1.ann").write_text("T1\tDX 8 12\tPTSD\nA1\tHypothetical T1\n#1\tAnnotatorNotes T1\tF43.10\n"
                                     "T2\tDX 25 41\tbipolar disorder\nA2\tFamily T2\n", encoding="utf-8")
    (record,) = converters.from_brat(tmp_path)
    assert record["note_id"] == "n1"
    first, second = record["spans"]
    assert first == {"label": "DX", "start": 8, "end": 12, "code": "F43.10", "negated": False, "historical": False,
                     "hypothetical": True, "family": False}
    assert second["family"] and not second["hypothetical"] and "code" not in second


def test_prodigy_accepted_answers_become_gold(tmp_path):
    tasks = [
        {"text": "Session 45 min. Dx: GAD", "meta": {"note_id": "p1"}, "answer": "accept",
         "spans": [{"start": 8, "end": 14, "label": "DURATION", "token_start": 1, "token_end": 2},
                   {"start": 20, "end": 23, "label": "DX", "code": "F41.1"}]},
        {"text": "rejected", "meta": {"note_id": "p2"}, "answer": "reject", "spans": []},
        {"text": "no answer field", "_input_hash": 7, "spans": []},
    ]
    source = tmp_path / "prodigy.jsonl"
    source.write_text("\n".join(json.dumps(t) for t in tasks) + "\n", encoding="utf-8")
    assert cli("convert", source, tmp_path / "gold.jsonl", "--from", "prodigy", "--to", "gold").returncode == 0
    records = read_jsonl(tmp_path / "gold.jsonl")
    assert [r["note_id"] for r in records] == ["p1", "7"]
    assert records[0]["spans"][1] == {"label": "DX", "start": 20, "end": 23, "code": "F41.1", "negated": False,
                                      "historical": False, "hypothetical": False, "family": False}


def test_docbin_holds_gold_spans_and_billfacts_extensions(tmp_path):
    from spacy.tokens import DocBin

    records = read_jsonl(DEV)[:12]
    gold = tmp_path / "twelve.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert cli("convert", gold, tmp_path / "dev.spacy", "--to", "docbin").returncode == 0
    nlp = billfacts.load()
    docs = list(DocBin().from_disk(tmp_path / "dev.spacy").get_docs(nlp.vocab))
    assert len(docs) == 12
    for record, doc in zip(records, docs):
        assert doc.user_data["note_id"] == record["note_id"]
        assert [(s.label_, s.start_char, s.end_char) for s in doc.spans["gold"]] == \
            [(s["label"], s["start"], s["end"]) for s in record["spans"]]
        assert doc._.billing_facts["service_type"] == billfacts.analyze(record["text"]).facts.service_type
        codes = [a.get("code") for a in doc.spans["gold"].attrs["annotations"]]
        assert codes == [s.get("code") for s in record["spans"]]


# ---- evaluate: systems, comparisons, reports ------------------------------------------------------------
def degrade(result: dict, rng: random.Random) -> dict:
    """Drop a tenth of the mentions and shift the end of another tenth by one character."""
    facts = result.get("facts")
    if facts:
        kept = []
        for mention in facts["mentions"]:
            roll = rng.random()
            if roll < 0.1:
                continue
            if roll < 0.2:
                mention = {**mention, "end": mention["end"] + 1}
            kept.append(mention)
        facts["mentions"] = kept
    return result


@pytest.fixture(scope="module")
def systems(tmp_path_factory):
    """billfacts' output on the test split (as `billfacts analyze --format jsonl` writes it) and a copy
    degraded on purpose."""
    folder = tmp_path_factory.mktemp("systems")
    records = read_jsonl(TEST)
    results = [r.model_dump(mode="json") for r in billfacts.analyze_many(
        {"text": r["text"], "note_id": r["note_id"]} for r in records)]
    rng = random.Random(5)
    (folder / "billfacts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    (folder / "degraded.jsonl").write_text("".join(json.dumps(degrade(json.loads(json.dumps(r)), rng)) + "\n"
                                                   for r in results))
    return folder


def test_a_degraded_system_scores_lower_strictly_than_leniently_and_intervals_hold_their_points(systems):
    report = evaluate_corpus(TEST, systems=[systems / "billfacts.jsonl", systems / "degraded.jsonl"])
    good = report["systems"][str(systems / "billfacts.jsonl")]["spans"]
    bad = report["systems"][str(systems / "degraded.jsonl")]["spans"]
    strict_drop = good["strict"]["overall"]["f1"] - bad["strict"]["overall"]["f1"]
    lenient_drop = good["lenient"]["overall"]["f1"] - bad["lenient"]["overall"]["f1"]
    assert strict_drop > 0.05 and 0 < lenient_drop < strict_drop
    for spans in (good, bad):
        for scheme in ("strict", "lenient"):
            for row in spans[scheme].values():
                lo, hi = row["f1_ci95"]
                assert lo <= row["f1"] <= hi
    (comparison,) = report["comparisons"]
    strict = comparison["b_minus_a"]["span_f1_strict"]
    assert strict["difference"] == pytest.approx(-strict_drop, abs=2e-4)
    assert strict["ci95"][0] <= strict["difference"] <= strict["ci95"][1] < 0  # the damage is significant
    assert comparison["b_minus_a"]["modality"]["difference"] == 0  # facts untouched: no difference


def test_evaluate_cli_compares_two_outputs_and_writes_every_error(systems, tmp_path):
    out = cli("evaluate", ANNOTATIONS / "test", "--system", systems / "billfacts.jsonl", systems / "degraded.jsonl",
              "--out", tmp_path / "report", env={**os.environ, "COLUMNS": "200"})
    assert out.returncode == 0, out.stderr[-400:]
    assert "100 notes (synthetic; written for: development; split: test)" in out.stdout
    assert "paired comparison" in out.stdout and "span_f1_strict" in out.stdout
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    markdown = (tmp_path / "report" / "report.md").read_text()
    for single in report["systems"].values():
        assert all(f"| {e['note_id']} | {e['field']} |" in markdown for e in single["errors"])
    rows = [line for line in markdown.splitlines() if line.startswith("| test-")]
    assert len(rows) == sum(len(s["errors"]) for s in report["systems"].values())
    assert "thin (fewer than 15 gold spans)" in markdown
    texts = [r["text"] for r in read_jsonl(TEST)]
    assert not any(line in markdown + out.stdout for text in texts for line in text.splitlines() if len(line) > 30)


def test_span_errors_name_their_kind_and_offsets_never_text():
    record = {"note_id": "n", "text": "Dx: SECRETWORD", "gold": {},
              "spans": [{"label": "DX", "start": 0, "end": 5, "code": "F41.1", "negated": False,
                         "historical": False, "hypothetical": False, "family": False},
                        {"label": "CLOCK", "start": 6, "end": 9},
                        {"label": "DURATION", "start": 10, "end": 12}]}
    facts = {"mentions": [{"label": "DX", "start": 0, "end": 5, "value": "F41.1", "status": "negated"},
                          {"label": "CLOCK", "start": 6, "end": 10, "value": None},
                          {"label": "EM_TIME", "start": 20, "end": 22, "value": "5"}]}
    errors = [e for e in score([record], {"n": facts})["errors"] if "kind" in e]
    kinds = {(e["field"], e["kind"]) for e in errors}
    assert kinds == {("span:DX", "attribute"), ("span:CLOCK", "boundary"), ("span:DURATION", "missed"),
                     ("span:EM_TIME", "spurious")}
    assert "SECRETWORD" not in json.dumps(errors)


def test_two_outputs_on_real_note_format_records_are_compared_by_paired_bootstrap(tmp_path):
    """The real-note format (third-party notes, document-level gold) compares systems too: a change to
    billfacts can be measured before and after on the same notes."""
    notes = ["Session 2:05 PM - 2:50 PM via Zoom, patient at home, consent obtained. CBT for panic. Dx: F41.0",
             "Seen in office 10:00-10:53. Psychotherapy, DBT skills. Dx: F33.1",
             "Phone session (audio only) 3:00-3:40 pm, patient at home. Supportive therapy. Dx: F43.23"]
    gold_modality = ["video", "in_person", "audio_only"]
    records = [{"id": f"r{i}", "note_text": text, "gold": {"modality": modality, "diagnoses": [], "expected_cpt": []}}
               for i, (text, modality) in enumerate(zip(notes * 4, gold_modality * 4))]
    gold = tmp_path / "real.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    results = [r.model_dump(mode="json") for r in billfacts.analyze_many(
        {"text": r["note_text"], "note_id": r["id"]} for r in records)]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    for result in results[::2]:
        result["facts"]["modality"] = None
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    out = cli("evaluate", gold, "--system", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--out", tmp_path / "o",
              env={**os.environ, "COLUMNS": "200"})
    assert out.returncode == 0, out.stderr[-400:]
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    a, b = (report["systems"][str(tmp_path / name)] for name in ("a.jsonl", "b.jsonl"))
    assert a["fields"]["modality"]["accuracy"] == 1.0 and b["fields"]["modality"]["accuracy"] == 0.5
    (comparison,) = report["comparisons"]
    modality = comparison["b_minus_a"]["modality"]
    assert modality["difference"] == -0.5 and modality["ci95"][0] <= -0.5 <= modality["ci95"][1] < 0
    assert comparison["b_minus_a"]["diagnosis_codes_f1"]["difference"] == 0
    assert "paired comparison" in (tmp_path / "o" / "report.md").read_text()
