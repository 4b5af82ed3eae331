"""Start-up of the command line: ``billfacts analyze -`` on a one-line note, whole process, wall time.

    python benchmarks/bench_startup.py [--runs 5]

Prints every run and the median. The whole process counts (interpreter start, imports, building the
pipeline, the analysis, JSON out), as a user who runs the command once per note experiences it. Also
prints where the time goes inside one process (import, build, first analysis), for context.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

NOTE = "Session 2:05 PM - 2:50 PM via Zoom, patient at home, consent obtained. Dx: F41.1\n"
TARGET_SECONDS = 1.5


def billfacts_command() -> list[str]:
    script = Path(sys.executable).with_name("billfacts")
    return [str(script)] if script.exists() else [sys.executable, "-m", "billfacts.cli"]


SPACY_FLOOR = [sys.executable, "-c", "import spacy; spacy.blank('en')"]


def whole_process(runs: int) -> tuple[list[float], list[float]]:
    """Wall times of ``billfacts analyze -`` and, interleaved run by run, of a process that only imports
    spaCy and builds ``spacy.blank('en')``: the floor any spaCy pipeline starts from on this machine."""
    command = billfacts_command() + ["analyze", "-"]
    subprocess.run(command, input=NOTE, capture_output=True, text=True, check=True)  # warm the file cache
    ours, floor = [], []
    for _ in range(runs):
        for cmd, times in ((command, ours), (SPACY_FLOOR, floor)):
            began = time.perf_counter()
            subprocess.run(cmd, input=NOTE, capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - began)
    return ours, floor


def phases() -> str:
    code = ("import time; t=time.perf_counter(); import billfacts; a=time.perf_counter(); billfacts.load(); "
            "b=time.perf_counter(); billfacts.analyze(%r); c=time.perf_counter(); "
            "print(f'import {a-t:.2f} s, build {b-a:.2f} s, first analysis {c-b:.2f} s')" % NOTE)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times, floor = whole_process(args.runs)
    median, floor_median = statistics.median(times), statistics.median(floor)
    print("billfacts analyze - (one-line note), whole process: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"median of {len(times)}: {median:.2f} s (target under {TARGET_SECONDS} s: "
          f"{'met' if median < TARGET_SECONDS else 'NOT met'})")
    print(f"spaCy alone (import spacy; spacy.blank('en')), same runs: median {floor_median:.2f} s; "
          f"billfacts / spaCy alone {median / floor_median:.2f}x")
    print("inside one process: " + phases())


if __name__ == "__main__":
    main()
