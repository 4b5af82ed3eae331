"""Batch QA at scale, from one run: notes/s of ``billfacts qa`` with ``--workers 1`` and ``--workers 2``,
and peak memory (RSS of the largest process) at 10,000 and 100,000 notes.

    python benchmarks/bench_qa.py [--sizes 10000,100000] [--workers 1,2] [--keep DIR]

The notes are the development corpus repeated with new ids, clinicians, patients and dates (typical
notes, not a worst case). Each run is a fresh ``billfacts qa`` process; its wall time covers everything
it does: analysis, results.parquet, the summary with the clone search, and report.html. Memory should stay
nearly flat from 10,000 to 100,000 notes apart from the clone search's vectors (a few KB per note)."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_notes(path: Path, count: int) -> None:
    texts = [json.loads(line)["text"] for line in (ROOT / "annotations" / "dev" / "dev.jsonl").read_text().splitlines()]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"note_id": f"n{i}", "text": texts[i % len(texts)], "clinician": f"dr{i % 40}",
                                     "patient": f"p{i % 5000}", "date_of_service": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                     "billed_codes": ("90837-95", "90834", "")[i % 3]}) + "\n")


def measure(source: Path, out: Path, workers: int) -> tuple[float, float]:
    """Seconds and peak RSS (MiB, largest process) of one ``billfacts qa`` run, measured in a fresh parent so
    the peak is this run's alone."""
    probe = ("import resource, subprocess, sys, time; began = time.perf_counter(); "
             "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
             "print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)")
    command = [sys.executable, "-m", "billfacts.cli", "qa", str(source), "--out", str(out), "--workers", str(workers),
               "--no-progress"]
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    seconds, rss_kib, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"billfacts qa exited {code}")
    return float(seconds), int(rss_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--keep", default=None, help="write inputs and outputs here instead of a temporary folder")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-qa-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"billfacts qa on typical notes (development corpus, repeated); outputs under {folder}")
    print(f"{'notes':>8} {'workers':>7} {'seconds':>9} {'notes/s':>9} {'peak RSS MiB':>13}")
    rates = {}
    for size in sizes:
        source = folder / f"notes-{size}.jsonl"
        write_notes(source, size)
        for count in workers:
            seconds, rss = measure(source, folder / f"out-{size}-w{count}", count)
            rates[(size, count)] = size / seconds
            print(f"{size:>8,} {count:>7} {seconds:>9.1f} {size / seconds:>9.1f} {rss:>13.0f}", flush=True)
    for size in sizes:
        if (size, 1) in rates and (size, 2) in rates:
            print(f"{size:,} notes: --workers 2 / --workers 1 = {rates[(size, 2)] / rates[(size, 1)]:.2f}x")


if __name__ == "__main__":
    main()
