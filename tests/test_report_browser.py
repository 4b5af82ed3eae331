"""The QA report and a review view opened in headless Chromium (issue 9): the charts and the highlights
are in the rendered page, and screenshots are kept in ``test-artifacts/`` for a person to look at.

``scripts/test.sh`` installs Debian's ``chromium`` when it is missing and then requires this test to run;
elsewhere it is skipped when no Chromium is found."""

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
DEV = ROOT / "annotations" / "dev" / "dev.jsonl"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("BILLFACTS_REQUIRE_CHROMIUM"):
        pytest.fail("Chromium is required here (the test command installs Debian's chromium) and was not found")
    pytest.skip("no Chromium on this machine (scripts/test.sh installs it)")


def browse(page: Path, tmp_path: Path, screenshot: Path) -> str:
    """The DOM Chromium rendered from ``page``, and a full-width screenshot of it."""
    binary = chromium()
    common = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    dom = subprocess.run(common + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-500:]
    shot = subprocess.run(common + ["--window-size=1400,2000", f"--screenshot={screenshot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0 and screenshot.exists() and screenshot.stat().st_size > 10_000, shot.stderr[-500:]
    return dom.stdout


def test_the_report_and_a_review_view_render_with_charts_and_highlights(tmp_path):
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(2)
    source = tmp_path / "notes.jsonl"
    with source.open("w") as handle:
        for i in range(120):
            handle.write(json.dumps({"note_id": f"n{i}", "text": texts[i % len(texts)], "clinician": f"dr{i % 3}",
                                     "patient": f"p{i % 50}", "date_of_service": f"2026-03-{1 + i % 28:02d}",
                                     "billed_codes": rng.choice(["90837-95", "90834", None])}) + "\n")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "billfacts.cli", "qa", str(source), "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-1000:]
    ARTIFACTS.mkdir(exist_ok=True)
    dom = browse(out / "report.html", tmp_path, ARTIFACTS / "report.png")
    assert len(re.findall(r'<svg[^>]*class="bf-chart"', dom)) >= 3  # codes, minutes, gaps
    assert len(re.findall(r'class="bf-band-edge"', dom)) == 3  # 16, 38, 53
    assert "<rect" in dom and "Clinicians" in dom and "Lowest-scoring notes" in dom
    reviews = re.findall(r'<section class="bf-review" id="n(\d+)-bf-note">', dom)
    assert reviews and len(re.findall(r"<mark ", dom)) >= len(reviews)
    for link in set(re.findall(r'href="#(n\d+-bf-note)"', dom)):
        assert f'id="{link}"' in dom  # every note link in the tables lands on its review view

    note = tmp_path / "note.txt"
    note.write_text(texts[3], encoding="utf-8")
    page = tmp_path / "review.html"
    view = subprocess.run([sys.executable, "-m", "billfacts.cli", "analyze", str(note), "--format", "html"],
                          capture_output=True, text=True, timeout=120)
    page.write_text(view.stdout, encoding="utf-8")
    dom = browse(page, tmp_path, ARTIFACTS / "review.png")
    marks = re.findall(r'<mark class="bf-(?:fact|code|gap)"', dom)
    assert marks and "Code lines" in dom and "Documentation gaps" in dom
