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


def test_the_review_view_marks_evidence_and_redacts_on_request(tmp_path):
    import re
    import subprocess
    import sys

    note = tmp_path / "note.txt"
    note.write_text("Session 2:05 PM - 2:50 PM via Zoom, patient at home. <b>CBT</b> for worry.\nDx: F41.1 GAD\n",
                    encoding="utf-8")
    run = lambda *extra: subprocess.run([sys.executable, "-m", "billfacts.cli", "analyze", str(note), "--format", "html",
                                         *extra], capture_output=True, text=True)  # noqa: E731
    page = run().stdout
    assert page.startswith("<!doctype html>") and "90834" in page
    anchors = re.findall(r'id="bf-ev-(\d+)"', page)
    links = set(re.findall(r'href="#bf-ev-(\d+)"', page))
    assert anchors and links <= set(anchors)  # every evidence link lands on a mark
    assert "<b>CBT</b>" not in page and "&lt;b&gt;CBT&lt;/b&gt;" in page
    assert "<script" not in page and "http" not in page.replace('href="#', "")  # self-contained
    redacted = run("--redact").stdout
    assert "Zoom" not in redacted and "worry" not in redacted and "90834" in redacted


def test_an_unknown_payer_or_an_unreadable_date_is_a_usage_error_naming_the_choices():
    import subprocess
    import sys

    for flags, words in ((["--payer", "bogus"], "medicare"), (["--date-of-service", "3/2/26"], "YYYY-MM-DD")):
        out = subprocess.run([sys.executable, "-m", "billfacts.cli", "analyze", "-", *flags], input="Dx F41.1",
                             capture_output=True, text=True)
        assert out.returncode == 2 and words in out.stderr and not out.stdout
