"""The command line, run as a user runs it: a subprocess, from a folder outside the repository."""

import json
import subprocess
import sys

NOTE = "Session 2:05 PM - 2:50 PM via Zoom, patient at home. Dx: F41.1"


def run(args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "billfacts.cli", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_analyze_from_stdin(tmp_path):
    out = run(["analyze", "-"], stdin=NOTE, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    facts = result["facts"]
    assert facts["psychotherapy_minutes"] == 45
    assert facts["modality"] == "video"
    assert facts["patient_location"] == "home"
    assert [(d["code"], d["status"]) for d in facts["diagnoses"]] == [("F41.1", "affirmed")]
    for records in facts["evidence"].values():
        for record in records:
            assert NOTE[record["start"]:record["end"]] == record["text"]
    assert [line["code"] for line in result["coding"]["lines"]] == ["90834"]
    assert result["coding"]["lines"][0]["modifiers"] == ["95"] and result["coding"]["lines"][0]["pos"] == "10"
    assert result["versions"]["code_table"]


def test_jsonl_is_one_line(tmp_path):
    out = run(["analyze", "-", "--format", "jsonl"], stdin=NOTE, cwd=tmp_path)
    assert len(out.stdout.strip().splitlines()) == 1


def test_schema_prints_json_schema(tmp_path):
    out = run(["schema"], cwd=tmp_path)
    assert json.loads(out.stdout)["title"] == "AnalysisResult"


def test_only_billfacts_is_installed_at_top_level(tmp_path):
    code = ("import importlib.util as u, json; print(json.dumps({n: u.find_spec(n) is not None "
            "for n in ['billfacts', 'pipeline', 'models', 'evaluation', 'billfacts.models', 'billfacts.evaluation']}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    found = json.loads(out.stdout)
    assert found == {"billfacts": True, "pipeline": False, "models": False, "evaluation": False,
                     "billfacts.models": True, "billfacts.evaluation": True}
